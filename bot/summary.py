"""The shared situational picture: compute a summary for a place and period, and render it.

Privacy rule (from the agreement's promise that no resident can be singled out): any group
with fewer than :data:`SMALL_GROUP` feedback is shown as "färre än 5" and its ratings are left
out of every average, including the overall one, so an average can never be traced back to one
or two people.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from babel.support import NullTranslations

from bot.content import Council
from bot.escape import esc
from bot.i18n import N_, format_number
from bot.labels import district_name, topic_name
from bot.periods import Period, PeriodError, parse_period
from storage import summary as repo
from storage.db import Database
from storage.summary import GroupRow, Quote

SMALL_GROUP = 5
QUOTES = 3
QUOTE_MAX_CHARS = 280
MAX_MESSAGE_CHARS = 3900

ALL_PLACES = N_("hela kommunen")
FEWER_THAN = N_("färre än 5")

ScopeKind = Literal["all", "district", "area"]


@dataclass(frozen=True)
class Stat:
    """Counts for one group; it knows whether it may be shown."""

    count: int = 0
    rated: int = 0
    rating_sum: int = 0

    def __add__(self, other: Stat) -> Stat:
        return Stat(
            self.count + other.count,
            self.rated + other.rated,
            self.rating_sum + other.rating_sum,
        )

    @property
    def shown(self) -> bool:
        return self.count >= SMALL_GROUP

    @property
    def count_shown(self) -> bool:
        """The count may be printed: a large group, or none at all (0 identifies nobody)."""
        return self.count == 0 or self.shown

    @property
    def average(self) -> float | None:
        """Mean rating, only when the group and its ratings are both large enough."""
        if self.count < SMALL_GROUP or self.rated < SMALL_GROUP:
            return None
        return self.rating_sum / self.rated


@dataclass(frozen=True)
class Scope:
    """Which districts a summary covers: all, one district, or one area (district group)."""

    kind: ScopeKind
    districts: tuple[str, ...] | None = None  # None = the whole municipality
    key: str = ""  # district id or area name, for labels and callback data

    def label(self, council: Council, t: NullTranslations, locale: str) -> str:
        if self.kind == "district":
            district = council.district(self.key)
            return district.name.get(locale) if district else self.key
        if self.kind == "area":
            for district in council.districts:
                if district.group and district.group.sv == self.key:
                    return district.group.get(locale)
            return self.key
        return t.gettext(ALL_PLACES)


ALL = Scope("all")


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, so "alidhem" finds "Ålidhem"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def find_scope(council: Council, query: str) -> Scope | None:
    """A district or area by id or name (either language); None when nothing matches."""
    q = _fold(query)
    if not q:
        return ALL
    if q in {"alla", "all", "kommunen", "hela kommunen", "whole municipality", "umea"}:
        return ALL
    areas: dict[str, tuple[str, ...]] = defaultdict(tuple)
    area_names: dict[str, str] = {}
    for d in council.districts:
        if d.group:
            areas[d.group.sv] = (*areas[d.group.sv], d.id)
            area_names[_fold(d.group.sv)] = d.group.sv
            area_names[_fold(d.group.en)] = d.group.sv
    for d in council.districts:
        if q == d.id or q in (_fold(d.name.sv), _fold(d.name.en)):
            return Scope("district", (d.id,), d.id)
    if q in area_names:
        key = area_names[q]
        return Scope("area", areas[key], key)
    # A unique prefix or first word: "ersboda", "ålidhem", "teg".
    hits = {
        d.id
        for d in council.districts
        for name in (d.name.sv, d.name.en)
        if _fold(name).startswith(q) and len(q) >= 3
    }
    if len(hits) == 1:
        hit = hits.pop()
        return Scope("district", (hit,), hit)
    area_hits = {key for name, key in area_names.items() if name.startswith(q) and len(q) >= 3}
    if len(area_hits) == 1:
        key = area_hits.pop()
        return Scope("area", areas[key], key)
    return None


@dataclass
class Summary:
    scope: Scope
    period: Period
    previous: Period
    total: Stat
    previous_total: Stat
    by_district: list[tuple[str, Stat]]
    by_topic: list[tuple[str, Stat]]
    average: float | None
    previous_average: float | None
    quotes: list[Quote] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.average is None or self.previous_average is None:
            return None
        return self.average - self.previous_average

    def quotable_districts(self) -> list[str]:
        return [d for d, stat in self.by_district if stat.shown]


def _by(rows: Iterable[GroupRow], key: Literal["district", "topic"]) -> dict[str, Stat]:
    out: dict[str, Stat] = defaultdict(Stat)
    for row in rows:
        out[getattr(row, key)] += Stat(row.count, row.rated, row.rating_sum)
    return dict(out)


def safe_average(groups: Iterable[Stat]) -> float | None:
    """Average over the groups that may be shown; suppressed groups are left out entirely."""
    rated = rating_sum = 0
    for stat in groups:
        if stat.average is not None:
            rated += stat.rated
            rating_sum += stat.rating_sum
    return rating_sum / rated if rated else None


def build_summary(
    scope: Scope,
    period: Period,
    rows: list[GroupRow],
    previous_rows: list[GroupRow],
    council: Council,
) -> Summary:
    """Pure: turn grouped counts into a summary (quotes are added by :func:`compute_summary`)."""
    districts = _by(rows, "district")
    topics = _by(rows, "topic")
    prev_districts = _by(previous_rows, "district")
    total = sum(districts.values(), Stat())
    previous_total = sum(prev_districts.values(), Stat())
    # Areas list all their districts (an empty one is news too); otherwise only those with data.
    if scope.kind == "area" and scope.districts:
        for district_id in scope.districts:
            districts.setdefault(district_id, Stat())
    order = {d.id: i for i, d in enumerate(council.districts)}
    topic_order = {f.id: i for i, f in enumerate(council.focus_areas)}
    by_district = sorted(
        districts.items(), key=lambda kv: (-kv[1].count, order.get(kv[0], len(order)))
    )
    by_topic = sorted(
        topics.items(), key=lambda kv: (topic_order.get(kv[0], len(topic_order)), kv[0])
    )
    return Summary(
        scope=scope,
        period=period,
        previous=period.previous(),
        total=total,
        previous_total=previous_total,
        by_district=by_district,
        by_topic=by_topic,
        average=safe_average(districts.values()) if total.shown else None,
        previous_average=safe_average(prev_districts.values()) if previous_total.shown else None,
    )


async def compute_summary(db: Database, council: Council, scope: Scope, period: Period) -> Summary:
    """Run the queries for a period and its previous equal period, then add quotes."""
    previous = period.previous()
    rows = await repo.group_counts(db, period.start_iso, period.end_iso, scope.districts)
    previous_rows = await repo.group_counts(
        db, previous.start_iso, previous.end_iso, scope.districts
    )
    summary = build_summary(scope, period, rows, previous_rows, council)
    if summary.total.shown:
        summary.quotes = await repo.approved_quotes(
            db, period.start_iso, period.end_iso, summary.quotable_districts(), QUOTES
        )
    return summary


def count_text(stat: Stat, t: NullTranslations, locale: str) -> str:
    """The count, or "färre än 5" for a small group (1–4; 0 is shown as 0)."""
    return format_number(stat.count, locale) if stat.count_shown else t.gettext(FEWER_THAN)


def rating_text(value: float, locale: str) -> str:
    return format_number(value, locale, 1)


def change_text(value: float, locale: str) -> str:
    """Signed with one decimal: "+0,3", "−0,2", "±0,0"."""
    rounded = round(value, 1)
    number = format_number(abs(rounded), locale, 1)
    if rounded > 0:
        return f"+{number}"
    if rounded < 0:
        return f"−{number}"
    return f"±{number}"


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX_CHARS else text[: QUOTE_MAX_CHARS - 1].rstrip() + "…"


def render_summary(
    summary: Summary, council: Council, t: NullTranslations, locale: str, *, heading: str = ""
) -> str:
    """Telegram HTML; every dynamic text escaped."""
    _ = t.gettext
    place = summary.scope.label(council, t, locale)
    lines = [
        "<b>" + esc(heading or _("Lägesbild för {place}").format(place=place)) + "</b>",
        esc(summary.period.title(t, locale)),
        "",
    ]
    lines.append(
        _("Antal synpunkter: <b>{count}</b> (föregående period: {previous})").format(
            count=esc(count_text(summary.total, t, locale)),
            previous=esc(count_text(summary.previous_total, t, locale)),
        )
    )
    if summary.average is None:
        lines.append(_("Upplevd trygghet: för få svar för att visa ett snitt."))
    else:
        average = rating_text(summary.average, locale)
        if summary.change is None:
            lines.append(
                _("Upplevd trygghet: <b>{average} av 5</b> (inget att jämföra med)").format(
                    average=average
                )
            )
        else:
            lines.append(
                _(
                    "Upplevd trygghet: <b>{average} av 5</b> ({change} jämfört med "
                    "föregående period)"
                ).format(average=average, change=change_text(summary.change, locale))
            )
    if not summary.total.count:
        lines += ["", _("Inga synpunkter under perioden.")]
        return "\n".join(lines)
    if summary.total.shown:
        lines += ["", "<b>" + esc(_("Per område")) + "</b>"]
        for district_id, stat in summary.by_district:
            name = esc(district_name(council, district_id, locale, t.gettext))
            if stat.average is not None:
                lines.append(
                    _("• {name}: {count} (trygghet {average})").format(
                        name=name,
                        count=count_text(stat, t, locale),
                        average=rating_text(stat.average, locale),
                    )
                )
            else:
                lines.append(f"• {name}: {esc(count_text(stat, t, locale))}")
        lines += ["", "<b>" + esc(_("Per ämne")) + "</b>"]
        for topic_id, stat in summary.by_topic:
            name = esc(topic_name(council, topic_id, locale, t.gettext))
            lines.append(f"• {name}: {esc(count_text(stat, t, locale))}")
    if summary.quotes:
        lines += ["", "<b>" + esc(_("Röster från invånare")) + "</b>"]
        for quote in summary.quotes:
            where = esc(district_name(council, quote.district, locale, t.gettext))
            lines.append(
                _("”{quote}” – <i>{where}</i>").format(quote=esc(_shorten(quote.text)), where=where)
            )
    lines += [
        "",
        "<i>"
        + esc(_("Grupper med färre än 5 svar visas inte och räknas inte in i snitten."))
        + "</i>",
    ]
    text = "\n".join(lines)
    if len(text) > MAX_MESSAGE_CHARS and summary.quotes:
        # Telegram's limit is 4096 characters: the figures matter more than the quotes.
        return render_summary(replace(summary, quotes=[]), council, t, locale, heading=heading)
    return text


class ArgumentError(ValueError):
    """What a council member wrote after /sammanfattning could not be read.

    ``kind`` is "period" (a place was found but not the period), "place" (a period was found but
    not the place) or "unknown" (neither).
    """

    def __init__(self, kind: Literal["period", "place", "unknown"], text: str) -> None:
        super().__init__(text)
        self.kind = kind
        self.text = text if len(text) <= 60 else text[:60] + "…"  # quoted back: keep it short


def parse_summary_args(
    council: Council, args: list[str], now: datetime | None = None
) -> tuple[Scope, Period]:
    """``[district or area] [period]``: the period is the last one or two words, if any."""
    tokens = [a for a in args if a.strip()]
    for k in (2, 1):
        if len(tokens) < k:
            continue
        try:
            period = parse_period(" ".join(tokens[-k:]), now)
        except PeriodError:
            continue
        place = " ".join(tokens[:-k])
        scope = find_scope(council, place)
        if scope is None:
            raise ArgumentError("place", place)
        return scope, period
    scope = find_scope(council, " ".join(tokens))
    if scope is not None:
        return scope, parse_period(None, now)
    if len(tokens) > 1 and find_scope(council, " ".join(tokens[:-1])) is not None:
        raise ArgumentError("period", tokens[-1])
    raise ArgumentError("unknown", " ".join(tokens))
