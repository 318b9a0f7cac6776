"""python-telegram-bot persistence on the project's SQLite database (no pickle files).

Only conversation states, ``user_data`` and ``chat_data`` are kept here; domain data lives in
its own tables. Writes happen as soon as the application hands them over; together with
:class:`bot.app.BotApplication`, which flushes after every update, a resident's dialogue
survives even ``kill -9``.
"""

from __future__ import annotations

import json
from typing import Any, cast

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.db import Database

UserData = dict[Any, Any]


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

    async def _load(self, kind: str, name: str = "") -> dict[str, Any]:
        rows = await self.db.fetchall(
            "SELECT key, data FROM ptb_state WHERE kind = ? AND name = ?", (kind, name)
        )
        return {row["key"]: json.loads(row["data"]) for row in rows}

    async def _store(self, kind: str, key: str, data: object, name: str = "") -> None:
        await self.db.execute(
            "INSERT INTO ptb_state (kind, name, key, data) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, name, key) DO UPDATE SET data = excluded.data, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (kind, name, key, json.dumps(data, ensure_ascii=False)),
        )

    async def _drop(self, kind: str, key: str, name: str = "") -> None:
        await self.db.execute(
            "DELETE FROM ptb_state WHERE kind = ? AND name = ? AND key = ?", (kind, name, key)
        )

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
        await self._drop("user", str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: UserData) -> None:
        return None

    async def refresh_bot_data(self, bot_data: UserData) -> None:
        return None

    async def flush(self) -> None:
        return None
