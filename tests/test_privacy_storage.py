"""Leaving nothing behind: erased text out of the WAL, private file modes, the per-day limit that
/radera does not reset, no resident ids in the audit log, subscriptions not joinable to feedback,
and moderators never reviewing their own feedback."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.privacy.pseudonym import default_key_path, load_or_create_key, pseudonym, subscriber_alias
from storage import audit, feedback, roles
from storage import moderation as queue
from storage.db import Database
from tests.helpers.bot import RunningBot
from tests.helpers.feedback import alias
from tests.helpers.staff import add_feedback, command, make_staff

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SECRET = "Hemlig-text-om-trappan-XYZZY"


def _item(alias_: str, n: int, text: str = SECRET) -> feedback.NewFeedback:
    return feedback.NewFeedback(
        pseudonym=alias_,
        district="alidhem",
        topic="narkotika",
        rating=3,
        text=f"{text} nr {n}",
        language="sv",
        submission_key=f"k-{alias_}-{n}",
    )


def _bytes(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_erasure_leaves_no_copy_in_the_wal_or_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    try:
        for n in range(6):
            await feedback.submit(db, _item("resident-a", n), per_day=100, now=NOW)
        for n in range(30):  # other residents keep writing
            await feedback.submit(db, _item(f"other-{n}", n, "vanlig text"), per_day=100, now=NOW)
        wal = Path(f"{path}-wal")
        assert SECRET.encode() in _bytes(wal) + _bytes(path)
        deleted = await feedback.delete_resident(db, "resident-a", 4242)
        assert deleted.feedback == 6
        for file in (path, wal):
            assert SECRET.encode() not in _bytes(file), file.name
    finally:
        await db.close()


async def test_database_wal_and_key_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    db = await Database.open(path)
    try:
        await feedback.submit(db, _item("a", 1), per_day=5, now=NOW)
        assert _mode(path) == 0o600
        assert _mode(Path(f"{path}-wal")) == 0o600
        assert _mode(Path(f"{path}-shm")) == 0o600
        assert _mode(path.parent) == 0o700
    finally:
        await db.close()
    key_path = default_key_path(path)
    assert path.parent not in key_path.parents  # a copy of data/ alone cannot be re-identified
    _, created = load_or_create_key(None, key_path)
    assert created and _mode(key_path) == 0o600


async def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    db = await Database.open(path)
    await db.close()
    assert _mode(path) == 0o600


async def test_feedback_per_day_survives_an_erasure(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        for n in range(3):
            assert (await feedback.submit(db, _item("r", n), per_day=3, now=NOW)).created
        await feedback.delete_resident(db, "r", 77)
        assert await feedback.count_recent(db, "r", now=NOW) == 3
        again = await feedback.submit(db, _item("r", 9), per_day=3, now=NOW)
        assert again.limited and not again.created
        later = NOW + timedelta(hours=24, minutes=1)
        assert (await feedback.submit(db, _item("r", 10), per_day=3, now=later)).created
        # The counter keeps no pseudonym and nothing older than the window.
        keys = [r[0] for r in await db.fetchall("SELECT quota_key FROM feedback_quota")]
        assert "r" not in keys and len(keys) == 1
    finally:
        await db.close()


async def test_refusals_and_bad_codes_do_not_store_resident_ids(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await roles.grant(db, 500, "moderator", granted_by=None, display_name="Mod")
        await audit.record(db, 123456789, "refused", "summary")
        await audit.record(db, 500, "refused", "summary")
        async with db.transaction() as tx:
            await audit.record_in(tx, 987654321, "invite_failed", "", "expired")
        rows = await db.fetchall("SELECT actor_id, action FROM audit_log ORDER BY id")
        assert [tuple(r) for r in rows] == [
            (None, "refused"),
            (500, "refused"),
            (None, "invite_failed"),
        ]
        assert await audit.entries_about(db, 123456789) == []
        assert [e["action"] for e in await audit.entries_about(db, 500)] == ["refused"]
        await db.execute("UPDATE audit_log SET created_at = '2020-01-01T00:00:00.000Z'")
        assert await audit.purge_resident_events(db) == 3
    finally:
        await db.close()


async def test_update_subscriptions_cannot_be_joined_to_feedback(tmp_path: Path) -> None:
    key = b"k" * 32
    user = 4711
    alias_, sub = pseudonym(user, key), subscriber_alias(user, key)
    assert alias_ != sub
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await feedback.submit(db, _item(alias_, 1), per_day=5, now=NOW)
        await feedback.subscribe(db, sub, "alidhem", user, "sv")
        joined = await db.fetchval(
            "SELECT COUNT(*) FROM feedback f JOIN update_subscribers u ON u.pseudonym = f.pseudonym"
        )
        assert joined == 0
        # A row from before migration 007 (pseudonym next to chat id) is re-keyed at start-up.
        await db.execute(
            "INSERT INTO update_subscribers (pseudonym, district, chat_id, language) "
            "VALUES (?, 'ersboda', ?, 'sv')",
            (alias_, user),
        )
        changed = await feedback.rekey_subscribers(
            db, lambda u: pseudonym(u, key), lambda u: subscriber_alias(u, key)
        )
        assert changed == 1
        values = {r[0] for r in await db.fetchall("SELECT pseudonym FROM update_subscribers")}
        assert values == {sub}
        data = await feedback.resident_data(db, alias_, user)
        assert len(data["update_subscriptions"]) == 2
        deleted = await feedback.delete_resident(db, alias_, user)
        assert deleted.subscriptions == 2
    finally:
        await db.close()


async def test_claim_skips_the_moderators_own_feedback(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        mine = await add_feedback(db, pseudonym="me")
        assert await queue.claim_next(db, 1, own="me") is None
        assert (await queue.counts(db, 1, own="me")).available == 0
        claimed = await queue.claim_next(db, 2, own="someone-else")
        assert claimed is not None and claimed.id == mine
    finally:
        await db.close()


async def test_granska_never_shows_a_moderator_their_own_feedback(bot: RunningBot) -> None:
    moderator = 6101
    await make_staff(bot.db, moderator, "moderator")
    await add_feedback(bot.db, text="Min egen text om belysningen", pseudonym=alias(bot, moderator))
    empty = await command(bot.api, bot.api.user(moderator), "/granska")
    assert "Min egen text" not in empty.plain_text
    assert "inget mer att granska" in empty.plain_text
    await add_feedback(bot.db, text="Någon annans text om parken", pseudonym="other")
    card = await command(bot.api, bot.api.user(moderator), "/granska")
    assert "Någon annans text" in card.plain_text


async def test_revoking_a_council_member_ends_their_digest_subscriptions(tmp_path: Path) -> None:
    from storage import council, revocation

    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await council.subscribe_digest(db, 800, "sv", created_by=800)  # their private chat
        await council.subscribe_digest(db, -100200, "sv", created_by=800)  # a group they set up
        await council.subscribe_digest(db, 801, "sv", created_by=801)  # another member
        ended = await revocation.end_subscriptions(db, 800, "council")
        assert sorted(ended) == [-100200, 800]
        left = [s.chat_id for s in await council.digest_subscriptions(db)]
        assert left == [801]
        assert await revocation.end_subscriptions(db, 800, "moderator") == []
    finally:
        await db.close()


async def test_integritet_names_controller_legal_basis_and_imy(bot: RunningBot) -> None:
    sv = await command(bot.api, bot.api.user(7301), "/integritet")
    assert "Umeå kommun" in sv.plain_text and "personuppgiftsansvarig" in sv.plain_text
    assert "allmänt intresse" in sv.plain_text and "6.1 e" in sv.plain_text
    assert "IMY" in sv.plain_text and "månader" in sv.plain_text  # retention
    en = await command(bot.api, bot.api.user(7302, language_code="en"), "/privacy")
    assert "data controller" in en.plain_text and "public interest" in en.plain_text
    assert "IMY" in en.plain_text and "personuppgiftsansvarig" not in en.plain_text


async def test_minadata_lists_what_the_audit_log_holds_about_the_user(bot: RunningBot) -> None:
    from storage import audit as audit_repo

    await make_staff(bot.db, 7401, "moderator")
    await audit_repo.record(bot.db, 7401, "refused", "summary")
    user = bot.api.user(7401)
    await bot.api.send_text(user, "/minadata")
    doc = await bot.api.next_message(user)
    assert doc.file_bytes is not None
    data = json.loads(doc.file_bytes.decode("utf-8"))
    assert [e["action"] for e in data["audit_log"]] == ["refused"]
