"""The small-group rules against a determined reader who asks for every whole period (issue 12).

For random feedback over a year, the tests compute what a council member can see in every view
(the summary of the whole municipality, of each district and of an area; the export's rows,
kept or generalised, month by month; the year, its quarters and its months), write each shown
figure as an equation over the unknown counts per district × topic × month, and check with
linear algebra that no group of 1–4 (the municipality, a district, a topic or a district ×
topic, in any year, quarter or month) follows from them: not by "year − three quarters", not by
"quarter − two months", not by "total − visible districts", nor by any mix of these.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot import export
from bot.content import load_council
from bot.i18n import TIMEZONE
from bot.periods import Period, calendar_period, quarter_period, year_period
from bot.summary import ALL, Scope, build_summary
from bot.suppression import (
    SMALL_GROUP,
    Protection,
    YearPlan,
    period_view,
    plan_year,
    suppress,
    touched_months,
    week_protection,
    year_plan,
)
from storage import summary as summary_repo
from storage.db import Database
from storage.summary import ExportRow, FeedbackSeed, GroupRow

COUNCIL = load_council()
YEAR = 2025
DISTRICTS = ("ersboda", "alidhem", "tomtebo")
TOPICS = ("narkotika", "trygga-platser")
AREA = ("ersboda", "alidhem")
KEYS = ("Y", "Q1", "Q2", "Q3", "Q4", *(f"M{n}" for n in range(1, 13)))
Cell = tuple[str, str, int]  # district, topic, month
UNKNOWNS: list[Cell] = list(product(DISTRICTS, TOPICS, range(1, 13)))
INDEX = {cell: i for i, cell in enumerate(UNKNOWNS)}


def period_of(key: str) -> Period:
    if key == "Y":
        return year_period(YEAR)
    if key.startswith("Q"):
        return quarter_period(YEAR, int(key[1:]))
    return calendar_period("month", date(YEAR, int(key[1:]), 1))


def months_of(key: str) -> range:
    if key == "Y":
        return range(1, 13)
    if key.startswith("Q"):
        q = int(key[1:])
        return range(3 * q - 2, 3 * q + 1)
    return range(int(key[1:]), int(key[1:]) + 1)


def month_rows(data: dict[Cell, int]) -> list[list[GroupRow]]:
    """Counts per month as the storage query gives them (ratings: every one rated 3)."""
    months: list[list[GroupRow]] = [[] for _ in range(12)]
    for (district, topic, month), n in data.items():
        if n:
            months[month - 1].append(GroupRow(district, topic, n, n, 3 * n))
    return months


@dataclass
class Reader:
    """What a council member has seen: equations "sum of these unknowns = value"."""

    rows: list[np.ndarray]
    values: list[int]
    _free: np.ndarray | None = None

    def saw(self, cells: list[Cell], value: int) -> None:
        vector = np.zeros(len(UNKNOWNS))
        for cell in cells:
            vector[INDEX[cell]] = 1
        self.rows.append(vector)
        self.values.append(value)
        if value == 0:
            # No feedback can be negative: a sum of 0 says each of its parts is 0.
            for cell in cells:
                unit = np.zeros(len(UNKNOWNS))
                unit[INDEX[cell]] = 1
                self.rows.append(unit)
                self.values.append(0)

    def determined(self, cells: list[Cell]) -> bool:
        """Whether the sum over ``cells`` follows from what was seen: the sum's vector is
        orthogonal to every direction the seen equations leave free (their null space)."""
        if self._free is None:
            matrix = np.array(self.rows) if self.rows else np.zeros((1, len(UNKNOWNS)))
            _, singular, vt = np.linalg.svd(matrix)
            rank = int((singular > 1e-9).sum())
            self._free = vt[rank:]
        target = np.zeros(len(UNKNOWNS))
        for cell in cells:
            target[INDEX[cell]] = 1
        return bool(np.abs(self._free @ target).max(initial=0.0) < 1e-6)


def cells_of(
    key: str, districts: tuple[str, ...] = DISTRICTS, topics: tuple[str, ...] = TOPICS
) -> list[Cell]:
    return [(d, t, m) for d in districts for t in topics for m in months_of(key)]


def observe(plan: YearPlan, data: dict[Cell, int]) -> Reader:
    """Every figure every view shows, for every period of the year, as equations."""
    reader = Reader([], [])
    for key in KEYS:
        period = period_of(key)
        rows = plan.rows(key)
        protection = plan.protection(key)
        whole = build_summary(ALL, period, rows, [], COUNCIL, protection, Protection())
        if whole.total_shown and whole.total.count_shown:
            reader.saw(cells_of(key), whole.total.count)
        if whole.figures_shown:
            for district, stat in whole.by_district:
                reader.saw(cells_of(key, (district,)), stat.count)
            hidden = tuple(d for d in DISTRICTS if d in protection.districts)
            if whole.other_districts.count_shown:
                reader.saw(cells_of(key, hidden), whole.other_districts.count)
            for topic, stat in whole.by_topic:
                kept = [
                    (d, topic, m)
                    for d in DISTRICTS
                    for m in months_of(key)
                    if not protection.row_hidden(d, topic)
                ]
                reader.saw(kept, stat.count)
        scopes = [Scope("district", (d,), d) for d in DISTRICTS] + [Scope("area", AREA, "x")]
        for scope in scopes:
            inside = set(scope.districts or ())
            own = [r for r in rows if r.district in inside]
            summary = build_summary(scope, period, own, [], COUNCIL, protection, Protection())
            if summary.total_shown and summary.total.count_shown:
                reader.saw(cells_of(key, tuple(inside)), summary.total.count)
            if summary.figures_shown:
                for district, stat in summary.by_district:
                    reader.saw(cells_of(key, (district,)), stat.count)
        if protection.total_hidden:
            continue  # /export answers that the period has too few to show rows
        lines = export.generalise(list(export_rows(data, key)), protection)
        for month in months_of(key):
            sent = sent_at(month)
            if protection.row_dropped_at(sent):
                assert not any(x.day.month == month for x in lines)
                continue
            in_month = [x for x in lines if x.day.month == month]
            # A generalised row keeps only its date (and rating and status): per month they
            # add up to the hidden cells.
            hidden_cells = [
                (d, t, month)
                for d in DISTRICTS
                for t in TOPICS
                if protection.row_hidden_at(d, t, sent)
            ]
            assert all(x.topic is None for x in in_month if x.generalised)
            reader.saw(hidden_cells, sum(1 for x in in_month if x.generalised))
            for district, topic in product(DISTRICTS, TOPICS):
                if not protection.row_hidden_at(district, topic, sent):
                    mine = [x for x in in_month if x.district == district and x.topic == topic]
                    reader.saw([(district, topic, month)], len(mine))
    return reader


def sent_at(month: int) -> str:
    """Every test row is sent at noon on the 15th of its month (UTC)."""
    return f"{YEAR}-{month:02d}-15T12:00:00.000Z"


def export_rows(data: dict[Cell, int], key: str) -> Iterator[ExportRow]:
    """One row per feedback."""
    n = 0
    for (district, topic, month), count in sorted(data.items()):
        if month not in months_of(key):
            continue
        for _ in range(count):
            n += 1
            yield ExportRow(n, sent_at(month), district, topic, 3, "approved", "sv", "text")


def groups(key: str) -> Iterator[list[Cell]]:
    """Every group a figure can be about in a period."""
    yield cells_of(key)
    for district in DISTRICTS:
        yield cells_of(key, (district,))
        for topic in TOPICS:
            yield cells_of(key, (district,), (topic,))
    for topic in TOPICS:
        yield cells_of(key, DISTRICTS, (topic,))


def disclosed(data: dict[Cell, int]) -> list[tuple[str, list[Cell], int]]:
    plan = plan_year(YEAR, month_rows(data))
    reader = observe(plan, data)
    found = []
    for key in KEYS:
        for cells in groups(key):
            value = sum(data.get(cell, 0) for cell in cells)
            if 0 < value < SMALL_GROUP and reader.determined(cells):
                found.append((key, cells, value))
    return found


counts = st.sampled_from([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20])
year_data = st.lists(counts, min_size=len(UNKNOWNS), max_size=len(UNKNOWNS)).map(
    lambda values: dict(zip(UNKNOWNS, values, strict=True))
)


def _only(**cells: int) -> dict[Cell, int]:
    """A year from "district_topic_month=n" keywords (topic by index)."""
    data: dict[Cell, int] = {}
    for name, n in cells.items():
        district, topic, month = name.split("_")
        data[(district, TOPICS[int(topic)], int(month))] = n
    return data


# The issue's cases: a district's hidden quarter (year 12 = 5 + 6 + … + 1), a hidden month
# within a shown quarter, and the whole municipality's quarter.
HIDDEN_QUARTER = _only(
    ersboda_0_1=5, ersboda_0_4=6, ersboda_0_10=1, alidhem_0_2=9, alidhem_0_5=9, alidhem_0_11=9
)
HIDDEN_MONTH = _only(ersboda_0_1=8, ersboda_0_2=7, ersboda_0_3=2, alidhem_0_1=9, alidhem_0_3=9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(year_data)
@example(HIDDEN_QUARTER)
@example(HIDDEN_MONTH)
@example(_only(ersboda_0_10=1, ersboda_0_4=10, ersboda_0_7=17))
def test_no_small_group_follows_from_every_view_of_every_period(data: dict[Cell, int]) -> None:
    assert disclosed(data) == []


def test_the_issues_case_a_hidden_quarter_stays_hidden() -> None:
    """Ersboda: Q1 5, Q2 6, Q4 1; the year 12 is shown, so Q1 and Q2 cannot both be."""
    plan = plan_year(YEAR, month_rows(HIDDEN_QUARTER))
    shown = {
        key
        for key in ("Y", "Q1", "Q2", "Q3", "Q4")
        if "ersboda" not in plan.protection(key).districts
    }
    assert "Q4" not in shown and "Y" in shown
    assert len({"Q1", "Q2"} & shown) <= 1  # one of them is hidden with Q4: together 6 or 7
    assert disclosed(HIDDEN_QUARTER) == []


def test_a_hidden_period_hides_its_parts_and_a_shown_one_has_two_hidden_parts() -> None:
    plan = plan_year(YEAR, month_rows(_only(ersboda_0_1=8, ersboda_0_2=7, ersboda_0_3=2)))
    q1 = plan.protection("Q1")
    months = [plan.protection(f"M{n}") for n in (1, 2, 3)]
    assert "ersboda" not in q1.districts  # 17 in the quarter
    hidden = [n for n, p in zip((1, 2, 3), months, strict=True) if "ersboda" in p.districts]
    assert hidden == [2, 3]  # March (2) and the next smallest, February (7): together 9
    # Ersboda is all of February and March, so the municipality's figure is hidden there too,
    # and every export, even the year's, leaves those rows out; January's keep their place.
    assert [n for n in (1, 2, 3) if plan.protection(f"M{n}").total_hidden] == [2, 3]
    year = plan.protection("Y")
    assert year.row_dropped_at(sent_at(2)) and year.row_dropped_at(sent_at(3))
    assert not year.row_dropped_at(sent_at(1))
    assert not year.row_hidden_at("ersboda", TOPICS[0], sent_at(1))


def test_suppress_on_one_table_is_protect_with_at_least_two() -> None:
    """A forced hidden figure alone would be given by "total − visible": a second is hidden."""
    p = (("all",), "P")
    a, b, c = ((("d", x), "P") for x in "abc")
    counts = {p: 27, a: 7, b: 9, c: 11}
    relation = [(p, (a, b, c))]
    assert suppress(counts, relation) == frozenset()
    assert suppress(counts, relation, forced=[a]) == {a, b}
    # Nothing left to hide beside it: the total goes instead.
    assert suppress({p: 7, a: 7}, [(p, (a,))], forced=[a]) == {p, a}


def test_weeks_never_show_what_their_months_hide() -> None:
    """Week 5 of 2025 (27 January – 2 February) touches January and February."""
    data = _only(ersboda_0_1=8, ersboda_0_2=7, ersboda_0_3=2, alidhem_0_1=9, alidhem_0_2=9)
    plan = plan_year(YEAR, month_rows(data))
    week = calendar_period("week", date(2025, 1, 27))
    assert touched_months(week) == [(2025, 1), (2025, 2)]
    february = plan.protection("M2")
    assert "ersboda" in february.districts
    rows = [GroupRow("ersboda", TOPICS[0], 6, 6, 18), GroupRow("alidhem", TOPICS[0], 7, 7, 21)]
    shown = week_protection(rows, [plan.protection("M1"), february])
    assert "ersboda" in shown.districts
    # Ersboda alone hidden would be "total − Ålidhem": Ålidhem goes too (or the total).
    assert "alidhem" in shown.districts or shown.total_hidden


def test_realistic_numbers_are_still_shown() -> None:
    """40 feedback per district per quarter over five topics (about 13 a month): every
    district and the whole municipality are shown in the year, every quarter and month."""
    rng = np.random.default_rng(12)
    districts = [d.id for d in COUNCIL.districts[:12]]
    topics = [f.id for f in COUNCIL.focus_areas] + ["other"]
    months: list[list[GroupRow]] = [[] for _ in range(12)]
    for m, district in product(range(12), districts):
        split = rng.multinomial(13 + (m % 3 == 0), [1 / len(topics)] * len(topics))
        months[m] += [
            GroupRow(district, t, int(n), int(n), 3 * int(n))
            for t, n in zip(topics, split, strict=True)
            if n
        ]
    plan = plan_year(YEAR, months)
    hidden_cells = 0
    for key in KEYS:
        protection = plan.protection(key)
        assert not protection.total_hidden and not protection.districts, key
        hidden_cells += len(protection.cells)
    # Cells (district × topic, 2–3 a month) are mostly hidden in months, not in quarters.
    quarter = plan.protection("Q2")
    assert len(quarter.cells) < len(districts) * len(topics) / 2
    assert hidden_cells > 0


async def test_the_cached_plan_follows_every_change(tmp_path: Path) -> None:
    """The plan is reused only while nothing was written: a correction of a row's district
    on this connection, or a row written by another process, is in the next plan."""
    db = await Database.open(tmp_path / "plan.sqlite3")
    try:
        await summary_repo.insert_feedback(
            db,
            [
                FeedbackSeed(f"C{i}", f"{YEAR}-03-{10 + i}T12:00:00.000Z", d, TOPICS[0], 3, None)
                for i, d in enumerate(["ersboda"] * 6 + ["alidhem"] * 6)
            ],
        )
        march = calendar_period("month", date(YEAR, 3, 1))
        assert not (await period_view(db, march)).protection.districts
        assert await year_plan(db, YEAR) is await year_plan(db, YEAR)  # reused
        await db.execute("UPDATE feedback SET district = 'tomtebo' WHERE ref IN ('C0', 'C1')")
        view = await period_view(db, march)
        assert {r.district: r.count for r in view.rows}["tomtebo"] == 2
        assert "tomtebo" in view.protection.districts
        other = sqlite3.connect(tmp_path / "plan.sqlite3")
        with other:
            other.execute("UPDATE feedback SET district = 'alidhem' WHERE ref IN ('C0', 'C1')")
        other.close()
        view = await period_view(db, march)
        assert {r.district: r.count for r in view.rows} == {"alidhem": 8, "ersboda": 4}
        assert view.protection.districts == {"alidhem", "ersboda"}
    finally:
        await db.close()


# ---------------------------------------------------------------- weeks beside the months
# Weeks do not nest in months: the unknowns become pieces of a week within a month ("atoms").
ATOM_DAYS: dict[tuple[date, int], list[date]] = {}
for _offset in range(-3, 368):
    _day = date(YEAR, 1, 1) + timedelta(days=_offset)
    _key = (_day - timedelta(days=_day.weekday()), _day.month if _day.year == YEAR else 0)
    ATOM_DAYS.setdefault(_key, []).append(_day)
ATOMS = sorted(ATOM_DAYS)
SMALL_DISTRICTS = DISTRICTS[:2]
AtomCell = tuple[str, str, int]  # district, topic, atom index
ATOM_UNKNOWNS: list[AtomCell] = list(product(SMALL_DISTRICTS, TOPICS, range(len(ATOMS))))
ATOM_INDEX = {cell: i for i, cell in enumerate(ATOM_UNKNOWNS)}


def _atom_vector(cells: list[AtomCell]) -> np.ndarray:
    vector = np.zeros(len(ATOM_UNKNOWNS))
    for cell in cells:
        vector[ATOM_INDEX[cell]] = 1
    return vector


def _atoms_in(start: date, end: date) -> list[int]:
    """The atoms of the days [start, end)."""
    return [i for i, key in enumerate(ATOMS) if start <= ATOM_DAYS[key][0] < end]


def _atom_rows(data: dict[AtomCell, int], atoms: list[int]) -> list[GroupRow]:
    total: dict[tuple[str, str], int] = {}
    for (district, topic, atom), n in data.items():
        if atom in atoms and n:
            total[(district, topic)] = total.get((district, topic), 0) + n
    return [GroupRow(d, t, n, n, 3 * n) for (d, t), n in total.items()]


def _week_periods() -> list[Period]:
    return [calendar_period("week", monday) for monday in sorted({key[0] for key in ATOMS})]


def _local_range(period: Period) -> tuple[date, date]:
    return (
        period.start.astimezone(TIMEZONE).date(),
        period.end.astimezone(TIMEZONE).date(),
    )


def _observe_atoms(data: dict[AtomCell, int]) -> tuple[list[np.ndarray], YearPlan]:
    months: list[list[GroupRow]] = []
    for month in range(1, 13):
        first = date(YEAR, month, 1)
        after = date(YEAR + (month == 12), month % 12 + 1, 1)
        months.append(_atom_rows(data, _atoms_in(first, after)))
    plan = plan_year(YEAR, months)
    empty = (
        plan_year(YEAR - 1, [[] for _ in range(12)]),
        plan_year(YEAR + 1, [[] for _ in range(12)]),
    )
    seen: list[np.ndarray] = []

    def saw(cells: list[AtomCell], value: int) -> None:
        seen.append(_atom_vector(cells))
        if value == 0:
            seen.extend(_atom_vector([cell]) for cell in cells)

    # The neighbouring years' months hold nothing, and their summaries say 0.
    saw([c for c in ATOM_UNKNOWNS if not ATOMS[c[2]][1]], 0)
    views: list[tuple[Period, list[int], Protection]] = []
    for key in KEYS:
        period = period_of(key)
        views.append((period, _atoms_in(*_local_range(period)), plan.protection(key)))
    for week in _week_periods():
        touched = [
            (plan if y == YEAR else empty[y > YEAR]).protection(f"M{m}")
            for y, m in touched_months(week)
        ]
        atoms = _atoms_in(*_local_range(week))
        views.append((week, atoms, week_protection(_atom_rows(data, atoms), touched)))
    for period, atoms, protection in views:
        rows = _atom_rows(data, atoms)

        def cells(districts: tuple[str, ...], topics: tuple[str, ...] = TOPICS) -> list[AtomCell]:
            return [(d, t, a) for d in districts for t in topics for a in atoms]  # noqa: B023

        whole = build_summary(ALL, period, rows, [], COUNCIL, protection, Protection())
        if whole.total_shown and whole.total.count_shown:
            saw(cells(SMALL_DISTRICTS), whole.total.count)
        if whole.figures_shown:
            for district, stat in whole.by_district:
                saw(cells((district,)), stat.count)
            hidden = tuple(d for d in SMALL_DISTRICTS if d in protection.districts)
            if whole.other_districts.count_shown:
                saw(cells(hidden), whole.other_districts.count)
            for topic, stat in whole.by_topic:
                kept = [d for d in SMALL_DISTRICTS if not protection.row_hidden(d, topic)]
                saw(cells(tuple(kept), (topic,)), stat.count)
        for district in SMALL_DISTRICTS:
            own = [r for r in rows if r.district == district]
            scope = Scope("district", (district,), district)
            summary = build_summary(scope, period, own, [], COUNCIL, protection, Protection())
            if summary.total_shown and summary.total.count_shown:
                saw(cells((district,)), summary.total.count)
        if protection.total_hidden:
            continue
        # The export's rows are dated: per atom, the kept rows of each cell and the
        # generalised rows together (a day is finer than an atom; atoms are what we model).
        for atom in atoms:
            sent = f"{ATOM_DAYS[ATOMS[atom]][0].isoformat()}T12:00:00.000Z"
            if protection.row_dropped_at(sent):
                continue
            hidden_cells = [
                (d, t, atom)
                for d in SMALL_DISTRICTS
                for t in TOPICS
                if protection.row_hidden_at(d, t, sent)
            ]
            if hidden_cells:
                saw(hidden_cells, sum(data.get(c, 0) for c in hidden_cells))
            for district, topic in product(SMALL_DISTRICTS, TOPICS):
                if (district, topic, atom) not in hidden_cells:
                    saw([(district, topic, atom)], data.get((district, topic, atom), 0))
    return seen, plan


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([0] * 12 + [1, 2, 3, 5, 8]),
        min_size=len(ATOM_UNKNOWNS),
        max_size=len(ATOM_UNKNOWNS),
    )
)
def test_weeks_beside_the_months_reveal_no_hidden_month_quarter_or_year(values: list[int]) -> None:
    """With every week's summary and export added to every month's, quarter's and year's,
    no group of 1–4 in a month, a quarter or the year follows (the atoms outside the year
    hold nothing, and their months show 0)."""
    data = {
        cell: (n if ATOMS[cell[2]][1] else 0) for cell, n in zip(ATOM_UNKNOWNS, values, strict=True)
    }
    seen, _ = _observe_atoms(data)
    matrix = np.array(seen)
    _, singular, vt = np.linalg.svd(matrix)
    free = vt[int((singular > 1e-9).sum()) :]
    for key in KEYS:
        atoms = _atoms_in(*_local_range(period_of(key)))
        groups_of: list[list[AtomCell]] = [
            [(d, t, a) for d in SMALL_DISTRICTS for t in TOPICS for a in atoms]
        ]
        for district in SMALL_DISTRICTS:
            groups_of.append([(district, t, a) for t in TOPICS for a in atoms])
            groups_of += [[(district, t, a) for a in atoms] for t in TOPICS]
        for topic in TOPICS:
            groups_of.append([(d, topic, a) for d in SMALL_DISTRICTS for a in atoms])
        for cells in groups_of:
            value = sum(data.get(cell, 0) for cell in cells)
            if 0 < value < SMALL_GROUP:
                determined = np.abs(free @ _atom_vector(cells)).max(initial=0.0) < 1e-6
                assert not determined, (key, sorted({c[:2] for c in cells}), value)
