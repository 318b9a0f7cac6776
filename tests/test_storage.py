"""Storage foundations: migrations, transactions, persistence."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from storage import audit, roles
from storage.db import Database
from storage.migrations import load_migrations
from storage.persistence import SQLitePersistence


async def test_fresh_database_migrates_to_head(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "bot.sqlite3"
    db = await Database.open(path)
    try:
        assert path.exists()
        assert await db.fetchval("PRAGMA user_version") == len(load_migrations())
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
    finally:
        await db.close()
    # Re-opening applies nothing new and keeps data.
    db = await Database.open(path)
    try:
        assert await db.fetchval("PRAGMA user_version") == len(load_migrations())
    finally:
        await db.close()


async def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO audit_log (action) VALUES ('a')")
                raise RuntimeError("boom")
        assert await db.fetchval("SELECT count(*) FROM audit_log") == 0
    finally:
        await db.close()


async def test_concurrent_transactions_do_not_mix(tmp_path: Path) -> None:
    """Task B's commit must never commit task A's half-done work (shared connection)."""
    db = await Database.open(tmp_path / "db.sqlite3")

    async def failing() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO audit_log (action) VALUES ('half-done')")
            await asyncio.sleep(0)
            raise RuntimeError

    async def succeeding() -> None:
        await audit.record(db, 1, "whole")

    try:
        results = await asyncio.gather(failing(), succeeding(), return_exceptions=True)
        assert isinstance(results[0], RuntimeError)
        actions = [r["action"] for r in await db.fetchall("SELECT action FROM audit_log")]
        assert actions == ["whole"]
    finally:
        await db.close()


async def test_roles_grant_and_revoke(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        assert await roles.grant(db, 5, "moderator", granted_by=1)
        assert not await roles.grant(db, 5, "moderator", granted_by=1)
        assert await roles.roles_of(db, 5) == {"moderator"}
        assert await roles.revoke(db, 5, "moderator")
        assert await roles.roles_of(db, 5) == set()
    finally:
        await db.close()


async def test_persistence_round_trip(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        persistence = SQLitePersistence(db)
        await persistence.update_conversation("feedback", (42, 42), "TEXT")
        await persistence.update_user_data(42, {"locale": "en", "draft": {"district": "ersboda"}})
        await persistence.update_chat_data(-100, {"x": 1})
        assert await persistence.get_conversations("feedback") == {(42, 42): "TEXT"}
        assert await persistence.get_user_data() == {
            42: {"locale": "en", "draft": {"district": "ersboda"}}
        }
        assert await persistence.get_chat_data() == {-100: {"x": 1}}
        await persistence.update_conversation("feedback", (42, 42), None)
        await persistence.drop_user_data(42)
        assert await persistence.get_conversations("feedback") == {}
        assert await persistence.get_user_data() == {}
    finally:
        await db.close()
