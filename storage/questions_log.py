"""Questions the bot could not answer (or only hedged) and "Fick du svar?" votes (/obesvarade).

Stored without who asked (no user id, chat or pseudonym) and already redacted by the caller;
the text goes after RETENTION_MONTHS like feedback text (``purge_old_text``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.feedback import months_before
from storage.timestamps import utc_iso


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    created_at: str
    band: str
    language: str
    text: str
    entry: str | None
    helpful: int  # 👍 on the answer to this question
    unhelpful: int  # 👎


@dataclass(frozen=True)
class EntryVotes:
    entry: str  # '' for "vet inte" answers
    helpful: int
    unhelpful: int


async def log_question(
    db: Database, *, band: str, language: str, text: str, entry: str | None, now: datetime
) -> int:
    """Keep one redacted question; returns its id (the vote buttons under the answer carry it)."""
    async with db.transaction() as tx:
        cur = await tx.execute(
            "INSERT INTO question_log (created_at, band, language, text, entry) "
            "VALUES (?, ?, ?, ?, ?)",
            (utc_iso(now), band, language, text, entry),
        )
        question_id = cur.lastrowid
    assert question_id is not None
    return int(question_id)


async def vote(
    db: Database, *, entry: str, question_id: int | None, helpful: bool, now: datetime
) -> None:
    """One 👍 or 👎 (a vote on a question that is gone is kept without the link)."""
    async with db.transaction() as tx:
        if question_id is not None:
            async with tx.execute("SELECT 1 FROM question_log WHERE id = ?", (question_id,)) as cur:
                if await cur.fetchone() is None:
                    question_id = None
        await tx.execute(
            "INSERT INTO answer_votes (created_at, entry, question_id, helpful) "
            "VALUES (?, ?, ?, ?)",
            (utc_iso(now), entry, question_id, int(helpful)),
        )


async def questions_between(
    db: Database, start: datetime, end: datetime, limit: int = 5000
) -> list[LoggedQuestion]:
    """Logged questions with text in ``[start, end)``, newest first, with their votes."""
    rows = await db.fetchall(
        """
        SELECT q.id, q.created_at, q.band, q.language, q.text, q.entry,
               COALESCE(SUM(v.helpful = 1), 0) AS up, COALESCE(SUM(v.helpful = 0), 0) AS down
        FROM question_log q LEFT JOIN answer_votes v ON v.question_id = q.id
        WHERE q.text IS NOT NULL AND q.created_at >= ? AND q.created_at < ?
        GROUP BY q.id
        ORDER BY q.created_at DESC, q.id DESC
        LIMIT ?
        """,
        (utc_iso(start), utc_iso(end), limit),
    )
    return [LoggedQuestion(*tuple(r)) for r in rows]


async def votes_between(db: Database, start: datetime, end: datetime) -> list[EntryVotes]:
    """👍/👎 per answer entry in ``[start, end)``, most 👎 first."""
    rows = await db.fetchall(
        """
        SELECT entry, SUM(helpful = 1), SUM(helpful = 0) FROM answer_votes
        WHERE created_at >= ? AND created_at < ?
        GROUP BY entry
        ORDER BY SUM(helpful = 0) DESC, COUNT(*) DESC, entry
        """,
        (utc_iso(start), utc_iso(end)),
    )
    return [EntryVotes(r[0], int(r[1]), int(r[2])) for r in rows]


async def purge_old_text(db: Database, months: int, now: datetime) -> int:
    """Retention: question text older than ``months`` goes (the counts of votes stay)."""
    cutoff = months_before(now, months)
    return await db.execute(
        "UPDATE question_log SET text = NULL WHERE text IS NOT NULL AND created_at < ?",
        (utc_iso(cutoff),),
    )
