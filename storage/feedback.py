"""Residents' feedback: idempotent submit, rate-limit counts, export, deletion and retention.

Rows are keyed by a pseudonym (never a Telegram id or name). The only place a resident's chat
id is kept is ``update_subscribers``, and only after they said yes to updates.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from storage.db import Database
from storage.timestamps import utc_iso, utc_now

# Unambiguous characters for references read aloud or typed (no 0/O, 1/I/L).
REF_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REF_LENGTH = 6
_REF_ATTEMPTS = 8


@dataclass(frozen=True)
class NewFeedback:
    """What the dialogue collected, already redacted and checked."""

    pseudonym: str
    district: str
    topic: str
    rating: int | None
    text: str
    language: str
    submission_key: str
    redactions: int = 0


@dataclass(frozen=True)
class SubmitResult:
    """``ref`` is set when the row exists (new or from an earlier identical submit)."""

    ref: str | None
    created: bool
    limited: bool = False


def new_ref() -> str:
    return "".join(secrets.choice(REF_ALPHABET) for _ in range(REF_LENGTH))


async def _count_since(tx: aiosqlite.Connection, pseudonym: str, since: datetime) -> int:
    async with tx.execute(
        "SELECT COUNT(*) FROM feedback WHERE pseudonym = ? AND created_at >= ?",
        (pseudonym, utc_iso(since)),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def submit(
    db: Database, item: NewFeedback, *, per_day: int, now: datetime | None = None
) -> SubmitResult:
    """Store ``item`` once; a repeated ``submission_key`` returns the first row's ref.

    The existence check, the 24-hour limit and the insert run in one write transaction, so two
    presses of "Skicka" (or two concurrent residents) can neither double-store nor overshoot.
    """
    moment = now or utc_now()
    async with db.transaction() as tx:
        async with tx.execute(
            "SELECT ref FROM feedback WHERE submission_key = ?", (item.submission_key,)
        ) as cur:
            existing = await cur.fetchone()
        if existing is not None:
            return SubmitResult(ref=existing[0], created=False)
        if await _count_since(tx, item.pseudonym, moment - timedelta(hours=24)) >= per_day:
            return SubmitResult(ref=None, created=False, limited=True)
        for _ in range(_REF_ATTEMPTS):
            ref = new_ref()
            async with tx.execute("SELECT 1 FROM feedback WHERE ref = ?", (ref,)) as cur:
                if await cur.fetchone() is None:
                    break
        else:  # pragma: no cover - 31^6 references; practically unreachable
            raise RuntimeError("could not find a free feedback reference")
        await tx.execute(
            "INSERT INTO feedback (ref, submission_key, created_at, district, topic, rating, "
            "text, language, status, pseudonym, redactions) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            (
                ref,
                item.submission_key,
                utc_iso(moment),
                item.district,
                item.topic,
                item.rating,
                item.text,
                item.language,
                item.pseudonym,
                item.redactions,
            ),
        )
    return SubmitResult(ref=ref, created=True)


async def count_recent(db: Database, pseudonym: str, now: datetime | None = None) -> int:
    """Submissions by this resident in the last 24 hours (the FEEDBACK_PER_DAY window)."""
    since = (now or utc_now()) - timedelta(hours=24)
    value = await db.fetchval(
        "SELECT COUNT(*) FROM feedback WHERE pseudonym = ? AND created_at >= ?",
        (pseudonym, utc_iso(since)),
    )
    return int(value or 0)


async def district_of(db: Database, ref: str, pseudonym: str) -> str | None:
    """The district of the resident's own feedback ``ref`` (None if it is not theirs)."""
    value = await db.fetchval(
        "SELECT district FROM feedback WHERE ref = ? AND pseudonym = ?", (ref, pseudonym)
    )
    return None if value is None else str(value)


async def is_subscribed(db: Database, pseudonym: str, district: str) -> bool:
    value = await db.fetchval(
        "SELECT 1 FROM update_subscribers WHERE pseudonym = ? AND district = ?",
        (pseudonym, district),
    )
    return value is not None


async def subscribe(
    db: Database, pseudonym: str, district: str, chat_id: int, language: str
) -> bool:
    """Add an update subscription; False when it already existed (a repeated "yes")."""
    changed = await db.execute(
        "INSERT INTO update_subscribers (pseudonym, district, chat_id, language) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (pseudonym, district) DO NOTHING",
        (pseudonym, district, chat_id, language),
    )
    return changed > 0


# ptb_state rows that belong to one resident: their user data, their private chat's data and
# any conversation keyed by their user id (the key is a JSON list [chat_id, user_id]).
_STATE_WHERE = (
    "(kind = 'user' AND key = :uid) OR (kind = 'chat' AND key = :uid) "
    "OR (kind = 'conversation' AND json_valid(key) AND json_extract(key, '$[1]') = :uid_int)"
)


async def resident_data(db: Database, pseudonym: str, user_id: int) -> dict[str, Any]:
    """Everything stored about one resident, for /minadata (JSON-serialisable)."""
    feedback_rows = await db.fetchall(
        "SELECT ref, created_at, district, topic, rating, text, language, status, "
        "redactions, text_removed_at FROM feedback WHERE pseudonym = ? ORDER BY created_at, id",
        (pseudonym,),
    )
    subs = await db.fetchall(
        "SELECT district, chat_id, language, created_at FROM update_subscribers "
        "WHERE pseudonym = ? ORDER BY created_at, district",
        (pseudonym,),
    )
    state = await db.fetchall(
        f"SELECT kind, name, key, data, updated_at FROM ptb_state WHERE {_STATE_WHERE} "
        "ORDER BY kind, name, key",
        {"uid": str(user_id), "uid_int": user_id},
    )
    return {
        "pseudonym": pseudonym,
        "feedback": [dict(row) for row in feedback_rows],
        "update_subscriptions": [dict(row) for row in subs],
        "bot_state": [
            {
                "kind": row["kind"],
                "name": row["name"],
                "data": json.loads(row["data"]),
                "updated_at": row["updated_at"],
            }
            for row in state
        ],
    }


@dataclass(frozen=True)
class Deleted:
    feedback: int
    subscriptions: int
    state: int


async def delete_resident(db: Database, pseudonym: str, user_id: int) -> Deleted:
    """Delete all of a resident's rows in one transaction (feedback, subscriptions, bot state)."""
    async with db.transaction() as tx:
        async with tx.execute("DELETE FROM feedback WHERE pseudonym = ?", (pseudonym,)) as cur:
            feedback = cur.rowcount
        async with tx.execute(
            "DELETE FROM update_subscribers WHERE pseudonym = ?", (pseudonym,)
        ) as cur:
            subscriptions = cur.rowcount
        async with tx.execute(
            f"DELETE FROM ptb_state WHERE {_STATE_WHERE}",
            {"uid": str(user_id), "uid_int": user_id},
        ) as cur:
            state = cur.rowcount
    return Deleted(feedback, subscriptions, state)


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` minus whole calendar months (the day is clamped: 31 May - 3 → 28/29 Feb)."""
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    # Days in the target month: first of next month minus one day.
    next_first = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=moment.tzinfo)
    last_day = (next_first - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


async def purge_old_text(db: Database, months: int, now: datetime | None = None) -> int:
    """Remove free text older than ``months`` (RETENTION_MONTHS); rows and counts stay."""
    moment = now or utc_now()
    cutoff = months_before(moment, months)
    return await db.execute(
        "UPDATE feedback SET text = NULL, text_removed_at = ? "
        "WHERE text IS NOT NULL AND created_at < ?",
        (utc_iso(moment), utc_iso(cutoff)),
    )
