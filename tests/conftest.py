"""Shared fixtures: the offline Bot API server and the real application running against it.

What tests import (the runner, the staff and feedback helpers) lives in tests/helpers/."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.i18n import compile_catalogs
from bot.settings import Settings
from devkit.offline import OfflineBotApi
from tests.helpers.bot import BotRunner, RunningBot, make_settings

# python-telegram-bot: durations as timedelta, without its transition warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# Compile the catalogs before any test module is imported: some translate at import time.
compile_catalogs()


@pytest.fixture
async def api() -> AsyncIterator[OfflineBotApi]:
    async with OfflineBotApi() as server:
        yield server


@pytest.fixture
def settings_factory(api: OfflineBotApi, tmp_path: Path) -> Callable[..., Settings]:
    return lambda **overrides: make_settings(api, tmp_path, **overrides)


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
