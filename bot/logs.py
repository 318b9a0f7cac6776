"""Logging: one line per event on stderr, no personal data, never the token.

Our own log calls carry ids and event types only, but libraries are chattier: at DEBUG,
python-telegram-bot logs "Set Bot API URL: …/bot<token>", every Bot API call's parameters and
return value, and whole updates (names, usernames, message text). A filter on the *handler*
(:class:`PrivacyFilter`) rewrites every record before it is written, whatever logger or level it
came from, so raising LOG_LEVEL can never turn the log into a copy of residents' messages.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from pathlib import Path

# Bot API URLs embed the token: https://api.telegram.org/bot<token>/method, …/file/bot<token>/…
_URL_TOKEN = re.compile(r"(/bot)[^/\s'\"`]+")
# A bare token anywhere: <digits>:<secret>.
_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{8,}")
# Structured payloads (dicts, reprs of Update/Message/User, JSON) carry names and texts.
_PAYLOAD = re.compile(r"[`'\"]?[\[{(]|\b[A-Z][A-Za-z]+\(")
OMITTED = "[details omitted]"


class PrivacyFilter(logging.Filter):
    """Strip tokens, secrets and payloads from every record that reaches the handler."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s and len(s) >= 6)

    def clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<secret>")
        text = _URL_TOKEN.sub(r"\1<token>", text)
        return _TOKEN.sub("<token>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: log the template only
            message = str(record.msg)
        message = self.clean(message)
        # Library records carry payloads (updates, API parameters); cut them at the first one.
        if not record.name.startswith(("bot.", "handlers.", "storage.", "__main__")):
            m = _PAYLOAD.search(message)
            if m:
                message = message[: m.start()].rstrip(" :`'\"") + " " + OMITTED
        record.msg, record.args = message, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True


def private_handler(file: Path | None = None, secrets: Iterable[str] = ()) -> logging.Handler:
    """A stderr (or file) handler with the privacy filter attached."""
    handler: logging.Handler
    if file is None:
        handler = logging.StreamHandler(sys.stderr)
    else:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(file, encoding="utf-8")
        except OSError:
            handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(PrivacyFilter(secrets))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


def setup_logging(
    level: str = "INFO", file: Path | None = None, secrets: Iterable[str] = ()
) -> None:
    logging.basicConfig(handlers=[private_handler(file, secrets)], level=level, force=True)

    # httpx logs every request URL at INFO, and Bot API URLs contain the token (the filter
    # would remove it; quieter logs are still better).
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
