"""The cached small-group plans after writes (bot.suppression.year_plan): only the months a
write touched are read again, and the plan is always the one a fresh computation gives, for
every kind of write (new feedback, a rejection, a corrected district or topic, an erasure, a
row near a month's end in Swedish time) and for writes by another process."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import suppression
from bot.periods import year_period
from bot.suppression import clear_plans, month_bounds, plan_year, year_plan
from storage import summary as summary_repo
from storage.db import Database
from storage.summary import FeedbackSeed

YEARS = (2025, 2026)
DISTRICTS = ("ersboda", "alidhem", "tomtebo", "haga")
TOPICS = ("belysning", "droger", "narkotika", "other")


@pytest.fixture
async def db(tmp_path: Path) -> Iterator[Database]:  # type: ignore[misc]
    database = await Database.open(tmp_path / "cache.sqlite3")
    clear_plans()
    yield database
    await database.close()


def _when(rng: random.Random) -> str:
    """A time in one of the years; often the last evening of a month (UTC), which is already
    the next month in Umeå."""
    year, month = rng.choice(YEARS), rng.randint(1, 12)
    if rng.random() < 0.3:
        end = month_bounds(year, month)[1]  # "2026-06-30T22:00:00.000Z": midnight in Umeå
        return (
            end[:14] + rng.choice(["10", "50"]) + ":00.000Z"
            if rng.random() < 0.5
            else (f"{end[:11]}{int(end[11:13]) - 1:02d}:50:00.000Z")
        )
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:15:00.000Z"


def _seed(rng: random.Random, n: int, prefix: str) -> list[FeedbackSeed]:
    return [
        FeedbackSeed(
            ref=f"{prefix}{i}",
            created_at=_when(rng),
            district=rng.choice(DISTRICTS),
            topic=rng.choice(TOPICS),
            rating=rng.choice([None, 1, 2, 3, 4, 5]),
            text=None,
            status=rng.choice(["pending", "approved", "approved", "rejected"]),
        )
        for i in range(n)
    ]


async def _fresh(db: Database, year: int, aliases: dict[str, str]) -> Any:
    bounds = [month_bounds(year, n)[0] for n in range(1, 13)] + [year_period(year).end_iso]
    months = [
        await summary_repo.group_counts(db, bounds[n], bounds[n + 1], aliases=aliases)
        for n in range(12)
    ]
    return plan_year(year, months)


async def _assert_fresh(db: Database, aliases: dict[str, str]) -> None:
    for year in YEARS:
        cached = await year_plan(db, year, aliases)
        fresh = await _fresh(db, year, aliases)
        assert [set(m) for m in cached.months] == [set(m) for m in fresh.months], year
        assert cached.hidden == fresh.hidden, year


@pytest.mark.parametrize("aliases", [{}, {"narkotika": "droger"}])
async def test_the_cached_plan_equals_a_fresh_one_after_every_write(
    db: Database, aliases: dict[str, str]
) -> None:
    rng = random.Random(11)
    await summary_repo.insert_feedback(db, _seed(rng, 300, "S"))
    await _assert_fresh(db, aliases)
    writes = [
        "INSERT",
        "UPDATE feedback SET status = 'rejected' WHERE ref = ?",
        "UPDATE feedback SET status = 'approved' WHERE ref = ?",
        "UPDATE feedback SET district = 'tomtebo' WHERE ref = ?",
        "UPDATE feedback SET topic = 'narkotika' WHERE ref = ?",
        "UPDATE feedback SET rating = 1 WHERE ref = ?",
        "UPDATE feedback SET text = 'ny text' WHERE ref = ?",
        "DELETE FROM feedback WHERE ref = ?",
    ]
    for step in range(60):
        write = rng.choice(writes)
        if write == "INSERT":
            await summary_repo.insert_feedback(db, _seed(rng, rng.randint(1, 3), f"N{step}-"))
        else:
            ref = await db.fetchval("SELECT ref FROM feedback ORDER BY random() LIMIT 1")
            await db.execute(write, (ref,))
        if step % 3 == 0:
            await _assert_fresh(db, aliases)
    # A row moved to another month (a corrected time) changes both months.
    ref = await db.fetchval("SELECT ref FROM feedback ORDER BY random() LIMIT 1")
    await db.execute(
        "UPDATE feedback SET created_at = '2026-06-30T23:30:00.000Z' WHERE ref = ?", (ref,)
    )
    await _assert_fresh(db, aliases)


async def test_a_write_reads_only_the_months_it_touched(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    await summary_repo.insert_feedback(db, _seed(rng, 200, "S"))
    for year in YEARS:
        await year_plan(db, year)
    reads: list[str] = []
    real = summary_repo.group_counts

    async def counting(db: Database, start: str, end: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(start)
        return await real(db, start, end, *args, **kwargs)

    monkeypatch.setattr(suppression.repo, "group_counts", counting)
    # Nothing written: nothing read. A write elsewhere (the audit log) reads nothing either.
    assert await year_plan(db, 2026) is await year_plan(db, 2026)
    await db.execute(
        "INSERT INTO audit_log (actor_id, action, target, detail) VALUES (NULL, 'x', '', '')"
    )
    await year_plan(db, 2026)
    assert reads == []
    # One feedback in May 2026: May of 2026 is read again, 2025 not at all.
    await summary_repo.insert_feedback(
        db, [FeedbackSeed("M1", "2026-05-12T10:00:00.000Z", "haga", "belysning", 4, None)]
    )
    await year_plan(db, 2025)
    await year_plan(db, 2026)
    assert reads == [month_bounds(2026, 5)[0]]
    # The last evening of June in UTC is 1 July in Umeå: both months may hold that day's rows.
    reads.clear()
    await summary_repo.insert_feedback(
        db, [FeedbackSeed("J1", "2026-06-30T22:30:00.000Z", "haga", "belysning", 4, None)]
    )
    await year_plan(db, 2026)
    assert reads == [month_bounds(2026, 6)[0], month_bounds(2026, 7)[0]]
    assert await year_plan(db, 2026) == await _fresh(db, 2026, {})
    # Another process's write is not recorded here: the whole year is read again.
    reads.clear()
    other = sqlite3.connect(db.path)
    with other:
        other.execute("UPDATE feedback SET district = 'ersboda' WHERE ref = 'M1'")
    other.close()
    await year_plan(db, 2026)
    assert len(reads) == 12
    monkeypatch.undo()
    await _assert_fresh(db, {})
