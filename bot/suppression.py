"""The small-group rules: no resident can be singled out by the council's figures.

Privacy rules (from the agreement's promise that no resident can be singled out), the same for
the summary, the chart, the export, the report and the digest:

- a group (the whole municipality, a district, a topic, a district × topic) with 1–4 feedback
  in a period is never shown by itself;
- complementary suppression: when a group is hidden, the next smallest is hidden too, until the
  hidden groups together hold at least 5 and are at least two, so "total − the visible groups"
  never gives one group (:func:`protect`, :func:`suppress`);
- the same over time (nested periods): the figures of a year, its quarters and its months are
  decided together for the whole municipality (:func:`plan_year`). A group hidden in a period is
  hidden in every part of it (a hidden quarter's months too); a group shown in a period has its
  hidden parts (quarters of the year, months of the quarter) at least two and together at least
  5, so "year − the visible quarters" never gives one quarter. A week hides every group that a
  month it touches hides (weeks do not nest in months), then applies the rules above;
- an exported row keeps its district and text only when its district and district × topic are
  shown in the row's own month (and so in its quarter and year), so every export shows a row the
  same way, whatever period was asked for;
- the districts hidden in the whole municipality's table are hidden in every narrower view of the
  same period too (a district's own summary, an area, a filtered export), and a narrower view
  shows its total only when that total cannot be subtracted down to a hidden group;
- an average includes the hidden groups only when their ratings together number at least 5
  (or none), so it cannot be traced back to one or two people;
- only whole calendar periods (bot.periods), so overlapping windows cannot be subtracted.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from babel.support import NullTranslations

from bot.i18n import TIMEZONE
from bot.periods import Period, calendar_period, year_period
from storage import summary as repo
from storage.db import Database
from storage.summary import GroupRow

SMALL_GROUP = 5


def protect(counts: Mapping[str, int]) -> frozenset[str]:
    """The keys to hide among groups that add up to a shown total.

    Primary: every group with 1–4. Complementary: while the hidden groups together hold fewer
    than 5, also hide the smallest visible group (ties by key, so every output agrees). Then
    "total − visible" is either 0 or at least 5 and never one small group.
    """
    hidden = {key for key, count in counts.items() if 0 < count < SMALL_GROUP}
    if not hidden:
        return frozenset()
    visible = sorted((count, key) for key, count in counts.items() if count >= SMALL_GROUP)
    while sum(counts[key] for key in hidden) < SMALL_GROUP and visible:
        hidden.add(visible.pop(0)[1])
    return frozenset(hidden)


# A figure: (group, period). Groups: ("all",) the whole municipality, ("d", district),
# ("c", district, topic). Periods within a year: "Y", "Q1".."Q4", "M1".."M12"; a week: "W".
Group = tuple[str, ...]
Node = tuple[Group, str]
Relation = tuple[Node, tuple[Node, ...]]  # the parent equals the sum of the children
ALL: Group = ("all",)


def suppress(
    counts: Mapping[Node, int], relations: Sequence[Relation], forced: Iterable[Node] = ()
) -> frozenset[Node]:
    """The figures to hide so that no sum can be subtracted down to a small or hidden one.

    Start from every figure of 1–4 (and ``forced`` ones), then repeat until nothing changes,
    for every relation "parent = sum of children" (a period's groups; a group's sub-periods):
    - a hidden parent hides all its children (a hidden quarter's months, a hidden district's
      topics), or they would add up to it;
    - under a shown parent the hidden children (with feedback) must be none, or at least two
      holding at least 5 together; otherwise also hide the smallest shown child, or, when
      there is none, the parent itself.
    Figures of 0 are never hidden (0 identifies nobody). Ties go by key, so every output
    decides alike.
    """
    hidden = {n for n, c in counts.items() if 0 < c < SMALL_GROUP}
    hidden |= {n for n in forced if counts.get(n, 0) > 0}
    changed = True
    while changed:
        changed = False
        for parent, children in relations:
            if parent in hidden:
                for child in children:
                    if child not in hidden and counts.get(child, 0) > 0:
                        hidden.add(child)
                        changed = True
                continue
            inside = [counts[c] for c in children if c in hidden and counts.get(c, 0) > 0]
            if not inside or (len(inside) >= 2 and sum(inside) >= SMALL_GROUP):
                continue
            shown = [(counts[c], c) for c in children if c not in hidden and counts.get(c, 0) > 0]
            hidden.add(min(shown)[1] if shown else parent)
            changed = True
    return frozenset(hidden)


@dataclass(frozen=True)
class Protection:
    """What may be shown for one period, decided on the whole municipality's table (and, for
    weeks, months, quarters and years, together with the nested periods) so that every scope
    and every output (summary, export, report, digest) hides the same groups."""

    districts: frozenset[str] = frozenset()  # hidden districts
    cells: frozenset[tuple[str, str]] = frozenset()  # hidden (district, topic) in visible ones
    total_hidden: bool = False  # the whole municipality's figure is hidden too
    # The months within a quarter or a year: (start, end, their protection). A row keeps its
    # district only when its own month shows it.
    parts: tuple[tuple[str, str, Protection], ...] = ()

    @classmethod
    def from_rows(
        cls, rows: Iterable[GroupRow], districts: Mapping[str, int] | None = None
    ) -> Protection:
        """One period's table alone (no nested periods): from the (district, topic) counts of
        some districts; ``districts`` are the whole municipality's counts per district when
        ``rows`` cover only part of it, otherwise they are summed from ``rows``."""
        rows = list(rows)
        by_district: dict[str, int] = defaultdict(int)
        by_cell: dict[str, dict[str, int]] = defaultdict(dict)
        for row in rows:
            by_district[row.district] += row.count
            by_cell[row.district][row.topic] = row.count
        hidden = protect(districts if districts is not None else by_district)
        cells = {
            (district, topic)
            for district, topics in by_cell.items()
            if district not in hidden
            for topic in protect(topics)
        }
        return cls(hidden, frozenset(cells))

    def row_hidden(self, district: str, topic: str) -> bool:
        """This period's own table hides the district or the district × topic."""
        return district in self.districts or (district, topic) in self.cells

    def row_hidden_at(self, district: str, topic: str, created_at: str) -> bool:
        """A row sent at ``created_at`` (UTC ISO) must lose its district and text: hidden in
        this period or in the month it was sent in."""
        if self.row_hidden(district, topic):
            return True
        for start, end, part in self.parts:
            if start <= created_at < end:
                return part.row_hidden(district, topic)
        return False

    def row_dropped_at(self, created_at: str) -> bool:
        """A row sent at ``created_at`` must be left out of any export: the whole
        municipality's figure of its month (or of this period) is hidden, and the rows' count
        and dates would give it."""
        if self.total_hidden:
            return True
        return any(
            part.total_hidden for start, end, part in self.parts if start <= created_at < end
        )

    def total_shown(self, districts: Sequence[str] | None) -> bool:
        """A scope's total may be shown when it holds none or all of the hidden districts:
        otherwise "scope total − its visible districts" would be a hidden group. Nothing is
        shown when the whole municipality's figure is hidden."""
        if self.total_hidden:
            return False
        if districts is None or not self.districts:
            return True
        inside = self.districts & set(districts)
        return not inside or inside == self.districts


def _nodes(rows: Iterable[GroupRow], period: str, counts: dict[Node, int]) -> None:
    """Add one period's (district, topic) counts to ``counts`` at every level."""
    for row in rows:
        for group in (ALL, ("d", row.district), ("c", row.district, row.topic)):
            key = (group, period)
            counts[key] = counts.get(key, 0) + row.count


def _columns(counts: Mapping[Node, int], period: str) -> list[Relation]:
    """Within one period: the municipality is the sum of its districts, a district the sum of
    its district × topic cells."""
    districts: dict[Group, list[Node]] = defaultdict(list)
    cells: dict[Group, list[Node]] = defaultdict(list)
    for group, at in counts:
        if at != period:
            continue
        if group[0] == "d":
            districts[ALL].append((group, at))
        elif group[0] == "c":
            cells[("d", group[1])].append((group, at))
    relations: list[Relation] = [((ALL, period), tuple(sorted(districts[ALL])))]
    relations += [((g, period), tuple(sorted(c))) for g, c in sorted(cells.items())]
    return relations


def _protection(hidden: frozenset[Node], period: str) -> Protection:
    """One period's Protection from the hidden figures of a plan."""
    districts = frozenset(g[1] for g, at in hidden if at == period and g[0] == "d")
    cells = frozenset(
        (g[1], g[2]) for g, at in hidden if at == period and g[0] == "c" and g[1] not in districts
    )
    return Protection(districts, cells, (ALL, period) in hidden)


QUARTER_MONTHS = {q: tuple(range(3 * q - 2, 3 * q + 1)) for q in range(1, 5)}


@dataclass(frozen=True)
class YearPlan:
    """The hidden figures of one calendar year, its quarters and its months, decided together
    (see :func:`plan_year`), and the counts they were decided on."""

    year: int
    months: tuple[tuple[GroupRow, ...], ...]  # 12 months of (district, topic) counts
    hidden: frozenset[Node]
    counts: Mapping[Node, int] = field(repr=False)

    def key(self, period: Period) -> str:
        if period.kind == "year":
            return "Y"
        if period.kind == "quarter":
            return f"Q{period.number}"
        if period.kind == "month":
            return f"M{period.number}"
        raise ValueError(period.kind)

    def month_numbers(self, key: str) -> tuple[int, ...]:
        if key == "Y":
            return tuple(range(1, 13))
        if key.startswith("Q"):
            return QUARTER_MONTHS[int(key[1:])]
        return (int(key[1:]),)

    def rows(self, key: str) -> list[GroupRow]:
        """The (district, topic) counts of the year, a quarter or a month."""
        total: dict[tuple[str, str], GroupRow] = {}
        for number in self.month_numbers(key):
            for row in self.months[number - 1]:
                seen = total.get((row.district, row.topic))
                total[(row.district, row.topic)] = (
                    row
                    if seen is None
                    else GroupRow(
                        row.district,
                        row.topic,
                        seen.count + row.count,
                        seen.rated + row.rated,
                        seen.rating_sum + row.rating_sum,
                    )
                )
        return list(total.values())

    def protection(self, key: str) -> Protection:
        """What the year, a quarter or a month may show; a year or a quarter also carries its
        months, for rows and quotes."""
        own = _protection(self.hidden, key)
        if key.startswith("M"):
            return own
        parts = tuple(
            (*month_bounds(self.year, number), _protection(self.hidden, f"M{number}"))
            for number in self.month_numbers(key)
        )
        return Protection(own.districts, own.cells, own.total_hidden, parts)


def month_bounds(year: int, month: int) -> tuple[str, str]:
    period = calendar_period("month", date(year, month, 1))
    return period.start_iso, period.end_iso


_YEAR_PERIODS = ("Y", *(f"Q{q}" for q in QUARTER_MONTHS), *(f"M{n}" for n in range(1, 13)))


def _year_columns(counts: Mapping[Node, int]) -> list[Relation]:
    """:func:`_columns` of every period of a year, in the order of ``_YEAR_PERIODS``, from one
    pass over the figures (a year has thousands; one pass per period was most of the plan's
    time)."""
    districts: dict[str, list[Node]] = {period: [] for period in _YEAR_PERIODS}
    cells: dict[str, dict[Group, list[Node]]] = {p: defaultdict(list) for p in _YEAR_PERIODS}
    for node in counts:
        group, at = node
        if group[0] == "d":
            districts[at].append(node)
        elif group[0] == "c":
            cells[at][("d", group[1])].append(node)
    relations: list[Relation] = []
    for period in _YEAR_PERIODS:
        relations.append(((ALL, period), tuple(sorted(districts[period]))))
        relations += [((g, period), tuple(sorted(c))) for g, c in sorted(cells[period].items())]
    return relations


def plan_year(year: int, months: Sequence[Sequence[GroupRow]]) -> YearPlan:
    """Decide a year's hidden figures from its 12 months of (district, topic) counts.

    Every group (municipality, district, district × topic) in every period of the year (the
    year, 4 quarters, 12 months) is one figure; the relations are the period tables (a period's
    districts add up to its total, a district's topics to the district) and the nesting (a
    group's quarters add up to its year, its months to its quarter). :func:`suppress` then
    hides figures until no relation can be subtracted down to one hidden figure.
    """
    counts: dict[Node, int] = {}
    for number, rows in enumerate(months, start=1):
        _nodes(rows, f"M{number}", counts)
    groups = sorted({group for group, _ in counts})
    month_keys = {n: f"M{n}" for n in range(1, 13)}
    quarter_keys = {q: f"Q{q}" for q in QUARTER_MONTHS}
    for group in groups:
        year_total = 0
        for quarter, numbers in QUARTER_MONTHS.items():
            value = sum(counts.get((group, month_keys[n]), 0) for n in numbers)
            if value:
                counts[(group, quarter_keys[quarter])] = value
                year_total += value
        if year_total:
            counts[(group, "Y")] = year_total
    relations = _year_columns(counts)
    for group in groups:
        relations.append(((group, "Y"), tuple((group, quarter_keys[q]) for q in QUARTER_MONTHS)))
        for quarter, numbers in QUARTER_MONTHS.items():
            relations.append(
                ((group, quarter_keys[quarter]), tuple((group, month_keys[n]) for n in numbers))
            )
    hidden = suppress(counts, relations)
    return YearPlan(year, tuple(tuple(rows) for rows in months), hidden, counts)


def week_protection(rows: Iterable[GroupRow], months: Sequence[Protection]) -> Protection:
    """A week's table: every group hidden in a month the week touches stays hidden (weeks do
    not nest in months, so a week must not show what its months hide), then the rules of one
    period's table with those as given."""
    counts: dict[Node, int] = {}
    _nodes(rows, "W", counts)
    forced: set[Node] = set()
    for month in months:
        if month.total_hidden:
            forced.add((ALL, "W"))
        forced |= {(("d", d), "W") for d in month.districts}
        forced |= {(("c", d, t), "W") for d, t in month.cells}
    hidden = suppress(counts, _columns(counts, "W"), forced)
    return _protection(hidden, "W")


@dataclass(frozen=True)
class View:
    """A period's (district, topic) counts for the whole municipality and what may be shown."""

    rows: list[GroupRow]
    protection: Protection


_AliasKey = tuple[tuple[str, str], ...]


@dataclass
class _Year:
    """A year's month counts as last read, the months to read again, and the plan."""

    months: list[tuple[GroupRow, ...] | None]  # None: not read yet, or changed since
    plan: YearPlan | None = None


@dataclass
class _Plans:
    """One connection's cached years. ``mark`` is the change mark (storage.summary) they are
    up to date with, apart from the days that connection's writes recorded since."""

    mark: tuple[int, int]
    years: dict[tuple[int, _AliasKey], _Year] = field(default_factory=dict)


_plans: weakref.WeakKeyDictionary[Database, _Plans] = weakref.WeakKeyDictionary()


def clear_plans() -> None:
    """Forget every cached plan (benchmarks measure the first, uncached request)."""
    _plans.clear()


def _months_of_day(day: str) -> set[tuple[int, int]] | None:
    """The local (year, month) a UTC day's rows can fall in (a day near a month's end touches
    two); None for a day that cannot be read (then everything is read again)."""
    try:
        start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    except ValueError:
        return None
    first = start.astimezone(TIMEZONE)
    last = (start + timedelta(days=1, microseconds=-1)).astimezone(TIMEZONE)
    return {(first.year, first.month), (last.year, last.month)}


async def _sync(db: Database) -> _Plans:
    """The connection's cache, with the months changed since the last look marked to be read
    again. Only this connection's writes are recorded by day (storage.summary.touched_days);
    after a write by another connection, or when the record is missing, everything is."""
    mark = await repo.change_mark(db)
    plans = _plans.get(db)
    if plans is not None and plans.mark == mark:
        return plans
    days = await repo.touched_days(db) if plans is not None else None
    if plans is not None and days is not None and mark[1] == plans.mark[1]:
        months: set[tuple[int, int]] = set()
        for day in days:
            found = _months_of_day(day)
            if found is None:
                break
            months |= found
        else:
            for (year, _aliases), cached in plans.years.items():
                for y, m in months:
                    if y == year and cached.months[m - 1] is not None:
                        cached.months[m - 1] = None
                        cached.plan = None
            # The mark from before the look: a write since then is looked at next time.
            plans.mark = mark
            return plans
    if days is None:
        await repo.track_changes(db)
        await repo.touched_days(db)  # start from an empty record
        mark = await repo.change_mark(db)
    plans = _Plans(mark)
    _plans[db] = plans
    return plans


async def year_plan(
    db: Database, year: int, aliases: Mapping[str, str] = repo.NO_ALIASES
) -> YearPlan:
    """The plan of a year, kept while nothing is written. After a write only the months it
    touched are read again (an index range scan each) and the plan is decided again on the
    whole year (plan_year is quick; reading a year of rows is not). Older topic ids in
    ``aliases`` (bot.labels.topic_aliases) count as their current topic, so the plan is
    decided on the merged groups."""
    plans = await _sync(db)
    key = (year, tuple(sorted(aliases.items())))
    cached = plans.years.setdefault(key, _Year([None] * 12))
    if cached.plan is not None:
        return cached.plan
    bounds = [month_bounds(year, n)[0] for n in range(1, 13)] + [year_period(year).end_iso]
    # Month by month: twelve index range scans are quicker than one scan grouped by month.
    for n in range(12):
        if cached.months[n] is None:
            rows = await repo.group_counts(db, bounds[n], bounds[n + 1], aliases=aliases)
            cached.months[n] = tuple(rows)
    months = [rows or () for rows in cached.months]
    plan = plan_year(year, months)
    cached.plan = plan
    return plan


def touched_months(period: Period) -> list[tuple[int, int]]:
    """(year, month) of the first and the last day of a week (one or two months)."""
    first = period.start.astimezone(TIMEZONE).date()
    last = (period.end.astimezone(TIMEZONE) - timedelta(microseconds=1)).date()
    return sorted({(first.year, first.month), (last.year, last.month)})


async def period_view(
    db: Database, period: Period, aliases: Mapping[str, str] = repo.NO_ALIASES
) -> View:
    """The counts and the protection of any whole period, for the whole municipality (older
    topic ids in ``aliases`` counted as their current topic)."""
    if period.kind != "week":
        plan = await year_plan(db, period.year, aliases)
        key = plan.key(period)
        return View(plan.rows(key), plan.protection(key))
    months = [
        (await year_plan(db, year, aliases)).protection(f"M{month}")
        for year, month in touched_months(period)
    ]
    rows = await repo.group_counts(db, period.start_iso, period.end_iso, aliases=aliases)
    return View(rows, week_protection(rows, months))


def small_group_rules(t: NullTranslations) -> str:
    """The rules above in plain words, for /integritet (HTML, no dynamic text)."""
    return t.gettext(
        "<b>Rådets siffror pekar inte ut någon.</b> Ett område, ett ämne eller ett område och "
        "ämne med färre än 5 synpunkter visas aldrig för sig: det blir ”övriga områden” eller "
        "”dolt”, utan text. När en grupp döljs, döljs också den näst minsta, så att den inte "
        "kan räknas fram ur summan, och snittet tar bara med små grupper när de inte kan "
        "räknas fram. Ett år, dess kvartal och dess månader bestäms tillsammans: det som döljs "
        "för en period döljs också i varje del av den, och ett dolt kvartal eller en dold "
        "månad kan inte räknas fram genom att dra de andra från året eller kvartalet. En rad i "
        "exporten visas likadant oavsett vilken period du väljer. Siffror finns bara för hela "
        "veckor, månader, kvartal och år, och "
        "exporten har bara datum, inga klockslag. Rådets sammanfattningar, exporter och "
        "rapporter visas bara i en privat chatt, aldrig i en grupp."
    )
