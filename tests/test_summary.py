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
from hypothesis import given, settings
from hypothesis import strategies as st
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
from bot.suppression import Protection, protect
from storage import summary as repo
from storage.db import Database
from tests.helpers.reports import extra_ersboda
from tests.test_council_data import Q3_TOTAL, YEAR_2024_TOTAL, dataset

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
    # Tomtebo (3) is hidden, and Ålidhem (6, the next smallest) with it: otherwise
    # 17 − Ersboda 8 − Ålidhem 6 would give Tomtebo's 3.
    assert list(districts) == ["ersboda"] and districts["ersboda"].average == pytest.approx(3.0)
    assert summary.other_districts.count == 9
    # The hidden districts' ratings (9 of them) may enter the overall average: 50/16.
    assert summary.average == pytest.approx(50 / 16)
    # Q2 (10) is hidden in the year's plan: with the year and Q3 it would give Q4's 1.
    assert summary.previous_average is None and not summary.previous_shown
    assert summary.previous_total.count == 10
    # Topics count only rows that keep their district: every Ersboda cell is small or its
    # complement (5 + 3), so no topic is shown ("narkotika 7 − Ersboda 5" would give 2).
    assert summary.by_topic == [] and summary.other_topics.count == 17
    # Ersboda × trygga platser has 3, so Ersboda × narkotika (5) is hidden too: no quotes.
    assert summary.quotes == []

    text = render_summary(summary, COUNCIL, SV, "sv")
    assert "Antal synpunkter: <b>17</b> (föregående period: dolt)" in text
    assert "<b>3,1 av 5</b> (inget att jämföra med)" in text
    assert "• Ersboda (Västra och Östra): 8 (trygghet 3,0)" in text
    assert "• Övriga områden: 9" in text and "• Övriga ämnen: 17" in text
    assert "Tomtebo" not in text and "Ålidhem" not in text and "förtroendet" not in text
    assert "Tomtebo hemlis" not in text and "avvisad" not in text


async def test_quotes_only_from_cells_of_five_or_more(db: Database) -> None:
    await repo.insert_feedback(db, extra_ersboda())
    summary = await compute_summary(db, COUNCIL, ALL, parse_period("2024-Q3", NOW))
    # The approved Ersboda texts are from August and September, where Ersboda is hidden
    # (1 and 4, with Ålidhem and Tomtebo): a quote is a row, so none is quoted.
    assert summary.quotes == []
    text = render_summary(summary, COUNCIL, SV, "sv")
    assert "busshållplatsen" not in text
    # Topics: Ersboda's 5 + 5 only; Ålidhem's and Tomtebo's rows are "övriga ämnen", so
    # "narkotika − Ersboda's narkotika" cannot give a hidden district's count.
    # (Older rows' "narkotika" counts as the resident topic "droger", bot.labels.topic_aliases.)
    assert [(k, v.count) for k, v in summary.by_topic] == [("droger", 5), ("trygga-platser", 5)]
    assert summary.other_topics.count == 9


async def test_everything_small_shows_no_numbers(db: Database) -> None:
    scope = find_scope(COUNCIL, "Tomtebo")
    assert scope == Scope("district", ("tomtebo",), "tomtebo")
    summary = await compute_summary(db, COUNCIL, scope, parse_period("2024-Q3", NOW))
    text = render_summary(summary, COUNCIL, SV, "sv")
    assert "Antal synpunkter: <b>dolt</b>" in text
    assert "för få svar" in text
    assert summary.quotes == [] and "Per område" not in text


async def test_a_district_hidden_as_a_complement_is_hidden_in_its_own_summary_too(
    db: Database,
) -> None:
    """Ålidhem (6) is hidden in the municipality's table; its own summary must not give 6,
    or 17 − 8 − 6 would give Tomtebo's 3."""
    scope = find_scope(COUNCIL, "Ålidhem")
    assert scope is not None
    summary = await compute_summary(db, COUNCIL, scope, parse_period("2024-Q3", NOW))
    text = render_summary(summary, COUNCIL, SV, "sv")
    assert "Antal synpunkter: <b>dolt</b>" in text and ">6<" not in text
    assert summary.average is None and summary.quotes == []


async def test_district_scope_and_area_scope(db: Database) -> None:
    scope, period = parse_summary_args(COUNCIL, ["Ersboda", "2024", "kv3"], NOW)
    summary = await compute_summary(db, COUNCIL, scope, period)
    assert summary.total.count == 8 and summary.average == pytest.approx(3.0)
    assert summary.change is None  # Q2 is hidden in the year's plan (Q4 has 1)
    scope, period = parse_summary_args(COUNCIL, ["östra", "stadsdelarna", "2024-Q3"], NOW)
    assert scope.kind == "area" and "alidhem" in (scope.districts or ())
    summary = await compute_summary(db, COUNCIL, scope, period)
    # The area holds Ålidhem (hidden) but not Tomtebo: its total 6 would give Tomtebo's 3.
    assert summary.total.count == 6 and not summary.total_shown
    text = render_summary(summary, COUNCIL, SV, "sv")
    assert "Antal synpunkter: <b>dolt</b>" in text and "Per område" not in text
    # Q2 (Ålidhem 5, Ersboda 5) is hidden in the year's plan (it would give Q4's 1): the
    # area hides Ålidhem and still lists its empty districts.
    summary = await compute_summary(db, COUNCIL, scope, parse_period("2024-Q2", NOW))
    names = [d for d, _ in summary.by_district]
    assert "alidhem" not in names and "gimonas" in names  # empty districts of the area listed


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
    assert scope == ALL and period.kind == "month" and (period.year, period.number) == (2026, 11)
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
    await repo.insert_feedback(db, extra_ersboda())
    period = parse_period("2024-Q3", NOW)
    rows = await repo.export_rows(db, period.start_iso, period.end_iso)
    protection = Protection.from_rows(await repo.group_counts(db, period.start_iso, period.end_iso))
    data = export.to_csv(export.generalise(rows, protection))
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(parsed) == Q3_TOTAL + 2  # rejected rows are not exported; 2 extra Ersboda rows
    assert list(parsed[0]) == list(export.COLUMNS)
    by_id = {row.id: row for row in rows}
    for back in parsed:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", back["created_at"])  # a date, no time
        if back["generalised"]:
            assert back["district"] == "övriga områden" and back["id"] == ""
            assert back["text"] == "" and back["language"] == ""
            continue
        row = by_id[int(back["id"])]
        assert back["district"] == row.district == "ersboda"
        assert back["text"] == (row.text if row.status == "approved" else "")
    assert sum(1 for r in parsed if r["generalised"]) == 9  # Ålidhem 6 + Tomtebo 3
    assert {r["status"] for r in parsed} == {"pending", "approved"}
    assert not any("avvisad" in r["text"] or "Tomtebo" in r["text"] for r in parsed)
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
    parsed = list(
        csv.reader(
            io.StringIO(export.to_csv(export.generalise([row], Protection())).decode("utf-8-sig"))
        )
    )
    assert parsed[1][7].startswith("'=")


async def test_report_totals(db: Database) -> None:
    data = await report.compute_report(db, 2024)
    page = report.render_report(data, COUNCIL, SV, "sv", NOW)
    assert page.startswith("<!DOCTYPE html>")
    assert f'id="total">{YEAR_2024_TOTAL}<' in page
    # Q4 has 1: hidden, and the next smallest quarter (Q2, 10) with it, or 28 − 17 − 10 = 1.
    assert "data-quarter='3'>17<" in page and "data-quarter='2'>dolt<" in page
    assert "data-quarter='1'>0<" in page  # none at all: 0 identifies nobody
    assert "data-quarter='4'>dolt<" in page
    assert "föregående år: 0" in page  # 2023 had no feedback
    # Tomtebo (3) is not named; it is in "övriga områden" with the next smallest.
    assert "data-district='tomtebo'" not in page and "data-district='ovriga'>" in page
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
    assert summary.other_districts.count == 8  # Ålidhem 5 (still the complement) + Tomtebo 3
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


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefghij"), st.integers(0, 40)))
def test_protect_never_leaves_a_small_group_to_subtraction(counts: dict[str, int]) -> None:
    hidden = protect(counts)
    present = {key for key, count in counts.items() if count > 0}
    # Every group of 1–4 is hidden, and nothing empty is.
    assert {key for key in present if counts[key] < 5} <= hidden <= present
    # "Total − visible groups" is 0 or at least 5, unless everything is hidden (the total is
    # then under 5 and not shown either).
    rest = sum(counts[key] for key in hidden)
    assert rest == 0 or rest >= 5 or hidden == present
    # One hidden group alone would be given by subtraction.
    assert len(hidden) != 1 or hidden == present
