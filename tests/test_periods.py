"""Period parsing: the phrases people write (Swedish and English), whole periods only, future
periods and years before any data, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import translations
from bot.periods import PeriodError, days_help, help_text, parse_period

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_default_is_the_current_month() -> None:
    period = parse_period(None, NOW)
    assert (period.start_iso, period.end_iso) == (
        "2026-10-31T23:00:00.000Z",
        "2026-11-30T23:00:00.000Z",
    )
    assert period.previous().label(translations("sv"), "sv") == "oktober 2026"
    assert period.label(translations("sv"), "sv") == "november 2026"


DEC = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("förra månaden", "november 2026"),
        ("Förra månaden", "november 2026"),
        ("denna månad", "december 2026"),
        ("den här månaden", "december 2026"),
        ("december", "december 2026"),
        ("november", "november 2026"),
        ("december 2025", "december 2025"),
        ("dec 2025", "december 2025"),
        ("2025 december", "december 2025"),
        ("förra veckan", "vecka 48 2026"),
        ("denna vecka", "vecka 49 2026"),
        ("vecka 48", "vecka 48 2026"),
        ("2026-W48", "vecka 48 2026"),
        ("i år", "2026"),
        ("i fjol", "2025"),
        ("förra året", "2025"),
        ("2026-Q4", "kvartal 4 2026"),
        ("2026 kv4", "kvartal 4 2026"),
        ("kv4 2026", "kvartal 4 2026"),
        ("förra kvartalet", "kvartal 3 2026"),
        ("last month", "november 2026"),
        ("this month", "december 2026"),
        ("last week", "vecka 48 2026"),
        ("this year", "2026"),
        ("last year", "2025"),
        ("Q4 2026", "kvartal 4 2026"),
        ("December 2025", "december 2025"),
        ("Q3", "kvartal 3 2026"),
    ],
)
def test_phrases_people_write(text: str, label: str) -> None:
    assert parse_period(text, DEC).label(translations("sv"), "sv") == label


def test_a_month_without_a_year_is_the_latest_that_has_begun() -> None:
    # In November 2026, "december" is December 2025 (December 2026 has not begun).
    assert parse_period("december", NOW).label(translations("sv"), "sv") == "december 2025"


@pytest.mark.parametrize("text", ["2027", "9999", "9999-Q4", "januari 2027", "2026-12", "Q4 2099"])
def test_a_future_period_says_so(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text, NOW)
    assert info.value.kind == "future"


@pytest.mark.parametrize("text", ["0000", "1999", "1850", "0000-Q1", "kv2 1066"])
def test_a_year_long_before_any_data(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text, NOW)
    assert info.value.kind == "before"


@pytest.mark.parametrize("text", ["30d", "31d", "7 dagar", "90 days", "0d", "99999d"])
def test_day_counts_are_refused_kindly(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text, NOW)
    assert info.value.kind == "days"
    advice = days_help(translations("sv"), text)
    assert f"”{text}”" in advice and "förra månaden" in advice
    assert "last month" in days_help(translations("en"), text)


@pytest.mark.parametrize(
    "text", ["2024-Q3", "2024 kv3", "2024-kv3", "kv3 2024", "2024 q3", "Q3 2024"]
)
def test_quarter_forms_follow_swedish_local_time(text: str) -> None:
    period = parse_period(text, NOW)
    # Midnight 1 July in Stockholm (summer time) is 22:00 UTC the day before; half-open end.
    assert period.start_iso == "2024-06-30T22:00:00.000Z"
    assert period.end_iso == "2024-09-30T22:00:00.000Z"
    prev = period.previous()
    assert (prev.start_iso, prev.end_iso) == ("2024-03-31T22:00:00.000Z", period.start_iso)
    assert period.label(translations("sv"), "sv") == "kvartal 3 2024"


def test_year_and_its_previous_year() -> None:
    period = parse_period("2024", NOW)
    assert (period.start_iso, period.end_iso) == (
        "2023-12-31T23:00:00.000Z",
        "2024-12-31T23:00:00.000Z",
    )
    assert period.previous().label(translations("sv"), "sv") == "2023"


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("vecka", "2026-11-22T23:00:00.000Z", "2026-11-29T23:00:00.000Z", "vecka 48 2026"),
        ("week", "2026-11-22T23:00:00.000Z", "2026-11-29T23:00:00.000Z", "vecka 48 2026"),
        ("månad", "2026-10-31T23:00:00.000Z", "2026-11-30T23:00:00.000Z", "november 2026"),
        ("Month", "2026-10-31T23:00:00.000Z", "2026-11-30T23:00:00.000Z", "november 2026"),
        ("kvartal", "2026-09-30T22:00:00.000Z", "2026-12-31T23:00:00.000Z", "kvartal 4 2026"),
        ("quarter", "2026-09-30T22:00:00.000Z", "2026-12-31T23:00:00.000Z", "kvartal 4 2026"),
        ("år", "2025-12-31T23:00:00.000Z", "2026-12-31T23:00:00.000Z", "2026"),
        ("year", "2025-12-31T23:00:00.000Z", "2026-12-31T23:00:00.000Z", "2026"),
        ("2024-02", "2024-01-31T23:00:00.000Z", "2024-02-29T23:00:00.000Z", "februari 2024"),
    ],
)
def test_words_and_forms(text: str, start: str, end: str, label: str) -> None:
    period = parse_period(text, NOW)
    assert (period.start_iso, period.end_iso) == (start, end)
    assert period.label(translations("sv"), "sv") == label


def test_previous_week_and_month() -> None:
    assert parse_period("vecka", NOW).previous().label(translations("sv"), "sv") == "vecka 47 2026"
    assert parse_period("månad", NOW).previous().label(translations("sv"), "sv") == "oktober 2026"
    # January's previous month is December of the year before.
    assert parse_period("2025-01", NOW).previous().label(translations("sv"), "sv") == (
        "december 2024"
    )


@pytest.mark.parametrize(
    "text", ["igår", "2024-Q5", "kv0 2024", "2024-13", "vecka 3x", "vecka 54 2024", "förrförra"]
)
def test_bad_input_raises_a_typed_error(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text, NOW)
    assert info.value.text == text and info.value.kind == "unknown"


def test_help_text_has_examples_in_both_languages() -> None:
    sv = help_text(translations("sv"), "sammanfattning", "Ersboda")
    assert "/sammanfattning 2026-Q4" in sv and "/sammanfattning förra månaden" in sv
    assert "/sammanfattning Ersboda 2026 kv4" in sv and "30d" not in sv
    assert "/export i år" in help_text(translations("sv"), "export")
    en = help_text(translations("en"), "summary")
    assert "/summary last month" in en and "For example" in en
