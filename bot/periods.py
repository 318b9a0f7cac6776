"""Reading a period the way council members write it: "förra månaden", "december 2025",
"2026-Q4", "ersboda 2026 kv4", "last month", "Q4 2026" …

Only whole calendar periods exist (week, month, quarter, year, in Swedish local time,
Europe/Stockholm), turned into a half-open UTC range. Arbitrary day counts ("30d") are refused
on purpose: two overlapping windows ("30d" and "31d") differ by a day or two, and subtracting
them would show one resident's feedback and rating. Every period knows its previous equal
period, which the summary compares against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from babel.support import NullTranslations

from bot.i18n import N_, TIMEZONE, format_date
from storage.timestamps import utc_iso

Kind = Literal["week", "month", "quarter", "year"]
ErrorKind = Literal["unknown", "days", "future", "before"]

# The first year a period may name; anything earlier certainly predates the bot's data.
FIRST_YEAR = 2000

_UNITS: dict[str, Kind] = {
    "vecka": "week",
    "veckan": "week",
    "veckas": "week",
    "week": "week",
    "månad": "month",
    "månaden": "month",
    "manad": "month",
    "manaden": "month",
    "month": "month",
    "kvartal": "quarter",
    "kvartalet": "quarter",
    "quarter": "quarter",
    "år": "year",
    "året": "year",
    "ar": "year",
    "aret": "year",
    "year": "year",
}
_THIS = {"denna", "detta", "den här", "det här", "den har", "det har", "this", "current", "i"}
_LAST = {"förra", "forra", "föregående", "foregaende", "senaste", "last", "previous"}
_SHORTCUTS: dict[str, tuple[Kind, int]] = {
    "i år": ("year", 0),
    "i ar": ("year", 0),
    "i fjol": ("year", -1),
    "ifjol": ("year", -1),
    "i förra veckan": ("week", -1),
}
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "january", "jan"),
        ("februari", "february", "feb"),
        ("mars", "march", "mar"),
        ("april", "apr"),
        ("maj", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("augusti", "august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_Q = r"(?:q|kv|kvartal|quarter)"
_YEAR = re.compile(r"^(\d{1,6})$")
_QUARTER = re.compile(rf"^(\d{{1,6}})\s*[-/ ]?\s*{_Q}\s*([0-9]+)$")
_QUARTER_FIRST = re.compile(rf"^{_Q}\s*([0-9]+)(?:\s*[-/ ]?\s*(\d{{1,6}}))?$")
_MONTH_NUMBER = re.compile(r"^(\d{1,6})-(\d{1,2})$")
_MONTH_NAME = re.compile(r"^([a-zåäö]+)\.?(?: (\d{1,6}))?$")
_NAME_AFTER_YEAR = re.compile(r"^(\d{1,6}) ([a-zåäö]+)\.?$")
_WEEK = re.compile(r"^(?:v|v\.|vecka|week|w)\s*(\d{1,2})(?:\s*[-/ ]?\s*(\d{1,6}))?$")
_ISO_WEEK = re.compile(r"^(\d{1,6})-?w(\d{1,2})$")
_DAYS = re.compile(r"^(\d+)\s*(?:d|dag|dagar|dagarna|day|days)$")
_RELATIVE = re.compile(r"^(.+?) (\S+)$")


class PeriodError(ValueError):
    """The text is not a period we can give figures for; ``kind`` says why, so the handler can
    answer kindly: "unknown" (not a period), "days" (a day count, not a whole period),
    "future" (has not started), "before" (long before the bot had any data)."""

    def __init__(self, text: str, kind: ErrorKind = "unknown") -> None:
        super().__init__(text)
        self.text = text if len(text) <= 60 else text[:60] + "…"  # quoted back: keep it short
        self.kind = kind


@dataclass(frozen=True)
class Period:
    """A half-open UTC range ``[start, end)`` and what it is called."""

    kind: Kind
    start: datetime
    end: datetime
    # Year and the number within it (week, month or quarter; 0 for a year).
    year: int = 0
    number: int = 0

    @property
    def start_iso(self) -> str:
        return utc_iso(self.start)

    @property
    def end_iso(self) -> str:
        return utc_iso(self.end)

    def previous(self) -> Period:
        """The previous period of the same kind (calendar-aware)."""
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
        return t.gettext("vecka {week} {year}").format(week=self.number, year=self.year)

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


def shifted(kind: Kind, today: date, steps: int) -> Period:
    """The calendar period ``steps`` before (negative) or after the one containing ``today``."""
    period = calendar_period(kind, today)
    for _ in range(-steps):
        period = period.previous()
    return period


def local_today(moment: datetime) -> date:
    """The Swedish local date of a moment (the calendar every period follows)."""
    return moment.astimezone(TIMEZONE).date()


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def normalise(text: str) -> str:
    """Lower case, single spaces, no commas or trailing dots: how the patterns read it."""
    return re.sub(r"\s+", " ", text.casefold().replace(",", " ")).strip(" .")


def parse_period(text: str | None, now: datetime | None = None) -> Period:
    """Read a period; empty means the current month. Raise :class:`PeriodError` otherwise.

    A period that has not started yet, or a year before :data:`FIRST_YEAR`, is an error of its
    own kind, so the answer can say so instead of showing an empty table.
    """
    current = _now(now)
    today = current.astimezone(TIMEZONE).date()
    raw = (text or "").strip()
    if not raw:
        return calendar_period("month", today)
    period = _read(normalise(raw), today, raw)
    if period.start > current:
        raise PeriodError(raw, "future")
    return period


def _year(value: str, today: date, raw: str) -> int:
    """A written year, checked before any date is built from it (9999 + 1 does not exist)."""
    year = int(value)
    if year > today.year:
        raise PeriodError(raw, "future")
    if year < FIRST_YEAR:
        raise PeriodError(raw, "before")
    return year


def _latest_month(month: int, today: date) -> int:
    """A month named without a year is the latest one that has begun ("december" in November
    2026 is December 2025)."""
    return today.year if month <= today.month else today.year - 1


def _read(norm: str, today: date, raw: str) -> Period:
    if norm in _UNITS:
        return calendar_period(_UNITS[norm], today)
    if norm in _SHORTCUTS:
        kind, steps = _SHORTCUTS[norm]
        return shifted(kind, today, steps)
    if (match := _RELATIVE.match(norm)) and match.group(2) in _UNITS:
        word = match.group(1)
        if word in _THIS:
            return calendar_period(_UNITS[match.group(2)], today)
        if word in _LAST:
            return shifted(_UNITS[match.group(2)], today, -1)
    if match := _YEAR.match(norm):
        return year_period(_year(match.group(1), today, raw))
    if match := _QUARTER.match(norm):
        return _quarter(_year(match.group(1), today, raw), int(match.group(2)), raw)
    if match := _QUARTER_FIRST.match(norm):
        quarter = int(match.group(1))
        if match.group(2):
            return _quarter(_year(match.group(2), today, raw), quarter, raw)
        year = today.year if 1 <= quarter <= (today.month - 1) // 3 + 1 else today.year - 1
        return _quarter(year, quarter, raw)
    if match := _MONTH_NUMBER.match(norm):
        month = int(match.group(2))
        if 1 <= month <= 12:
            return calendar_period("month", date(_year(match.group(1), today, raw), month, 1))
    if (match := _MONTH_NAME.match(norm)) and match.group(1) in _MONTHS:
        month = _MONTHS[match.group(1)]
        named = _year(match.group(2), today, raw) if match.group(2) else 0
        return calendar_period("month", date(named or _latest_month(month, today), month, 1))
    if (match := _NAME_AFTER_YEAR.match(norm)) and match.group(2) in _MONTHS:
        month = _MONTHS[match.group(2)]
        return calendar_period("month", date(_year(match.group(1), today, raw), month, 1))
    if match := _WEEK.match(norm):
        year = _year(match.group(2), today, raw) if match.group(2) else today.isocalendar().year
        return _week(year, int(match.group(1)), raw, latest=not match.group(2), today=today)
    if match := _ISO_WEEK.match(norm):
        return _week(_year(match.group(1), today, raw), int(match.group(2)), raw)
    if _DAYS.match(norm):
        raise PeriodError(raw, "days")
    raise PeriodError(raw)


def _quarter(year: int, quarter: int, raw: str) -> Period:
    if not 1 <= quarter <= 4:
        raise PeriodError(raw)
    return quarter_period(year, quarter)


def _week(
    year: int, week: int, raw: str, *, latest: bool = False, today: date | None = None
) -> Period:
    """ISO week ``week`` of ``year``; without a year, the latest such week that has begun."""
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(raw) from None
    if latest and today is not None and monday > today:
        try:
            monday = date.fromisocalendar(year - 1, week, 1)
        except ValueError:
            raise PeriodError(raw) from None
    return calendar_period("week", monday)


def help_text(t: NullTranslations, command: str, place: str | None = None) -> str:
    """A short help with examples, for a period (or place) we could not read; ``place`` (the
    council's example district) for commands that also take one."""
    lines = [
        t.gettext("Skriv till exempel:"),
        f"/{command}",
        f"/{command} {t.gettext('förra månaden')}",
        f"/{command} {t.gettext('december 2025')}",
        f"/{command} 2026-Q4",
        f"/{command} {place} 2026 kv4" if place else f"/{command} {t.gettext('i år')}",
        t.gettext(
            "Perioder är hela veckor, månader, kvartal eller år: förra veckan, denna månad, "
            "december, december 2025, 2026-Q4, 2026 kv4, i år, 2025. Utan period visas "
            "den pågående månaden."
        ),
    ]
    return "\n".join(lines)


def days_help(t: NullTranslations, days: str) -> str:
    """Why "30d" is refused, and what to write instead."""
    return t.gettext(
        "Jag visar bara hela perioder (veckor, månader, kvartal eller år), inte ett antal dagar "
        "som ”{days}”. Två nästan lika långa perioder skulle annars kunna räknas fram till en "
        "enskild persons svar. Skriv till exempel ”förra månaden” eller ”denna månad”."
    ).format(days=days)


# Marked for extraction: the help shows them as examples.
_EXAMPLE_WORDS = (N_("förra månaden"), N_("december 2025"), N_("i år"))
