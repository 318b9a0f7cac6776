"""The last line of defence: log once, apologise in the user's language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        log.info("Update %s: user has blocked the bot", update_id)
        return
    if isinstance(error, BadRequest) and "not modified" in str(error).lower():
        return
    if isinstance(error, (NetworkError, RetryAfter)):
        log.warning("Update %s: Telegram problem: %s: %s", update_id, type(error).__name__, error)
    else:
        # Type and place only: the message of an arbitrary exception may quote user input.
        log.error("Update %s: unexpected %s", update_id, type(error).__name__, exc_info=error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            if update.callback_query:
                await update.callback_query.answer()
            await context.bot.send_message(
                update.effective_chat.id,
                context._("Förlåt, något gick fel hos mig. Försök gärna igen om en stund."),
            )
        except Exception as exc:
            log.warning("Update %s: could not send apology: %s", update_id, type(exc).__name__)
