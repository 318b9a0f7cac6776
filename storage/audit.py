"""Append-only audit log: who did what, when. Staff ids only, never resident identities."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.db import Database


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
    await db.execute(
        "INSERT INTO audit_log (actor_id, action, target, detail) VALUES (?, ?, ?, ?)",
        (actor_id, action, target, detail),
    )


async def record_in(
    tx: aiosqlite.Connection, actor_id: int | None, action: str, target: str = "", detail: str = ""
) -> None:
    """Same as :func:`record`, inside a caller's transaction (decision and audit row together)."""
    await tx.execute(
        "INSERT INTO audit_log (actor_id, action, target, detail) VALUES (?, ?, ?, ?)",
        (actor_id, action, target, detail),
    )


async def latest(db: Database, limit: int = 20) -> list[AuditEntry]:
    rows = await db.fetchall(
        "SELECT id, created_at, actor_id, action, target, detail FROM audit_log "
        "ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [AuditEntry(*tuple(row)) for row in rows]
