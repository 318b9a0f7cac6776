"""Telling a resident once that the bot is slow because the database is busy.

While another process holds SQLite's write lock, a write waits (storage/db.py) instead of
failing; the first time one of an update's writes has to wait, the sender is told once that
the answer will take a moment, so they do not send everything again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot.i18n import LOCALES, N_, translations

NOTICE = N_("Det är mycket just nu, så mitt svar dröjer en stund. Du behöver inte skicka igen.")


def busy_notice(app: Any, update: object) -> Callable[[], Awaitable[None]] | None:
    """The notice for this update's chat, or None (no chat to tell: a job, an inline query)."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    chat_id = update.effective_chat.id
    user = update.effective_user
    locale = app.bot_data["services"].settings.default_locale
    if user is not None:
        stored = app.user_data.get(user.id, {}).get("locale")
        if stored in LOCALES:
            locale = stored
        elif (user.language_code or "").startswith("en"):
            locale = "en"

    async def tell() -> None:
        await app.bot.send_message(chat_id, translations(locale).gettext(NOTICE))

    return tell
