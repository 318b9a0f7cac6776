"""Aggregation SQL for the council's situational picture (summaries, charts, exports, report).

Rejected feedback is never counted; pending and approved are (a moderator's backlog must not hide
what residents said). Quotes and exported text come from approved feedback only. Queries are
shaped to be answered from the covering indexes in migration 005, without touching table rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from storage.db import Database

COUNTED = "status IN ('pending', 'approved')"


@dataclass(frozen=True)
class GroupRow:
    """Counts for one (district, topic) pair in a period."""

    district: str
    topic: str
    count: int
    rated: int  # how many gave a safety rating (it can be skipped)
    rating_sum: int


@dataclass(frozen=True)
class Quote:
    id: int
    created_at: str
    district: str
    topic: str
    text: str


@dataclass(frozen=True)
class ExportRow:
    id: int
    created_at: str
    district: str
    topic: str
    rating: int | None
    status: str
    language: str
    text: str  # empty unless approved


@dataclass(frozen=True)
class FeedbackSeed:
    """One feedback row for bulk loading (tests, benchmarks, imports)."""

    ref: str
    created_at: str
    district: str
    topic: str
    rating: int | None
    text: str | None
    language: str = "sv"
    status: str = "pending"
    pseudonym: str = "seed"
    submission_key: str | None = None


NO_ALIASES: Mapping[str, str] = {}


def merge_topics(rows: Iterable[GroupRow], aliases: Mapping[str, str]) -> list[GroupRow]:
    """Rows with older topic ids counted as their current topic (``aliases``, from
    bot.labels.topic_aliases): one row per (district, topic), the counts summed, so every
    figure and every small-group decision is made on the merged group."""
    if not aliases:
        return list(rows)
    merged: dict[tuple[str, str], GroupRow] = {}
    for row in rows:
        key = (row.district, aliases.get(row.topic, row.topic))
        seen = merged.get(key)
        merged[key] = (
            GroupRow(key[0], key[1], row.count, row.rated, row.rating_sum)
            if seen is None
            else GroupRow(
                key[0],
                key[1],
                seen.count + row.count,
                seen.rated + row.rated,
                seen.rating_sum + row.rating_sum,
            )
        )
    return list(merged.values())


def _district_filter(districts: Sequence[str] | None) -> tuple[str, list[str]]:
    if districts is None:
        return "", []
    marks = ", ".join("?" for _ in districts)
    return f" AND district IN ({marks})", list(districts)


async def group_counts(
    db: Database,
    start_iso: str,
    end_iso: str,
    districts: Sequence[str] | None = None,
    aliases: Mapping[str, str] = NO_ALIASES,
) -> list[GroupRow]:
    """Counted feedback per (district, topic) in ``[start, end)``; ``None`` = whole municipality.
    Older topic ids in ``aliases`` are counted as their current topic (:func:`merge_topics`)."""
    where, params = _district_filter(districts)
    rows = await db.fetchall(
        "SELECT district, topic, COUNT(*) AS n, COUNT(rating) AS rated, "
        "COALESCE(SUM(rating), 0) AS rating_sum FROM feedback "
        f"WHERE created_at >= ? AND created_at < ? AND {COUNTED}{where} "
        "GROUP BY district, topic",
        [start_iso, end_iso, *params],
    )
    found = [GroupRow(r["district"], r["topic"], r["n"], r["rated"], r["rating_sum"]) for r in rows]
    return merge_topics(found, aliases)


async def change_mark(db: Database) -> tuple[int, int]:
    """Changes so far: this connection's writes and other connections' commits. Equal marks
    mean the feedback table cannot have changed in between (what a cache may rely on)."""
    mine = await db.fetchval("SELECT total_changes()")
    theirs = await db.fetchval("PRAGMA data_version")
    return int(mine), int(theirs)


# Which days' feedback this connection changed since the last look, so the council's cached
# small-group plans (bot.suppression) re-read only the months those days fall in instead of a
# whole year. TEMP objects: per connection, not part of the schema (no migration), gone at
# close. They record a UTC day only (no row, no person). Writes by other connections are not
# seen here; PRAGMA data_version tells the caller to re-read everything then.
_TRACKING = (
    "CREATE TEMP TABLE IF NOT EXISTS feedback_touched (day TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TEMP TRIGGER IF NOT EXISTS feedback_touched_insert AFTER INSERT ON main.feedback "
    "BEGIN INSERT OR IGNORE INTO feedback_touched (day) "
    "VALUES (substr(NEW.created_at, 1, 10)); END",
    "CREATE TEMP TRIGGER IF NOT EXISTS feedback_touched_delete AFTER DELETE ON main.feedback "
    "BEGIN INSERT OR IGNORE INTO feedback_touched (day) "
    "VALUES (substr(OLD.created_at, 1, 10)); END",
    "CREATE TEMP TRIGGER IF NOT EXISTS feedback_touched_update "
    "AFTER UPDATE OF created_at, status, district, topic, rating ON main.feedback "
    "BEGIN INSERT OR IGNORE INTO feedback_touched (day) "
    "VALUES (substr(OLD.created_at, 1, 10)), (substr(NEW.created_at, 1, 10)); END",
)
_TRIGGERS = ("feedback_touched_insert", "feedback_touched_delete", "feedback_touched_update")


async def track_changes(db: Database) -> None:
    """Start recording the days whose counted feedback this connection changes."""
    async with db.transaction() as tx:
        for sql in _TRACKING:
            await tx.execute(sql)


async def touched_days(db: Database) -> list[str] | None:
    """The UTC days (YYYY-MM-DD) whose feedback this connection inserted, deleted or changed
    (status, district, topic, rating, time) since the last call, and forget them; None when
    nothing is being recorded (then the caller must assume that anything changed)."""
    found = await db.fetchval(
        "SELECT COUNT(*) FROM temp.sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?)",
        _TRIGGERS,
    )
    if found != len(_TRIGGERS):
        return None
    rows = await db.fetchall("DELETE FROM temp.feedback_touched RETURNING day")
    return [str(row["day"]) for row in rows]


async def approved_quotes(
    db: Database,
    start_iso: str,
    end_iso: str,
    cells: Sequence[tuple[str, str]],
    limit: int = 3,
    aliases: Mapping[str, str] = NO_ALIASES,
) -> list[Quote]:
    """The newest approved texts in the period from the given (district, topic) cells (callers
    pass only cells large enough to quote from without singling anyone out). A cell of a
    current topic includes its older ids (``aliases``); quotes carry the current topic."""
    if not cells:
        return []
    cells = [
        *cells,
        *(
            (district, old)
            for district, topic in cells
            for old, new in aliases.items()
            if new == topic
        ),
    ]
    marks = ", ".join("(?, ?)" for _ in cells)
    flat = [value for cell in cells for value in cell]
    rows = await db.fetchall(
        "SELECT id, created_at, district, topic, text FROM feedback "
        "WHERE status = 'approved' AND created_at >= ? AND created_at < ? "
        f"AND text IS NOT NULL AND TRIM(text) != '' AND (district, topic) IN (VALUES {marks}) "
        "ORDER BY created_at DESC, id DESC LIMIT ?",
        [start_iso, end_iso, *flat, limit],
    )
    return [
        Quote(
            r["id"], r["created_at"], r["district"], aliases.get(r["topic"], r["topic"]), r["text"]
        )
        for r in rows
    ]


async def first_feedback_at(db: Database) -> str | None:
    """When the first counted feedback came (UTC ISO), or None: "no data before" answers."""
    value = await db.fetchval(f"SELECT MIN(created_at) FROM feedback WHERE {COUNTED}")
    return str(value) if value is not None else None


async def export_rows(
    db: Database,
    start_iso: str,
    end_iso: str,
    districts: Sequence[str] | None = None,
    aliases: Mapping[str, str] = NO_ALIASES,
) -> list[ExportRow]:
    """Every feedback row in the period (optionally from some districts), oldest first; text
    only when approved, no pseudonym; older topic ids as their current topic (``aliases``).
    Generalising small groups is the caller's (bot.export)."""
    where, params = _district_filter(districts)
    rows = await db.fetchall(
        "SELECT id, created_at, district, topic, rating, status, language, "
        "CASE WHEN status = 'approved' THEN COALESCE(text, '') ELSE '' END AS text "
        f"FROM feedback WHERE created_at >= ? AND created_at < ?{where} ORDER BY created_at, id",
        [start_iso, end_iso, *params],
    )
    return [
        ExportRow(
            r["id"],
            r["created_at"],
            r["district"],
            aliases.get(r["topic"], r["topic"]),
            r["rating"],
            r["status"],
            r["language"],
            r["text"],
        )
        for r in rows
    ]


def _seed_params(seed: FeedbackSeed) -> tuple[object, ...]:
    return (
        seed.ref,
        seed.submission_key or seed.ref,
        seed.created_at,
        seed.district,
        seed.topic,
        seed.rating,
        seed.text,
        seed.language,
        seed.status,
        seed.pseudonym,
    )


INSERT_SQL = (
    "INSERT INTO feedback (ref, submission_key, created_at, district, topic, rating, text, "
    "language, status, pseudonym) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


async def insert_feedback(db: Database, seeds: Iterable[FeedbackSeed]) -> None:
    """Bulk-insert feedback rows in one transaction (tests, benchmarks, imports)."""
    await db.executemany(INSERT_SQL, [_seed_params(s) for s in seeds])
