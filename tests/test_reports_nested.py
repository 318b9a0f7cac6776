"""Nested periods through the offline Bot API (issue 12): a council member who asks for a
district's year and each of its quarters, the municipality's quarter, the exports and the annual
report cannot work out a quarter that holds 1–4 feedback by subtraction."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from storage import roles
from storage import summary as summary_repo
from storage.summary import FeedbackSeed
from tests.helpers.bot import ADMIN_ID, RunningBot

MEMBER = 4545
NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
# Per quarter of 2025: Ersboda's fourth quarter holds 2 (the year 33 = 12 + 10 + 9 + 2).
QUARTERS = {"ersboda": (12, 10, 9, 2), "alidhem": (21, 23, 25, 27), "centrum": (30, 28, 26, 24)}


def _year() -> list[FeedbackSeed]:
    rows = []
    for district, per_quarter in QUARTERS.items():
        for quarter, count in enumerate(per_quarter, start=1):
            for i in range(count):
                month = 3 * quarter - 2 + i % 3
                rows.append(
                    FeedbackSeed(
                        ref=f"N{district[:3]}{quarter}{i:03d}",
                        created_at=f"2025-{month:02d}-{5 + i // 3:02d}T10:00:00.000Z",
                        district=district,
                        topic="narkotika" if i % 2 else "trygga-platser",
                        rating=1 + i % 5,
                        text=f"{district} hemlig {quarter}",
                        status="approved",
                        pseudonym=f"n{district}{quarter}{i}",
                    )
                )
    return rows


async def _ask(bot: RunningBot, command: str) -> str:
    await bot.api.send_text(MEMBER, command)
    return (await bot.api.next_message(MEMBER)).plain_text


def _count(text: str) -> int | None:
    """The summary's total: a number, or None for "dolt" / "färre än 5"."""
    match = re.search(r"Antal synpunkter: (\d+|dolt|färre än 5)", text)
    assert match, text
    return int(match.group(1)) if match.group(1).isdigit() else None


async def test_a_hidden_quarter_cannot_be_worked_out_from_the_year(bot: RunningBot) -> None:
    bot.services.clock = lambda: NOW
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    bot.api.user(MEMBER, language_code="sv")
    await summary_repo.insert_feedback(bot.db, _year())

    year = _count(await _ask(bot, "/sammanfattning ersboda 2025"))
    await bot.api.next_message(MEMBER)  # the chart
    assert year == 33  # the year is shown …
    quarters: dict[int, int | None] = {}
    for quarter in range(1, 5):
        text = await _ask(bot, f"/sammanfattning ersboda 2025 kv{quarter}")
        quarters[quarter] = _count(text)
        if quarters[quarter] is not None:
            await bot.api.next_message(MEMBER)  # the chart
    # … the fourth quarter is not, and neither is at least one more: the year minus the
    # shown quarters is the hidden ones together, at least 5, never the 2.
    assert quarters[4] is None
    hidden = [q for q, n in quarters.items() if n is None]
    assert len(hidden) >= 2 and year - sum(n or 0 for n in quarters.values()) >= 5
    for month in ("2025-10", "2025-11", "2025-12"):
        text = await _ask(bot, f"/sammanfattning ersboda {month}")
        assert not _count(text), month  # "dolt", or 0 where there is nothing (December)
    # The municipality's fourth quarter does not list Ersboda, and its total minus the listed
    # districts is the hidden ones together (at least 5).
    text = await _ask(bot, "/sammanfattning 2025 kv4")
    total = _count(text)
    assert total is not None and "Ersboda" not in text.split("Per ämne")[0]
    listed = [int(n) for n in re.findall(r"• [^\n:]+: (\d+) \(trygghet", text)]
    assert total - sum(listed) >= 5
    await bot.api.next_message(MEMBER)

    # The year's export: no row keeps Ersboda's name in a month that hides it, so counting
    # Ersboda's rows gives the year minus at least 5, not minus 2.
    await bot.api.send_text(MEMBER, "/export 2025")
    doc = await bot.api.next_message(MEMBER)
    rows = list(csv.DictReader(io.StringIO((doc.file_bytes or b"").decode("utf-8-sig"))))
    ersboda = [r for r in rows if r["district"] == "ersboda"]
    assert not [r for r in ersboda if r["created_at"] >= "2025-10-01"]
    assert year - len(ersboda) >= 5
    assert all(r["topic"] == "övriga ämnen" for r in rows if r["district"] == "övriga områden")
    raw = (doc.file_bytes or b"").decode("utf-8-sig")
    assert "ersboda hemlig 4" not in raw
    # The same with the district filter, and for the quarter itself.
    text = await _ask(bot, "/export ersboda 2025 kv4")
    assert "för få synpunkter" in text
    await bot.api.send_text(MEMBER, "/export ersboda 2025")
    doc = await bot.api.next_message(MEMBER)
    if doc.kind == "document":
        own = list(csv.DictReader(io.StringIO((doc.file_bytes or b"").decode("utf-8-sig"))))
        assert not [r for r in own if r["created_at"] >= "2025-10-01"]
        assert year - len(own) >= 5
    else:
        assert "för få synpunkter" in doc.plain_text

    # The annual report: the year's districts and quarters follow the same plan.
    await bot.api.send_text(MEMBER, "/rapport 2025")
    page = ((await bot.api.next_message(MEMBER, timeout=30)).file_bytes or b"").decode("utf-8")
    assert "ersboda hemlig" not in page
    assert bot.errors == []


async def test_a_busy_week_and_its_month_still_show_their_figures(bot: RunningBot) -> None:
    """Not everything is hidden: with 6 in Ersboda and 6 in Ålidhem in one week of July, the
    week, July, the quarter and the year all show both districts."""
    bot.services.clock = lambda: NOW
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    bot.api.user(MEMBER, language_code="sv")
    await summary_repo.insert_feedback(
        bot.db,
        [
            FeedbackSeed(
                ref=f"W{district[:3]}{i}",
                created_at=f"2025-07-{7 + i:02d}T10:00:00.000Z",
                district=district,
                topic="narkotika",
                rating=3,
                text=None,
                pseudonym=f"w{district}{i}",
            )
            for district in ("ersboda", "alidhem")
            for i in range(6)
        ],
    )
    for period in ("2025-W28", "juli 2025", "2025 kv3", "2025"):
        text = await _ask(bot, f"/sammanfattning {period}")
        assert _count(text) == 12, period
        assert "Ersboda (Västra och Östra): 6" in text and "Ålidhem och Ålidbacken: 6" in text
        await bot.api.next_message(MEMBER)  # the chart
