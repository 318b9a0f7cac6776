"""Escaping dynamic text for Telegram's HTML parse mode, in one place."""

from __future__ import annotations

import html


def esc(text: str) -> str:
    """Escape a name, a resident's text or any other dynamic value for Telegram HTML.

    Quotes stay as they are: Telegram messages have no attributes for them to break out of.
    """
    return html.escape(text, quote=False)
