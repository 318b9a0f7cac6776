"""Settings: the operator's contract (variable names) and one-line errors."""

from __future__ import annotations

import pytest

from bot.outbox import DEFAULT_PACE, pace_for
from bot.settings import ConfigError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in (
        "BOT_TOKEN",
        "ADMIN_IDS",
        "DEFAULT_LOCALE",
        "DATABASE_PATH",
        "RETENTION_MONTHS",
        "TELEGRAM_API_URL",
        "PSEUDONYM_KEY",
        "FEEDBACK_PER_DAY",
        "OUTBOX_PER_SECOND",
        "OUTBOX_IN_FLIGHT",
        "OUTBOX_CHAT_INTERVAL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_without_environment() -> None:
    settings = load_settings()
    assert settings.token is None
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.default_locale == "sv"
    assert settings.retention_months == 24
    assert settings.feedback_per_day == 5
    assert settings.admin_ids == ()
    assert str(settings.database_path).startswith("data")


def test_reads_exact_variable_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("ADMIN_IDS", "111, 222")
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings()
    assert settings.token == "123:abc"
    assert settings.admin_ids == (111, 222)
    assert settings.default_locale == "en"
    assert settings.telegram_api_url == "http://127.0.0.1:8081/bot"


def test_token_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123:supersecret")
    settings = load_settings()
    assert "supersecret" not in repr(settings)
    monkeypatch.setenv("ADMIN_IDS", "x")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "supersecret" not in str(err.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ADMIN_IDS", "abc"),
        ("DEFAULT_LOCALE", "de"),
        ("RETENTION_MONTHS", "0"),
        ("FEEDBACK_PER_DAY", "many"),
        ("TELEGRAM_API_URL", "ftp://x"),
        ("BOT_TOKEN", "no-colon"),
        ("PSEUDONYM_KEY", "short"),
        ("OUTBOX_PER_SECOND", "0"),
        ("OUTBOX_IN_FLIGHT", "fast"),
        ("OUTBOX_CHAT_INTERVAL", "-1"),
    ],
)
def test_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    message = str(err.value)
    assert name in message
    assert "\n" not in message
    assert "expected" in message


def test_outbox_pace_keeps_telegrams_limits_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pace_for(load_settings()) == DEFAULT_PACE
    monkeypatch.setenv("OUTBOX_PER_SECOND", "250")
    monkeypatch.setenv("OUTBOX_IN_FLIGHT", "2")
    monkeypatch.setenv("OUTBOX_CHAT_INTERVAL", "0.1")
    pace = pace_for(load_settings())
    assert (pace.per_second, pace.burst, pace.in_flight, pace.chat_interval) == (250, 50, 2, 0.1)
