"""The annual report's focus areas and district order as a council member reads them (QA round):
a focus area's figure counts the residents' topics under it, listed beneath it, and districts
come most first, ties in Swedish alphabetical order, as in /sammanfattning."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from devkit.offline import OfflineBotApi
from storage import roles
from storage import summary as summary_repo
from storage.summary import FeedbackSeed
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.test_export_english import english_quotes

MEMBER = 4346
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def _rows(year: int, cells: dict[tuple[str, str], int]) -> list[FeedbackSeed]:
    """``count`` approved rows per (district, topic), all in October of ``year`` (one month, so
    the year's figures are the month's)."""
    return [
        FeedbackSeed(
            ref=f"F{year}{district[:4]}{topic[:4]}{i}",
            created_at=f"{year}-10-{1 + i:02d}T09:00:00.000Z",
            district=district,
            topic=topic,
            rating=2 + i % 3,
            text=f"{district} {topic} {i}",
            status="approved",
            pseudonym=f"f{year}{district}{topic}{i}",
        )
        for (district, topic), count in cells.items()
        for i in range(count)
    ]


async def _member(bot: RunningBot, language: str = "sv") -> OfflineBotApi:
    bot.services.clock = lambda: NOW
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    bot.api.user(MEMBER, language_code=language)
    return bot.api


async def _report(api: OfflineBotApi, command: str = "/rapport 2026") -> str:
    await api.send_text(MEMBER, command)
    doc = await api.next_message(MEMBER, timeout=30)
    assert doc.kind == "document", doc.plain_text
    return (doc.file_bytes or b"").decode("utf-8")


def _cell(page: str, attr: str, key: str) -> str:
    match = re.search(rf"data-{attr}='{re.escape(key)}'>([^<]*)<", page)
    assert match, f"no {attr} {key}"
    return match.group(1)


def _focus_table(page: str) -> str:
    return page.split("Fokusområden</h2>")[1].split("</table>")[0]


def _rows_of(table: str) -> list[list[str]]:
    """Each table row's cell texts."""
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


QA_CELLS = {
    ("centrum", "ordning"): 24,
    ("ersboda", "droger"): 21,
    ("alidhem", "belysning"): 18,
    ("mariehem", "trafik"): 6,
    ("backen", "skadegorelse"): 6,
}


async def test_a_focus_area_counts_the_topics_under_it(bot: RunningBot) -> None:
    api = await _member(bot)
    await summary_repo.insert_feedback(
        bot.db, _rows(2026, QA_CELLS) + _rows(2025, {("centrum", "ordning"): 5})
    )
    page = await _report(api)
    # Trygga och säkra platser: Belysning 18 + Ordningsstörning 24 + Trafik 6 + Skadegörelse 6.
    assert _cell(page, "area", "trygga-platser") == "54"
    assert _cell(page, "area", "narkotika") == "21"
    assert _cell(page, "area", "fortroende") == "0"
    assert _cell(page, "area", "segregation") == "0"
    rows = _rows_of(_focus_table(page))
    labels = [r[0] for r in rows]
    # The topics that count under an area are listed right beneath it.
    start = labels.index("Trygga och säkra platser")
    assert labels[start + 1 : start + 5] == [
        "– Belysning",
        "– Skadegörelse och klotter",
        "– Trafik",
        "– Ordningsstörning",
    ]
    assert [r[2] for r in rows[start + 1 : start + 5]] == ["18", "6", "6", "24"]
    area_row = rows[start]
    assert area_row[2] == "54" and area_row[4] == "5"  # last year: Ordningsstörning 5
    assert labels[labels.index("Krafttag mot narkotika") + 1] == "– Narkotika"
    assert "Ett fokusområdes siffra är summan av ämnena under det." in page
    # Every feedback is counted once: the areas plus "Annat ämne" give the year's total.
    areas = sum(int(n) for n in re.findall(r"data-area='[^']+'>(\d+)<", page))
    assert (
        areas + int(_cell(page, "topic", "other"))
        == 75
        == int(re.findall(r'id="total">(\d+)<', page)[0])
    )

    # Per district: most first, ties (6 and 6) alphabetical, not the council file's order.
    per_district = page.split("Per område</h2>")[1].split("</table>")[0]
    order = re.findall(r"data-district='([^']+)'>(\d+)<", per_district)
    assert order == [
        ("centrum", "24"),
        ("ersboda", "21"),
        ("alidhem", "18"),
        ("backen", "6"),
        ("mariehem", "6"),
    ]
    # /sammanfattning lists them in the same order.
    await api.send_text(MEMBER, "/sammanfattning 2026")
    text = (await api.next_message(MEMBER)).plain_text
    listed = text.split("Per område")[1].split("Per ämne")[0]
    assert re.findall(r"• ([^:\n]+):", listed) == [
        "Centrum",
        "Ersboda (Västra och Östra)",
        "Ålidhem och Ålidbacken",
        "Backen och Västerhiske",
        "Mariehem",
    ]
    await api.next_message(MEMBER)  # the chart
    assert bot.errors == []


async def test_the_english_report_names_areas_and_topics_in_english(bot: RunningBot) -> None:
    api = await _member(bot, "en")
    await summary_repo.insert_feedback(bot.db, _rows(2026, QA_CELLS))
    page = await _report(api, "/report 2026")
    table = page.split("Focus areas</h2>")[1].split("</table>")[0]
    labels = [r[0] for r in _rows_of(table)]
    start = labels.index("Safe and secure places")
    assert labels[start + 1] == "– Street lighting"
    assert "A focus area's figure is the sum of the topics under it." in html.unescape(page)
    assert english_quotes(html.unescape(page))  # “…”, not the Swedish ”…”


async def test_a_focus_area_adds_only_shown_figures(bot: RunningBot) -> None:
    """Centrum's Belysning (2) and Trafik (5) cells are hidden in the year; the area's figure is
    the sum of the figures shown beneath it, so neither the 2 nor the 5 can be worked out."""
    api = await _member(bot)
    await summary_repo.insert_feedback(
        bot.db,
        _rows(
            2026,
            {
                ("centrum", "ordning"): 24,
                ("centrum", "belysning"): 2,
                ("centrum", "trafik"): 5,
                ("ersboda", "belysning"): 10,
                ("alidhem", "trygga-platser"): 6,  # an older row: the area chosen directly
            },
        ),
    )
    page = await _report(api)
    rows = _rows_of(_focus_table(page))
    labels = [r[0] for r in rows]
    start = labels.index("Trygga och säkra platser")
    below = {r[0]: r[2] for r in rows[start + 1 : start + 6]}
    assert below == {
        "– Belysning": "10",
        "– Skadegörelse och klotter": "0",
        "– Trafik": "dolt",
        "– Ordningsstörning": "24",
        "– Äldre synpunkter om hela fokusområdet": "6",
    }
    assert rows[start][2] == "40" == str(10 + 24 + 6)
    # The hidden rows together are "övriga ämnen": 7, two groups, never the 2 alone.
    assert _cell(page, "topic", "ovriga") == "7"
    assert not re.search(r"data-(area|topic)='[^']+'>(2|5|12|47)<", page)
    assert bot.errors == []
