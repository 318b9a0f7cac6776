"""python-telegram-bot persistence on the project's SQLite database (no pickle files).

Only conversation states, ``user_data`` and ``chat_data`` are kept here; domain data lives in
its own tables. Writes happen as soon as the application hands them over; together with
:class:`bot.app.BotApplication`, which flushes after every update, a resident's dialogue
survives even ``kill -9``.

Cheap enough to run after every update: a row whose JSON equals what is already on disk is not
written again (most updates leave chat_data, and many the conversation state, unchanged), and
the writes of one ``update_persistence`` run — which python-telegram-bot hands over as
concurrent coroutines — share ONE transaction. Every ``update_*`` call still returns only once
its data is committed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any, cast

from telegram.ext import BasePersistence, PersistenceInput

from storage.db import Database

# python-telegram-bot's names for these types live in a private module (telegram.ext._utils.types)
# that a minor release may move or change; the same types, spelled out.
ConversationKey = tuple[int | str, ...]
ConversationDict = MutableMapping[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]
UserData = dict[Any, Any]
# (kind, name, key) of a ptb_state row.
Row = tuple[str, str, str]
_UNKNOWN = object()


class SQLitePersistence(BasePersistence[UserData, UserData, UserData]):
    """Persist PTB state as JSON rows in ``ptb_state``."""

    def __init__(self, db: Database, update_interval: float = 60) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=True, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.db = db
        # What each row holds on disk once every batch so far is committed (None = no row).
        self._latest: dict[Row, str | None] = {}
        self._pending: dict[Row, str | None] = {}  # changes of the batch not yet started
        self._batch: asyncio.Task[None] | None = None  # that batch's commit, once scheduled
        self._inflight: set[asyncio.Task[None]] = set()

    async def _load(self, kind: str, name: str = "") -> dict[str, Any]:
        rows = await self.db.fetchall(
            "SELECT key, data FROM ptb_state WHERE kind = ? AND name = ?", (kind, name)
        )
        for row in rows:
            self._latest[(kind, name, row["key"])] = row["data"]
        return {row["key"]: json.loads(row["data"]) for row in rows}

    async def _store(self, kind: str, key: str, data: object, name: str = "") -> None:
        await self._put((kind, name, key), json.dumps(data, ensure_ascii=False))

    async def _drop(self, kind: str, key: str, name: str = "") -> None:
        await self._put((kind, name, key), None)

    async def _put(self, row: Row, data: str | None) -> None:
        """Queue one row's new content (None: delete) and return once it is committed."""
        if self._latest.get(row, _UNKNOWN) == data:
            # Already on disk, or in a batch being committed: wait for that, write nothing.
            for task in list(self._inflight):
                await asyncio.shield(task)
            return
        self._latest[row] = data
        self._pending[row] = data
        if self._batch is None:
            # Scheduled behind the other coroutines of this update_persistence run, so their
            # changes join this batch before it starts.
            self._batch = asyncio.get_running_loop().create_task(self._commit())
            self._inflight.add(self._batch)
            self._batch.add_done_callback(self._settle)
        await asyncio.shield(self._batch)

    def _settle(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        if not task.cancelled():
            task.exception()  # its awaiters re-raise it; never "exception was never retrieved"

    async def _commit(self) -> None:
        batch, self._pending, self._batch = self._pending, {}, None
        upserts = [(k, n, key, data) for (k, n, key), data in batch.items() if data is not None]
        deletes = [(k, n, key) for (k, n, key), data in batch.items() if data is None]
        try:
            async with self.db.transaction() as tx:
                if upserts:
                    await tx.executemany(
                        "INSERT INTO ptb_state (kind, name, key, data) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (kind, name, key) DO UPDATE SET data = excluded.data, "
                        "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                        upserts,
                    )
                if deletes:
                    await tx.executemany(
                        "DELETE FROM ptb_state WHERE kind = ? AND name = ? AND key = ?", deletes
                    )
        except BaseException:
            # Unknown what is on disk now: the next update of these rows writes unconditionally.
            for row in batch:
                self._latest.pop(row, None)
            raise

    def _forget_resident(self, user_id: int) -> None:
        """Rows another module may have deleted behind our back (storage.feedback)."""
        uid = str(user_id)
        for row in list(self._latest):
            kind, _, key = row
            if key == uid and kind in ("user", "chat"):
                del self._latest[row]
            elif kind == "conversation":
                try:
                    ids = json.loads(key)
                except ValueError:
                    continue
                if isinstance(ids, list) and user_id in ids:
                    del self._latest[row]

    async def get_user_data(self) -> dict[int, UserData]:
        return {int(k): v for k, v in (await self._load("user")).items()}

    async def get_chat_data(self) -> dict[int, UserData]:
        return {int(k): v for k, v in (await self._load("chat")).items()}

    async def get_bot_data(self) -> UserData:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        loaded = await self._load("conversation", name)
        return {cast(ConversationKey, tuple(json.loads(k))): v for k, v in loaded.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        encoded = json.dumps(list(key))
        if new_state is None:
            await self._drop("conversation", encoded, name)
        else:
            await self._store("conversation", encoded, new_state, name)

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        await self._store("user", str(user_id), data)

    async def update_chat_data(self, chat_id: int, data: UserData) -> None:
        await self._store("chat", str(chat_id), data)

    async def update_bot_data(self, data: UserData) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._drop("chat", str(chat_id))

    async def drop_user_data(self, user_id: int) -> None:
        # Called after storage.feedback.delete_resident removed the resident's rows directly.
        self._forget_resident(user_id)
        await self._drop("user", str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: UserData) -> None:
        return None

    async def refresh_bot_data(self, bot_data: UserData) -> None:
        return None

    async def flush(self) -> None:
        for task in list(self._inflight):
            await asyncio.shield(task)
