"""The real application against the offline Bot API, as tests start, restart and inspect it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import AnyApp, build_application, running
from bot.services import Services, create_services
from bot.settings import Settings
from devkit.offline import OfflineBotApi

ADMIN_ID = 9001
TEST_TOKEN = "123456:TEST-token_abc"


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
