"""Another process holds SQLite's write lock (a backup, a sqlite3 shell left in a transaction).

A write waits for it outside the connection lock and the resident is told once that the answer
takes a moment; when the lock is released the feedback is stored exactly once and confirmed.
If the lock stays, the write gives up after WRITE_WAIT and the next writes fail at once instead
of each waiting in turn.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator

import pytest

from storage import db as db_module
from tests.helpers.bot import RunningBot
from tests.test_faults import review_step

BUSY = "Det är mycket just nu"


@pytest.fixture
def external_lock(bot: RunningBot) -> Iterator[sqlite3.Connection]:
    # The other "process": its own connection, used from a thread so waiting for the bot's
    # current write (if any) does not block the event loop the bot needs to finish it.
    conn = sqlite3.connect(bot.db.path, isolation_level=None, timeout=5.0, check_same_thread=False)
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


async def test_a_write_waits_for_another_process_and_the_resident_is_told_once(
    bot: RunningBot, external_lock: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "WRITE_WAIT", 20.0)
    api = bot.api
    eva = api.user(8101)
    text = "Det saknas belysning vid busshållplatsen."
    review = await review_step(api, eva, text)
    await asyncio.to_thread(external_lock.execute, "BEGIN IMMEDIATE")  # takes the write lock
    await api.press(eva, review, review.callback_for("✅"))
    notice = await api.next_message(eva)
    assert BUSY in notice.plain_text, notice.describe()
    # Reads still work meanwhile.
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 0
    external_lock.execute("COMMIT")  # released
    thanks = await api.next_message(eva, timeout=10)
    assert "sparad" in thanks.plain_text, thanks.describe()
    await api.wait_updates_confirmed()
    rows = await bot.db.fetchall("SELECT text FROM feedback")
    assert [r["text"] for r in rows] == [text]
    texts = [m.plain_text for m in api.messages(eva)]
    assert sum(BUSY in t for t in texts) == 1
    assert bot.db.busy_waits >= 1


async def test_a_lock_that_stays_fails_fast_after_the_first_wait(
    bot: RunningBot, external_lock: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "WRITE_WAIT", 0.5)
    await asyncio.to_thread(external_lock.execute, "BEGIN IMMEDIATE")
    with pytest.raises(db_module.DatabaseBusy):
        await bot.db.execute("DELETE FROM council_notes")
    started = time.perf_counter()
    with pytest.raises(db_module.DatabaseBusy):
        await bot.db.execute("DELETE FROM council_notes")
    assert time.perf_counter() - started < 0.45  # no second full wait
    started = time.perf_counter()
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 0  # reads unaffected
    assert time.perf_counter() - started < 0.3
    external_lock.execute("COMMIT")
    assert await bot.db.execute("DELETE FROM council_notes") == 0  # writes work again
