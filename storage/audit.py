"""Append-only audit log: who did what, when. Staff ids only, never resident identities.

A refused staff command or a bad invitation code usually comes from a resident: the event is
kept (an admin wants to see attempts) but the Telegram id only when the actor holds a role.
Those anonymous events are purged after :data:`RESIDENT_EVENT_DAYS` days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from storage.db import Database
from storage.timestamps import utc_iso, utc_now

#: Actions whose actor may be a resident (no role): their id is not stored.
RESIDENT_ACTIONS: frozenset[str] = frozenset({"refused", "invite_failed"})
RESIDENT_EVENT_DAYS = 90
_STAFF_OR_NULL = (
    "CASE WHEN ? IN ({actions}) AND NOT EXISTS (SELECT 1 FROM roles WHERE user_id = ?) "
    "THEN NULL ELSE ? END"
).format(actions=", ".join(f"'{a}'" for a in sorted(RESIDENT_ACTIONS)))
_INSERT = (
    f"INSERT INTO audit_log (actor_id, action, target, detail) VALUES ({_STAFF_OR_NULL}, ?, ?, ?)"
)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    created_at: str
    actor_id: int | None
    action: str
    target: str
    detail: str


async def record(
    db: Database, actor_id: int | None, action: str, target: str = "", detail: str = ""
) -> None:
    await db.execute(_INSERT, (action, actor_id, actor_id, action, target, detail))


async def record_in(
    tx: aiosqlite.Connection, actor_id: int | None, action: str, target: str = "", detail: str = ""
) -> None:
    """Same as :func:`record`, inside a caller's transaction (decision and audit row together)."""
    await tx.execute(_INSERT, (action, actor_id, actor_id, action, target, detail))


async def latest(db: Database, limit: int = 20) -> list[AuditEntry]:
    rows = await db.fetchall(
        "SELECT id, created_at, actor_id, action, target, detail FROM audit_log "
        "ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [AuditEntry(*tuple(row)) for row in rows]


async def purge_resident_events(db: Database, now: datetime | None = None) -> int:
    """Delete anonymous resident events (refusals, bad codes) older than the retention period."""
    cutoff = (now or utc_now()) - timedelta(days=RESIDENT_EVENT_DAYS)
    placeholders = ", ".join("?" for _ in RESIDENT_ACTIONS)
    return await db.execute(
        f"DELETE FROM audit_log WHERE action IN ({placeholders}) AND created_at < ?",
        (*sorted(RESIDENT_ACTIONS), utc_iso(cutoff)),
    )


async def entries_about(db: Database, user_id: int) -> list[dict[str, Any]]:
    """Audit rows that name this Telegram user (as actor or target), for /minadata.

    For a resident this is normally empty; staff see their own decisions and role changes.
    """
    rows = await db.fetchall(
        "SELECT created_at, action, target, detail FROM audit_log "
        "WHERE actor_id = ? OR target = ? ORDER BY id",
        (user_id, f"user:{user_id}"),
    )
    return [dict(row) for row in rows]
