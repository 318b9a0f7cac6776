"""Older rows hold the focus area id `narkotika` (before the residents' topics existed); new ones
hold the resident topic `droger` (Narkotika). For the council they are one topic: one line, one
label and one count in the summary, the CSV and Excel exports and the annual report, and the
small-group rules decided on the sum (bot.labels.topic_aliases, applied where rows are read)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import openpyxl

from bot.content import DEFAULT_COUNCIL_FILE, load_council
from bot.labels import topic_aliases
from devkit.offline import OfflineBotApi
from devkit.offline.models import SentMessage
from storage import roles
from storage import summary as summary_repo
from storage.summary import FeedbackSeed
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.feedback import alias
from tests.helpers.staff import add_feedback, command

MEMBER = 4344
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def _rows(year: int, cells: dict[tuple[str, str], int]) -> list[FeedbackSeed]:
    """``count`` approved rows per (district, topic), all in October of ``year``."""
    seeds = []
    for (district, topic), count in cells.items():
        for i in range(count):
            seeds.append(
                FeedbackSeed(
                    ref=f"L{year}{district[:3]}{topic[:3]}{i}",
                    created_at=f"{year}-10-{1 + i:02d}T09:00:00.000Z",
                    district=district,
                    topic=topic,
                    rating=2 + i % 3,
                    text=f"{district} {topic} {i}",
                    status="approved",
                    pseudonym=f"l{district}{topic}{i}",
                )
            )
    return seeds


async def _member(bot: RunningBot, language: str = "sv") -> OfflineBotApi:
    bot.services.clock = lambda: NOW
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    bot.api.user(MEMBER, language_code=language)
    return bot.api


async def _ask(api: OfflineBotApi, command: str) -> SentMessage:
    """Send a command; the bot's next text or file, past a summary's chart."""
    await api.send_text(MEMBER, command)
    message = await api.next_message(MEMBER, timeout=30)
    while message.kind == "photo":
        message = await api.next_message(MEMBER, timeout=30)
    return message


def _csv(message: SentMessage) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((message.file_bytes or b"").decode("utf-8-sig"))))


def _topic_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "arkotika" in line or "Drugs" in line]


def test_the_umea_file_maps_only_the_narcotics_area_to_a_topic() -> None:
    """Only an area with exactly one resident topic has a current equivalent."""
    assert topic_aliases(load_council(DEFAULT_COUNCIL_FILE)) == {"narkotika": "droger"}


async def test_old_and_new_narcotics_rows_are_one_line_everywhere(bot: RunningBot) -> None:
    api = await _member(bot)
    # Each half alone is 1–4 in Ålidhem and would be hidden; together they are 6.
    cells = {
        ("ersboda", "narkotika"): 2,
        ("ersboda", "droger"): 5,
        ("ersboda", "belysning"): 6,
        ("alidhem", "narkotika"): 3,
        ("alidhem", "droger"): 3,
        ("alidhem", "trafik"): 5,
    }
    await summary_repo.insert_feedback(bot.db, _rows(2026, cells))

    text = (await _ask(api, "/sammanfattning 2026-Q4")).plain_text
    assert _topic_lines(text) == ["• Narkotika (Krafttag mot narkotika): 13"], text
    assert "Ersboda (Västra och Östra): 13" in text and "Ålidhem och Ålidbacken: 11" in text
    assert "• Övriga" not in text and ": färre än 5" not in text

    text = (await _ask(api, "/sammanfattning ålidhem 2026-Q4")).plain_text
    assert _topic_lines(text) == ["• Narkotika (Krafttag mot narkotika): 6"], text

    rows = _csv(await _ask(api, "/export 2026-Q4"))
    assert len(rows) == 24 and all(row["district"] != "övriga områden" for row in rows)
    topics = [row["topic"] for row in rows]
    assert topics.count("droger") == 13 and "narkotika" not in topics

    book = openpyxl.load_workbook(
        io.BytesIO((await _ask(api, "/export excel 2026-Q4")).file_bytes or b"")
    )
    people = [row[2] for row in book["Synpunkter"].iter_rows(min_row=2, values_only=True)]
    assert people.count("Narkotika (Krafttag mot narkotika)") == 13
    sums = [list(row) for row in book["Summor"].iter_rows(values_only=True)]
    assert [row for row in sums if row and "arkotika" in str(row[0])] == [
        ["Narkotika (Krafttag mot narkotika)", 13]
    ]

    page = ((await _ask(api, "/rapport 2026")).file_bytes or b"").decode("utf-8")
    assert "data-topic='droger'>13<" in page and "data-topic='narkotika'" not in page
    # One line for the topic, under its focus area, whose figure is that topic's.
    assert page.count("– Narkotika<") == 1 and "data-area='narkotika'>13<" in page
    # The focus area's text stands beside its one topic's row, and only there.
    assert page.count("Narkotikarelaterad kriminalitet bedöms") == 1
    assert page.count("Skapa trygga och säkra platser utifrån") == 1

    bot.api.user(MEMBER, language_code="en")
    text = (await _ask(api, "/summary 2026-Q4")).plain_text
    assert _topic_lines(text) == ["• Drugs (Tackling narcotics): 13"], text


async def test_merging_never_shows_a_small_narcotics_group(bot: RunningBot) -> None:
    """2 old + 2 new in Ålidhem are 4 together: hidden (with the next smallest cell) in every
    output, and no output lists either half."""
    api = await _member(bot)
    cells = {
        ("ersboda", "belysning"): 6,
        ("ersboda", "ordning"): 6,
        ("alidhem", "narkotika"): 2,
        ("alidhem", "droger"): 2,
        ("alidhem", "belysning"): 6,
    }
    await summary_repo.insert_feedback(bot.db, _rows(2025, cells))

    for asked in ("/sammanfattning 2025-Q4", "/sammanfattning ålidhem 2025-Q4"):
        text = (await _ask(api, asked)).plain_text
        assert not _topic_lines(text), text
        assert "Övriga ämnen: 10" in text and not re.search(r": [1-4]$", text, re.M), text

    doc = await _ask(api, "/export 2025-Q4")
    raw = (doc.file_bytes or b"").decode("utf-8-sig")
    assert "narkotika" not in raw and "droger" not in raw
    assert sum(1 for row in _csv(doc) if row["district"] == "övriga områden") == 10

    page = ((await _ask(api, "/rapport 2025")).file_bytes or b"").decode("utf-8")
    assert "data-topic='narkotika'" not in page
    assert "data-topic='droger'>4<" not in page and "data-topic='droger'>2<" not in page
    assert "data-area='narkotika'>dolt<" in page


async def test_a_residents_old_and_new_narcotics_rows_read_alike(bot: RunningBot) -> None:
    """/minadata shows the resident's own older row with the topic's name of today."""
    api = bot.api
    eva = api.user(9741)
    await add_feedback(bot.db, topic="narkotika", district="ersboda", pseudonym=alias(bot, 9741))
    await add_feedback(bot.db, topic="droger", district="haga", pseudonym=alias(bot, 9741))
    lines = (await command(api, eva, "/minadata")).plain_text.splitlines()
    assert "Ersboda (Västra och Östra), Narkotika – väntar på granskning" in lines[1], lines
    assert "Haga och Sandbacka, Narkotika – väntar på granskning" in lines[2], lines
    assert not any("Krafttag" in line for line in lines)
    await api.next_message(eva)  # the JSON file
