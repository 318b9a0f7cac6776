"""Council data: weekly digest subscriptions and published notes ("det här har vi gjort").

Residents who asked for updates live in ``update_subscribers`` (written by the feedback dialogue,
emptied by /radera); this module reads them to deliver a note and removes a row when the
resident presses "Sluta få uppdateringar" or can no longer be reached.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage import outbox
from storage.db import Database


@dataclass(frozen=True)
class DigestSubscription:
    chat_id: int
    language: str
    created_by: int


@dataclass(frozen=True)
class Note:
    id: int
    district: str
    text: str
    language: str
    created_at: str
    recipients: int


@dataclass(frozen=True)
class Recipient:
    pseudonym: str
    chat_id: int
    language: str


async def subscribe_digest(db: Database, chat_id: int, language: str, created_by: int) -> bool:
    """Start the digest for a chat; False when it already had one (the language is updated)."""
    existing = await db.fetchval("SELECT 1 FROM council_digests WHERE chat_id = ?", (chat_id,))
    await db.execute(
        "INSERT INTO council_digests (chat_id, language, created_by) VALUES (?, ?, ?) "
        "ON CONFLICT (chat_id) DO UPDATE SET language = excluded.language",
        (chat_id, language, created_by),
    )
    return existing is None


async def unsubscribe_digest(db: Database, chat_id: int) -> bool:
    return await db.execute("DELETE FROM council_digests WHERE chat_id = ?", (chat_id,)) > 0


async def digest_subscriptions(db: Database) -> list[DigestSubscription]:
    rows = await db.fetchall(
        "SELECT chat_id, language, created_by FROM council_digests ORDER BY created_at"
    )
    return [DigestSubscription(r["chat_id"], r["language"], r["created_by"]) for r in rows]


async def digest_subscription(db: Database, chat_id: int) -> DigestSubscription | None:
    row = await db.fetchone(
        "SELECT chat_id, language, created_by FROM council_digests WHERE chat_id = ?", (chat_id,)
    )
    return DigestSubscription(row["chat_id"], row["language"], row["created_by"]) if row else None


async def add_note(db: Database, district: str, text: str, language: str, author_id: int) -> int:
    async with db.transaction() as tx:
        cur = await tx.execute(
            "INSERT INTO council_notes (district, text, language, author_id) VALUES (?, ?, ?, ?)",
            (district, text, language, author_id),
        )
        note_id = cur.lastrowid
    assert note_id is not None
    return note_id


async def publish_note(
    db: Database,
    district: str,
    text: str,
    language: str,
    author_id: int,
    messages: dict[str, outbox.Text],
    *,
    author_chat: int | None = None,
    progress_message_id: int | None = None,
) -> tuple[int, int]:
    """Store a note and queue it for every resident subscribed to its district, in ONE
    transaction: either the note and all its deliveries exist, or neither. (note id, batch id)
    """
    async with db.transaction() as tx:
        cur = await tx.execute(
            "INSERT INTO council_notes (district, text, language, author_id) VALUES (?, ?, ?, ?)",
            (district, text, language, author_id),
        )
        note_id = cur.lastrowid
        assert note_id is not None
        async with tx.execute(
            "SELECT pseudonym, chat_id, language FROM update_subscribers WHERE district = ? "
            "ORDER BY created_at",
            (district,),
        ) as rows:
            recipients = [
                outbox.Recipient(r["chat_id"], r["language"], r["pseudonym"])
                for r in await rows.fetchall()
            ]
        batch_id = await outbox.add_batch(
            tx,
            "note",
            messages,
            recipients,
            subject=district,
            note_id=note_id,
            author_chat=author_chat,
            author_language=language,
        )
        if progress_message_id is not None:
            await tx.execute(
                "UPDATE outbox_batches SET progress_message_id = ? WHERE id = ?",
                (progress_message_id, batch_id),
            )
    return note_id, batch_id


async def set_recipients(db: Database, note_id: int, recipients: int) -> None:
    await db.execute("UPDATE council_notes SET recipients = ? WHERE id = ?", (recipients, note_id))


def _note(r: aiosqlite.Row) -> Note:
    return Note(r["id"], r["district"], r["text"], r["language"], r["created_at"], r["recipients"])


async def latest_notes(db: Database, limit: int = 10) -> list[Note]:
    """The newest note of each district, newest districts first."""
    rows = await db.fetchall(
        "SELECT n.id, n.district, n.text, n.language, n.created_at, n.recipients "
        "FROM council_notes n WHERE n.id = ("
        "  SELECT m.id FROM council_notes m WHERE m.district = n.district "
        "  ORDER BY m.created_at DESC, m.id DESC LIMIT 1) "
        "ORDER BY n.created_at DESC, n.id DESC LIMIT ?",
        (limit,),
    )
    return [_note(r) for r in rows]


async def notes_for(db: Database, district: str, limit: int = 3) -> list[Note]:
    rows = await db.fetchall(
        "SELECT id, district, text, language, created_at, recipients FROM council_notes "
        "WHERE district = ? ORDER BY created_at DESC, id DESC LIMIT ?",
        (district, limit),
    )
    return [_note(r) for r in rows]


async def update_recipients(db: Database, district: str) -> list[Recipient]:
    """Residents who said yes to updates about this district."""
    rows = await db.fetchall(
        "SELECT pseudonym, chat_id, language FROM update_subscribers WHERE district = ? "
        "ORDER BY created_at",
        (district,),
    )
    return [Recipient(r["pseudonym"], r["chat_id"], r["language"]) for r in rows]


async def stop_updates(db: Database, pseudonym: str, district: str) -> bool:
    """A resident asked to stop the updates about one district; False if there were none."""
    removed = await db.execute(
        "DELETE FROM update_subscribers WHERE pseudonym = ? AND district = ?",
        (pseudonym, district),
    )
    return removed > 0


async def drop_recipient(db: Database, pseudonym: str, district: str) -> None:
    """Forget a resident who blocked the bot: their chat id has no use any more."""
    await db.execute(
        "DELETE FROM update_subscribers WHERE pseudonym = ? AND district = ?",
        (pseudonym, district),
    )
