"""Invitations to a staff role, and role changes with their audit rows.

A code is random (``secrets``), used once, and expires after 72 hours. Only its SHA-256 is
stored. Accepting consumes the code, grants the role and writes the audit row in ONE
transaction, so two people opening the same link at the same moment cannot both get the role.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from storage import audit
from storage.db import Database
from storage.timestamps import parse_utc, utc_iso

INVITE_TTL = timedelta(hours=72)
CODE_PREFIX = "inv-"
STAFF_ROLES = ("moderator", "council")


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Invite:
    code: str
    role: str
    expires_at: datetime


class InviteOutcome(StrEnum):
    GRANTED = "granted"
    ALREADY = "already"  # the user already has the role; the code stays unused
    EXPIRED = "expired"
    USED = "used"
    UNKNOWN = "unknown"
    BOT = "bot"  # a bot account never takes a role; the code stays unused for the person


@dataclass(frozen=True)
class InviteResult:
    outcome: InviteOutcome
    role: str | None = None


async def create_invite(
    db: Database, role: str, *, created_by: int, now: datetime | None = None
) -> Invite:
    """Create a single-use invitation and audit it (the code itself is never logged)."""
    if role not in STAFF_ROLES:
        raise ValueError(f"not a staff role: {role}")
    moment = _now(now)
    code = CODE_PREFIX + secrets.token_urlsafe(18)
    expires = moment + INVITE_TTL
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO invites (code_hash, role, created_by, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (_hash(code), role, created_by, utc_iso(moment), utc_iso(expires)),
        )
        await audit.record_in(tx, created_by, "invite", role, f"expires {utc_iso(expires)}")
    return Invite(code=code, role=role, expires_at=expires)


async def accept_invite(
    db: Database,
    code: str,
    *,
    user_id: int,
    display_name: str = "",
    is_bot: bool = False,
    now: datetime | None = None,
) -> InviteResult:
    """Consume ``code`` for ``user_id`` and grant its role, atomically; explain any refusal.

    ``is_bot``: Telegram says the account is a bot. A forwarded link pressed by a bot (or a
    bot that guessed one) must not make it staff, and must not use up the person's link.
    """
    moment = utc_iso(_now(now))
    code_hash = _hash(code)
    async with db.transaction() as tx:
        async with tx.execute(
            "SELECT role, expires_at, used_by, created_by FROM invites WHERE code_hash = ?",
            (code_hash,),
        ) as cur:
            row = await cur.fetchone()
        if is_bot:
            outcome = InviteOutcome.BOT
        elif row is None:
            outcome = InviteOutcome.UNKNOWN
        elif row["used_by"] is not None:
            outcome = InviteOutcome.USED
        elif row["expires_at"] <= moment:
            outcome = InviteOutcome.EXPIRED
        else:
            async with tx.execute(
                "SELECT 1 FROM roles WHERE user_id = ? AND role = ?", (user_id, row["role"])
            ) as cur:
                already = await cur.fetchone() is not None
            if already:
                return InviteResult(InviteOutcome.ALREADY, row["role"])
            # The WHERE makes the consumption itself the guard, not the SELECT above.
            async with tx.execute(
                "UPDATE invites SET used_by = ?, used_at = ? "
                "WHERE code_hash = ? AND used_by IS NULL AND expires_at > ?",
                (user_id, moment, code_hash, moment),
            ) as cur:
                consumed = cur.rowcount == 1
            if not consumed:  # pragma: no cover - the transaction lock makes this unreachable
                outcome = InviteOutcome.USED
            else:
                await tx.execute(
                    "INSERT INTO roles (user_id, role, granted_by, display_name) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (user_id, role) DO NOTHING",
                    (user_id, row["role"], row["created_by"], display_name),
                )
                await audit.record_in(
                    tx, user_id, "role_granted", f"user:{user_id}", f"{row['role']} via invite"
                )
                return InviteResult(InviteOutcome.GRANTED, row["role"])
        # A failed attempt is worth knowing about (a forwarded or guessed link).
        await audit.record_in(tx, user_id, "invite_failed", "", str(outcome))
        return InviteResult(outcome, row["role"] if row is not None else None)


async def revoke_role(db: Database, user_id: int, role: str, *, actor_id: int) -> bool:
    """Remove ``role`` from ``user_id`` and audit it; False when they did not have it."""
    async with db.transaction() as tx:
        # Their name stays for the log (staff_names), though the role goes.
        await tx.execute(
            "INSERT INTO staff_names (user_id, display_name, updated_at) "
            "SELECT user_id, display_name, ? FROM roles "
            "WHERE user_id = ? AND role = ? AND display_name != '' "
            "ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, "
            "updated_at = excluded.updated_at",
            (utc_iso(_now(None)), user_id, role),
        )
        async with tx.execute(
            "DELETE FROM roles WHERE user_id = ? AND role = ?", (user_id, role)
        ) as cur:
            removed = cur.rowcount == 1
        if removed:
            await audit.record_in(tx, actor_id, "role_revoked", f"user:{user_id}", role)
            if role == "council":
                # Every weekly digest they started, and the one to their own chat, ends.
                await tx.execute(
                    "DELETE FROM council_digests WHERE created_by = ? OR chat_id = ?",
                    (user_id, user_id),
                )
            if role == "moderator":
                # Whatever they were looking at goes back to the queue at once.
                await tx.execute(
                    "UPDATE feedback SET claimed_by = NULL, claimed_at = NULL "
                    "WHERE claimed_by = ? AND status = 'pending'",
                    (user_id,),
                )
    return removed


async def display_names(db: Database) -> dict[int, str]:
    """Staff display names by user id, for the audit log: current roles first, then names
    remembered from earlier (a revoked moderator's decisions still show who made them)."""
    rows = await db.fetchall(
        "SELECT user_id, display_name FROM staff_names WHERE display_name != '' "
        "UNION ALL "
        "SELECT user_id, display_name FROM roles WHERE display_name != ''"
    )
    return {row["user_id"]: row["display_name"] for row in rows}


async def remember_name(
    db: Database, user_id: int, display_name: str, *, now: datetime | None = None
) -> None:
    """Keep a staff member's (or admin's) name for /roller and /logg; residents never."""
    if not display_name:
        return
    await db.execute(
        "INSERT INTO staff_names (user_id, display_name, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, "
        "updated_at = excluded.updated_at WHERE display_name != excluded.display_name",
        (user_id, display_name, utc_iso(_now(now))),
    )


async def had_role(db: Database, user_id: int, role: str) -> bool:
    """True when ``role`` was taken from this user (a former council member may still stop
    their own digest: that must never be refused)."""
    value = await db.fetchval(
        "SELECT 1 FROM audit_log WHERE action = 'role_revoked' AND target = ? AND detail = ? "
        "LIMIT 1",
        (f"user:{user_id}", role),
    )
    return value is not None


async def digest_chats_of(db: Database, user_id: int) -> list[int]:
    """Chats whose weekly digest ends with this council member's role (see revoke_role)."""
    rows = await db.fetchall(
        "SELECT chat_id FROM council_digests WHERE created_by = ? OR chat_id = ?",
        (user_id, user_id),
    )
    return [int(r["chat_id"]) for r in rows]


async def audit_entries(
    db: Database, limit: int, actors: Collection[int] | None = None
) -> list[audit.AuditEntry]:
    """The newest audit rows, optionally only those made by ``actors`` (``/logg moderator``)."""
    if actors is None:
        return await audit.latest(db, limit)
    ids = sorted(actors)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = await db.fetchall(
        "SELECT id, created_at, actor_id, action, target, detail FROM audit_log "
        f"WHERE actor_id IN ({marks}) ORDER BY id DESC LIMIT ?",
        (*ids, limit),
    )
    return [audit.AuditEntry(*tuple(row)) for row in rows]


async def backdate_invite(db: Database, code: str, by: timedelta) -> None:
    """Move an invitation's times into the past (tests and support: simulate an old link)."""
    row = await db.fetchone(
        "SELECT created_at, expires_at FROM invites WHERE code_hash = ?", (_hash(code),)
    )
    if row is None:
        raise KeyError("no such invite")
    await db.execute(
        "UPDATE invites SET created_at = ?, expires_at = ? WHERE code_hash = ?",
        (
            utc_iso(parse_utc(row["created_at"]) - by),
            utc_iso(parse_utc(row["expires_at"]) - by),
            _hash(code),
        ),
    )
