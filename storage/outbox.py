"""The outbox: messages owed to many chats, stored before any is sent (SQL for bot/outbox.py).

A publication (a council note, a weekly digest, a moderation reminder round) is one *batch*:
its text once per language, and one row per recipient, written in ONE transaction with whatever
caused it (the note itself), so a crash either loses the whole publication or none of it.

Each row moves ``pending → sending → sent | gone | failed``. The sender marks a row ``sending``
(committed) *before* it calls Telegram and ``sent`` after; a row still ``sending`` at start-up
may or may not have reached the resident and becomes ``unknown``: it is never sent again. That
is the deliberate choice of at-most-once over at-least-once — a resident must not get the same
note twice, and every note can still be read with /nytt. Only the rows in flight at a crash
(at most the sender's concurrency) can be affected.

When a batch has no open rows left, its counts are kept on the batch and the rows (chat ids)
are deleted: the outbox keeps no list of who got what.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import aiosqlite

from storage.db import Database

KINDS = ("note", "digest", "reminder")
OPEN = ("pending", "sending")


@dataclass(frozen=True)
class Text:
    """A batch's message in one language (``markup``: inline keyboard JSON or None)."""

    text: str
    markup: str | None = None


@dataclass(frozen=True)
class Recipient:
    chat_id: int
    language: str
    pseudonym: str | None = None


@dataclass(frozen=True)
class Row:
    """One message to send, with what the sender needs to send it."""

    id: int
    batch_id: int
    kind: str
    subject: str | None
    chat_id: int
    pseudonym: str | None
    text: str
    markup: str | None


@dataclass(frozen=True)
class Batch:
    id: int
    kind: str
    subject: str | None
    note_id: int | None
    author_chat: int | None
    author_language: str | None
    progress_message_id: int | None
    total: int


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int = 0
    gone: int = 0
    failed: int = 0  # refused for good
    open: int = 0
    unknown: int = 0  # cut off by a crash or a lost connection: may or may not have arrived

    @property
    def done(self) -> bool:
        return self.open == 0


async def add_batch(
    tx: aiosqlite.Connection,
    kind: str,
    texts: dict[str, Text],
    recipients: Sequence[Recipient],
    *,
    subject: str | None = None,
    note_id: int | None = None,
    author_chat: int | None = None,
    author_language: str | None = None,
) -> int:
    """Write a batch inside the caller's transaction (``Database.transaction``); its id.

    Every recipient's language must have a text, else the default (first) text is used.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    if not texts:
        raise ValueError("a batch needs a text")
    fallback = next(iter(texts))
    cur = await tx.execute(
        "INSERT INTO outbox_batches (kind, subject, note_id, author_chat, author_language, total)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (kind, subject, note_id, author_chat, author_language, len(recipients)),
    )
    batch_id = cur.lastrowid
    assert batch_id is not None
    await tx.executemany(
        "INSERT INTO outbox_texts (batch_id, language, text, markup) VALUES (?, ?, ?, ?)",
        [(batch_id, lang, t.text, t.markup) for lang, t in texts.items()],
    )
    await tx.executemany(
        "INSERT INTO outbox (batch_id, chat_id, language, pseudonym) VALUES (?, ?, ?, ?)",
        [
            (batch_id, r.chat_id, r.language if r.language in texts else fallback, r.pseudonym)
            for r in recipients
        ],
    )
    return batch_id


async def enqueue(
    db: Database,
    kind: str,
    texts: dict[str, Text],
    recipients: Sequence[Recipient],
    *,
    also: Callable[[aiosqlite.Connection], Awaitable[object]] | None = None,
    **batch: object,
) -> int:
    """Write a batch in its own transaction, together with ``also(tx)`` (e.g. marking the
    items a reminder is about), so both happen or neither."""
    async with db.transaction() as tx:
        batch_id = await add_batch(tx, kind, texts, recipients, **batch)  # type: ignore[arg-type]
        if also is not None:
            await also(tx)
    return batch_id


async def recover(db: Database) -> int:
    """At start-up: rows a crash left 'sending' become 'unknown' (see the module docstring)."""
    return await db.execute("UPDATE outbox SET state = 'unknown' WHERE state = 'sending'")


async def claim(db: Database, skip_chats: Sequence[int] = ()) -> Row | None:
    """The oldest pending row, marked 'sending' (committed) before it is returned.

    ``skip_chats``: chats that must wait (Telegram allows about one message a second per chat).
    """
    placeholders = ",".join("?" * len(skip_chats))
    skip = f"AND o.chat_id NOT IN ({placeholders}) " if skip_chats else ""
    async with db.transaction() as tx:
        async with tx.execute(
            "SELECT o.id, o.batch_id, b.kind, b.subject, o.chat_id, o.pseudonym, t.text, t.markup "
            "FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
            "JOIN outbox_texts t ON t.batch_id = o.batch_id AND t.language = o.language "
            f"WHERE o.state = 'pending' {skip}ORDER BY o.id LIMIT 1",
            tuple(skip_chats),
        ) as cur:
            r = await cur.fetchone()
        if r is None:
            return None
        await tx.execute("UPDATE outbox SET state = 'sending' WHERE id = ?", (r["id"],))
    return Row(
        r["id"],
        r["batch_id"],
        r["kind"],
        r["subject"],
        r["chat_id"],
        r["pseudonym"],
        r["text"],
        r["markup"],
    )


async def has_pending(db: Database) -> bool:
    return bool(await db.fetchval("SELECT 1 FROM outbox WHERE state = 'pending' LIMIT 1"))


async def batch_has_open(db: Database, batch_id: int) -> bool:
    """Whether a batch still has rows to send (cheap: one index probe)."""
    return bool(
        await db.fetchval(
            "SELECT 1 FROM outbox WHERE batch_id = ? AND state IN ('pending', 'sending') LIMIT 1",
            (batch_id,),
        )
    )


async def finish(db: Database, row_id: int, state: str) -> None:
    """Record how a send ended: 'sent', 'gone' (blocked/deleted), 'failed', or 'pending' again
    (Telegram said 429 before doing anything, so it is safe to try later)."""
    if state not in ("sent", "gone", "failed", "pending", "unknown"):
        raise ValueError(f"bad outbox state {state!r}")
    await db.execute("UPDATE outbox SET state = ? WHERE id = ?", (state, row_id))


async def batch(db: Database, batch_id: int) -> Batch | None:
    r = await db.fetchone(
        "SELECT id, kind, subject, note_id, author_chat, author_language, progress_message_id, "
        "total FROM outbox_batches WHERE id = ?",
        (batch_id,),
    )
    if r is None:
        return None
    return Batch(
        r["id"],
        r["kind"],
        r["subject"],
        r["note_id"],
        r["author_chat"],
        r["author_language"],
        r["progress_message_id"],
        r["total"],
    )


async def open_batches(db: Database) -> list[int]:
    """Batches not finished yet (resumed at start-up), oldest first."""
    rows = await db.fetchall("SELECT id FROM outbox_batches WHERE finished_at IS NULL ORDER BY id")
    return [int(r["id"]) for r in rows]


async def set_progress_message(db: Database, batch_id: int, message_id: int) -> None:
    await db.execute(
        "UPDATE outbox_batches SET progress_message_id = ? WHERE id = ?", (message_id, batch_id)
    )


async def progress(db: Database, batch_id: int) -> Progress:
    """Counts of a batch so far (from its rows, or the kept counts once it is finished)."""
    b = await db.fetchone(
        "SELECT total, sent, gone, failed, finished_at FROM outbox_batches WHERE id = ?",
        (batch_id,),
    )
    if b is None:
        return Progress(0)
    if b["finished_at"] is not None:
        return Progress(b["total"], b["sent"], b["gone"], b["failed"], 0)
    rows = await db.fetchall(
        "SELECT state, COUNT(*) AS n FROM outbox WHERE batch_id = ? GROUP BY state", (batch_id,)
    )
    n = {r["state"]: int(r["n"]) for r in rows}
    return Progress(
        total=b["total"],
        sent=n.get("sent", 0),
        gone=n.get("gone", 0),
        failed=n.get("failed", 0),
        open=n.get("pending", 0) + n.get("sending", 0),
        unknown=n.get("unknown", 0),
    )


async def close_batch(db: Database, batch_id: int) -> Progress | None:
    """Finish a batch with no open rows: keep its counts, delete its rows (no list of who got
    what is kept), and store the note's reach. None while rows are still open."""
    async with db.transaction() as tx:
        async with tx.execute(
            "SELECT state, COUNT(*) AS n FROM outbox WHERE batch_id = ? GROUP BY state",
            (batch_id,),
        ) as cur:
            n = {r["state"]: int(r["n"]) for r in await cur.fetchall()}
        if n.get("pending", 0) or n.get("sending", 0):
            return None
        async with tx.execute(
            "SELECT total, note_id, finished_at FROM outbox_batches WHERE id = ?", (batch_id,)
        ) as cur:
            b = await cur.fetchone()
        if b is None or b["finished_at"] is not None:
            return None
        sent, gone = n.get("sent", 0), n.get("gone", 0)
        failed, unknown = n.get("failed", 0), n.get("unknown", 0)
        await tx.execute(  # 'failed' keeps the unknown ones too: not known to have arrived
            "UPDATE outbox_batches SET sent = ?, gone = ?, failed = ?, "
            "finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
            (sent, gone, failed + unknown, batch_id),
        )
        await tx.execute("DELETE FROM outbox WHERE batch_id = ?", (batch_id,))
        if b["note_id"] is not None:
            await tx.execute(
                "UPDATE council_notes SET recipients = ? WHERE id = ?", (sent, b["note_id"])
            )
    return Progress(int(b["total"]), sent, gone, failed, 0, unknown)


async def forget_chat(db: Database, chat_id: int) -> int:
    """A resident deleted their data (/radera): nothing more is sent to their chat."""
    return await db.execute(
        "UPDATE outbox SET state = 'gone', pseudonym = NULL "
        "WHERE chat_id = ? AND state = 'pending'",
        (chat_id,),
    )
