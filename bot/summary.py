"""The shared situational picture: compute a summary for a place and period, and render it.

Every figure goes through the small-group rules of bot/suppression.py (the same for the summary,
the chart, the export, the report and the digest), and only whole calendar periods are accepted
(bot.periods), so overlapping windows cannot be subtracted.
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
from bot.labels import district_name, most_first, topic_aliases, topic_ids, topic_name
from bot.periods import Period, PeriodError, parse_period
from bot.suppression import SMALL_GROUP, Protection, period_view, protect
from storage import summary as repo
from storage.db import Database
from storage.summary import GroupRow, Quote

QUOTES = 3
QUOTE_MAX_CHARS = 280
MAX_MESSAGE_CHARS = 3900

ALL_PLACES = N_("hela kommunen")
FEWER_THAN = N_("färre än 5")
HIDDEN = N_("dolt")
OTHER_DISTRICTS = N_("övriga områden")
OTHER_TOPICS = N_("övriga ämnen")

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
    by_district: list[tuple[str, Stat]]  # the districts that may be shown
    by_topic: list[tuple[str, Stat]]  # the topics that may be shown
    average: float | None
    previous_average: float | None
    quotes: list[Quote] = field(default_factory=list)
    total_shown: bool = True  # False: the scope's count is "dolt" (see Protection)
    previous_shown: bool = True
    other_districts: Stat = field(default_factory=Stat)  # hidden districts together
    other_topics: Stat = field(default_factory=Stat)  # hidden topics together
    protection: Protection = field(default_factory=Protection)

    @property
    def change(self) -> float | None:
        if self.average is None or self.previous_average is None:
            return None
        return self.average - self.previous_average

    @property
    def figures_shown(self) -> bool:
        """Whether per-district and per-topic figures may be listed at all."""
        return self.total_shown and self.total.shown

    def quotable_cells(self, rows: Iterable[GroupRow]) -> list[tuple[str, str]]:
        """(district, topic) cells large enough to quote from: visible district, ≥ 5 there.
        A quote must also come from a month that shows its cell (see compute_summary)."""
        return [
            (row.district, row.topic)
            for row in rows
            if row.count >= SMALL_GROUP and not self.protection.row_hidden(row.district, row.topic)
        ]


def _by(rows: Iterable[GroupRow], key: Literal["district", "topic"]) -> dict[str, Stat]:
    out: dict[str, Stat] = defaultdict(Stat)
    for row in rows:
        out[getattr(row, key)] += Stat(row.count, row.rated, row.rating_sum)
    return dict(out)


def safe_average(groups: Iterable[Stat], hidden: Iterable[Stat] = ()) -> float | None:
    """Average over the groups that show their own average, plus the hidden or unrated-enough
    ones only when their ratings together number 0 or at least 5 (then subtracting the shown
    averages reveals at most the mean of 5 or more people)."""
    shown_rated = shown_sum = other_rated = other_sum = 0
    for stat in groups:
        if stat.average is not None:
            shown_rated += stat.rated
            shown_sum += stat.rating_sum
        else:
            other_rated += stat.rated
            other_sum += stat.rating_sum
    for stat in hidden:
        other_rated += stat.rated
        other_sum += stat.rating_sum
    if other_rated >= SMALL_GROUP:
        shown_rated += other_rated
        shown_sum += other_sum
    return shown_sum / shown_rated if shown_rated else None


def build_summary(
    scope: Scope,
    period: Period,
    rows: list[GroupRow],
    previous_rows: list[GroupRow],
    council: Council,
    protection: Protection | None = None,
    previous_protection: Protection | None = None,
) -> Summary:
    """Pure: turn grouped counts into a summary (quotes are added by :func:`compute_summary`).

    ``protection`` is decided on the whole municipality's rows of the period (for a narrower
    scope the caller passes it; for the whole municipality it is computed from ``rows``).
    """
    protection = protection or Protection.from_rows(rows)
    previous_protection = previous_protection or Protection.from_rows(previous_rows)
    districts = _by(rows, "district")
    # Topics count only rows that keep their district (as in the export); the rest are
    # "övriga ämnen", so a topic minus the visible districts never gives a hidden group.
    topics = _by((r for r in rows if not protection.row_hidden(r.district, r.topic)), "topic")
    prev_districts = _by(previous_rows, "district")
    total = sum(districts.values(), Stat())
    previous_total = sum(prev_districts.values(), Stat())
    total_shown = protection.total_shown(scope.districts)
    previous_shown = previous_protection.total_shown(scope.districts)
    # Areas list all their districts (an empty one is news too); otherwise only those with data.
    if scope.kind == "area" and scope.districts:
        for district_id in scope.districts:
            districts.setdefault(district_id, Stat())
    visible = {d: s for d, s in districts.items() if d not in protection.districts}
    hidden = [s for d, s in districts.items() if d in protection.districts]
    hidden_topics = protect({topic: stat.count for topic, stat in topics.items()})
    shown_topics = sum((v for k, v in topics.items() if k not in hidden_topics), Stat())
    # The residents' topics in the file's order, then older rows' focus areas.
    topic_order = {
        t: i for i, t in enumerate([*topic_ids(council), *(f.id for f in council.focus_areas)])
    }
    by_district = sorted(visible.items(), key=lambda kv: most_first(council, kv[0], kv[1].count))
    by_topic = sorted(
        ((k, v) for k, v in topics.items() if k not in hidden_topics),
        key=lambda kv: (topic_order.get(kv[0], len(topic_order)), kv[0]),
    )
    prev_hidden = [s for d, s in prev_districts.items() if d in previous_protection.districts]
    prev_visible = [s for d, s in prev_districts.items() if d not in previous_protection.districts]
    return Summary(
        scope=scope,
        period=period,
        previous=period.previous(),
        total=total,
        previous_total=previous_total,
        by_district=by_district,
        by_topic=by_topic,
        average=safe_average(visible.values(), hidden) if total_shown and total.shown else None,
        previous_average=safe_average(prev_visible, prev_hidden)
        if previous_shown and previous_total.shown
        else None,
        total_shown=total_shown,
        previous_shown=previous_shown,
        other_districts=sum(hidden, Stat()),
        other_topics=Stat(total.count - shown_topics.count),
        protection=protection,
    )


async def compute_summary(db: Database, council: Council, scope: Scope, period: Period) -> Summary:
    """The figures of a period and its previous equal period, then quotes.

    The small-group rules are decided on the whole municipality's table, together with the
    nested periods (bot.suppression.period_view), so a narrower scope hides exactly the groups
    the municipality's table hides, and no period can be subtracted from another. Older
    topic ids count as the council's current topic (bot.labels.topic_aliases).
    """
    aliases = topic_aliases(council)
    view = await period_view(db, period, aliases)
    before = await period_view(db, period.previous(), aliases)
    rows, previous_rows = view.rows, before.rows
    if scope.districts is not None:
        inside = set(scope.districts)
        rows = [row for row in rows if row.district in inside]
        previous_rows = [row for row in previous_rows if row.district in inside]
    summary = build_summary(
        scope, period, rows, previous_rows, council, view.protection, before.protection
    )
    if summary.figures_shown:
        # Newest first, each from a month that shows its district × topic (a quote is a row).
        candidates = await repo.approved_quotes(
            db,
            period.start_iso,
            period.end_iso,
            summary.quotable_cells(rows),
            QUOTES * 20,
            aliases,
        )
        summary.quotes = [
            quote
            for quote in candidates
            if not view.protection.row_hidden_at(quote.district, quote.topic, quote.created_at)
        ][:QUOTES]
    return summary


def count_text(stat: Stat, t: NullTranslations, locale: str, *, shown: bool = True) -> str:
    """The count, "färre än 5" for a small group (1–4; 0 is shown as 0), or "dolt" when
    ``shown`` is False (hidden so that a smaller group cannot be worked out)."""
    if not shown:
        return t.gettext(HIDDEN)
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


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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
            count=esc(count_text(summary.total, t, locale, shown=summary.total_shown)),
            previous=esc(
                count_text(
                    summary.previous_total,
                    t,
                    locale,
                    shown=summary.previous_shown,
                )
            ),
        )
    )
    if not summary.total_shown and summary.scope.kind == "all":
        lines.append(
            _(
                "Siffrorna för hela kommunen visas inte för den här perioden: de är för få, "
                "eller döljs så att en annan period inte kan räknas fram ur året eller "
                "kvartalet. Välj en längre period."
            )
        )
    elif not summary.total_shown:
        lines.append(
            _(
                "Det här området visas inte för sig under perioden: det har färre än 5 "
                "synpunkter, eller döljs så att ett annat litet område inte kan räknas fram. "
                "Välj en längre period eller hela kommunen."
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
    if summary.figures_shown:
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
        if summary.other_districts.count:
            lines.append(
                f"• {esc(_capital(_(OTHER_DISTRICTS)))}: "
                f"{esc(count_text(summary.other_districts, t, locale))}"
            )
        lines += ["", "<b>" + esc(_("Per ämne")) + "</b>"]
        for topic_id, stat in summary.by_topic:
            name = esc(topic_name(council, topic_id, locale, t.gettext, with_area=True))
            lines.append(f"• {name}: {esc(count_text(stat, t, locale))}")
        if summary.other_topics.count:
            lines.append(
                f"• {esc(_capital(_(OTHER_TOPICS)))}: "
                f"{esc(count_text(summary.other_topics, t, locale))}"
            )
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
        + esc(
            _(
                "Grupper med färre än 5 svar visas inte för sig: de ingår i ”övriga”, och "
                "ibland döljs ytterligare en grupp så att ingen kan räkna fram en liten grupp."
            )
        )
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


MAX_WORDS = 8


def parse_summary_args(
    council: Council, args: list[str], now: datetime | None = None
) -> tuple[Scope, Period]:
    """``[district or area] [period]`` in any order ("ersboda 2026 kv4", "2026-Q4 ersboda").

    The longest run of words that reads as a period wins; the words around it name the place.
    A period error of a telling kind (future, a day count, before any data) is raised as
    :class:`PeriodError` so the answer can say exactly that.
    """
    tokens = [a for a in " ".join(args).split() if a]
    if len(tokens) > MAX_WORDS:
        raise ArgumentError("unknown", " ".join(tokens))
    telling: PeriodError | None = None
    place_error: ArgumentError | None = None
    for length in range(len(tokens), 0, -1):
        for first in range(len(tokens) - length + 1):
            span = tokens[first : first + length]
            place = " ".join(tokens[:first] + tokens[first + length :])
            try:
                period = parse_period(" ".join(span), now)
            except PeriodError as error:
                if error.kind != "unknown" and telling is None and find_scope(council, place):
                    telling = error
                continue
            scope = find_scope(council, place)
            if scope is not None:
                return scope, period
            place_error = place_error or ArgumentError("place", place)
    if telling is not None:
        raise telling
    scope = find_scope(council, " ".join(tokens))
    if scope is not None:
        return scope, parse_period(None, now)
    if place_error is not None:
        raise place_error
    for cut in range(len(tokens) - 1, 0, -1):
        if find_scope(council, " ".join(tokens[:cut])) is not None:
            raise ArgumentError("period", " ".join(tokens[cut:]))
    raise ArgumentError("unknown", " ".join(tokens))
