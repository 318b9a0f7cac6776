"""Council reports as a council member meets them, through the offline Bot API (issues 12, 13):
small groups that stay hidden in every output (also against subtraction), the .xlsx export,
periods written the way people write them, and council data kept out of groups."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl

from devkit.offline import OfflineBotApi
from storage import roles
from storage import summary as summary_repo
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.reports import busy_quarter, extra_ersboda, seven_and_two
from tests.test_council_data import HTML_QUOTE, dataset

MEMBER = 4343
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # a Thursday in December 2026


async def _member(bot: RunningBot, *, language: str = "sv", now: datetime = NOW) -> OfflineBotApi:
    bot.services.clock = lambda: now
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    bot.api.user(MEMBER, language_code=language)
    return bot.api


def _csv(data: bytes | None) -> list[dict[str, str]]:
    assert data is not None and data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _xlsx(data: bytes | None) -> openpyxl.Workbook:
    assert data is not None
    return openpyxl.load_workbook(io.BytesIO(data))


def _cells(sheet: object) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


async def test_seven_in_ersboda_and_two_in_alidhem_never_reveal_the_two(bot: RunningBot) -> None:
    api = await _member(bot)
    await summary_repo.insert_feedback(bot.db, seven_and_two())

    await api.send_text(MEMBER, "/sammanfattning 2026-Q4")
    text = (await api.next_message(MEMBER)).plain_text
    assert "Antal synpunkter: 9" in text
    # Ålidhem's 2 is hidden, and Ersboda with it: "9 − 7" would give 2.
    assert "Övriga områden: 9" in text
    assert "Ålidhem" not in text and "Ersboda" not in text and ": 7" not in text
    assert "hemlig" not in text  # no quotes from a small group
    for place in ("ersboda", "ålidhem"):
        await api.send_text(MEMBER, f"/sammanfattning {place} 2026-Q4")
        text = (await api.next_message(MEMBER)).plain_text
        assert "Antal synpunkter: dolt" in text and "7" not in text and ": 2" not in text
        assert "visas inte för sig under perioden" in text

    await api.send_text(MEMBER, "/export 2026-Q4")
    doc = await api.next_message(MEMBER)
    rows = _csv(doc.file_bytes)
    assert len(rows) == 9
    assert {r["district"] for r in rows} == {"övriga områden"}
    assert {r["text"] for r in rows} == {""} and {r["language"] for r in rows} == {""}
    assert {r["id"] for r in rows} == {""}
    assert all(r["created_at"].count("-") == 2 and len(r["created_at"]) == 10 for r in rows)
    raw = (doc.file_bytes or b"").decode("utf-8-sig")
    assert "alidhem" not in raw and "17:42" not in raw and "hemlig" not in raw
    assert "övriga områden" in (doc.caption or "") and "klockslag" in (doc.caption or "")

    await api.send_text(MEMBER, "/export excel 2026-Q4")
    doc = await api.next_message(MEMBER)
    assert doc.filename == "synpunkter_kvartal_4_2026.xlsx"
    book = _xlsx(doc.file_bytes)
    rows_sheet, totals = book.worksheets[0], book.worksheets[1]
    data = _cells(rows_sheet)
    assert data[0] == ["Datum", "Område", "Ämne", "Trygghet (1–5)", "Status", "Text"]
    assert len(data) == 10 and {r[1] for r in data[1:]} == {"övriga områden"}
    assert {r[5] for r in data[1:]} <= {None, ""}
    # Whole local dates: midnight, no time of day.
    assert all(isinstance(r[0], datetime) and r[0].hour == r[0].minute == 0 for r in data[1:])
    sums = _cells(totals)
    flat = [str(cell) for row in sums for cell in row if cell is not None]
    assert ["Antal synpunkter", 9] in sums and ["övriga områden", 9] in sums
    assert not any("Ålidhem" in cell or "Ersboda" in cell for cell in flat)
    assert "2" not in [cell for row in sums[3:] for cell in row[1:2] if cell is not None]

    # Ersboda's own rows would give its 7 (and so Ålidhem's 2): refused, kindly.
    await api.send_text(MEMBER, "/export ersboda 2026-Q4")
    text = (await api.next_message(MEMBER)).plain_text
    assert "för få synpunkter" in text and "längre period" in text

    await api.send_text(MEMBER, "/rapport")
    doc = await api.next_message(MEMBER, timeout=30)
    assert doc.filename == "uppfoljning_2026.html"
    page = (doc.file_bytes or b"").decode("utf-8")
    assert 'id="total">9<' in page and "data-district='ovriga'>9<" in page
    assert "data-district='alidhem'" not in page and "data-district='ersboda'" not in page


async def test_excel_and_csv_with_districts_that_may_be_shown(bot: RunningBot) -> None:
    api = await _member(bot)
    await summary_repo.insert_feedback(bot.db, [*dataset(), *extra_ersboda()])

    await api.send_text(MEMBER, "/export 2024-Q3 excel")
    doc = await api.next_message(MEMBER)
    assert doc.kind == "document" and doc.filename == "synpunkter_kvartal_3_2024.xlsx"
    book = _xlsx(doc.file_bytes)
    assert book.sheetnames == ["Synpunkter", "Summor"]
    data = _cells(book["Synpunkter"])[1:]
    # 19, no rejected: Ersboda's 5 in July keep their district; in August (Ersboda 1, Ålidhem
    # 6) and September (Ersboda 4, Tomtebo 3) Ersboda is hidden with the other one, so those
    # 14 rows are generalised, in every export (a row looks the same whatever the period).
    assert len(data) == 19
    places = [r[1] for r in data]
    assert places.count("Ersboda (Västra och Östra)") == 5 and places.count("övriga områden") == 14
    # Topic names, not slugs; a generalised row loses its topic too (the topics of such rows
    # would add up to Tomtebo's 3 "förtroende").
    # Older rows' focus area id reads as the resident topic it now counts as (droger).
    assert {r[2] for r in data} == {"Narkotika (Krafttag mot narkotika)", "övriga ämnen"}
    assert {r[2] for r in data if r[1] == "övriga områden"} == {"övriga ämnen"}
    # The first Ersboda row was sent 22:30 UTC on 30 June: 1 July in Umeå.
    assert data[0][0] == datetime(2024, 7, 1) and data[0][1] == "Ersboda (Västra och Östra)"
    # The approved texts are all from the hidden months: none is in the file.
    assert not [r[5] for r in data if r[5]]
    sums = _cells(book["Summor"])
    assert ["Antal synpunkter", 19] in sums
    assert ["Ersboda (Västra och Östra)", 10] in sums and ["övriga områden", 9] in sums

    # A district filter, in any order, in English: English column names.
    bot.api.user(MEMBER, language_code="en")
    await api.send_text(MEMBER, "/export ersboda excel 2024 kv3")
    doc = await api.next_message(MEMBER)
    book = _xlsx(doc.file_bytes)
    header, *data = _cells(book.worksheets[0])
    assert header == ["Date", "Area", "Topic", "Safety (1–5)", "Status", "Text"]
    assert len(data) == 5 and {r[1] for r in data} == {"Ersboda (West and East)"}
    assert {r[2] for r in data} == {"Drugs (Tackling narcotics)"}
    assert {r[4] for r in data} == {"awaiting review"}

    await api.send_text(MEMBER, "/export ersboda 2024-Q3")
    doc = await api.next_message(MEMBER)
    rows = _csv(doc.file_bytes)
    assert len(rows) == 5 and {r["district"] for r in rows} == {"ersboda"}
    assert all(r["id"] for r in rows) and "Ersboda" in (doc.caption or "")

    # A quarter where no month hides anything: every row keeps its place, texts as written.
    await summary_repo.insert_feedback(bot.db, busy_quarter(2025, 3, HTML_QUOTE))
    bot.api.user(MEMBER, language_code="sv")
    await api.send_text(MEMBER, "/export excel 2025-Q3")
    data = _cells(_xlsx((await api.next_message(MEMBER)).file_bytes).worksheets[0])[1:]
    places = [r[1] for r in data]
    assert places.count("Ersboda (Västra och Östra)") == 18
    assert places.count("Ålidhem och Ålidbacken") == 18
    assert [r[5] for r in data if r[5]] == [HTML_QUOTE]


PHRASES = {
    "förra månaden": "november 2026",
    "denna månad": "december 2026",
    "december": "december 2026",
    "december 2025": "december 2025",
    "förra veckan": "vecka 48 2026",
    "i år": "2026 (1 januari 2026",
    "2026-Q4 ersboda": "kvartal 4 2026",
    "ersboda 2026 kv4": "kvartal 4 2026",
    "last month": "november 2026",
    "this year": "2026 (1 januari 2026",
    "Q4 2026": "kvartal 4 2026",
}


async def test_every_period_phrase_through_the_bot(bot: RunningBot) -> None:
    api = await _member(bot)
    await summary_repo.insert_feedback(bot.db, seven_and_two(2025))
    for phrase, label in PHRASES.items():
        await api.send_text(MEMBER, f"/sammanfattning {phrase}")
        text = (await api.next_message(MEMBER)).plain_text
        assert label in text, (phrase, text)
        place = "Ersboda" if "ersboda" in phrase else "hela kommunen"
        assert f"Lägesbild för {place}" in text, (phrase, text)

    await api.send_text(MEMBER, "/sammanfattning 2027")
    assert "har inte börjat än" in (await api.next_message(MEMBER)).plain_text
    await api.send_text(MEMBER, "/sammanfattning ersboda 30d")
    text = (await api.next_message(MEMBER)).plain_text
    assert "bara hela perioder" in text and "förra månaden" in text
    # A year before the first feedback (10 October 2025) says there is no data.
    await api.send_text(MEMBER, "/rapport 2024")
    text = (await api.next_message(MEMBER)).plain_text
    assert text == "Det finns inga synpunkter från 2024: den första kom 10 oktober 2025."
    await api.send_text(MEMBER, "/export 2019")
    assert "den första kom 10 oktober 2025" in (await api.next_message(MEMBER)).plain_text
    # Issue 10's odd input gets a clear answer.
    for command, answer in (
        ("/sammanfattning 9999", "”9999” har inte börjat än"),
        ("/sammanfattning ersboda 9999-Q4", "”9999-Q4” har inte börjat än"),
        ("/export 0000", "Det finns inga synpunkter från 0000: den första kom 10 oktober 2025."),
    ):
        await api.send_text(MEMBER, command)
        assert answer in (await api.next_message(MEMBER)).plain_text, command


async def test_english_phrases_and_answers(bot: RunningBot) -> None:
    api = await _member(bot, language="en")
    await summary_repo.insert_feedback(bot.db, seven_and_two(2025))
    await api.send_text(MEMBER, "/summary october 2025")
    text = (await api.next_message(MEMBER)).plain_text
    assert "Situation in the whole municipality" in text and "October 2025" in text
    assert "Other districts: 9" in text
    await api.send_text(MEMBER, "/summary Q4 2099")
    assert "has not begun" in (await api.next_message(MEMBER)).plain_text
    await api.send_text(MEMBER, "/summary 30d")
    assert "last month" in (await api.next_message(MEMBER)).plain_text


async def test_council_data_stays_out_of_groups(bot: RunningBot) -> None:
    api = await _member(bot)
    await summary_repo.insert_feedback(bot.db, seven_and_two())
    group = api.group(-100555, "Kvarteret")
    for command in ("/sammanfattning", "/export 2026-Q4", "/export excel", "/rapport"):
        await api.send_text(MEMBER, command, chat=group)
        msg = await api.next_message(group)
        assert msg.plain_text == "Det här gör du i en privat chatt med mig, inte i en grupp."
    await api.send_text(MEMBER, "/aterkoppla Ersboda Vi har satt upp ny belysning.", chat=group)
    msg = await api.next_message(group)
    assert "privat chatt" in msg.plain_text
    await api.wait_updates_confirmed(timeout=10)
    assert [m.kind for m in api.messages(group)] == ["text"] * 5  # no file, no preview
    assert not bot.errors


async def test_privacy_text_explains_the_rules(bot: RunningBot) -> None:
    api = await _member(bot)
    await api.send_text(MEMBER, "/integritet")
    text = (await api.next_message(MEMBER)).plain_text
    assert "näst minsta" in text and "hela veckor, månader, kvartal och år" in text
    assert "ett dolt kvartal eller en dold månad kan inte räknas fram" in text


async def test_resident_topics_show_the_focus_area_they_count_under(bot: RunningBot) -> None:
    """The council reads the residents' topics with the agreement's focus area beside them, in
    the summary, the Excel totals and the annual report; residents' order, not alphabetical."""
    api = await _member(bot)
    seeds = [
        summary_repo.FeedbackSeed(
            ref=f"T{i:05d}",
            created_at=f"2026-10-{1 + i:02d}T09:00:00.000Z",
            district="ersboda" if i % 2 else "alidhem",
            topic="belysning" if i % 4 < 2 else "other",
            rating=3,
            text=None,
            status="approved",
        )
        for i in range(24)  # six in each district × topic
    ]
    await summary_repo.insert_feedback(bot.db, seeds)
    await api.send_text(MEMBER, "/sammanfattning 2026-Q4")
    text = (await api.next_message(MEMBER)).plain_text
    assert "Belysning (Trygga och säkra platser)" in text
    assert text.index("Belysning (Trygga") < text.index("Annat ämne")
    chart = await api.next_message(MEMBER)
    assert chart.kind == "photo"
    await api.send_text(MEMBER, "/export excel 2026-Q4")
    book = _xlsx((await api.next_message(MEMBER)).file_bytes)
    totals = [row for sheet in book.worksheets for row in _cells(sheet)]
    assert any("Belysning (Trygga och säkra platser)" in str(c) for row in totals for c in row)
