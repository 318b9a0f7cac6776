"""Small Telegram-facing helpers shared by several handlers (one wording, one behaviour)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.commands import Command
from bot.context import BotContext
from bot.labels import command_name

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


async def edit_quietly(
    query: CallbackQuery, text: str | None = None, reply_markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Edit the pressed message: its text (buttons go unless given), or with no text only its
    buttons. Returns False when Telegram refuses; an old, deleted or unchanged message is
    harmless, so that is logged, never raised."""
    try:
        if text is None:
            await query.edit_message_reply_markup(reply_markup)
        else:
            await query.edit_message_text(text, reply_markup=reply_markup)
    except TelegramError as exc:
        log.info("Could not edit a message: %s", type(exc).__name__)
        return False
    return True


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    """Answer in the chat the update came from."""
    assert update.effective_message
    await update.effective_message.reply_text(text, **kwargs)


def command_label(context: BotContext, command: Command) -> str:
    """A command's name in the user's language, for "skriv /…" hints."""
    return command_name(command, context.locale)
