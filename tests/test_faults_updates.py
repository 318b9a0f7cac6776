"""Updates python-telegram-bot cannot read, and Bot API answers that are not JSON.

One unreadable update must not jam polling for everyone (it used to: the batch was never
confirmed and getUpdates was asked again about 500 times a second), and must never put a
resident's text, name or id in the log. A 200 answer whose body is not the Bot API's JSON is
retried like a 5xx, so the resident is thanked exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from telegram.request import BaseRequest, RequestData

from bot import transport
from bot.transport import RetryPolicy, api_method
from devkit.offline import OfflineBotApi
from tests.helpers.bot import TEST_TOKEN, BotRunner, RunningBot
from tests.helpers.feedback import to_text_step

SECRET_TEXT = "Hemligt: Anna Svensson på Storgatan 3 säljer"
SECRET_NAME = "Bertil"
SECRET_USERNAME = "bertil_hemlig"
SECRET_USER_ID = 4_242_4242


def _sender() -> dict[str, Any]:
    return {
        "id": SECRET_USER_ID,
        "is_bot": False,
        "first_name": SECRET_NAME,
        "username": SECRET_USERNAME,
    }


def poll_without_allows_revoting(update_id: int) -> dict[str, Any]:
    """A group poll as a Bot API server older than 9.6 sends it (no ``allows_revoting``)."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 77,
            "date": 1_700_000_000,
            "from": _sender(),
            "chat": {"id": -100_555, "type": "group", "title": "Grannar"},
            "poll": {
                "id": "9001",
                "question": SECRET_TEXT,
                "options": [{"text": SECRET_TEXT, "voter_count": 0, "persistent_id": "a"}],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            },
        },
    }


def message_without_chat(update_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 78,
            "date": 1_700_000_000,
            "from": _sender(),
            "text": SECRET_TEXT,
        },
    }


def getupdates_calls(api: OfflineBotApi) -> int:
    return sum(1 for name, _ in api.calls if name == "getUpdates")


def assert_log_has_only_ids(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage()
        for secret in (SECRET_TEXT, "Storgatan", SECRET_NAME, SECRET_USERNAME, str(SECRET_USER_ID)):
            assert secret not in text, (record.name, record.levelname, text)
        assert TEST_TOKEN not in text
        assert record.levelno < logging.CRITICAL, text
        assert record.exc_info is None or record.exc_info[0] is None, text


async def test_unreadable_updates_are_skipped_and_the_resident_in_the_same_batch_is_answered(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    anna = api.user(3001)
    await api.send_text(anna, "/start")
    await api.next_message(anna)
    await api.wait_updates_confirmed()
    # One batch: an unreadable poll, a resident, and an unreadable message as the LAST update
    # (the Updater confirms only up to its last update; the skipped one must be confirmed too).
    first = api.add_raw_update(poll_without_allows_revoting(0) | {"update_id": 10_000})
    await api.send_text(anna, "/hjalp")
    last = api.add_raw_update(message_without_chat(0) | {"update_id": 10_002})

    reply = await api.next_message(anna)
    assert "/tyck" in reply.plain_text, reply.describe()
    await api.wait_updates_confirmed()
    assert api.pending_updates == 0
    assert bot.app.bot.skipped_updates == 2

    # Polling goes on normally: no tight getUpdates loop, and the next resident is answered.
    before = getupdates_calls(api)
    await api.send_text(anna, "/hjalp")
    assert "/tyck" in (await api.next_message(anna)).plain_text
    await api.wait_updates_confirmed()
    assert getupdates_calls(api) - before <= 4

    skipped = [r.getMessage() for r in caplog.records if "Skipped update" in r.getMessage()]
    assert len(skipped) == 2
    assert str(first) in skipped[0] and "allows_revoting" in skipped[0]
    assert str(last) in skipped[1] and "message without chat" in skipped[1]
    assert_log_has_only_ids(caplog)
    assert bot.errors == []


async def test_a_batch_of_only_unreadable_updates_is_confirmed(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot.api
    for i in range(3):
        api.add_raw_update(poll_without_allows_revoting(0) | {"update_id": 20_000 + i})
    await api.wait_updates_confirmed()
    assert bot.app.bot.skipped_updates == 3
    bertil = api.user(3002)
    await api.send_text(bertil, "/hjalp")
    assert "/tyck" in (await api.next_message(bertil)).plain_text
    assert_log_has_only_ids(caplog)


async def test_skipped_updates_stay_skipped_after_a_restart(
    runner: BotRunner, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await runner.start()
    api = bot.api
    api.add_raw_update(message_without_chat(0) | {"update_id": 30_000})
    await api.wait_updates_confirmed()
    bot = await runner.restart()
    cilla = api.user(3003)
    await api.send_text(cilla, "/hjalp")
    assert "/tyck" in (await api.next_message(cilla)).plain_text
    assert bot.app.bot.skipped_updates == 0  # nothing came back to be skipped again
    assert_log_has_only_ids(caplog)


# --------------------------------------------------------------------------- bad JSON in a 200


class GarbledOnce(BaseRequest):
    """A proxy in front of the Bot API that answers the first ``method`` call itself, with a
    200 and a body that is not JSON (as a captive portal or a cut-off answer would)."""

    def __init__(self, method: str, body: bytes, **options: Any) -> None:
        self.inner = transport.AiohttpRequest(**options)
        self.method = method.lower()
        self.body = body
        self.fired = 0

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if api_method(url).lower() == self.method and GarbledOnce.armed:
            GarbledOnce.armed = False
            GarbledOnce.count += 1
            return 200, self.body
        return await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )

    armed = False
    count = 0


@pytest.fixture
def garbling(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[GarbledOnce]]:
    monkeypatch.setattr(
        transport, "DEFAULT_POLICY", RetryPolicy(attempts=4, base_delay=0.02, max_delay=0.05)
    )
    GarbledOnce.armed = False
    GarbledOnce.count = 0
    yield GarbledOnce


@pytest.mark.parametrize(
    "body", [b"<html><body>502 Bad Gateway</body></html>", b'{"ok":true,"result":{"mess', b""]
)
async def test_a_200_without_json_is_retried_and_the_resident_is_thanked_once(
    runner: BotRunner,
    monkeypatch: pytest.MonkeyPatch,
    garbling: type[GarbledOnce],
    caplog: pytest.LogCaptureFixture,
    body: bytes,
) -> None:
    monkeypatch.setattr(
        transport, "REQUEST_CLASS", lambda **options: GarbledOnce("sendMessage", body, **options)
    )
    bot = await runner.start()
    api = bot.api
    dora = api.user(3004)
    await to_text_step(api, dora)
    await api.send_text(dora, "Det är mörkt i gångtunneln vid skolan.")
    review = await api.next_message(dora)
    garbling.armed = True  # the answer to the thank-you is garbled
    await api.press(dora, review, review.callback_for("✅"))
    thanks = await api.next_message(dora)
    assert "sparad" in thanks.plain_text, thanks.describe()
    await api.wait_updates_confirmed()
    assert garbling.count == 1
    texts = [m.plain_text for m in api.messages(dora)]
    assert sum("sparad" in t for t in texts) == 1
    assert not any("Förlåt" in t for t in texts), texts
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 1
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.transport"]
    assert any("without valid JSON" in line for line in lines), lines
    assert bot.errors == []
