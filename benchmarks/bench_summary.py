"""Summary speed on a large database: 1,000,000 feedback rows over four years.

Times (median of several runs) a district-quarter summary (target ≤ 50 ms) and a whole-
municipality year summary (target ≤ 500 ms), each including the previous equal period and the
quotes, exactly as /sammanfattning computes them: "cold" with no cached small-group plan (at
start, or after another process wrote), "after a write" the first request after one new
feedback row in the period (only the months a write touched are read again, bot.suppression),
"again" reusing the years' plans. It
measures twice: with only the feedback table's own indexes, and with the covering indexes
from migration 005, so the choice is backed by numbers.

Run: .venv/bin/python benchmarks/bench_summary.py [--rows 1000000] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import load_council  # noqa: E402
from bot.periods import Period, calendar_period, quarter_period, year_period  # noqa: E402
from bot.summary import ALL, Scope, compute_summary  # noqa: E402
from bot.suppression import clear_plans, period_view  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.summary import INSERT_SQL  # noqa: E402
from storage.timestamps import utc_iso as to_iso  # noqa: E402

BATCH = 50_000
START = datetime(2022, 1, 1, tzinfo=UTC)
YEARS = 4
COVERING = ("feedback_summary_time", "feedback_summary_district")


def rows(
    n: int, districts: list[str], topics: list[str], seed: int = 7
) -> list[tuple[object, ...]]:
    """Deterministic, roughly realistic rows: busy districts, skipped ratings, mixed statuses."""
    rng = random.Random(seed)
    span = timedelta(days=365 * YEARS).total_seconds()
    busy = {d.id for d in load_council().districts if d.priority}
    weights = [5 if d in busy else 1 for d in districts]
    out: list[tuple[object, ...]] = []
    offsets = sorted(rng.random() * span for _ in range(n))
    for i, offset in enumerate(offsets):
        status = rng.choices(("approved", "pending", "rejected"), (70, 20, 10))[0]
        rating = None if rng.random() < 0.1 else rng.randint(1, 5)
        text = f"Synpunkt nummer {i} om belysning och trafik" if rng.random() < 0.6 else None
        out.append(
            (
                f"B{i:07d}",
                f"k{i:07d}",
                to_iso(START + timedelta(seconds=offset)),
                rng.choices(districts, weights)[0],
                rng.choice(topics),
                rating,
                text,
                "sv" if rng.random() < 0.85 else "en",
                status,
                f"{rng.getrandbits(64):016x}",
            )
        )
    return out


async def build(path: Path, n: int) -> Database:
    council = load_council()
    db = await Database.open(path)
    data = rows(
        n, [d.id for d in council.districts], [f.id for f in council.focus_areas] + ["other"]
    )
    t0 = time.perf_counter()
    for i in range(0, len(data), BATCH):
        await db.executemany(INSERT_SQL, data[i : i + BATCH])
    await db.execute("ANALYZE")
    size = await asyncio.to_thread(lambda: path.stat().st_size)
    print(f"built {n:,} rows in {time.perf_counter() - t0:.1f} s ({size / 1e6:.0f} MB)")
    return db


WRITTEN = 0  # rows the "after a write" case added (each with a new ref)


async def write_one(db: Database, period: Period) -> None:
    """One new feedback row in the middle of ``period``, as a resident's /tyck writes it."""
    global WRITTEN
    WRITTEN += 1
    when = period.start + (period.end - period.start) / 2
    await db.execute(
        INSERT_SQL,
        (
            f"W{time.time_ns()}",
            f"w{time.time_ns()}",
            to_iso(when),
            "ersboda",
            "belysning",
            3,
            None,
            "sv",
            "pending",
            "bench",
        ),
    )


async def median_ms(
    db: Database, scope: Scope, period: Period, runs: int, case: str = "again"
) -> tuple[float, int]:
    """``cold``: forget the years' small-group plans first (at start, or after a write by
    another process); ``write``: one new row in the period first (the first request after a
    resident's feedback); ``again``: a repeated request, which reuses the plans."""
    council = load_council()
    times = []
    total = 0
    for _ in range(runs):
        if case == "cold":
            clear_plans()
        elif case == "write":
            await compute_summary(db, council, scope, period)  # the plans are up to date
            await write_one(db, period)
        t0 = time.perf_counter()
        summary = await compute_summary(db, council, scope, period)
        times.append((time.perf_counter() - t0) * 1000)
        total = summary.total.count
    return statistics.median(times), total


async def export_ms(db: Database, period: Period, runs: int, excel: bool) -> tuple[float, int]:
    """/export's work for the whole municipality: rows, small-group rules, the file."""
    from bot.export import generalise, to_csv, to_xlsx
    from bot.i18n import translations
    from bot.labels import topic_aliases
    from storage.summary import export_rows

    council = load_council()
    times = []
    size = 0
    for _ in range(runs):
        clear_plans()
        t0 = time.perf_counter()
        aliases = topic_aliases(council)
        protection = (await period_view(db, period, aliases)).protection
        rows = await export_rows(db, period.start_iso, period.end_iso, aliases=aliases)
        lines = generalise(rows, protection)
        if excel:
            summary = await compute_summary(db, council, ALL, period)
            data = to_xlsx(lines, summary, council, translations("sv"), "sv", [])
        else:
            data = to_csv(lines)
        times.append((time.perf_counter() - t0) * 1000)
        size = len(data)
    return statistics.median(times), size


async def measure(db: Database, label: str, runs: int) -> None:
    district = Scope("district", ("ersboda",), "ersboda")
    cases = [
        ("district-quarter (ersboda, 2024-Q3)", district, quarter_period(2024, 3), 50),
        ("municipality-year (2024)", ALL, year_period(2024), 500),
    ]
    print(f"\n== {label}")
    for name, scope, period, target in cases:
        await median_ms(db, scope, period, 1)  # warm the page cache
        for case in ("cold", "write", "again"):
            ms, total = await median_ms(db, scope, period, runs, case)
            kind = {"cold": "cold", "write": "after a write", "again": "again"}[case]
            verdict = (
                "no target"
                if case == "cold"
                else f"target ≤ {target} ms, {'OK' if ms <= target else 'OVER'}"
            )
            print(f"{name + ' ' + kind:52s} median {ms:8.1f} ms  ({verdict}); {total:,} rows")
    month = calendar_period("month", datetime(2024, 9, 1).date())
    for excel in (False, True):
        ms, size = await export_ms(db, month, 3, excel)
        kind = "xlsx" if excel else "CSV"
        print(f"export municipality-month ({kind}){'':19s} median {ms:8.1f} ms  ({size:,} bytes)")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--db", type=Path, help="build the database here once and reuse it on later runs"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.db is not None and args.db.exists():
            db = await Database.open(args.db)
        else:
            db = await build(args.db or Path(tmp) / "bench.sqlite3", args.rows)
        if args.db is not None:
            await measure(db, "with the covering indexes of migration 005", args.runs)
            await db.close()
            return
        try:
            await measure(db, "with the covering indexes of migration 005", args.runs)
            for name in COVERING:
                await db.execute(f"DROP INDEX {name}")
            await db.execute("ANALYZE")
            await measure(db, "without them (only the feedback table's own indexes)", args.runs)
        finally:
            await db.close()


if __name__ == "__main__":
    asyncio.run(main())
