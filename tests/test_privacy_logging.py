"""LOG_LEVEL=DEBUG must not turn the log into a copy of residents' messages or leak the token."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.logs import PrivacyFilter, private_handler
from tests.helpers.bot import TEST_TOKEN, BotRunner


async def test_debug_log_of_a_run_has_no_token_name_or_text(
    runner: BotRunner, tmp_path: Path
) -> None:
    log_file = tmp_path / "debug.log"
    handler = private_handler(log_file)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        bot = await runner.start()
        user = bot.api.user(5151, first_name="Zlatanina", username="zlatanina_umea")
        await bot.api.send_text(user, "/start")
        await bot.api.next_message(user)
        await bot.api.send_text(user, "Hemligt-meddelande-QWERTY om trappan")
        await bot.api.next_message(user)
        await runner.stop()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    text = log_file.read_text(encoding="utf-8")
    assert "Calling Bot API endpoint" in text  # DEBUG really was on
    assert "Set Bot API URL" in text
    for secret in (TEST_TOKEN, TEST_TOKEN.split(":")[1], "Zlatanina", "zlatanina_umea", "QWERTY"):
        assert secret not in text, secret


def test_filter_cleans_every_level_and_exceptions() -> None:
    f = PrivacyFilter(secrets=["supersecret-value"])
    record = logging.LogRecord(
        "telegram.Bot", logging.ERROR, __file__, 1,
        "Set Bot API URL: %s and %s", ("https://api.telegram.org/bot123456789:AAbbCCddEEff", "x"),
        None,
    )  # fmt: skip
    assert f.filter(record)
    assert "AAbbCCddEEff" not in record.getMessage() and "/bot<token>" in record.getMessage()
    record = logging.LogRecord(
        "telegram.ext.Application", logging.WARNING, __file__, 1,
        "Processing update %s", ({"message": {"text": "mitt hemliga", "from": "Eva"}},),
        None,
    )  # fmt: skip
    f.filter(record)
    assert "hemliga" not in record.getMessage() and "Eva" not in record.getMessage()
    try:
        raise ValueError("token 123456789:AAbbCCddEEffGG and supersecret-value")
    except ValueError:
        import sys

        record = logging.LogRecord("bot.x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    f.filter(record)
    assert record.exc_text and "AAbbCCddEEffGG" not in record.exc_text
    assert "supersecret-value" not in record.exc_text
