"""Small Telegram-facing helpers shared by several handlers (one wording, one behaviour).

Waiting for a user's input with a timeout — one mechanism (as /tyck does in
handlers/feedback*.py; /aterkoppla and the moderator's edit adopt the same):

1. A ``ConversationHandler(persistent=True, conversation_timeout=TIMEOUT, per_chat=True,
   per_user=True)`` owns the waiting; its states say what input is expected, so other handlers
   never see it, and ``/avbryt`` is a fallback. A ``ConversationHandler.TIMEOUT`` state with a
   ``TypeHandler(Update, on_timeout)`` tells the user when the silence ended it.
2. What the user has given so far lives in ``user_data`` under one key, as plain JSON values,
   with the moment of the last answer from the bot's one clock: ``stamp(context)``.
3. Every handler of the conversation first checks ``expired(context, stamped, TIMEOUT)``: a
   dialogue that went silent while the bot was down (no timeout job could fire) ends with the
   same notice instead of continuing.
4. The daily retention job (bot.retention.schedule) forgets stamps older than TIMEOUT, so
   nothing half-written lingers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import MessageHandler, filters

from bot.commands import Command
from bot.context import AnyApp, BotContext, app_now, now
from bot.labels import command_name
from bot.services import Services, StartupHook

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


def stamp(context: BotContext) -> float:
    """Now on the bot's one clock, as a dialogue stores it (seconds since the epoch)."""
    return now(context).timestamp()


def expired(context: BotContext, stamped: float, timeout: timedelta) -> bool:
    """True when a dialogue stamped at ``stamped`` has been silent for longer than ``timeout``."""
    return stamp(context) - stamped > timeout.total_seconds()


def on_startup(app: AnyApp, hook: StartupHook) -> None:
    """Run ``hook(app)`` once the bot is connected (jobs to schedule, menus to set)."""
    services: Services = app.bot_data["services"]
    services.startup_hooks.append(hook)


#: Whether a user's data holds something pending at a moment (a UTC timestamp); None if not.
Pending = Callable[[dict[Any, Any] | None, float], object | None]


class WhilePending(MessageHandler[Any, Any]):
    """A MessageHandler that matches only while the sender has something pending (an edit, a
    council note): its text or /avbryt is then that dialogue's, and everyone else's text passes
    straight by to the handlers after it."""

    def __init__(
        self, app: AnyApp, message_filter: filters.BaseFilter, callback: Any, pending: Pending
    ) -> None:
        super().__init__(message_filter, callback)
        self._app = app
        self._pending = pending

    def check_update(self, update: object) -> bool | dict[str, list[Any]] | None:
        result = super().check_update(update)
        if not result or not isinstance(update, Update) or update.effective_user is None:
            return None
        data = self._app.user_data.get(update.effective_user.id)
        return result if self._pending(data, app_now(self._app).timestamp()) is not None else None
