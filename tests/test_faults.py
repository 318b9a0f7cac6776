"""Telegram misbehaving: 429, 5xx, slow answers and dropped connections, injected by the server.

The real bot runs against the offline Bot API; each test checks what the resident notices (the
reply still arrives), what is stored (feedback exactly once) and what the operator reads in the
log (one clear line per fault, no traceback, never the token).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator

import pytest

from bot import transport
from bot.transport import RetryingRequest, RetryPolicy, api_method
from devkit.offline import OfflineBotApi, SentMessage, SimUser
from tests.helpers.bot import TEST_TOKEN, BotRunner, RunningBot
from tests.helpers.feedback import open_dialogue, tap, to_text_step

FAST = RetryPolicy(attempts=5, base_delay=0.02, max_delay=0.1, max_retry_after=5.0)


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Short back-off so the suite stays quick (429's retry_after is still honoured)."""
    monkeypatch.setattr(transport, "DEFAULT_POLICY", FAST)
    yield


@pytest.fixture(autouse=True)
def _production_log_levels() -> Iterator[None]:
    """As bot.logs.setup_logging does: httpx logs request URLs (with the token) at INFO."""
    loggers = [logging.getLogger(name) for name in ("httpx", "httpcore")]
    before = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    yield
    for lg, level in zip(loggers, before, strict=True):
        lg.setLevel(level)


def fault_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.transport"]


def assert_clean_log(caplog: pytest.LogCaptureFixture) -> None:
    """No traceback anywhere and never the token (or its secret half)."""
    secret = TEST_TOKEN.split(":", 1)[1]
    for record in caplog.records:
        text = record.getMessage()
        assert record.exc_info is None or record.exc_info[0] is None, (record.name, text)
        assert "Traceback" not in text, text
        assert TEST_TOKEN not in text and secret not in text, text


async def review_step(api: OfflineBotApi, user: SimUser, text: str) -> SentMessage:
    await to_text_step(api, user)
    await api.send_text(user, text)
    review = await api.next_message(user)
    assert "Skicka" in " ".join(review.button_texts), review.describe()
    return review


async def feedback_rows(bot: RunningBot) -> list[tuple[str, str]]:
    rows = await bot.db.fetchall("SELECT ref, text FROM feedback")
    return [(r["ref"], r["text"]) for r in rows]


# --------------------------------------------------------------------------- each fault kind


async def test_429_waits_retry_after_then_replies(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    anna = api.user(2001)
    api.inject_fault("sendMessage", "429", retry_after=1)
    started = time.monotonic()
    intro = await open_dialogue(api, anna)
    assert "Var gäller det?" in intro.plain_text
    assert time.monotonic() - started >= 1.0  # retry_after honoured
    assert api.fault_log == [("sendMessage", "429")]
    lines = fault_lines(caplog)
    assert len(lines) == 1, lines
    assert "sendMessage" in lines[0] and "429" in lines[0] and "attempt 1" in lines[0]
    assert_clean_log(caplog)


async def test_5xx_is_retried_with_one_line_per_fault(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    bo = api.user(2002)
    api.inject_fault("sendMessage", "5xx", status=502, times=2)
    intro = await open_dialogue(api, bo)
    assert "Var gäller det?" in intro.plain_text
    assert [m.message_id for m in api.messages(bo)] == [intro.message_id]  # sent once
    lines = fault_lines(caplog)
    assert len(lines) == 2, lines
    assert "HTTP 502" in lines[0] and "attempt 1" in lines[0]
    assert "HTTP 502" in lines[1] and "attempt 2" in lines[1]
    assert_clean_log(caplog)


async def test_slow_answer_within_timeout_is_not_a_fault(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    cia = api.user(2003)
    api.inject_fault("sendMessage", "slow", delay=0.3)
    intro = await open_dialogue(api, cia)
    assert "Var gäller det?" in intro.plain_text
    assert fault_lines(caplog) == []
    assert_clean_log(caplog)


async def test_answer_slower_than_timeout_is_retried(
    runner: BotRunner, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(transport, "READ_TIMEOUT", 0.3)
    bot = await runner.start()
    api = bot.api
    dan = api.user(2004)
    api.inject_fault("sendMessage", "slow", delay=0.8)
    intro = await open_dialogue(api, dan)
    assert "Var gäller det?" in intro.plain_text
    lines = fault_lines(caplog)
    assert len(lines) == 1 and "timed out" in lines[0] and "sendMessage" in lines[0], lines
    assert_clean_log(caplog)


@pytest.mark.parametrize("kind", ["drop_before", "drop_after"])
async def test_dropped_connection_is_retried(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    api = bot.api
    eva = api.user(2005)
    api.inject_fault("sendMessage", kind)
    intro = await open_dialogue(api, eva)
    assert "Var gäller det?" in intro.plain_text
    if kind == "drop_after":
        again = await api.next_message(eva)
        assert again.plain_text == intro.plain_text
    await api.wait_updates_confirmed()
    sent = [m for m in api.messages(eva) if "Var gäller det?" in m.plain_text]
    # Dropped before: applied once. Dropped after: Telegram applied it, the retry sends it again
    # (Telegram has no idempotency key); the resident sees it at most twice, never zero times.
    assert len(sent) == (1 if kind == "drop_before" else 2)
    lines = fault_lines(caplog)
    assert len(lines) == 1 and "connection lost" in lines[0], lines
    assert_clean_log(caplog)


async def test_dropped_button_answer_does_not_abort_the_step(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """answerCallbackQuery applied, connection lost: the retry's "query is too old" is success."""
    api = bot.api
    fia = api.user(2006)
    intro = await open_dialogue(api, fia)
    api.inject_fault("answerCallbackQuery", "drop_after")
    await tap(api, fia, intro, "Centrum")
    topic = await api.next_message(fia)
    assert "Vad handlar det om?" in topic.plain_text
    assert any("already applied" in line for line in fault_lines(caplog))
    assert_clean_log(caplog)


# --------------------------------------------------------------------------- feedback exactly once


@pytest.mark.parametrize(
    "faults",
    [
        [("sendMessage", "drop_after")],
        [("sendMessage", "5xx"), ("sendMessage", "drop_before")],
        [("answerCallbackQuery", "drop_after"), ("sendMessage", "429")],
        [("editMessageReplyMarkup", "drop_after"), ("sendMessage", "drop_after")],
    ],
    ids=["drop-after", "5xx+drop-before", "answer-drop+429", "edit-drop+send-drop"],
)
async def test_skicka_under_faults_stores_exactly_once(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, faults: list[tuple[str, str]]
) -> None:
    api = bot.api
    gus = api.user(2007)
    review = await review_step(api, gus, "Gatlyktorna vid skolan är släckta.")
    skicka = review.callback_for("✅")
    for method, kind in faults:
        api.inject_fault(method, kind)
    await api.press(gus, review, skicka)
    thanks = await api.next_message(gus)
    assert "sparad" in thanks.plain_text, thanks.describe()
    ref = thanks.plain_text.split("ref ")[1].split(")")[0]
    # A second (impatient) press of the same Skicka button stores nothing more.
    await api.press(gus, review, skicka)
    await api.wait_updates_confirmed()
    assert await feedback_rows(bot) == [(ref, "Gatlyktorna vid skolan är släckta.")]
    assert api.faults_injected == len(faults)
    assert len(fault_lines(caplog)) >= len(faults)
    assert_clean_log(caplog)


async def test_skicka_with_random_faults_on_every_send(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A flaky network for several residents at once: every one is thanked, no row twice."""
    api = bot.api
    residents = [api.user(2100 + i) for i in range(6)]
    reviews = [
        await review_step(api, r, f"Otryggt vid torget, kväll {i}.")
        for i, r in enumerate(residents)
    ]
    for kind in ("5xx", "drop_after", "drop_before"):
        api.inject_fault(None, kind, times=None, probability=0.15)
    for resident, review in zip(residents, reviews, strict=True):
        await api.press(resident, review, review.callback_for("✅"))
    for resident in residents:
        await api.wait_for(
            lambda r=resident: any("sparad" in m.plain_text for m in api.messages(r)),  # type: ignore[misc]
            timeout=10,
        )
    api.clear_faults()
    rows = await feedback_rows(bot)
    assert sorted(text for _, text in rows) == sorted(
        f"Otryggt vid torget, kväll {i}." for i in range(6)
    )
    assert api.faults_injected > 0
    assert_clean_log(caplog)


# --------------------------------------------------------------------------- not retried / give up


async def test_blocked_user_is_not_retried(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    hugo = api.user(2008)
    api.block_user(hugo)
    await api.send_text(hugo, "/tyck")
    await api.wait_for(lambda: any(e[0] == "sendMessage" for e in api.error_responses))
    await api.wait_updates_confirmed()
    sends = [c for c in api.calls if c[0] == "sendMessage" and c[1].get("chat_id") == hugo.id]
    assert len(sends) == 1  # 403 Forbidden: asking again cannot help
    assert fault_lines(caplog) == []
    assert_clean_log(caplog)
    assert [type(e).__name__ for e in bot.errors] == ["Forbidden"]  # reported, not retried
    bot.errors.clear()


async def test_persistent_outage_gives_up_then_recovers(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    ida = api.user(2009)
    api.inject_fault("sendMessage", "5xx", status=503, times=None)
    await api.send_text(ida, "/tyck")
    await api.wait_for(lambda: any("giving up" in line for line in fault_lines(caplog)), timeout=10)
    lines = fault_lines(caplog)
    # The dialogue's send (5 attempts) and the error handler's apology (5 attempts).
    assert 5 <= len(lines) <= 10, lines
    assert all("sendMessage" in line and "HTTP 503" in line for line in lines)
    api.clear_faults()
    await api.wait_updates_confirmed()
    intro = await open_dialogue(api, ida)  # the bot is alive and answers again
    assert "Var gäller det?" in intro.plain_text
    assert_clean_log(caplog)
    bot.errors.clear()  # the give-up itself reached the error handler, by design


# --------------------------------------------------------------------------- unit level


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    request = RetryingRequest(
        policy=RetryPolicy(base_delay=0.25, max_delay=4.0), rng=random.Random(7)
    )
    for attempt in range(1, 9):
        ceiling = min(4.0, 0.25 * 2 ** (attempt - 1))
        delays = [request.backoff(attempt) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered


def test_method_name_never_includes_the_token() -> None:
    url = f"https://api.telegram.org/bot{TEST_TOKEN}/sendMessage"
    assert api_method(url) == "sendMessage"
    assert logging.getLogger("bot.transport").name == transport.log.name
