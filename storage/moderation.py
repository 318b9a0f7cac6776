"""The moderation queue: claim, edit, decide, skip, and reminder bookkeeping.

Two moderators working at once must never see the same item, so "give me the next one" is ONE
``UPDATE … WHERE id = (SELECT …) RETURNING`` statement: the claim is taken by whoever runs
first. A claim older than :data:`CLAIM_TTL` is considered abandoned and can be taken over. A
decision only applies while the item is still pending, so it is applied exactly once, and its
audit row is written in the same transaction.

Nothing here returns who wrote an item (pseudonym, language): moderators never see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage import audit
from storage.db import Database
from storage.staff import _now
from storage.timestamps import utc_iso

CLAIM_TTL = timedelta(minutes=30)
REJECT_REASONS: tuple[str, ...] = ("spam", "offensive", "personal", "other")
# Rejected for containing personal data: the text is removed at once, not kept until retention.
REMOVE_TEXT_REASONS = frozenset({"personal"})

_ITEM_COLUMNS = "id, created_at, district, topic, rating, text, edited"


@dataclass(frozen=True)
class PendingItem:
    id: int
    created_at: str
    district: str
    topic: str
    rating: int | None
    text: str | None
    edited: bool


@dataclass(frozen=True)
class QueueCounts:
    available: int  # pending items this moderator could still get (not skipped, not taken)
    taken_by_others: int
    skipped: int


def _item(row: aiosqlite.Row) -> PendingItem:
    return PendingItem(
        id=int(row["id"]),
        created_at=str(row["created_at"]),
        district=str(row["district"]),
        topic=str(row["topic"]),
        rating=None if row["rating"] is None else int(row["rating"]),
        text=None if row["text"] is None else str(row["text"]),
        edited=bool(row["edited"]),
    )


async def claim_next(
    db: Database, moderator_id: int, *, now: datetime | None = None, own: str | None = None
) -> PendingItem | None:
    """Claim the oldest pending item nobody else is working on (own claim first) and return it.

    ``own`` is the moderator's own resident pseudonym: they never review their own feedback.
    """
    moment = _now(now)
    stale = utc_iso(moment - CLAIM_TTL)
    async with (
        db.transaction() as tx,
        tx.execute(
            f"""
        UPDATE feedback SET claimed_by = :me, claimed_at = :now
        WHERE id = (
            SELECT id FROM feedback
            WHERE status = 'pending'
              AND (claimed_by IS NULL OR claimed_by = :me OR claimed_at < :stale)
              AND id NOT IN (SELECT feedback_id FROM moderation_skips WHERE moderator_id = :me)
              AND (:own IS NULL OR pseudonym != :own)
            ORDER BY (claimed_by IS :me) DESC, created_at, id
            LIMIT 1
        )
        RETURNING {_ITEM_COLUMNS}
        """,
            {"me": moderator_id, "now": utc_iso(moment), "stale": stale, "own": own},
        ) as cur,
    ):
        row = await cur.fetchone()
    return None if row is None else _item(row)


async def get_pending(db: Database, feedback_id: int) -> PendingItem | None:
    row = await db.fetchone(
        f"SELECT {_ITEM_COLUMNS} FROM feedback WHERE id = ? AND status = 'pending'",
        (feedback_id,),
    )
    return None if row is None else _item(row)


async def counts(
    db: Database, moderator_id: int, *, now: datetime | None = None, own: str | None = None
) -> QueueCounts:
    stale = utc_iso(_now(now) - CLAIM_TTL)
    row = await db.fetchone(
        """
        SELECT
          COALESCE(SUM(CASE WHEN s.feedback_id IS NULL AND (f.claimed_by IS NULL
                   OR f.claimed_by = :me OR f.claimed_at < :stale) THEN 1 ELSE 0 END), 0),
          COALESCE(SUM(CASE WHEN s.feedback_id IS NULL AND f.claimed_by != :me
                   AND f.claimed_at >= :stale THEN 1 ELSE 0 END), 0),
          COALESCE(SUM(CASE WHEN s.feedback_id IS NOT NULL THEN 1 ELSE 0 END), 0)
        FROM feedback f
        LEFT JOIN moderation_skips s ON s.feedback_id = f.id AND s.moderator_id = :me
        WHERE f.status = 'pending' AND (:own IS NULL OR f.pseudonym != :own)
        """,
        {"me": moderator_id, "stale": stale, "own": own},
    )
    assert row is not None
    return QueueCounts(int(row[0]), int(row[1]), int(row[2]))


async def decide(
    db: Database,
    feedback_id: int,
    *,
    moderator_id: int,
    approve: bool,
    reason: str | None = None,
    note: str = "",
    now: datetime | None = None,
) -> bool:
    """Approve or reject a pending item; False when it was already decided (or is gone).

    ``note`` is the moderator's short reason for "Övrigt" (already redacted); it is kept in the
    audit row as ``other: <note>``, never shown to residents or the council.
    """
    if not approve and reason not in REJECT_REASONS:
        raise ValueError(f"unknown reject reason: {reason}")
    moment = utc_iso(_now(now))
    remove_text = not approve and reason in REMOVE_TEXT_REASONS
    async with db.transaction() as tx:
        async with tx.execute(
            """
            UPDATE feedback SET status = :status, reject_reason = :reason,
                   moderated_by = :me, moderated_at = :now, claimed_by = NULL, claimed_at = NULL,
                   text = CASE WHEN :remove THEN NULL ELSE text END,
                   text_removed_at = CASE WHEN :remove THEN :now ELSE text_removed_at END
            WHERE id = :id AND status = 'pending'
            """,
            {
                "status": "approved" if approve else "rejected",
                "reason": None if approve else reason,
                "me": moderator_id,
                "now": moment,
                "remove": int(remove_text),
                "id": feedback_id,
            },
        ) as cur:
            applied = cur.rowcount == 1
        if applied:
            await tx.execute("DELETE FROM moderation_skips WHERE feedback_id = ?", (feedback_id,))
            await audit.record_in(
                tx,
                moderator_id,
                "approve" if approve else "reject",
                f"feedback:{feedback_id}",
                "" if approve else (f"{reason}: {note}" if note else str(reason)),
            )
    return applied


@dataclass(frozen=True)
class Decision:
    status: str  # 'pending', 'approved' or 'rejected'
    reason: str | None
    moderated_by: int | None


async def decision(db: Database, feedback_id: int) -> Decision | None:
    """How an item stands now (a second press of Godkänn must not undo the first one's text)."""
    row = await db.fetchone(
        "SELECT status, reject_reason, moderated_by FROM feedback WHERE id = ?", (feedback_id,)
    )
    if row is None:
        return None
    return Decision(str(row["status"]), row["reject_reason"], row["moderated_by"])


async def recategorize(
    db: Database,
    feedback_id: int,
    *,
    moderator_id: int,
    district: str | None = None,
    topic: str | None = None,
) -> bool:
    """Correct a pending item's district or topic; audited as ``field: old -> new``.

    False when the item is no longer pending or nothing changed (then nothing is logged).
    """
    field, value = ("district", district) if district is not None else ("topic", topic)
    if value is None:
        raise ValueError("district or topic")
    async with db.transaction() as tx:
        async with tx.execute(
            f"SELECT {field} FROM feedback WHERE id = ? AND status = 'pending'", (feedback_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None or row[0] == value:
            return False
        await tx.execute(f"UPDATE feedback SET {field} = ? WHERE id = ?", (value, feedback_id))
        await audit.record_in(
            tx,
            moderator_id,
            "recategorize",
            f"feedback:{feedback_id}",
            f"{field}: {row[0]} -> {value}",
        )
    return True


async def edit_text(db: Database, feedback_id: int, *, moderator_id: int, text: str) -> bool:
    """Replace a pending item's text with the moderator's cleaned version; audit without text."""
    async with db.transaction() as tx:
        async with tx.execute(
            "UPDATE feedback SET text = ?, edited = 1 WHERE id = ? AND status = 'pending'",
            (text, feedback_id),
        ) as cur:
            applied = cur.rowcount == 1
        if applied:
            await audit.record_in(
                tx, moderator_id, "edit", f"feedback:{feedback_id}", f"{len(text)} characters"
            )
    return applied


async def skip(db: Database, feedback_id: int, *, moderator_id: int) -> None:
    """Put an item aside for this moderator and let others take it."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO moderation_skips (moderator_id, feedback_id) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING",
            (moderator_id, feedback_id),
        )
        await tx.execute(
            "UPDATE feedback SET claimed_by = NULL, claimed_at = NULL "
            "WHERE id = ? AND claimed_by = ?",
            (feedback_id, moderator_id),
        )


async def clear_skips(db: Database, moderator_id: int) -> None:
    """A new /granska session offers skipped items again."""
    await db.execute("DELETE FROM moderation_skips WHERE moderator_id = ?", (moderator_id,))


@dataclass(frozen=True)
class Overdue:
    ids: tuple[int, ...]
    oldest_created_at: str | None


async def overdue_unreminded(
    db: Database, older_than: timedelta, *, now: datetime | None = None
) -> Overdue:
    """Pending items that have waited longer than ``older_than`` and were never reminded about."""
    cutoff = utc_iso(_now(now) - older_than)
    rows = await db.fetchall(
        """
        SELECT f.id, f.created_at FROM feedback f
        LEFT JOIN moderation_reminders r ON r.feedback_id = f.id
        WHERE f.status = 'pending' AND f.created_at < ? AND r.feedback_id IS NULL
        ORDER BY f.created_at, f.id
        """,
        (cutoff,),
    )
    return Overdue(tuple(int(r["id"]) for r in rows), str(rows[0]["created_at"]) if rows else None)


async def mark_reminded(
    db: Database, feedback_ids: Sequence[int], *, now: datetime | None = None
) -> None:
    moment = utc_iso(_now(now))
    await db.executemany(
        "INSERT INTO moderation_reminders (feedback_id, reminded_at) VALUES (?, ?) "
        "ON CONFLICT DO NOTHING",
        [(fid, moment) for fid in feedback_ids],
    )
