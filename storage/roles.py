"""Staff roles (moderator, council member). Admins come from ADMIN_IDS, not from here."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    role: str
    display_name: str
    granted_at: str


async def roles_of(db: Database, user_id: int) -> set[str]:
    rows = await db.fetchall("SELECT role FROM roles WHERE user_id = ?", (user_id,))
    return {row["role"] for row in rows}


async def grant(
    db: Database, user_id: int, role: str, *, granted_by: int | None, display_name: str = ""
) -> bool:
    """Give ``role``; return False when the user already had it."""
    changed = await db.execute(
        "INSERT INTO roles (user_id, role, granted_by, display_name) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id, role) DO NOTHING",
        (user_id, role, granted_by, display_name),
    )
    return changed > 0


async def revoke(db: Database, user_id: int, role: str) -> bool:
    changed = await db.execute("DELETE FROM roles WHERE user_id = ? AND role = ?", (user_id, role))
    return changed > 0


async def staff(db: Database) -> list[StaffMember]:
    rows = await db.fetchall(
        "SELECT user_id, role, display_name, granted_at FROM roles ORDER BY role, granted_at"
    )
    return [StaffMember(r["user_id"], r["role"], r["display_name"], r["granted_at"]) for r in rows]


async def members_with(db: Database, role: str) -> list[int]:
    rows = await db.fetchall("SELECT user_id FROM roles WHERE role = ?", (role,))
    return [row["user_id"] for row in rows]
