"""Development tooling kept out of the product's wheel.

``devkit.offline`` is an offline Telegram Bot API server (tests, benchmarks, the local chat) and
``devkit.localchat`` is the terminal chat ``python -m bot`` starts without a BOT_TOKEN. The
wheel ships only bot/, handlers/ and storage/ (pyproject ``[tool.setuptools.packages.find]``),
so this package is importable only from a checkout (the repository root on ``sys.path``).
"""
