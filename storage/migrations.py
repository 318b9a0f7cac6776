"""Versioned schema migrations, tracked in ``PRAGMA user_version``.

Each file ``storage/migrations/NNN_name.sql`` brings the schema from version NNN-1 to NNN.
Files are applied in order, each in its own transaction together with the version bump, so a
crash mid-migration leaves the previous version intact.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Read the migration files; versions must run 1, 2, 3 … without gaps."""
    found: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise RuntimeError(f"Bad migration file name: {path.name}")
        found.append(Migration(int(match.group(1)), path.stem, path.read_text("utf-8")))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"Migration {migration.name}: expected version {expected}")
    return found


def _statements(sql: str) -> list[str]:
    """Split a script into complete statements (triggers contain inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


async def apply_migrations(conn: aiosqlite.Connection) -> int:
    """Apply every migration newer than the database; return the resulting version."""
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    current = int(row[0]) if row else 0
    migrations = load_migrations()
    if current > len(migrations):
        raise RuntimeError(
            f"Database schema version {current} is newer than this program ({len(migrations)})"
        )
    for migration in migrations[current:]:
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(migration.sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
        log.info("Applied migration %s", migration.name)
        current = migration.version
    return current
