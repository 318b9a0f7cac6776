"""Shared fixtures: the offline Bot API server and the real application running against it."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.app import AnyApp, build_application, running
from bot.i18n import compile_catalogs
from bot.services import Services, create_services
from bot.settings import Settings
from devkit.offline import OfflineBotApi

# python-telegram-bot: durations as timedelta, without its transition warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# Compile the catalogs before any test module is imported: some translate at import time.
compile_catalogs()

ADMIN_ID = 9001
TEST_TOKEN = "123456:TEST-token_abc"


@pytest.fixture
async def api() -> AsyncIterator[OfflineBotApi]:
    async with OfflineBotApi() as server:
        yield server


def make_settings(api: OfflineBotApi, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TEST_TOKEN,
        "telegram_api_url": api.base_url,
        "telegram_file_url": api.base_file_url,
        "database_path": tmp_path / "bot.sqlite3",
        "admin_ids": (ADMIN_ID,),
        "default_locale": "sv",
        "pseudonym_key": "test-pseudonym-key-0123456789",
        "log_level": "INFO",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings_factory(api: OfflineBotApi, tmp_path: Path) -> Callable[..., Settings]:
    return lambda **overrides: make_settings(api, tmp_path, **overrides)


@dataclass
class RunningBot:
    """The real application, polling the offline server, plus what a test needs to inspect."""

    api: OfflineBotApi
    app: AnyApp
    services: Services
    errors: list[BaseException] = field(default_factory=list)

    @property
    def db(self) -> Any:
        return self.services.db


@dataclass
class BotRunner:
    """Start (and restart) the bot on the same database, as an operator would."""

    api: OfflineBotApi
    settings: Settings
    current: RunningBot | None = None
    _stack: list[Any] = field(default_factory=list)

    async def start(self) -> RunningBot:
        services = await create_services(self.settings)
        app = build_application(services)
        running_bot = RunningBot(self.api, app, services)

        async def record(update: object, context: Any) -> None:
            running_bot.errors.append(context.error)

        app.add_error_handler(record)
        cm = running(app)
        await cm.__aenter__()
        self._stack.append((cm, services))
        self.current = running_bot
        return running_bot

    async def stop(self) -> None:
        if not self._stack:
            return
        cm, services = self._stack.pop()
        await cm.__aexit__(None, None, None)
        await services.close()
        self.current = None

    async def restart(self) -> RunningBot:
        await self.stop()
        return await self.start()


@pytest.fixture
async def runner(
    api: OfflineBotApi, settings_factory: Callable[..., Settings]
) -> AsyncIterator[BotRunner]:
    bot_runner = BotRunner(api, settings_factory())
    yield bot_runner
    errors = bot_runner.current.errors if bot_runner.current else []
    await bot_runner.stop()
    assert not errors, f"handler errors: {errors!r}"


@pytest.fixture
async def bot(runner: BotRunner) -> RunningBot:
    """The bot, started with default test settings (admin id 9001)."""
    return await runner.start()


@pytest.fixture(autouse=True)
def _quiet_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
