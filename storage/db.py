"""The one owner of the SQLite connection.

aiosqlite does not isolate coroutines that share a connection: a statement issued by task B
while task A holds an open transaction becomes part of A's transaction. Every access therefore
goes through one asyncio lock, and writes run inside ``BEGIN IMMEDIATE`` so the write lock is
taken up front and ``busy_timeout`` applies.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Iterable, Sequence
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


class Database:
    """A single aiosqlite connection with serialised access and explicit transactions."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path

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
            await conn.execute("PRAGMA busy_timeout=5000")
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
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

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
