"""Reading a period the way council members write it: "kvartal", "2024-Q3", "2024 kv3", "30d" …

Calendar periods (week, month, quarter, year) follow Swedish local time (Europe/Stockholm) and
are turned into a half-open UTC range, so a summary for "mars" counts what residents sent in
March as they experienced it. Every period knows its previous equal period, which the summary
compares against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from babel.support import NullTranslations

from bot.i18n import N_, TIMEZONE, format_date
from storage.timestamps import utc_iso

Kind = Literal["week", "month", "quarter", "year", "days"]

DEFAULT_DAYS = 30
MAX_DAYS = 3660

# Words for "the current calendar …" in both languages.
_WORDS: dict[str, Kind] = {
    "vecka": "week",
    "veckan": "week",
    "week": "week",
    "månad": "month",
    "månaden": "month",
    "manad": "month",
    "month": "month",
    "kvartal": "quarter",
    "kvartalet": "quarter",
    "quarter": "quarter",
    "år": "year",
    "året": "year",
    "ar": "year",
    "year": "year",
}
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*(?:q|kv|kvartal|quarter)\s*([1-4])$")
_QUARTER_FIRST = re.compile(r"^(?:q|kv|kvartal|quarter)\s*([1-4])\s*[-/ ]?\s*(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAYS = re.compile(r"^(\d{1,4})\s*(?:d|dagar|dag|days|day)$")


class PeriodError(ValueError):
    """The text is not a period we can read; the handler answers with help and examples."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text if len(text) <= 60 else text[:60] + "…"  # quoted back: keep it short


@dataclass(frozen=True)
class Period:
    """A half-open UTC range ``[start, end)`` and what it is called."""

    kind: Kind
    start: datetime
    end: datetime
    # For calendar periods: year and the number within it (week, month or quarter).
    year: int = 0
    number: int = 0
    days: int = 0

    @property
    def start_iso(self) -> str:
        return utc_iso(self.start)

    @property
    def end_iso(self) -> str:
        return utc_iso(self.end)

    def previous(self) -> Period:
        """The previous period of the same kind and length (calendar-aware)."""
        if self.kind == "days":
            return Period("days", self.start - (self.end - self.start), self.start, days=self.days)
        local_start = self.start.astimezone(TIMEZONE).date()
        return calendar_period(self.kind, local_start - timedelta(days=1))

    def label(self, t: NullTranslations, locale: str) -> str:
        """Short name: "kvartal 3 2024", "november 2026", "vecka 48 2026" …."""
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return t.gettext("kvartal {quarter} {year}").format(quarter=self.number, year=self.year)
        if self.kind == "month":
            return format_date(date(self.year, self.number, 1), locale, "LLLL y")
        if self.kind == "week":
            return t.gettext("vecka {week} {year}").format(week=self.number, year=self.year)
        return t.ngettext("senaste dygnet", "senaste {days} dagarna", self.days).format(
            days=self.days
        )

    def range_text(self, locale: str) -> str:
        """The dates covered, in local time, e.g. "1 juli 2024 – 30 september 2024"."""
        first = self.start.astimezone(TIMEZONE)
        last = (self.end - timedelta(microseconds=1)).astimezone(TIMEZONE)
        return f"{format_date(first, locale)} – {format_date(last, locale)}"

    def title(self, t: NullTranslations, locale: str) -> str:
        """Label plus dates, as a heading."""
        return f"{self.label(t, locale)} ({self.range_text(locale)})"


def _local_midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TIMEZONE).astimezone(UTC)


def calendar_period(kind: Kind, day: date) -> Period:
    """The calendar week/month/quarter/year (Swedish local time) that contains ``day``."""
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=7)
        iso = first.isocalendar()
        return Period(
            "week", _local_midnight_utc(first), _local_midnight_utc(last), iso.year, iso.week
        )
    if kind == "month":
        first = day.replace(day=1)
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return Period(
            "month", _local_midnight_utc(first), _local_midnight_utc(nxt), day.year, day.month
        )
    if kind == "quarter":
        quarter = (day.month - 1) // 3 + 1
        return quarter_period(day.year, quarter)
    if kind == "year":
        return year_period(day.year)
    raise ValueError(kind)


def quarter_period(year: int, quarter: int) -> Period:
    first = date(year, 3 * (quarter - 1) + 1, 1)
    nxt = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period("quarter", _local_midnight_utc(first), _local_midnight_utc(nxt), year, quarter)


def year_period(year: int) -> Period:
    return Period(
        "year",
        _local_midnight_utc(date(year, 1, 1)),
        _local_midnight_utc(date(year + 1, 1, 1)),
        year,
    )


def last_days(days: int, now: datetime) -> Period:
    """The rolling window ending now (not calendar days)."""
    end = now.astimezone(UTC)
    return Period("days", end - timedelta(days=days), end, days=days)


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def parse_period(text: str | None, now: datetime | None = None) -> Period:
    """Read a period; empty means the last 30 days. Raise :class:`PeriodError` otherwise."""
    current = _now(now)
    raw = (text or "").strip()
    if not raw:
        return last_days(DEFAULT_DAYS, current)
    norm = re.sub(r"\s+", " ", raw.casefold())
    today = current.astimezone(TIMEZONE).date()
    if norm in _WORDS:
        return calendar_period(_WORDS[norm], today)
    if match := _YEAR.match(norm):
        return _checked(year_period(int(match.group(1))), raw)
    if match := _QUARTER.match(norm):
        return _checked(quarter_period(int(match.group(1)), int(match.group(2))), raw)
    if match := _QUARTER_FIRST.match(norm):
        return _checked(quarter_period(int(match.group(2)), int(match.group(1))), raw)
    if match := _MONTH.match(norm):
        month = int(match.group(2))
        if 1 <= month <= 12:
            return _checked(calendar_period("month", date(int(match.group(1)), month, 1)), raw)
    if match := _DAYS.match(norm):
        days = int(match.group(1))
        if 1 <= days <= MAX_DAYS:
            return last_days(days, current)
    raise PeriodError(raw)


def _checked(period: Period, raw: str) -> Period:
    """Years far outside anything the bot can hold are typos, not periods."""
    if not 2000 <= period.year <= 2100:
        raise PeriodError(raw)
    return period


def help_text(t: NullTranslations, command: str, place: str | None = None) -> str:
    """A short help with examples, for a period (or place) we could not read; ``place`` (the
    council's example district) for commands that also take one."""
    lines = [
        t.gettext("Skriv till exempel:"),
        f"/{command}",
        f"/{command} {t.gettext('kvartal')}",
        f"/{command} 2024-Q3",
        f"/{command} {place} 2024 kv3" if place else f"/{command} 2024 kv3",
        f"/{command} 30d",
        t.gettext(
            "Perioder: vecka, månad, kvartal, år (den pågående), ett år som 2024, ett kvartal "
            "som 2024-Q3 eller 2024 kv3, en månad som 2024-05, eller antal dagar som 30d. "
            "Utan period visas de senaste 30 dagarna."
        ),
    ]
    return "\n".join(lines)


# Marked for extraction: the handler shows them as examples.
_EXAMPLE_WORDS = (N_("kvartal"),)
