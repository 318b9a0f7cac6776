"""``python -m bot``: Telegram with BOT_TOKEN set, otherwise the local terminal chat."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from telegram.error import InvalidToken, NetworkError

from bot.settings import Settings, StartupError, load_settings

log = logging.getLogger("bot")


async def serve(settings: Settings) -> None:
    """Long polling until SIGINT/SIGTERM; in-flight updates finish, the database closes."""
    from bot.app import build_application, running
    from bot.services import create_services

    services = await create_services(settings)
    try:
        app = build_application(services)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        host = _safe_host(settings.telegram_api_url)
        try:
            async with running(app):
                log.info("Bot is running (polling %s)", host)
                await stop.wait()
                log.info("Stopping: finishing updates in progress")
        except InvalidToken:
            raise StartupError(f"BOT_TOKEN was rejected by the Bot API at {host}.") from None
        except NetworkError as exc:
            if stop.is_set():
                raise
            raise StartupError(
                f"Cannot reach the Bot API at {host} (TELEGRAM_API_URL): {type(exc).__name__}."
            ) from None
    finally:
        await services.close()
    log.info("Stopped cleanly")


async def _local_chat(settings: Settings) -> None:
    """The terminal chat is development tooling (devkit/), present only in a checkout."""
    try:
        from devkit.localchat import run_local_chat
    except ModuleNotFoundError as exc:
        if exc.name not in ("devkit", "devkit.localchat"):
            raise
        raise StartupError(
            "BOT_TOKEN is not set. Without it the bot starts the local chat, which lives in "
            "devkit/ and needs a checkout of the repository: run `python -m bot` from its root."
        ) from None
    await run_local_chat(settings)


def _safe_host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


def main() -> int:
    from bot.content import ContentError
    from bot.i18n import compile_catalogs
    from bot.logs import setup_logging

    try:
        settings = load_settings()
        # The local chat owns the terminal: its log goes to a file beside the database.
        log_file = None if settings.token else settings.database_path.parent / "local-chat.log"
        setup_logging(settings.log_level, log_file)
        compile_catalogs()
        if settings.token:
            asyncio.run(serve(settings))
        else:
            asyncio.run(_local_chat(settings))
    except StartupError as exc:
        print(f"trygghetsbot: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"trygghetsbot: COUNCIL_FILE: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
