"""What ends when a staff role is revoked: every subscription the member set up with that role.

A revoked council member must not keep receiving the weekly digest (it quotes residents' texts),
whether they subscribed their private chat or a group. The job side (unscheduling a running
digest job, the outbox) is wired by the digest handler; this is the storage half, in one
transaction with the role removal when the caller passes its ``tx``.
"""

from __future__ import annotations

import aiosqlite

from storage.db import Database

#: Subscriptions that belong to a role: (table, column holding the member's Telegram id).
ROLE_SUBSCRIPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "council": (("council_digests", "created_by"),),
    "moderator": (),
}


async def end_subscriptions_in(tx: aiosqlite.Connection, user_id: int, role: str) -> list[int]:
    """Delete the member's subscriptions for ``role``; return the chat ids that lost one."""
    chats: list[int] = []
    for table, column in ROLE_SUBSCRIPTIONS.get(role, ()):
        async with tx.execute(
            f"DELETE FROM {table} WHERE {column} = ? RETURNING chat_id", (user_id,)
        ) as cur:
            chats += [int(row[0]) for row in await cur.fetchall()]
    return chats


async def end_subscriptions(db: Database, user_id: int, role: str) -> list[int]:
    """Same as :func:`end_subscriptions_in`, in its own transaction."""
    async with db.transaction() as tx:
        return await end_subscriptions_in(tx, user_id, role)
