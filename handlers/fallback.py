"""Catch-alls: old or unknown buttons do nothing harmful and say so.

Runs in two places: a guard before every other handler (group -1) for button presses that carry
no message at all (an inline message, or data forged by a client), which no handler of this bot
can answer in a chat, and for edited messages, which are ignored; and the last handler in group 0
for unknown or stale button data.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, MessageHandler, filters

from bot.context import AnyApp, BotContext

log = logging.getLogger(__name__)


async def stale_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    log.info("Ignored a button press with unknown or stale data")
    await query.answer(
        context._("Den här knappen är inte längre aktiv. Skriv /start för att börja om."),
        show_alert=True,
    )


async def no_message(update: Update, context: BotContext) -> None:
    """A press without a message: answer it (Telegram shows a spinner until then) and stop."""
    query = update.callback_query
    if query is None or query.message is not None:
        return
    log.info("Answered a button press without a message")
    await query.answer(
        context._("Den här knappen är inte längre aktiv. Skriv /start för att börja om.")
    )
    raise ApplicationHandlerStop


async def ignore_edit(update: Update, context: BotContext) -> None:
    """An edited message is never a new question, command or answer: Telegram sends edits of old
    messages too, so acting on one could turn an old text into feedback or run a command twice."""
    log.info("Ignored an edited message")
    raise ApplicationHandlerStop


def register_guard(app: AnyApp) -> None:
    """Group -1: before any conversation or feature handler sees the press or the edit."""
    app.add_handler(CallbackQueryHandler(no_message), group=-1)
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, ignore_edit), group=-1)


def register(app: AnyApp) -> None:
    app.add_handler(CallbackQueryHandler(stale_button), group=0)
