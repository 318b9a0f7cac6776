"""Council notes through the outbox: paced, resumed after kill -9, each resident exactly once.

The big one runs the bot as an operator does (``python -m bot``, see test_crash_safety) against
the offline Bot API with Telegram's flood limits switched on (scaled up so the test takes
seconds: the bot is told the same scale through OUTBOX_PER_SECOND), publishes a note to 1,000
residents, kills the bot with SIGKILL a third of the way and starts it again.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot import outbox
from bot.answers import visible_length
from bot.outbox import Pace, TokenBucket
from devkit.offline import FloodLimits, OfflineBotApi, SentMessage
from handlers.news import NEWS_PAGE_CHARS
from storage import council as council_repo
from storage import feedback as feedback_repo
from storage import outbox as outbox_repo
from storage import roles
from storage.db import Database
from tests.helpers.bot import ADMIN_ID, BotRunner, RunningBot
from tests.test_crash_safety import BotProcess

MEMBER = 4242
NOTE = "Ny belysning längs gång- och cykelvägen vid Ersboda centrum."
RESIDENTS = 1000


async def add_subscribers(db: Database, ids: range, district: str = "ersboda") -> None:
    await db.executemany(
        "INSERT INTO update_subscribers (pseudonym, district, chat_id, language) "
        "VALUES (?, ?, ?, ?)",
        [(f"alias-{i}", district, i, "en" if i % 7 == 0 else "sv") for i in ids],
    )


async def publish(api: OfflineBotApi, text: str, district: str = "Ersboda") -> SentMessage:
    """/aterkoppla → Publicera; returns the author's one progress message."""
    await api.send_text(MEMBER, f"/aterkoppla {district} {text}")
    preview = await api.next_message(MEMBER, timeout=15)
    assert "Förhandsvisning" in preview.plain_text, preview.describe()
    await api.press(MEMBER, preview, preview.callback_for("Publicera"))
    return await api.next_message(MEMBER, timeout=15)


def finished(msg: SentMessage) -> bool:
    return "Skickat till" in msg.plain_text and "hittills" not in msg.plain_text


def count_in(text: str) -> int:
    match = re.search(r"Skickat till ([\d\s\u00a0]+) invånare", text)
    assert match, text
    return int(re.sub(r"\D", "", match.group(1)))


# --------------------------------------------------------------------------- kill -9 mid-way


@pytest.fixture
async def flood_api() -> AsyncIterator[OfflineBotApi]:
    # Telegram's shape (a global rate, about one a second per chat) at ten times the speed.
    limits = FloodLimits(per_second=300.0, burst=30, chat_per_second=1.0, chat_burst=3)
    async with OfflineBotApi(flood_limits=limits) as server:
        yield server


async def test_a_note_reaches_1000_residents_exactly_once_across_a_kill_9(
    flood_api: OfflineBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = flood_api
    # The bot paces itself just under the server's limit, one send in flight: a kill then cuts
    # off at most the send whose answer it was waiting for.
    monkeypatch.setenv("OUTBOX_PER_SECOND", "280")
    monkeypatch.setenv("OUTBOX_IN_FLIGHT", "1")
    process = BotProcess(api, tmp_path)
    db = await Database.open(process.database)
    await roles.grant(db, MEMBER, "council", granted_by=ADMIN_ID)
    await add_subscribers(db, range(100_000, 100_000 + RESIDENTS))
    await db.close()
    api.user(MEMBER)
    residents = [api.user(100_000 + i) for i in range(RESIDENTS)]

    await process.start()
    try:
        progress = await publish(api, NOTE)
        await api.wait_for(lambda: len(api.delivery_counts(NOTE)) >= RESIDENTS // 3, timeout=60)
        # Kill while a send is in flight (held 3 s by the server, then delivered): the worst
        # moment, the row is 'sending' and the resident gets the note after the bot died. The
        # hold is long enough that even a loaded machine kills the bot before it ends.
        api.inject_fault("sendMessage", "slow", delay=3.0, times=1)
        await api.wait_for(lambda: api.faults_injected >= 1, timeout=30)
        await process.kill9()
        before = len(api.delivery_counts(NOTE))
        assert before < RESIDENTS, "the kill should come before the end"

        await process.start()
        await api.wait_for(lambda: finished(progress), timeout=60)
        counts = api.delivery_counts(NOTE)
        assert {r.id: counts.get(r.id, 0) for r in residents} == {r.id: 1 for r in residents}
        others = {chat: n for chat, n in counts.items() if chat != MEMBER}  # MEMBER: the preview
        assert sum(others.values()) == RESIDENTS  # nobody twice, nobody else
        # One progress message, edited in place across the restart; it names the reach.
        after_preview = [m for m in api.messages(MEMBER) if "Förhandsvisning" not in m.plain_text]
        assert [m.message_id for m in after_preview if "Skickat" in m.plain_text] == [
            progress.message_id
        ]
        assert progress.edit_count >= 2
        # The send cut off by the kill arrived, but the bot cannot know: reported, not repeated.
        assert count_in(progress.plain_text) == RESIDENTS - 1
        assert "För 1 är det osäkert om det kom fram" in progress.plain_text
        # English speakers got it in English.
        en = api.messages(next(r.id for r in residents if r.id % 7 == 0))[0]
        assert "News from the council" in en.plain_text and NOTE in en.plain_text
    finally:
        code = await process.stop()
    assert code == 0, process.log_text()[-3000:]
    log = process.log_text()
    assert "Traceback" not in log
    assert NOTE not in log
    # Nothing is left behind: the rows (chat ids) are gone, the count stays with the note.
    db = await Database.open(process.database)
    try:
        assert await db.fetchval("SELECT COUNT(*) FROM outbox") == 0
        reach = await db.fetchval("SELECT recipients FROM council_notes")
        assert reach >= RESIDENTS - 1
    finally:
        await db.close()


# --------------------------------------------------------------------------- in-process


@pytest.fixture
def quick_progress(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(
        outbox,
        "DEFAULT_PACE",
        Pace(per_second=400.0, burst=20, chat_interval=1.0, in_flight=4, progress_every=0.05),
    )
    yield


async def _member(bot: RunningBot) -> None:
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    bot.api.user(MEMBER)


async def test_progress_is_one_message_edited_in_place(
    runner: BotRunner, quick_progress: None
) -> None:
    bot = await runner.start()
    await _member(bot)
    await add_subscribers(bot.db, range(200_000, 200_300))
    for i in range(200_000, 200_300):
        bot.api.user(i)
    progress = await publish(bot.api, NOTE)
    await bot.api.wait_for(lambda: finished(progress), timeout=30)
    assert count_in(progress.plain_text) == 300
    steps = [str(e["plain_text"]) for e in progress.edits]
    assert any("av 300 invånare hittills" in s for s in steps), steps
    assert bot.api.drain(MEMBER) == []  # no other message to the author
    assert len(bot.api.delivery_counts(NOTE)) == 300 + 1  # + the author's preview


async def test_blocked_residents_are_dropped_and_counted(
    runner: BotRunner, quick_progress: None
) -> None:
    bot = await runner.start()
    await _member(bot)
    await add_subscribers(bot.db, range(300_000, 300_010))
    for i in range(300_000, 300_010):
        bot.api.user(i)
    bot.api.block_user(300_003)
    bot.api.block_user(300_004)
    progress = await publish(bot.api, NOTE)
    await bot.api.wait_for(lambda: finished(progress), timeout=15)
    assert count_in(progress.plain_text) == 8
    assert "2 har blockerat boten" in progress.plain_text
    left = await council_repo.update_recipients(bot.db, "ersboda")
    assert sorted(r.chat_id for r in left) == [
        i for i in range(300_000, 300_010) if i not in (300_003, 300_004)
    ]


async def test_a_429_pauses_the_sender_and_nothing_is_lost_or_doubled(
    runner: BotRunner, quick_progress: None
) -> None:
    bot = await runner.start()
    await _member(bot)
    await add_subscribers(bot.db, range(400_000, 400_040))
    for i in range(400_000, 400_040):
        bot.api.user(i)
    bot.api.inject_fault("sendMessage", "429", retry_after=1, times=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    progress = await publish(bot.api, NOTE)
    await bot.api.wait_for(lambda: finished(progress), timeout=20)
    counts = bot.api.delivery_counts(NOTE)
    assert counts == {MEMBER: 1} | {i: 1 for i in range(400_000, 400_040)}  # + the preview
    assert bot.api.faults_injected == 1
    assert loop.time() - started >= 1.0  # retry_after was honoured


async def test_an_empty_audience_still_gets_a_final_answer(
    runner: BotRunner, quick_progress: None
) -> None:
    bot = await runner.start()
    await _member(bot)
    progress = await publish(bot.api, NOTE)
    await bot.api.wait_for(lambda: finished(progress), timeout=10)
    assert count_in(progress.plain_text) == 0
    assert await bot.db.fetchval("SELECT COUNT(*) FROM council_notes") == 1


async def test_sending_rows_found_at_start_are_never_sent_again(
    runner: BotRunner, quick_progress: None
) -> None:
    """What a kill -9 between 'sending' and 'sent' leaves behind: not repeated (at most once)."""
    bot = await runner.start()
    await runner.stop()
    db = await Database.open(runner.settings.database_path)
    batch = await outbox_repo.enqueue(
        db,
        "reminder",
        {"sv": outbox_repo.Text("Påminnelse")},
        [outbox_repo.Recipient(500_001, "sv"), outbox_repo.Recipient(500_002, "sv")],
    )
    row = await outbox_repo.claim(db)  # marked 'sending', then the crash
    assert row is not None and row.chat_id == 500_001
    await db.close()
    bot.api.user(500_001)
    bot.api.user(500_002)
    bot = await runner.start()
    await outbox.sender_of(bot.app).idle(timeout=10)
    assert bot.api.delivery_counts("Påminnelse") == {500_002: 1}
    done = await outbox_repo.progress(bot.db, batch)
    assert (done.sent, done.failed, done.open) == (1, 1, 0)


def test_token_bucket_paces_and_pauses() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=10.0, burst=2, clock=lambda: now[0])
    assert bucket.delay() == 0.0 and bucket.delay() == 0.0
    assert bucket.delay() == pytest.approx(0.1)
    now[0] = 0.1
    assert bucket.delay() == 0.0
    bucket.pause(3.0)
    assert bucket.delay() == pytest.approx(3.0)
    now[0] = 3.2
    assert bucket.delay() == 0.0


# --------------------------------------------------------------------------- /nytt


async def test_news_with_six_long_notes_is_split_under_telegrams_limit(bot: RunningBot) -> None:
    api = bot.api
    known = [d.id for d in bot.services.council.districts][:6]
    assert len(known) == 6
    texts = {}
    for n, district in enumerate(known):
        text = (f"Åtgärd {n}: " + "Trygghetsvandring & belysning <kväll>. " * 40)[:800]
        texts[district] = text
        await council_repo.add_note(bot.db, district, text, "sv", MEMBER)
    reader = api.user(600_001)
    await api.send_text(reader, "/nytt")
    pages = [await api.next_message(reader)]
    await api.wait_updates_confirmed()
    pages += api.drain(reader)
    assert len(pages) >= 2
    assert all(visible_length(p.text or "") <= NEWS_PAGE_CHARS for p in pages)
    joined = "\n".join(p.plain_text for p in pages)
    for text in texts.values():
        assert text.strip() in joined  # every note whole, none cut in two
    assert "Nytt från rådet" in pages[0].plain_text


async def test_a_resident_who_deletes_their_data_gets_nothing_more_from_the_outbox(
    runner: BotRunner,
) -> None:
    bot = await runner.start()
    await runner.stop()  # queue while nothing sends, as if the bot were busy with others
    db = await Database.open(runner.settings.database_path)
    await add_subscribers(db, range(700_000, 700_002))
    await outbox_repo.enqueue(
        db,
        "note",
        {"sv": outbox_repo.Text(NOTE)},
        [outbox_repo.Recipient(i, "sv", f"alias-{i}") for i in (700_000, 700_001)],
        subject="ersboda",
    )
    await feedback_repo.delete_resident(db, "whatever", 700_000)  # what /radera does
    await db.close()
    for i in (700_000, 700_001):
        bot.api.user(i)
    bot = await runner.start()
    await outbox.sender_of(bot.app).idle(timeout=10)
    assert bot.api.delivery_counts(NOTE) == {700_001: 1}
