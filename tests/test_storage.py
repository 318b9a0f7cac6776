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


async def _stored(db: Database, kind: str, key: str) -> str | None:
    return await db.fetchval("SELECT data FROM ptb_state WHERE kind = ? AND key = ?", (kind, key))


async def test_persistence_skips_unchanged_rows(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        persistence = SQLitePersistence(db)
        await persistence.update_user_data(7, {"locale": "sv"})
        # Someone else changes the row; an identical update must not write it back...
        await db.execute("UPDATE ptb_state SET data = '{\"x\": 1}' WHERE kind = 'user'")
        await persistence.update_user_data(7, {"locale": "sv"})
        assert await _stored(db, "user", "7") == '{"x": 1}'
        # ...while a real change is written.
        await persistence.update_user_data(7, {"locale": "en"})
        assert await _stored(db, "user", "7") == '{"locale": "en"}'
    finally:
        await db.close()


async def test_persistence_concurrent_writes_are_all_committed_on_return(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        persistence = SQLitePersistence(db)
        await asyncio.gather(
            *(persistence.update_user_data(i, {"n": i}) for i in range(20)),
            persistence.update_conversation("feedback", (1, 1), 3),
            persistence.update_chat_data(-5, {"digest": True}),
        )
        # A second connection sees everything: nothing is waiting in memory.
        other = await Database.open(tmp_path / "db.sqlite3")
        try:
            assert await other.fetchval("SELECT count(*) FROM ptb_state") == 22
        finally:
            await other.close()
    finally:
        await db.close()


async def test_persistence_writes_again_after_resident_rows_were_deleted(tmp_path: Path) -> None:
    """/radera deletes a resident's rows directly; their next state must still reach disk."""
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        persistence = SQLitePersistence(db)
        await persistence.update_user_data(42, {"locale": "en"})
        await persistence.update_conversation("feedback", (42, 42), 2)
        await db.execute("DELETE FROM ptb_state")
        await persistence.drop_user_data(42)
        await persistence.update_user_data(42, {"locale": "en"})
        await persistence.update_conversation("feedback", (42, 42), 2)
        assert await _stored(db, "user", "42") == '{"locale": "en"}'
        assert await persistence.get_conversations("feedback") == {(42, 42): 2}
    finally:
        await db.close()
