"""Shared state of the offline Bot API server: error type, chats, files and the wake-up signal.

Every part of :class:`devkit.offline.OfflineBotApi` (HTTP in ``server``, Bot API methods in
``messages``/``methods``, simulated users in ``world``, observation in ``observe``) is a mixin
over :class:`ServerState`, which owns all mutable state, so each part reads as one concern.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from devkit.offline.faults import FaultPlan
from devkit.offline.flood import Delivery, FloodControl, FloodLimits
from devkit.offline.models import JSONDict, SentMessage, SimChat, SimUser


class ApiError(Exception):
    """A Bot API error response ({"ok": false, ...})."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        """The JSON body Telegram would return."""
        d: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            d["parameters"] = self.parameters
        return d


def bad(description: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: ..." wording."""
    return ApiError(400, f"Bad Request: {description}")


class Signal:
    """Wake-all notification usable from sync code (an asyncio.Condition needs its lock)."""

    __slots__ = ("_waiters",)

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        if not self._waiters:
            return
        waiters, self._waiters = self._waiters, set()
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def wait(self, seconds: float) -> bool:
        """Wait for the next notify(); False after ``seconds``."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(fut)
        try:
            done, _ = await asyncio.wait({fut}, timeout=seconds)
        finally:
            self._waiters.discard(fut)
            if not fut.done():
                fut.cancel()
        return bool(done)


@dataclass
class Upload:
    """A file the bot uploaded with a multipart request."""

    data: bytes
    filename: str
    mime_type: str


@dataclass
class StoredFile:
    """A file the server knows by file_id (sent by a user or uploaded by the bot)."""

    file_id: str
    file_unique_id: str
    data: bytes | None
    filename: str | None
    mime_type: str | None
    file_path: str
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else 0


@dataclass
class ChatState:
    """One chat: its Telegram object, the bot's messages in it and the users' messages."""

    chat: JSONDict
    next_message_id: int = 1
    log: list[SentMessage] = field(default_factory=list)
    by_id: dict[int, SentMessage] = field(default_factory=dict)
    user_msgs: dict[int, JSONDict] = field(default_factory=dict)
    cursor: int = 0
    signal: Signal = field(default_factory=Signal)

    def new_message_id(self) -> int:
        mid = self.next_message_id
        self.next_message_id += 1
        return mid


ChatRef = int | SimUser | SimChat
Handler = Callable[[JSONDict, dict[str, Upload]], Awaitable[Any]]


def chat_id_of(chat: ChatRef) -> int:
    return chat if isinstance(chat, int) else chat.id


def now() -> int:
    return int(time.time())


class ServerState:
    """All mutable state of the server; the mixins add behaviour, never state of their own."""

    def __init__(
        self,
        *,
        bot_id: int = 7000000001,
        bot_username: str = "trygghetsbot_test_bot",
        first_name: str = "Trygghetsbot",
        strict_html_ampersand: bool = True,
        record_calls: bool = True,
        flood_limits: FloodLimits | bool | None = None,
    ) -> None:
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": bot_username,
        }
        self.strict_html_ampersand = strict_html_ampersand
        self.record_calls = record_calls

        self.calls: list[tuple[str, JSONDict]] = []
        # (method, params, status, description) of every error answer the bot got
        self.error_responses: list[tuple[str, JSONDict, int, str]] = []
        self.callback_answers: dict[str, JSONDict] = {}
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.bot_settings: dict[str, JSONDict] = {}
        self.webhook_url = ""
        self.tokens_seen: set[str] = set()
        # Every message the bot delivered, in order, as sent (see devkit.offline.flood).
        self.deliveries: list[Delivery] = []
        # (method, chat id, retry_after) of every send refused by the flood limits.
        self.flood_log: list[tuple[str, int, int]] = []
        # Hooks for e.g. the terminal chat: called on every new/edited/deleted bot message and on
        # every callback answer. Exceptions are logged, never propagated into the server.
        self.on_message: list[Callable[[SentMessage], object]] = []
        self.on_callback_answer: list[Callable[[str, JSONDict], object]] = []

        self._users: dict[int, SimUser] = {}
        self._chats: dict[int, ChatState] = {}
        self._usernames: dict[str, int] = {}
        self._blocked: set[int] = set()
        self._updates: deque[JSONDict] = deque()
        self._next_update_id = 1
        self._updates_signal = Signal()
        self._changed = Signal()
        self._poll_generation = 0
        self._polls_waiting = 0
        self._pending_queries: dict[str, tuple[int, int]] = {}
        self._query_seq = itertools.count(1)
        self._file_seq = itertools.count(1)
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._faults = FaultPlan()
        self._flood: FloodControl | None = None
        if flood_limits:
            limits = flood_limits if isinstance(flood_limits, FloodLimits) else FloodLimits()
            self._flood = FloodControl(limits)
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._host = "127.0.0.1"
        self._methods: dict[str, tuple[str, Handler]] = {}
