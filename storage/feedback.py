"""Residents' feedback: idempotent submit, rate-limit counts, export, deletion and retention.

Rows are keyed by a pseudonym (never a Telegram id or name). The only place a resident's chat
id is kept is ``update_subscribers``, only after they said yes to updates, and keyed by a
*subscriber alias* (Services.subscriber) that is not the feedback pseudonym, so a copy of the
database cannot join a text to a chat. The FEEDBACK_PER_DAY window is counted in
``feedback_quota`` (a hash of the pseudonym, 24 hours), which /radera does not reset.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
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


QUOTA_WINDOW = timedelta(hours=24)


def quota_key(pseudonym: str) -> str:
    """The rate-limit counter's key: derived from the pseudonym, but not the pseudonym itself."""
    return hashlib.sha256(f"feedback-quota:{pseudonym}".encode()).hexdigest()


_COUNT_SQL = (
    "SELECT MAX("
    "(SELECT COUNT(*) FROM feedback_quota WHERE quota_key = :key AND created_at >= :since), "
    "(SELECT COUNT(*) FROM feedback WHERE pseudonym = :alias AND created_at >= :since))"
)


async def _count_since(tx: aiosqlite.Connection, pseudonym: str, since: datetime) -> int:
    """Submissions in the window; feedback rows count too (those stored before migration 007)."""
    params = {"key": quota_key(pseudonym), "alias": pseudonym, "since": utc_iso(since)}
    async with tx.execute(_COUNT_SQL, params) as cur:
        row = await cur.fetchone()
    return int(row[0] or 0) if row else 0


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
        await tx.execute(
            "DELETE FROM feedback_quota WHERE created_at < ?", (utc_iso(moment - QUOTA_WINDOW),)
        )
        if await _count_since(tx, item.pseudonym, moment - QUOTA_WINDOW) >= per_day:
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
        await tx.execute(
            "INSERT INTO feedback_quota (quota_key, created_at) VALUES (?, ?)",
            (quota_key(item.pseudonym), utc_iso(moment)),
        )
    return SubmitResult(ref=ref, created=True)


async def count_recent(db: Database, pseudonym: str, now: datetime | None = None) -> int:
    """Submissions by this resident in the last 24 hours (the FEEDBACK_PER_DAY window)."""
    since = (now or utc_now()) - QUOTA_WINDOW
    value = await db.fetchval(
        _COUNT_SQL, {"key": quota_key(pseudonym), "alias": pseudonym, "since": utc_iso(since)}
    )
    return int(value or 0)


async def district_of(db: Database, ref: str, pseudonym: str) -> str | None:
    """The district of the resident's own feedback ``ref`` (None if it is not theirs)."""
    value = await db.fetchval(
        "SELECT district FROM feedback WHERE ref = ? AND pseudonym = ?", (ref, pseudonym)
    )
    return None if value is None else str(value)


async def status_of(db: Database, ref: str, pseudonym: str) -> dict[str, Any] | None:
    """The resident's own feedback ``ref`` for /status (None if there is none, or it is not
    theirs: the caller cannot tell the two apart, so a reference cannot be probed)."""
    row = await db.fetchone(
        "SELECT ref, created_at, district, topic, status FROM feedback "
        "WHERE ref = ? AND pseudonym = ?",
        (ref, pseudonym),
    )
    return None if row is None else dict(row)


async def is_subscribed(db: Database, subscriber: str, district: str) -> bool:
    """``subscriber`` is Services.subscriber(user_id), never the feedback pseudonym."""
    value = await db.fetchval(
        "SELECT 1 FROM update_subscribers WHERE pseudonym = ? AND district = ?",
        (subscriber, district),
    )
    return value is not None


async def subscribe(
    db: Database, subscriber: str, district: str, chat_id: int, language: str
) -> bool:
    """Add an update subscription; False when it already existed (a repeated "yes").

    The column is still called ``pseudonym`` (storage.council reads it) but holds the subscriber
    alias, so nothing in the table equals a feedback row's pseudonym.
    """
    changed = await db.execute(
        "INSERT INTO update_subscribers (pseudonym, district, chat_id, language) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (pseudonym, district) DO NOTHING",
        (subscriber, district, chat_id, language),
    )
    return changed > 0


async def rekey_subscribers(
    db: Database, pseudonym: Callable[[int], str], subscriber: Callable[[int], str]
) -> int:
    """Replace feedback pseudonyms left in update_subscribers by subscriber aliases (start-up).

    Rows written before migration 007 put the pseudonym next to the chat id; in a private chat
    the chat id is the user id, so both values can be recomputed from the row itself.
    """
    rows = await db.fetchall("SELECT pseudonym, district, chat_id FROM update_subscribers")
    changed = 0
    async with db.transaction() as tx:
        for row in rows:
            chat_id = int(row["chat_id"])
            if row["pseudonym"] != pseudonym(chat_id):
                continue
            await tx.execute(
                "UPDATE OR REPLACE update_subscribers SET pseudonym = ? "
                "WHERE pseudonym = ? AND district = ?",
                (subscriber(chat_id), row["pseudonym"], row["district"]),
            )
            changed += 1
    if changed:
        await db.checkpoint()
    return changed


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
        "WHERE pseudonym = ? OR chat_id = ? ORDER BY created_at, district",
        (pseudonym, user_id),
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
        # A private chat's id is the user's id: that finds the subscriptions without the alias.
        async with tx.execute(
            "DELETE FROM update_subscribers WHERE pseudonym = ? OR chat_id = ?",
            (pseudonym, user_id),
        ) as cur:
            subscriptions = cur.rowcount
        # Nothing more from the outbox either (a note still being sent to them).
        await tx.execute(
            "UPDATE outbox SET state = 'gone', pseudonym = NULL "
            "WHERE chat_id = ? AND state = 'pending'",
            (user_id,),
        )
        async with tx.execute(
            f"DELETE FROM ptb_state WHERE {_STATE_WHERE}",
            {"uid": str(user_id), "uid_int": user_id},
        ) as cur:
            state = cur.rowcount
    # secure_delete zeroes the pages in the database file; the WAL still holds copies of them
    # until a checkpoint, so force one now and truncate the WAL.
    await db.checkpoint()
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
    removed = await db.execute(
        "UPDATE feedback SET text = NULL, text_removed_at = ? "
        "WHERE text IS NOT NULL AND created_at < ?",
        (utc_iso(moment), utc_iso(cutoff)),
    )
    if removed:
        await db.checkpoint()
    return removed
