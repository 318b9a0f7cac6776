"""Versions of the council's content edited in the chat (/innehall), and uploads awaiting a yes.

Version 0 is COUNCIL_FILE (not stored here). A stored version is live while it is the newest one
not withdrawn; ``/innehall tillbaka`` withdraws the live one, so the one before it (or the file)
is live again, and nothing is ever deleted. Each change writes its audit row in the same
transaction as the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from storage import audit
from storage.db import Database
from storage.timestamps import utc_iso

FILE_VERSION = 0


@dataclass(frozen=True)
class ContentVersion:
    id: int
    created_at: str
    created_by: int
    author_name: str
    yaml: str
    summary: str


@dataclass(frozen=True)
class Upload:
    id: int
    created_by: int
    author_name: str
    base_version: int
    yaml: str
    summary: str


_VERSION_COLUMNS = "id, created_at, created_by, author_name, yaml, summary"


def _version(row: aiosqlite.Row) -> ContentVersion:
    return ContentVersion(
        row["id"],
        row["created_at"],
        row["created_by"],
        row["author_name"],
        row["yaml"],
        row["summary"],
    )


async def live_version(db: Database) -> ContentVersion | None:
    """The version in use, or None when COUNCIL_FILE is (nothing stored, or all withdrawn)."""
    row = await db.fetchone(
        f"SELECT {_VERSION_COLUMNS} FROM content_versions WHERE withdrawn_at IS NULL "
        "ORDER BY id DESC LIMIT 1"
    )
    return None if row is None else _version(row)


async def live_versions(db: Database) -> list[ContentVersion]:
    """Every version not withdrawn, newest first (start-up falls back along this list)."""
    rows = await db.fetchall(
        f"SELECT {_VERSION_COLUMNS} FROM content_versions WHERE withdrawn_at IS NULL "
        "ORDER BY id DESC"
    )
    return [_version(r) for r in rows]


@dataclass(frozen=True)
class VersionInfo:
    id: int
    created_at: str
    author_name: str
    created_by: int
    summary: str
    withdrawn: bool


async def history(db: Database, limit: int = 10) -> list[VersionInfo]:
    """The newest versions, withdrawn ones included, for ``/innehall historik``."""
    rows = await db.fetchall(
        "SELECT id, created_at, author_name, created_by, summary, withdrawn_at IS NOT NULL "
        "FROM content_versions ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [VersionInfo(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]


async def _live_id(tx: aiosqlite.Connection) -> int:
    async with tx.execute(
        "SELECT COALESCE(MAX(id), 0) FROM content_versions WHERE withdrawn_at IS NULL"
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else FILE_VERSION


async def save_upload(
    db: Database,
    *,
    created_by: int,
    author_name: str,
    base_version: int,
    yaml: str,
    summary: str,
    now: datetime,
) -> int:
    """Keep a validated file until its sender presses Använd or Avbryt; returns its id."""
    async with db.transaction() as tx:
        # One waiting file per admin: a newer upload replaces the older one.
        await tx.execute("DELETE FROM content_uploads WHERE created_by = ?", (created_by,))
        cur = await tx.execute(
            "INSERT INTO content_uploads (created_at, created_by, author_name, base_version, "
            "yaml, summary) VALUES (?, ?, ?, ?, ?, ?)",
            (utc_iso(now), created_by, author_name, base_version, yaml, summary),
        )
        upload_id = cur.lastrowid
    assert upload_id is not None
    return int(upload_id)


async def get_upload(db: Database, upload_id: int) -> Upload | None:
    row = await db.fetchone(
        "SELECT id, created_by, author_name, base_version, yaml, summary FROM content_uploads "
        "WHERE id = ?",
        (upload_id,),
    )
    return None if row is None else Upload(*tuple(row))


async def discard_upload(db: Database, upload_id: int) -> bool:
    """Forget a waiting file (Avbryt); False when it was already used or discarded."""
    return await db.execute("DELETE FROM content_uploads WHERE id = ?", (upload_id,)) > 0


class ApplyOutcome(StrEnum):
    APPLIED = "applied"
    GONE = "gone"  # already used or discarded
    STALE = "stale"  # another version went live after this file was checked


@dataclass(frozen=True)
class ApplyResult:
    outcome: ApplyOutcome
    version: int  # the new version (APPLIED) or the live one


async def apply_upload(
    db: Database, upload_id: int, *, actor_id: int, now: datetime
) -> ApplyResult:
    """Make a waiting file the live version, atomically with its audit row."""
    async with db.transaction() as tx:
        async with tx.execute(
            "SELECT created_by, author_name, base_version, yaml, summary FROM content_uploads "
            "WHERE id = ?",
            (upload_id,),
        ) as cur:
            row = await cur.fetchone()
        live = await _live_id(tx)
        if row is None:
            return ApplyResult(ApplyOutcome.GONE, live)
        if row["base_version"] != live:
            await tx.execute("DELETE FROM content_uploads WHERE id = ?", (upload_id,))
            return ApplyResult(ApplyOutcome.STALE, live)
        cur = await tx.execute(
            "INSERT INTO content_versions (created_at, created_by, author_name, yaml, summary) "
            "VALUES (?, ?, ?, ?, ?)",
            (utc_iso(now), actor_id, row["author_name"], row["yaml"], row["summary"]),
        )
        version = cur.lastrowid
        assert version is not None
        await tx.execute("DELETE FROM content_uploads WHERE id = ?", (upload_id,))
        await audit.record_in(
            tx, actor_id, "content_changed", f"version:{version}", row["summary"][:500]
        )
    return ApplyResult(ApplyOutcome.APPLIED, int(version))


@dataclass(frozen=True)
class Withdrawal:
    withdrawn: int  # the version taken out of use
    live: int  # the version in use now (0: COUNCIL_FILE)


async def withdraw_live(db: Database, *, actor_id: int, now: datetime) -> Withdrawal | None:
    """/innehall tillbaka: the live version is withdrawn and the one before it is live again.

    None when COUNCIL_FILE is already in use (there is nothing to go back from).
    """
    async with db.transaction() as tx:
        current = await _live_id(tx)
        if current == FILE_VERSION:
            return None
        await tx.execute(
            "UPDATE content_versions SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?",
            (utc_iso(now), actor_id, current),
        )
        live = await _live_id(tx)
        await audit.record_in(
            tx, actor_id, "content_rollback", f"version:{live}", f"version:{current}"
        )
    return Withdrawal(current, live)


async def feedback_in_districts(db: Database, districts: tuple[str, ...]) -> int:
    """How much stored feedback names these districts (a warning before removing them)."""
    if not districts:
        return 0
    marks = ", ".join("?" for _ in districts)
    value = await db.fetchval(
        f"SELECT COUNT(*) FROM feedback WHERE district IN ({marks})", tuple(districts)
    )
    return int(value or 0)
