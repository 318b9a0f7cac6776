"""Configuration from the environment (and an optional ``.env`` file).

The variable names are a contract with operators; keep them exactly. A bad value stops start-up
with one line that names the variable and what is expected, never a traceback, and never the
input (it could be the token).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = Path("data") / "trygghetsbot.sqlite3"
DEFAULT_COUNCIL_FILE = Path(__file__).resolve().parent / "councils" / "umea.yaml"

# What each variable expects, for the one-line start-up error.
EXPECTED: dict[str, str] = {
    "BOT_TOKEN": "the bot token from BotFather, e.g. 123456:ABC-DEF",
    "TELEGRAM_API_URL": "a Bot API base URL, e.g. https://api.telegram.org/bot",
    "TELEGRAM_FILE_URL": "a Bot API file URL, e.g. https://api.telegram.org/file/bot",
    "DATABASE_PATH": "a path to the SQLite file, e.g. data/trygghetsbot.sqlite3",
    "ADMIN_IDS": "a comma-separated list of numeric Telegram user ids, e.g. ADMIN_IDS=111,222",
    "DEFAULT_LOCALE": "sv or en",
    "COUNCIL_FILE": "the path to the council's content file (YAML)",
    "PSEUDONYM_KEY": "a secret of at least 16 characters",
    "RETENTION_MONTHS": "a whole number of months, at least 1, e.g. 24",
    "FEEDBACK_PER_DAY": "a whole number, at least 1, e.g. 5",
    "MODERATION_REMINDER_HOURS": "a whole number of hours, at least 1, e.g. 24",
    "LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR",
    "OUTBOX_PER_SECOND": "a number of messages a second above 0, e.g. 25 (tests and benchmarks)",
    "OUTBOX_IN_FLIGHT": "a whole number of sends at once, at least 1, e.g. 6",
    "OUTBOX_CHAT_INTERVAL": "seconds between two messages to one chat, at least 0, e.g. 1.05",
}


class StartupError(Exception):
    """The bot cannot start; the message is one line for an operator (never a secret)."""


class ConfigError(StartupError):
    """A configuration problem, worded for an operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
        env_ignore_empty=True,
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    database_path: Path = DEFAULT_DATABASE
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    default_locale: Literal["sv", "en"] = "sv"
    council_file: Path = DEFAULT_COUNCIL_FILE
    pseudonym_key: SecretStr | None = None
    retention_months: int = Field(default=24, ge=1)
    feedback_per_day: int = Field(default=5, ge=1)
    moderation_reminder_hours: int = Field(default=24, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # The outbox's pace: unset in production (Telegram's limits); tests and benchmarks that run
    # against the offline Bot API with faster limits set them.
    outbox_per_second: float | None = Field(default=None, gt=0)
    outbox_in_flight: int | None = Field(default=None, ge=1)
    outbox_chat_interval: float | None = Field(default=None, ge=0)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("telegram_api_url", "telegram_file_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("bot_token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and ":" not in value.get_secret_value():
            raise ValueError("does not look like a bot token")
        return value

    @field_validator("pseudonym_key")
    @classmethod
    def _key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("too short")
        return value

    @property
    def token(self) -> str | None:
        return self.bot_token.get_secret_value() if self.bot_token else None


def load_settings(**overrides: Any) -> Settings:
    """Build settings or raise :class:`ConfigError` with one operator-friendly line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        expected = EXPECTED.get(name, first["msg"])
        raise ConfigError(f"Invalid {name}: expected {expected}.") from None
    except SettingsError as exc:
        text = str(exc)
        name = next((n for n in EXPECTED if f'"{n.lower()}"' in text), "configuration")
        raise ConfigError(
            f"Invalid {name}: expected {EXPECTED.get(name, 'a valid value')}."
        ) from None
