"""Catch-alls: old or unknown buttons do nothing harmful and say so."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext

log = logging.getLogger(__name__)


async def stale_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    log.info("Ignored a button press with unknown or stale data")
    await query.answer(
        context._("Den här knappen är inte längre aktiv. Skriv /start för att börja om."),
        show_alert=True,
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handler(CallbackQueryHandler(stale_button), group=0)
