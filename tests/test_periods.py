"""Period parsing: Swedish and English words, years, quarters, day counts, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import translations
from bot.periods import PeriodError, help_text, parse_period

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_default_is_the_last_30_days() -> None:
    period = parse_period(None, NOW)
    assert (period.start_iso, period.end_iso) == (
        "2026-10-29T10:00:00.000Z",
        "2026-11-28T10:00:00.000Z",
    )
    assert period.previous().start_iso == "2026-09-29T10:00:00.000Z"
    assert period.label(translations("sv"), "sv") == "senaste 30 dagarna"


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
        ("30d", "2026-10-29T10:00:00.000Z", "2026-11-28T10:00:00.000Z", "senaste 30 dagarna"),
        ("7 dagar", "2026-11-21T10:00:00.000Z", "2026-11-28T10:00:00.000Z", "senaste 7 dagarna"),
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
    "text", ["igår", "2024-Q5", "kv0 2024", "0d", "99999d", "1850", "2024-13", "Q3", "vecka 3x"]
)
def test_bad_input_raises_a_typed_error(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text, NOW)
    assert info.value.text == text


def test_help_text_has_examples_in_both_languages() -> None:
    sv = help_text(translations("sv"), "sammanfattning", "Ersboda")
    assert "/sammanfattning 2024-Q3" in sv and "30d" in sv and "kvartal" in sv
    assert "/sammanfattning Ersboda 2024 kv3" in sv
    assert "/export 2024 kv3" in help_text(translations("sv"), "export")
    en = help_text(translations("en"), "summary")
    assert "/summary quarter" in en and "For example" in en
