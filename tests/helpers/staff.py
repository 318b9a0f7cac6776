"""Helpers shared by the staff and moderation tests (no tests here).

Feedback rows are inserted directly: the resident dialogue is another module, and these tests
are about what happens after a row exists.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from devkit.offline import OfflineBotApi
from devkit.offline.models import SentMessage, SimUser
from storage.timestamps import utc_iso

_seq = itertools.count(1)


async def add_feedback(
    db: Any,
    *,
    text: str | None = "Det är mörkt vid busshållplatsen på kvällarna.",
    district: str = "alidhem",
    topic: str = "narkotika",
    rating: int | None = 2,
    age: timedelta = timedelta(hours=1),
    pseudonym: str = "pseudo-abc123",
) -> int:
    n = next(_seq)
    created = utc_iso(datetime.now(UTC) - age)
    async with db.transaction() as tx:
        cur = await tx.execute(
            "INSERT INTO feedback (ref, submission_key, created_at, district, topic, rating, "
            "text, language, pseudonym) VALUES (?, ?, ?, ?, ?, ?, ?, 'sv', ?)",
            (f"T{n:05d}", f"key-{n}-{created}", created, district, topic, rating, text, pseudonym),
        )
        fid = cur.lastrowid
    assert fid is not None
    return int(fid)


async def feedback_row(db: Any, feedback_id: int) -> Any:
    return await db.fetchone("SELECT * FROM feedback WHERE id = ?", (feedback_id,))


async def audit_rows(db: Any, action: str | None = None) -> list[Any]:
    if action is None:
        return list(await db.fetchall("SELECT * FROM audit_log ORDER BY id"))
    return list(
        await db.fetchall("SELECT * FROM audit_log WHERE action = ? ORDER BY id", (action,))
    )


async def make_staff(db: Any, user_id: int, role: str, name: str = "") -> None:
    from storage import roles

    await roles.grant(db, user_id, role, granted_by=None, display_name=name or f"User {user_id}")


async def command(api: OfflineBotApi, user: SimUser, text: str) -> SentMessage:
    await api.send_text(user, text)
    return await api.next_message(user)


async def press(
    api: OfflineBotApi, user: SimUser, message: SentMessage, data: str
) -> dict[str, Any]:
    qid = await api.press(user, message, data)
    return await api.wait_callback_answer(qid)
