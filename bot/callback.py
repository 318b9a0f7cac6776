"""Compact, length-checked callback data: ``prefix:arg:arg``.

Telegram rejects callback_data over 64 bytes, and python-telegram-bot does not check it, so we
fail early, at the place that builds the button.
"""

from __future__ import annotations

MAX_BYTES = 64
SEP = ":"


class CallbackDataTooLong(ValueError):
    pass


def pack(prefix: str, *args: object) -> str:
    data = SEP.join([prefix, *(str(a) for a in args)])
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise CallbackDataTooLong(data)
    return data


def unpack(data: str | None) -> list[str]:
    """Split data into its parts (the prefix first); empty for missing data."""
    return data.split(SEP) if data else []


def pattern(prefix: str) -> str:
    """A regex for CallbackQueryHandler that matches one prefix exactly."""
    return rf"^{prefix}(?::|$)"
