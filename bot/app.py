"""Build and run the python-telegram-bot Application; the entry point and the tests share this."""

from __future__ import annotations

import logging
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.warnings import PTBUserWarning

from bot import commands
from bot.busy import busy_notice
from bot.context import BotContext
from bot.i18n import LOCALES, TIMEZONE, translations
from bot.labels import command_name
from bot.services import Services
from bot.transport import PollingRequest, RetryingRequest, TolerantBot, is_real_telegram
from storage.db import BUSY_NOTICE
from storage.persistence import SQLitePersistence

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
# Long-poll length; short enough that a clean stop never waits long.
POLL_TIMEOUT = timedelta(seconds=10)


class BotApplication(Application):  # type: ignore[type-arg,unused-ignore]
    """Writes persistence after every update, not every 60 s.

    A resident mid-dialogue must be able to continue after a crash (kill -9), so conversation
    state is on disk by the time the bot's reply has been sent.
    """

    async def process_update(self, update: object) -> None:
        # If a write must wait for another process's lock, the sender is told once (bot/busy.py).
        token = BUSY_NOTICE.set(busy_notice(self, update))
        try:
            await super().process_update(update)
            if self.persistence is not None:
                await self.update_persistence()
        finally:
            BUSY_NOTICE.reset(token)


def build_application(services: Services) -> AnyApp:
    """Construct the application; no network and no I/O happen here."""
    from handlers import register

    # Our conversations deliberately track buttons per chat and user, not per message.
    warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

    settings = services.settings
    polling = PollingRequest(read_timeout=POLL_TIMEOUT.total_seconds() + 5)
    rate_limiter = None
    if is_real_telegram(settings.telegram_api_url):
        from telegram.ext import AIORateLimiter

        # Stay under Telegram's own limits (30 msg/s, 1/s per chat, 20/min per group) instead of
        # hitting 429s; the transport retries, so the limiter itself does not.
        rate_limiter = AIORateLimiter(max_retries=0)
    # TolerantBot skips an update it cannot parse instead of jamming polling. Sends retry with
    # back-off (bot/transport.py); getUpdates keeps its own connection and confirms a batch only
    # once it has been handled, so kill -9 loses no update.
    bot = TolerantBot(
        token=settings.token or "0:offline",
        base_url=settings.telegram_api_url,
        base_file_url=settings.telegram_file_url,
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            tzinfo=TIMEZONE,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        request=RetryingRequest(),
        get_updates_request=polling,
        rate_limiter=rate_limiter,
    )
    builder = (
        ApplicationBuilder()
        .application_class(BotApplication)
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        .persistence(SQLitePersistence(services.db))
    )
    app = builder.build()
    polling.before_poll = app.update_queue.join
    app.bot_data["services"] = services
    register(app)
    return app


async def on_startup(app: AnyApp) -> None:
    """Register the per-language command menus."""
    for locale in LOCALES:
        t = translations(locale)
        menu = [
            BotCommand(command_name(c, locale), t.gettext(c.description)) for c in commands.PUBLIC
        ]
        await app.bot.set_my_commands(menu, language_code=locale)
        if locale == app.bot_data["services"].settings.default_locale:
            await app.bot.set_my_commands(menu)
    for hook in app.bot_data["services"].startup_hooks:
        await hook(app)


@asynccontextmanager
async def running(app: AnyApp) -> AsyncIterator[AnyApp]:
    """Start polling; on exit let in-flight updates finish, then shut down cleanly."""
    try:
        await app.initialize()
    except BaseException:
        # PTB leaves the bot's HTTP sessions open when initialize() fails (Bot API unreachable,
        # token rejected); close them, or aiohttp reports them after the one-line error.
        await app.bot.shutdown()
        raise
    try:
        await on_startup(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0,
            timeout=POLL_TIMEOUT,
            allowed_updates=Update.ALL_TYPES,
            error_callback=_polling_error,
        )
        try:
            yield app
        finally:
            for hook in app.bot_data["services"].stop_hooks:
                await hook(app)  # e.g. the outbox sender: stop before the application does
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
    finally:
        await app.shutdown()


def _polling_error(error: Exception) -> None:
    """One line per network problem while polling; PTB retries with back-off by itself."""
    log.warning("Polling problem: %s: %s", type(error).__name__, error)
