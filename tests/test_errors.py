"""The error handler: a deliberately failing handler in the real app, over the offline API."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from handlers.errors import where
from tests.helpers.bot import TEST_TOKEN, RunningBot
from tests.test_faults import _production_log_levels  # noqa: F401  (autouse fixture)

SECRET = "Kalle Anka 070-123 45 67"
APOLOGY_SV = "Förlåt, något gick fel hos mig. Försök gärna igen om en stund."
APOLOGY_EN = "Sorry, something went wrong on my side. Please try again in a moment."


async def boom(update: Update, context: BotContext) -> None:
    # The exception's message quotes user input, as careless code might.
    text = update.effective_message.text if update.effective_message else ""
    raise ValueError(f"could not handle {text!r} from {SECRET}")


async def boom_after_answer(update: Update, context: BotContext) -> None:
    assert update.callback_query
    await update.callback_query.answer()
    raise KeyError(SECRET)


@pytest.fixture
def failing(bot: RunningBot) -> RunningBot:
    # First in group 0, so no other handler (catch-alls) also answers these updates.
    group = bot.app.handlers[0]
    group.insert(0, CommandHandler("krasch", boom))
    group.insert(0, CallbackQueryHandler(boom_after_answer, pattern="^krasch$"))
    return bot


def error_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "handlers.errors"]


def assert_no_personal_data_or_token(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    for record in caplog.records:
        text = record.getMessage()
        assert record.exc_info is None or record.exc_info[0] is None, text
        assert TEST_TOKEN not in text and TEST_TOKEN.split(":")[1] not in text, text
        for secret in secrets:
            assert secret not in text, text


async def test_unexpected_error_is_logged_once_and_user_gets_apology(
    failing: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = failing.api
    anna = api.user(3001, language_code="sv")
    update_id = await api.send_text(anna, "/krasch mitt namn är Anna Svensson")
    reply = await api.next_message(anna)
    assert reply.plain_text == APOLOGY_SV
    await api.wait_updates_confirmed()  # the update is handled completely
    lines = error_lines(caplog)
    assert len(lines) == 1, [r.getMessage() for r in lines]
    line = lines[0].getMessage()
    assert lines[0].levelno == logging.ERROR
    assert line.startswith(f"Update {update_id}: unexpected ValueError at ")
    assert "tests/test_errors.py" in line and "in boom" in line  # where, for the developer
    assert "\n" not in line
    assert_no_personal_data_or_token(caplog, SECRET, "Anna Svensson", "070")
    assert [type(e) for e in failing.errors] == [ValueError]
    failing.errors.clear()


async def test_apology_is_in_the_users_language(failing: RunningBot) -> None:
    api = failing.api
    bob = api.user(3002, language_code="en")
    await api.send_text(bob, "/krasch")
    assert (await api.next_message(bob)).plain_text == APOLOGY_EN
    await api.wait_updates_confirmed()
    failing.errors.clear()


async def test_failing_button_still_gets_apology_after_it_was_answered(
    failing: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = failing.api
    cia = api.user(3003)
    await api.send_text(cia, "/start")
    menu = await api.next_message(cia)
    qid = await api.press(cia, menu, "krasch")
    await api.wait_callback_answer(qid)
    assert (await api.next_message(cia)).plain_text == APOLOGY_SV
    await api.wait_updates_confirmed()
    lines = [r.getMessage() for r in error_lines(caplog)]
    assert len([x for x in lines if "unexpected KeyError" in x]) == 1, lines
    assert_no_personal_data_or_token(caplog, SECRET)
    failing.errors.clear()


async def test_blocked_user_is_one_info_line_and_no_apology(
    failing: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = failing.api
    dan = api.user(3004)
    api.block_user(dan)
    await api.send_text(dan, "/start")
    await api.wait_for(lambda: failing.errors)
    await api.wait_updates_confirmed()
    lines = error_lines(caplog)
    assert len(lines) == 1 and lines[0].levelno == logging.INFO, lines
    assert "blocked" in lines[0].getMessage()
    sends = [c for c in api.calls if c[0] == "sendMessage" and c[1].get("chat_id") == dan.id]
    assert len(sends) == 1  # the /start reply; no apology attempt into a blocked chat
    failing.errors.clear()


async def test_failing_job_is_logged_once_without_update(
    failing: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken_job(context: BotContext) -> None:
        raise RuntimeError(SECRET)

    assert failing.app.job_queue is not None
    failing.app.job_queue.run_once(broken_job, when=timedelta(0), name="test-job")
    await failing.api.wait_for(lambda: failing.errors, timeout=5)
    await failing.api.wait_for(lambda: error_lines(caplog))
    lines = [r.getMessage() for r in error_lines(caplog)]
    assert len(lines) == 1 and lines[0].startswith("Job test-job: unexpected RuntimeError at ")
    assert_no_personal_data_or_token(caplog, SECRET)
    failing.errors.clear()


def test_where_names_frames_but_not_values() -> None:
    def inner(value: str) -> None:
        raise ValueError(value)

    try:
        inner(SECRET)
    except ValueError as exc:
        text = where(exc)
    assert "tests/test_errors.py" in text and "in inner" in text and " ← " in text
    assert SECRET not in text
