"""Summary figures, small-group suppression, chart, CSV and report against the known dataset
(storage + pure functions; the end-to-end paths are in test_council.py)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from PIL import Image

from bot import charts, export, report
from bot.content import load_council
from bot.i18n import translations
from bot.periods import parse_period
from bot.summary import (
    ALL,
    ArgumentError,
    Scope,
    Stat,
    compute_summary,
    find_scope,
    parse_summary_args,
    render_summary,
)
from storage import summary as repo
from storage.db import Database
from tests.test_council_data import HTML_QUOTE, Q3_TOTAL, YEAR_2024_TOTAL, dataset

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
ADMIN = 9001
COUNCIL = load_council()
SV = translations("sv")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "s.sqlite3")
    await repo.insert_feedback(database, dataset())
    yield database
    await database.close()


async def test_quarter_figures_and_suppression(db: Database) -> None:
    summary = await compute_summary(db, COUNCIL, ALL, parse_period("2024-Q3", NOW))
    assert summary.total.count == Q3_TOTAL
    districts = dict(summary.by_district)
    assert districts["ersboda"].count == 8 and districts["ersboda"].average == pytest.approx(3.0)
    assert districts["alidhem"].average == pytest.approx(26 / 6)
    assert not districts["tomtebo"].shown and districts["tomtebo"].average is None
    # Tomtebo's three 1s are left out: 47/13, not 50/16.
    assert summary.average == pytest.approx(47 / 13)
    assert summary.previous_average == pytest.approx(3.0)
    assert summary.previous_total.count == 10
    topics = dict(summary.by_topic)
    assert (topics["narkotika"].count, topics["trygga-platser"].count) == (7, 7)
    assert not topics["fortroende"].shown
    # Quotes: approved, newest first, never from the suppressed district, never rejected.
    assert [q.district for q in summary.quotes] == ["ersboda", "ersboda", "alidhem"]
    assert summary.quotes[0].text == HTML_QUOTE

    text = render_summary(summary, COUNCIL, SV, "sv")
    assert "Antal synpunkter: <b>17</b> (föregående period: 10)" in text
    assert "<b>3,6 av 5</b> (+0,6 jämfört med föregående period)" in text
    assert "• Ersboda (Västra och Östra): 8 (trygghet 3,0)" in text
    assert "• Ålidhem och Ålidbacken: 6 (trygghet 4,3)" in text
    assert "• Tomtebo: färre än 5" in text
    assert "• Öka förtroendet för samhällets företrädare: färre än 5" in text
    assert "Tomtebo hemlis" not in text and "avvisad" not in text
    assert "Mörkt vid &lt;b&gt;busshållplatsen&lt;/b&gt; &amp; ingen belysning" in text


async def test_everything_small_shows_no_numbers(db: Database) -> None:
    scope = find_scope(COUNCIL, "Tomtebo")
    assert scope == Scope("district", ("tomtebo",), "tomtebo")
    summary = await compute_summary(db, COUNCIL, scope, parse_period("2024-Q3", NOW))
    text = render_summary(summary, COUNCIL, SV, "sv")
    assert "Antal synpunkter: <b>färre än 5</b>" in text
    assert "för få svar" in text
    assert summary.quotes == [] and "Per område" not in text


async def test_district_scope_and_area_scope(db: Database) -> None:
    scope, period = parse_summary_args(COUNCIL, ["Ersboda", "2024", "kv3"], NOW)
    summary = await compute_summary(db, COUNCIL, scope, period)
    assert summary.total.count == 8 and summary.average == pytest.approx(3.0)
    assert summary.change == pytest.approx(1.0)
    scope, period = parse_summary_args(COUNCIL, ["östra", "stadsdelarna", "2024-Q3"], NOW)
    assert scope.kind == "area" and "alidhem" in (scope.districts or ())
    summary = await compute_summary(db, COUNCIL, scope, period)
    assert summary.total.count == 6
    names = [d for d, _ in summary.by_district]
    assert names[0] == "alidhem" and "gimonas" in names  # empty districts of the area listed


def test_argument_errors_are_typed() -> None:
    with pytest.raises(ArgumentError) as info:
        parse_summary_args(COUNCIL, ["igår"], NOW)
    assert info.value.kind == "unknown"
    with pytest.raises(ArgumentError) as info:
        parse_summary_args(COUNCIL, ["Ersboda", "igår"], NOW)
    assert (info.value.kind, info.value.text) == ("period", "igår")
    with pytest.raises(ArgumentError) as info:
        parse_summary_args(COUNCIL, ["Narnia", "2024"], NOW)
    assert (info.value.kind, info.value.text) == ("place", "Narnia")
    scope, period = parse_summary_args(COUNCIL, [], NOW)
    assert scope == ALL and period.kind == "days" and period.days == 30
    assert find_scope(COUNCIL, "alidhem") == Scope("district", ("alidhem",), "alidhem")


async def test_chart_is_a_readable_png(db: Database) -> None:
    summary = await compute_summary(db, COUNCIL, ALL, parse_period("2024-Q3", NOW))
    png = charts.summary_chart(summary, COUNCIL, SV, "sv")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.width >= 800


async def test_chart_title_starts_with_a_capital(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    figures: list[Figure] = []

    def keep(fig: Figure) -> bytes:
        figures.append(fig)
        return b""

    monkeypatch.setattr(charts, "_png", keep)
    summary = await compute_summary(db, COUNCIL, ALL, parse_period("2024-Q3", NOW))
    charts.summary_chart(summary, COUNCIL, SV, "sv")
    charts.summary_chart(summary, COUNCIL, translations("en"), "en")
    titles = [fig.get_suptitle() for fig in figures]
    assert titles[0].startswith("Hela kommunen · ") and titles[1][0].isupper()


async def test_csv_round_trip(db: Database) -> None:
    period = parse_period("2024-Q3", NOW)
    rows = await repo.export_rows(db, period.start_iso, period.end_iso)
    data = export.to_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(parsed) == Q3_TOTAL + 2  # rejected rows are listed, with their status
    assert list(parsed[0]) == list(export.COLUMNS)
    for row, back in zip(rows, parsed, strict=True):
        assert back["id"] == str(row.id) and back["created_at"] == row.created_at
        assert back["rating"] == ("" if row.rating is None else str(row.rating))
        assert back["text"] == (row.text if row.status == "approved" else "")
    assert {r["status"] for r in parsed} == {"pending", "approved", "rejected"}
    assert not any("avvisad" in r["text"] or r["text"] == "Ersboda text 0" for r in parsed)
    assert "pseudonym" not in data.decode("utf-8-sig") and "p1" not in parsed[0].values()


def test_csv_neutralises_formulas() -> None:
    row = repo.ExportRow(
        1,
        "2024-01-01T00:00:00.000Z",
        "ersboda",
        "narkotika",
        3,
        "approved",
        "sv",
        '=HYPERLINK("http://x")',
    )
    parsed = list(csv.reader(io.StringIO(export.to_csv([row]).decode("utf-8-sig"))))
    assert parsed[1][7].startswith("'=")


async def test_report_totals(db: Database) -> None:
    data = await report.compute_report(db, 2024)
    page = report.render_report(data, COUNCIL, SV, "sv", NOW)
    assert page.startswith("<!DOCTYPE html>")
    assert f'id="total">{YEAR_2024_TOTAL}<' in page
    assert "data-quarter='3'>17<" in page and "data-quarter='2'>10<" in page
    assert "data-quarter='1'>0<" in page  # none at all: 0 identifies nobody
    assert "data-quarter='4'>färre än 5<" in page
    assert "föregående år: 0" in page  # 2023 had no feedback
    assert "data-district='tomtebo'>färre än 5<" in page
    assert "Minska brottsligheten i Umeå kommun." in page  # the agreement's goals
    images = re.findall(r'<img src="([^"]+)"', page)
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    assert "http" not in "".join(re.findall(r'src="([^"]+)"', page))
    assert "@media print" in page


async def test_moderation_and_deletion_change_the_figures_at_once(db: Database) -> None:
    """No cached aggregates: a rejection or a /radera shows up in the next summary."""
    from storage import feedback as feedback_repo
    from storage import moderation

    period = parse_period("2024-Q3", NOW)
    pending_alidhem = await db.fetchval(
        "SELECT id FROM feedback WHERE district = 'alidhem' AND status = 'pending' "
        "AND created_at LIKE '2024-08-%' ORDER BY id LIMIT 1"
    )
    assert await moderation.decide(
        db, pending_alidhem, moderator_id=ADMIN, approve=False, reason="spam"
    )
    summary = await compute_summary(db, COUNCIL, ALL, period)
    assert summary.total.count == Q3_TOTAL - 1
    assert dict(summary.by_district)["alidhem"].count == 5
    # Pseudonym "p1" owns some Q3 rows; deleting the resident removes them from the figures.
    owned = await db.fetchval(
        "SELECT COUNT(*) FROM feedback WHERE pseudonym = 'p1' AND status != 'rejected' "
        "AND created_at >= ? AND created_at < ?",
        (period.start_iso, period.end_iso),
    )
    await feedback_repo.delete_resident(db, "p1", 123)
    summary = await compute_summary(db, COUNCIL, ALL, period)
    assert owned > 0 and summary.total.count == Q3_TOTAL - 1 - owned


def test_a_summary_of_every_district_fits_in_one_telegram_message() -> None:
    from bot.summary import build_summary
    from storage.summary import GroupRow, Quote

    rows = [
        GroupRow(d.id, f.id, 1234, 1200, 4000)
        for d in COUNCIL.districts
        for f in COUNCIL.focus_areas
    ]
    period = parse_period("2024", NOW)
    summary = build_summary(ALL, period, rows, rows, COUNCIL)
    summary.quotes = [
        Quote(i, "2024-05-01T00:00:00.000Z", "ersboda", "narkotika", "å" * 900) for i in range(3)
    ]
    text = render_summary(summary, COUNCIL, SV, "sv")
    assert len(text) <= 4096
    assert "Ersboda (Västra och Östra): 4 936 (trygghet 3,3)" in text.replace("\xa0", " ")


def test_trend_chart_writes_0_for_an_empty_quarter_and_hides_1_to_4(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    figures: list[Figure] = []

    def keep(fig: Figure) -> bytes:
        figures.append(fig)
        return b""

    monkeypatch.setattr(charts, "_png", keep)
    points = [("K1", Stat()), ("K2", Stat(3, 3, 9)), ("K3", Stat(7, 7, 21))]
    charts.trend_chart(points, "Trend", SV, "sv")
    labels = [text.get_text() for text in figures[0].axes[0].texts]
    assert labels == ["0", "färre än 5", "7"]


async def test_report_for_the_running_year_in_english(db: Database) -> None:
    page = report.render_report(
        await report.compute_report(db, 2026), COUNCIL, translations("en"), "en", NOW
    )
    assert "The year is not over: the figures run up to and including 28 November 2026." in page
    assert "it is extended until further notice" in page
