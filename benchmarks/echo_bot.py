"""A bare python-telegram-bot echo bot: the yardstick for bench_load.py.

Default ApplicationBuilder, default polling, nothing of ours: echoes text and answers a button
press with a message, so it gets the same updates as trygghetsbot and sends about as much.
Configured like the bot (BOT_TOKEN, TELEGRAM_API_URL, TELEGRAM_FILE_URL).

    BOT_TOKEN=1:x TELEGRAM_API_URL=http://127.0.0.1:8081/bot python benchmarks/echo_bot.py
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message and message.text:
        await message.reply_text(message.text[:4096])


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, f"pressed {query.data}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    api = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org/bot")
    files = os.environ.get("TELEGRAM_FILE_URL", "https://api.telegram.org/file/bot")
    app = (
        Application.builder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(api)
        .base_file_url(files)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(button))
    app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0)


if __name__ == "__main__":
    main()
