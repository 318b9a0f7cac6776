"""The one owner of the SQLite connection.

aiosqlite does not isolate coroutines that share a connection: a statement issued by task B
while task A holds an open transaction becomes part of A's transaction. Every access therefore
goes through one asyncio lock, and writes run inside ``BEGIN IMMEDIATE`` so the write lock is
taken up front and ``busy_timeout`` applies.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import apply_migrations

log = logging.getLogger(__name__)

#: Bytes the WAL may keep after a checkpoint (SQLite truncates it down to this).
JOURNAL_SIZE_LIMIT = 1024 * 1024
#: Database, -wal and -shm files (SQLite gives the latter two the database file's mode).
FILE_MODE = 0o600

Params = Sequence[Any] | dict[str, Any]

#: How long one statement waits for a lock another *process* holds (ms): short, so a read or a
#: commit fails fast instead of holding up every other update behind the connection lock.
BUSY_TIMEOUT_MS = 200
#: How long a write keeps trying to start while another process holds the write lock (s). It
#: waits *outside* the connection lock, so reads go on meanwhile; updates are handled one at a
#: time, so after one write gave up, the next ones fail at once until a write gets through.
WRITE_WAIT = 3.0
#: Called once per update the first time one of its writes has to wait (bot/busy.py tells the
#: resident); set per update by the application.
BUSY_NOTICE: contextvars.ContextVar[Callable[[], Awaitable[None]] | None] = contextvars.ContextVar(
    "busy_notice", default=None
)


class DatabaseBusy(sqlite3.OperationalError):
    """Another process held the write lock for longer than :data:`WRITE_WAIT`."""


def _is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


class Database:
    """A single aiosqlite connection with serialised access and explicit transactions."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path
        self.busy_waits = 0  # writes that had to wait for another process (tests, monitoring)
        self._congested = False  # a write gave up on the lock; the next ones do not wait

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Open (creating folder and file), configure and migrate the database."""
        path_str = str(path)
        if path_str != ":memory:":
            _private_file(Path(path_str))
        conn = await aiosqlite.connect(path_str, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            # Deleted rows are overwritten with zeros, not left in free pages; the WAL is cut back
            # to this size after checkpoints so old page images do not linger (see checkpoint()).
            await conn.execute("PRAGMA secure_delete=ON")
            await conn.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
            await conn.execute("PRAGMA foreign_keys=ON")
            version = await apply_migrations(conn)
        except BaseException:
            await conn.close()
            raise
        log.info("Database ready (schema version %d)", version)
        return cls(conn, path_str)

    async def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it to zero bytes.

        Called after an erasure (/radera, retention): until then the WAL still holds the page
        images with the deleted text, and secure_delete alone does not reach them.
        """
        async with self._lock, self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cur:
            await cur.fetchall()

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run a write transaction; commit on success, roll back on any error.

        Never await Telegram (or anything slow) inside: the lock blocks every other access.
        """
        await self._begin()
        try:
            yield self._conn
        except BaseException:
            await self._conn.execute("ROLLBACK")
            raise
        else:
            await self._conn.execute("COMMIT")
        finally:
            self._lock.release()

    async def _begin(self) -> None:
        """Take the connection lock and SQLite's write lock. While another process holds the
        write lock, wait with back-off *without* the connection lock (reads go on), tell the
        update's sender once (BUSY_NOTICE), and give up with DatabaseBusy after WRITE_WAIT."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (0.0 if self._congested else WRITE_WAIT)
        delay = 0.05
        told = False
        while True:
            await self._lock.acquire()
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                self._congested = False
                return
            except sqlite3.OperationalError as error:
                self._lock.release()
                if not _is_busy(error):
                    raise
                if loop.time() >= deadline:
                    self._congested = True
                    log.warning(
                        "Database write lock held elsewhere for %.0f s; giving up", WRITE_WAIT
                    )
                    raise DatabaseBusy(str(error)) from error
            except BaseException:
                self._lock.release()
                raise
            if not told:
                told = True
                self.busy_waits += 1
                log.warning("Database write lock held by another process; the write waits")
                notice = BUSY_NOTICE.get()
                if notice is not None:
                    BUSY_NOTICE.set(None)  # once per update
                    try:
                        await notice()
                    except Exception:  # the notice is a courtesy; the write goes on
                        log.info("Could not tell the resident to wait")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        async with self._lock, self._conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._lock, self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write statement in its own transaction; return the affected row count."""
        async with self.transaction() as tx, tx.execute(sql, params) as cur:
            return cur.rowcount

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)


def _private_file(path: Path) -> None:
    """Create the folder (0700) and the database file (0600) before SQLite does, or tighten them.

    Residents' text must not be readable by other accounts on the machine; SQLite creates the
    -wal and -shm files with the mode of the database file, so those follow.
    """
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(fd)
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists() and (candidate.stat().st_mode & 0o777) != FILE_MODE:
            os.chmod(candidate, FILE_MODE)
