"""Observing the bot: what it sent to each chat, and waiting for it without sleeps.

Every wait here is event driven: the server wakes waiters on each change (a message sent, edited
or deleted, an update confirmed, a callback answered), so a test waits exactly as long as the
bot takes and fails with the chat's recent messages when it takes too long.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from devkit.offline.flood import Delivery
from devkit.offline.models import JSONDict, SentMessage
from devkit.offline.state import ChatRef, ChatState, ServerState, chat_id_of
from devkit.offline.validation import scope_key

T = TypeVar("T")


class Observer(ServerState):
    """Read-only views of the bot's output and event-driven waits on it."""

    def messages(self, chat: ChatRef) -> list[SentMessage]:
        """All messages the bot sent to ``chat`` (current state, deleted ones flagged)."""
        state = self._chats.get(chat_id_of(chat))
        return list(state.log) if state else []

    def message(self, chat: ChatRef, message_id: int) -> SentMessage:
        """A bot message by id (KeyError if the bot never sent it)."""
        state = self._chats.get(chat_id_of(chat))
        if state is None or message_id not in state.by_id:
            raise KeyError(f"no bot message {message_id} in chat {chat_id_of(chat)}")
        return state.by_id[message_id]

    def delivered(self, chat: ChatRef) -> list[Delivery]:
        """Every message the bot delivered to ``chat``, in order and as sent (also deleted or
        since edited ones): what the resident's phone received."""
        chat_id = chat_id_of(chat)
        return [d for d in self.deliveries if d.chat_id == chat_id]

    def delivery_counts(self, containing: str = "") -> dict[int, int]:
        """chat id -> how many delivered messages contain ``containing`` (all if empty), e.g.
        to check that each resident got a broadcast exactly once."""
        counts: dict[int, int] = {}
        for d in self.deliveries:
            if containing in d.plain_text:
                counts[d.chat_id] = counts.get(d.chat_id, 0) + 1
        return counts

    def drain(self, chat: ChatRef) -> list[SentMessage]:
        """Skip (and return) every bot message not yet returned by :meth:`next_message`."""
        state = self._chats.get(chat_id_of(chat))
        if state is None:
            return []
        pending = state.log[state.cursor :]
        state.cursor = len(state.log)
        return pending

    async def next_message(self, chat: ChatRef, *, timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109
        """The next new bot message in ``chat`` (a cursor per chat), waiting up to ``timeout``.

        Raises AssertionError with the chat's recent messages when none arrives in time.
        """
        chat_id = chat_id_of(chat)
        state = self._chats.get(chat_id)
        if state is None:
            raise AssertionError(f"chat {chat_id} is unknown to the offline server")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while state.cursor >= len(state.log):
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing:
                raise AssertionError(
                    f"no new bot message in chat {chat_id} within {timeout}s.\n"
                    + self._debug_dump(state)
                )
            await state.signal.wait(remaining)
        msg = state.log[state.cursor]
        state.cursor += 1
        return msg

    def _debug_dump(self, state: ChatState, last: int = 8) -> str:
        recent = state.log[-last:]
        lines = [f"  {m.describe()}" for m in recent] or ["  (bot sent nothing to this chat)"]
        chat_id = state.chat["id"]
        errors = [
            f"  {name} -> {code} {desc}"
            for name, params, code, desc in self.error_responses[-50:]
            if params.get("chat_id") in (chat_id, str(chat_id))
        ][-5:]
        text = "recent bot messages:\n" + "\n".join(lines)
        if errors:
            text += "\nrecent errors returned to the bot for this chat:\n" + "\n".join(errors)
        text += f"\npending updates: {len(self._updates)}"
        return text

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float = 5.0) -> T:  # noqa: ASYNC109
        """Wait until ``predicate()`` is truthy (re-checked on every change); returns its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing:
                raise AssertionError(f"condition {predicate!r} not met within {timeout}s")
            await self._changed.wait(remaining)

    async def wait_callback_answer(self, query_id: str, timeout: float = 5.0) -> JSONDict:  # noqa: ASYNC109
        """Wait until the bot answered callback query ``query_id``; returns the answer."""
        return await self.wait_for(lambda: self.callback_answers.get(query_id), timeout)

    async def wait_updates_confirmed(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot confirmed (via getUpdates offset) every queued update."""
        await self.wait_for(lambda: not self._updates, timeout)

    def commands_for(
        self, language_code: str = "", scope: JSONDict | None = None
    ) -> list[JSONDict] | None:
        """What setMyCommands stored for (scope, language); None if never set."""
        return self.commands.get((scope_key(scope), language_code))

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot."""
        return len(self._updates)

    @property
    def long_polls_waiting(self) -> int:
        """getUpdates requests currently blocked in long polling."""
        return self._polls_waiting
