"""Small Telegram-facing helpers shared by several handlers (one wording, one behaviour)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType

from bot.context import BotContext

log = logging.getLogger(__name__)


def is_private(update: Update) -> bool:
    """True in a one-to-one chat with the bot (where personal and staff matters belong)."""
    return bool(update.effective_chat and update.effective_chat.type == ChatType.PRIVATE)


async def private_only(update: Update, context: BotContext) -> bool:
    """True in a private chat; elsewhere say so (an alert for a button press) and return False.

    Data exports, delete buttons, invitation links and review cards must not land in a group.
    """
    if is_private(update):
        return True
    text = context._("Det här gör du i en privat chatt med mig, inte i en grupp.")
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(text)
    return False
