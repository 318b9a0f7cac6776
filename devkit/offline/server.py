"""Offline Telegram Bot API server (aiohttp, loopback) that plays Telegram for the bot.

A real python-telegram-bot ``Application`` talks HTTP to it exactly as to api.telegram.org
(``ApplicationBuilder().base_url(api.base_url).base_file_url(api.base_file_url)``), while tests,
benchmarks and the local terminal chat drive simulated users and observe the bot through the
Python API in the same event loop. It validates requests the way Telegram does, so bugs that
would only show up in production (bad HTML, too long texts, oversized callback data) fail here.

Waiting is event driven (futures resolved on change), never by polling sleeps.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import socket
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from devkit.offline.faults import Fault, FaultPlan
from devkit.offline.html_check import HtmlParseError, parse_html, utf16_len
from devkit.offline.models import INLINE_ACTIONS, JSONDict, SentMessage, SimChat, SimUser

__all__ = ["ApiError", "OfflineBotApi", "SentMessage", "SimChat", "SimUser"]

log = logging.getLogger(__name__)

T = TypeVar("T")

TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
URL_RE = re.compile(r"(?:(?:https?|tg)://[^\s/?#]+[^\s]*|[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:/\S*)?)")

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_BUTTONS = 100

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

# How form-encoded parameters (always strings) are typed; PTB JSON-encodes non-strings.
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "menu_button",
        "media",
        "message_ids",
        "rights",
    }
)
_INT_PARAMS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "message_thread_id",
        "cache_time",
        "reply_to_message_id",
        "from_chat_id",
        "max_connections",
    }
)
_BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
        "show_caption_above_media",
        "for_channels",
    }
)
_JSON_ERRORS = {
    "reply_markup": "Bad Request: can't parse reply keyboard markup JSON object",
    "entities": "Bad Request: can't parse entities JSON object",
    "caption_entities": "Bad Request: can't parse entities JSON object",
}
_5XX = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


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


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


class _Signal:
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
class _Upload:
    data: bytes
    filename: str
    mime_type: str


@dataclass
class _StoredFile:
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
class _ChatState:
    chat: JSONDict
    next_message_id: int = 1
    log: list[SentMessage] = field(default_factory=list)
    by_id: dict[int, SentMessage] = field(default_factory=dict)
    user_msgs: dict[int, JSONDict] = field(default_factory=dict)
    cursor: int = 0
    signal: _Signal = field(default_factory=_Signal)

    def new_message_id(self) -> int:
        mid = self.next_message_id
        self.next_message_id += 1
        return mid


ChatRef = int | SimUser | SimChat
Handler = Callable[[JSONDict, dict[str, _Upload]], Awaitable[Any]]


def _chat_id_of(chat: ChatRef) -> int:
    return chat if isinstance(chat, int) else chat.id


def _coerce(params: dict[str, Any]) -> JSONDict:
    """Type parameters like Telegram does: JSON-decode objects, parse ints and booleans."""
    out: JSONDict = {}
    for key, value in params.items():
        if key in _JSON_PARAMS:
            if isinstance(value, str | bytes):
                try:
                    value = json.loads(value)
                except ValueError:
                    raise ApiError(
                        400, _JSON_ERRORS.get(key, f"Bad Request: can't parse {key} JSON object")
                    ) from None
        elif key in _INT_PARAMS or key == "chat_id":
            if isinstance(value, str):
                stripped = value.strip()
                if re.fullmatch(r"-?\d+", stripped):
                    value = int(stripped)
                elif key != "chat_id":
                    raise _bad(f"invalid {key} specified")
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
        elif key in _BOOL_PARAMS and isinstance(value, str):
            value = value.strip().lower() in ("true", "1")
        out[key] = value
    return out


def _now() -> int:
    return int(time.time())


class OfflineBotApi:
    """A local stand-in for api.telegram.org with simulated users and observable bot output.

    Usage::

        async with OfflineBotApi() as api:
            app = ApplicationBuilder().token("123:ABC").base_url(api.base_url)
                .base_file_url(api.base_file_url).build()
            ...
            anna = api.user(1001, first_name="Anna")
            await api.send_text(anna, "/start")
            reply = await api.next_message(anna)
    """

    def __init__(
        self,
        *,
        bot_id: int = 7000000001,
        bot_username: str = "trygghetsbot_test_bot",
        first_name: str = "Trygghetsbot",
        strict_html_ampersand: bool = True,
        record_calls: bool = True,
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
        # Hooks for e.g. the terminal chat: called on every new/edited/deleted bot message and on
        # every callback answer. Exceptions are logged, never propagated into the server.
        self.on_message: list[Callable[[SentMessage], object]] = []
        self.on_callback_answer: list[Callable[[str, JSONDict], object]] = []

        self._users: dict[int, SimUser] = {}
        self._chats: dict[int, _ChatState] = {}
        self._usernames: dict[str, int] = {}
        self._blocked: set[int] = set()
        self._updates: deque[JSONDict] = deque()
        self._next_update_id = 1
        self._updates_signal = _Signal()
        self._changed = _Signal()
        self._poll_generation = 0
        self._polls_waiting = 0
        self._pending_queries: dict[str, tuple[int, int]] = {}
        self._query_seq = itertools.count(1)
        self._file_seq = itertools.count(1)
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._faults = FaultPlan()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._host = "127.0.0.1"
        self._methods: dict[str, tuple[str, Handler]] = {}
        self._register_methods()

    # ------------------------------------------------------------------ lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (port 0 = any free port)."""
        if self._runner is not None:
            raise RuntimeError("OfflineBotApi already started")
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        site = web.SockSite(runner, sock)
        await site.start()
        self._host = host
        self._port = sock.getsockname()[1]
        self._runner = runner
        self._closing = False

    async def stop(self) -> None:
        """Wake all long polls and shut the server down."""
        self._closing = True
        self._updates_signal.notify()
        self._changed.notify()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> OfflineBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._port is None:
            raise RuntimeError("OfflineBotApi is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder.base_url`` (PTB appends the token)."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder.base_file_url``."""
        return f"http://{self._host}:{self.port}/file/bot"

    # ------------------------------------------------------------------ HTTP layer

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if not TOKEN_RE.fullmatch(token):
            return self._json(ApiError(401, "Unauthorized").body(), 401)
        entry = self._methods.get(request.match_info["method"].lower())
        if entry is None:
            return self._json(ApiError(404, "Not Found").body(), 404)
        name, handler = entry
        self.tokens_seen.add(token)
        try:
            params, uploads = await self._read_params(request)
        except ApiError as err:
            return self._json(err.body(), err.code)
        if self.record_calls:
            self.calls.append((name, params))
        if log.isEnabledFor(logging.DEBUG):
            log.debug("offline api call %s %s", name, params)

        fault = self._faults.take(name) if self._faults.faults else None
        drop_after = False
        if fault is not None:
            response = await self._apply_fault(fault, request)
            if response is not None:
                return response
            drop_after = fault.kind == "drop_after"

        try:
            result = await handler(params, uploads)
        except ApiError as err:
            self.error_responses.append((name, params, err.code, err.description))
            if log.isEnabledFor(logging.DEBUG):
                log.debug("offline api %s -> %s %s", name, err.code, err.description)
            if drop_after:
                return self._drop(request)
            return self._json(err.body(), err.code)
        if drop_after:
            return self._drop(request)
        return self._json({"ok": True, "result": result}, 200)

    async def _apply_fault(self, fault: Fault, request: web.Request) -> web.StreamResponse | None:
        """Answer with the fault, or None to go on handling (slow, drop_after)."""
        if fault.kind == "429":
            n = fault.retry_after
            err = ApiError(429, f"Too Many Requests: retry after {n}", {"retry_after": n})
            return self._json(err.body(), 429)
        if fault.kind == "5xx":
            desc = _5XX.get(fault.status, "Internal Server Error")
            return self._json(ApiError(fault.status, desc).body(), fault.status)
        if fault.kind == "drop_before":
            return self._drop(request)
        if fault.kind == "slow" and fault.delay > 0:
            await asyncio.sleep(fault.delay)
        return None

    @staticmethod
    def _drop(request: web.Request) -> web.StreamResponse:
        """Close the connection without an answer (the client sees a network error)."""
        transport = request.transport
        if transport is not None:
            transport.abort()
        return web.Response(status=500)

    @staticmethod
    def _json(body: JSONDict, status: int) -> web.Response:
        return web.Response(
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            status=status,
            content_type="application/json",
        )

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, _Upload]]:
        raw: dict[str, Any] = dict(request.query)
        uploads: dict[str, _Upload] = {}
        if request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise _bad("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise _bad("can't parse JSON object")
                raw.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        uploads[key] = _Upload(
                            value.file.read(),
                            value.filename or key,
                            value.content_type or "application/octet-stream",
                        )
                    elif isinstance(value, str):
                        raw[key] = value
                    else:
                        raw[key] = value.decode("utf-8", "replace")
        return _coerce(raw), uploads

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if not TOKEN_RE.fullmatch(request.match_info["token"]):
            return self._json(ApiError(401, "Unauthorized").body(), 401)
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None or stored.data is None:
            return self._json(ApiError(404, "Not Found").body(), 404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    # ------------------------------------------------------------------ simulated world

    def user(
        self,
        user_id: int,
        *,
        first_name: str = "Test",
        language_code: str | None = "sv",
        username: str | None = None,
        last_name: str | None = None,
    ) -> SimUser:
        """Create (or update) a simulated user; their private chat id equals ``user_id``."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        sim = SimUser(user_id, first_name, language_code, username, last_name)
        self._users[user_id] = sim
        chat = SimChat(
            user_id, "private", first_name=first_name, last_name=last_name, username=username
        ).to_dict()
        state = self._chats.get(user_id)
        if state is None:
            self._chats[user_id] = _ChatState(chat)
        else:
            state.chat = chat
        if username:
            self._usernames[username.lower()] = user_id
        return sim

    def group(
        self, chat_id: int, title: str = "Testgrupp", *, username: str | None = None
    ) -> SimChat:
        """Create a group (or supergroup if ``chat_id <= -10**12``) the bot is a member of."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        kind = "supergroup" if chat_id <= -(10**12) else "group"
        sim = SimChat(chat_id, kind, title=title, username=username)
        state = self._chats.get(chat_id)
        if state is None:
            self._chats[chat_id] = _ChatState(sim.to_dict())
        else:
            state.chat = sim.to_dict()
        if username:
            self._usernames[username.lower()] = chat_id
        return sim

    def block_user(self, chat_id: int | SimUser | SimChat) -> None:
        """User blocked the bot (or, for a group, the bot was kicked): sends get 403."""
        self._blocked.add(_chat_id_of(chat_id))

    def unblock_user(self, chat_id: int | SimUser | SimChat) -> None:
        """Undo :meth:`block_user`."""
        self._blocked.discard(_chat_id_of(chat_id))

    def _sim_user(self, user: SimUser | int) -> SimUser:
        if isinstance(user, SimUser):
            if user.id not in self._users:  # made elsewhere: register it and its chat
                self.user(
                    user.id,
                    first_name=user.first_name,
                    language_code=user.language_code,
                    username=user.username,
                    last_name=user.last_name,
                )
            return user
        return self._users.get(user) or self.user(user)

    def _state_for(self, user: SimUser, chat: ChatRef | None) -> _ChatState:
        chat_id = user.id if chat is None else _chat_id_of(chat)
        state = self._chats.get(chat_id)
        if state is None:
            if isinstance(chat, SimChat):
                state = self._chats[chat_id] = _ChatState(chat.to_dict())
            else:
                raise KeyError(f"unknown chat {chat_id}; create it with api.group()")
        return state

    def _push_update(self, payload: JSONDict) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        payload["update_id"] = update_id
        self._updates.append(payload)
        self._updates_signal.notify()
        self._changed.notify()
        return update_id

    def _user_message(self, state: _ChatState, user: SimUser, content: JSONDict) -> JSONDict:
        mid = state.new_message_id()
        msg: JSONDict = {
            "message_id": mid,
            "from": user.to_dict(),
            "chat": state.chat,
            "date": _now(),
            **content,
        }
        state.user_msgs[mid] = msg
        return msg

    async def send_text(
        self,
        user: SimUser | int,
        text: str,
        *,
        chat: ChatRef | None = None,
        reply_to: int | None = None,
    ) -> int:
        """The user sends ``text`` (no length/content limits); returns the update_id.

        A leading ``/command`` (also ``/cmd@botname`` and ``/cmd payload``) gets a bot_command
        entity like Telegram adds.
        """
        sim = self._sim_user(user)
        state = self._state_for(sim, chat)
        content: JSONDict = {"text": text}
        m = COMMAND_RE.match(text)
        if m:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": m.end()}]
        if reply_to is not None:
            replied = state.user_msgs.get(reply_to)
            bot_msg = state.by_id.get(reply_to)
            if replied is None and bot_msg is not None:
                replied = self._message_dict(state, bot_msg, with_reply=False)
            if replied is not None:
                content["reply_to_message"] = replied
        msg = self._user_message(state, sim, content)
        return self._push_update({"message": msg})

    async def send_location(
        self, user: SimUser | int, lat: float, lon: float, *, chat: ChatRef | None = None
    ) -> int:
        """The user shares a location."""
        sim = self._sim_user(user)
        content = {"location": {"latitude": lat, "longitude": lon}}
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_sticker(
        self, user: SimUser | int, *, emoji: str = "👍", chat: ChatRef | None = None
    ) -> int:
        """The user sends a sticker."""
        sim = self._sim_user(user)
        f = self._store_file(
            b"RIFF\x00\x00\x00\x00WEBPVP8 ", "sticker.webp", "image/webp", "stickers"
        )
        content = {
            "sticker": {
                "file_id": f.file_id,
                "file_unique_id": f.file_unique_id,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
                "file_size": f.size,
            }
        }
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_photo(
        self,
        user: SimUser | int,
        *,
        caption: str | None = None,
        data: bytes | None = None,
        chat: ChatRef | None = None,
    ) -> int:
        """The user sends a photo (downloadable via getFile)."""
        sim = self._sim_user(user)
        payload = data or b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
        f = self._store_file(payload, "photo.jpg", "image/jpeg", "photos", width=800, height=600)
        content: JSONDict = {"photo": self._photo_sizes(f)}
        if caption is not None:
            content["caption"] = caption
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_voice(
        self, user: SimUser | int, *, duration: int = 3, chat: ChatRef | None = None
    ) -> int:
        """The user sends a voice message."""
        sim = self._sim_user(user)
        f = self._store_file(b"OggS\x00\x02" + b"\x00" * 64, "voice.oga", "audio/ogg", "voice")
        content = {
            "voice": {
                "file_id": f.file_id,
                "file_unique_id": f.file_unique_id,
                "duration": duration,
                "mime_type": "audio/ogg",
                "file_size": f.size,
            }
        }
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_document(
        self,
        user: SimUser | int,
        *,
        filename: str = "dokument.pdf",
        data: bytes = b"%PDF-1.4\n%offline\n",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        chat: ChatRef | None = None,
    ) -> int:
        """The user sends a file."""
        sim = self._sim_user(user)
        f = self._store_file(data, filename, mime_type, "documents")
        content: JSONDict = {"document": self._document(f)}
        if caption is not None:
            content["caption"] = caption
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_contact(
        self,
        user: SimUser | int,
        *,
        phone_number: str = "+46701234567",
        chat: ChatRef | None = None,
    ) -> int:
        """The user shares their own contact card."""
        sim = self._sim_user(user)
        content = {
            "contact": {
                "phone_number": phone_number,
                "first_name": sim.first_name,
                "user_id": sim.id,
            }
        }
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def press(
        self,
        user: SimUser | int,
        message: SentMessage | int,
        data: str,
        *,
        chat: ChatRef | None = None,
    ) -> str:
        """The user presses an inline button: a callback_query with the message's current state.

        Not validated against the keyboard on purpose (tests forge and replay callbacks). An
        unknown message id yields an inaccessible message (date 0). Returns the query id.
        """
        sim = self._sim_user(user)
        if isinstance(message, SentMessage):
            chat_id = message.chat_id if chat is None else _chat_id_of(chat)
            mid = message.message_id
        else:
            chat_id = sim.id if chat is None else _chat_id_of(chat)
            mid = message
        state = self._chats.get(chat_id)
        if state is None:
            raise KeyError(f"unknown chat {chat_id}")
        current = state.by_id.get(mid)
        msg_dict = (
            self._message_dict(state, current)
            if current is not None
            else {"message_id": mid, "chat": state.chat, "date": 0}
        )
        query_id = f"{self.bot_id % 100000}{next(self._query_seq):012d}"
        self._pending_queries[query_id] = (chat_id, mid)
        callback = {
            "id": query_id,
            "from": sim.to_dict(),
            "message": msg_dict,
            "chat_instance": str(abs(chat_id) * 31 + 7),
            "data": data,
        }
        self._push_update({"callback_query": callback})
        return query_id

    def add_raw_update(self, update: JSONDict) -> int:
        """Queue any update dict (``update_id`` is assigned unless given); returns its id."""
        payload = dict(update)
        given = payload.get("update_id")
        for key in ("message", "edited_message"):
            msg = payload.get(key)
            if isinstance(msg, dict) and isinstance(msg.get("chat"), dict):
                chat_id = msg["chat"].get("id")
                if isinstance(chat_id, int):
                    state = self._chats.setdefault(chat_id, _ChatState(dict(msg["chat"])))
                    mid = msg.get("message_id")
                    if isinstance(mid, int):
                        state.user_msgs[mid] = msg
                        state.next_message_id = max(state.next_message_id, mid + 1)
        cq = payload.get("callback_query")
        if isinstance(cq, dict) and "id" in cq:
            message = cq.get("message") or {}
            self._pending_queries[str(cq["id"])] = (
                (message.get("chat") or {}).get("id", 0),
                message.get("message_id", 0),
            )
        if isinstance(given, int):
            self._next_update_id = max(self._next_update_id, given + 1)
            self._updates.append(payload)
            self._updates_signal.notify()
            return given
        return self._push_update(payload)

    # ------------------------------------------------------------------ observing the bot

    def messages(self, chat: ChatRef) -> list[SentMessage]:
        """All messages the bot sent to ``chat`` (current state, deleted ones flagged)."""
        state = self._chats.get(_chat_id_of(chat))
        return list(state.log) if state else []

    def message(self, chat: ChatRef, message_id: int) -> SentMessage:
        """A bot message by id (KeyError if the bot never sent it)."""
        state = self._chats.get(_chat_id_of(chat))
        if state is None or message_id not in state.by_id:
            raise KeyError(f"no bot message {message_id} in chat {_chat_id_of(chat)}")
        return state.by_id[message_id]

    def drain(self, chat: ChatRef) -> list[SentMessage]:
        """Skip (and return) every bot message not yet returned by :meth:`next_message`."""
        state = self._chats.get(_chat_id_of(chat))
        if state is None:
            return []
        pending = state.log[state.cursor :]
        state.cursor = len(state.log)
        return pending

    async def next_message(self, chat: ChatRef, *, timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109
        """The next new bot message in ``chat`` (a cursor per chat), waiting up to ``timeout``.

        Raises AssertionError with the chat's recent messages when none arrives in time.
        """
        chat_id = _chat_id_of(chat)
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

    def _debug_dump(self, state: _ChatState, last: int = 8) -> str:
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
        return self.commands.get((self._scope_key(scope), language_code))

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot."""
        return len(self._updates)

    @property
    def long_polls_waiting(self) -> int:
        """getUpdates requests currently blocked in long polling."""
        return self._polls_waiting

    # ------------------------------------------------------------------ faults

    def inject_fault(
        self,
        method: str | None,
        kind: str,
        *,
        times: int | None = 1,
        retry_after: int = 1,
        delay: float = 0.0,
        status: int = 500,
        probability: float = 1.0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (None = any method but getUpdates).

        kinds: "429" (RetryAfter), "5xx" (``status`` 500/502/503/504), "slow" (sleep ``delay``
        then handle), "drop_before" (close the connection, call not applied), "drop_after"
        (apply the call, then close the connection). ``times=None`` = forever;
        ``probability`` < 1 fires randomly (seeded, reproducible).
        """
        self._faults.add(
            Fault(
                method.lower() if method else None,
                kind,
                times,
                retry_after=retry_after,
                delay=delay,
                status=status,
                probability=probability,
            )
        )

    def clear_faults(self) -> None:
        """Disarm all faults."""
        self._faults.clear()

    @property
    def faults_injected(self) -> int:
        """How many faults fired so far."""
        return self._faults.injected

    @property
    def fault_log(self) -> list[tuple[str, str]]:
        """(method, kind) of every fault that fired."""
        return self._faults.log

    # ------------------------------------------------------------------ internals

    def _emit(self, state: _ChatState, msg: SentMessage) -> None:
        state.signal.notify()
        self._changed.notify()
        for hook in self.on_message:
            try:
                hook(msg)
            except Exception:
                log.exception("offline api on_message hook failed")

    def _chat_for_send(self, params: JSONDict) -> _ChatState:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad("chat_id is empty")
        if isinstance(chat_id, str):
            resolved = self._usernames.get(chat_id.lstrip("@").lower())
            if resolved is None:
                raise _bad("chat not found")
            chat_id = resolved
        if not isinstance(chat_id, int):
            raise _bad("chat not found")
        state = self._chats.get(chat_id)
        if state is None:
            raise _bad("chat not found")
        if chat_id in self._blocked:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return state

    def _format(
        self, text: str, parse_mode: Any, entities: Any
    ) -> tuple[str, list[JSONDict], str | None]:
        """Return (plain text, entities, normalised parse_mode) or raise like Telegram."""
        if parse_mode:
            mode = str(parse_mode)
            low = mode.lower()
            if low == "html":
                try:
                    plain, ents = parse_html(text, strict_ampersand=self.strict_html_ampersand)
                except HtmlParseError as err:
                    raise _bad(f"can't parse entities: {err}") from None
                return plain, ents, mode
            if low in ("markdown", "markdownv2"):
                return text, [], mode  # not validated (the project uses HTML)
            raise _bad("unsupported parse_mode")
        if entities is not None and not isinstance(entities, list):
            raise _bad("can't parse entities JSON object")
        return text, list(entities or []), None

    def _validate_text(
        self, params: JSONDict, *, edit: bool
    ) -> tuple[str, str, list[JSONDict], str | None]:
        text = params.get("text")
        if isinstance(text, int | float) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str) or not text:
            raise _bad("message text is empty")
        plain, ents, mode = self._format(text, params.get("parse_mode"), params.get("entities"))
        if not plain.strip():
            raise _bad("message text is empty")
        if utf16_len(plain) > MAX_TEXT:
            raise _bad("MESSAGE_TOO_LONG" if edit else "message is too long")
        return text, plain, ents, mode

    def _validate_caption(
        self, params: JSONDict
    ) -> tuple[str | None, str, list[JSONDict], str | None]:
        caption = params.get("caption")
        if caption is None or caption == "":
            return None, "", [], params.get("parse_mode")
        if not isinstance(caption, str):
            caption = str(caption)
        plain, ents, mode = self._format(
            caption, params.get("parse_mode"), params.get("caption_entities")
        )
        if utf16_len(plain) > MAX_CAPTION:
            raise _bad("message caption is too long")
        return caption, plain, ents, mode

    @staticmethod
    def _validate_markup(markup: Any, *, inline_only: bool = False) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            _validate_inline_keyboard(markup["inline_keyboard"])
            return markup
        if inline_only:
            raise _bad("inline keyboard expected")
        if "keyboard" in markup:
            _validate_reply_keyboard(markup["keyboard"])
            return markup
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return markup
        raise _bad("can't parse reply keyboard markup JSON object")

    def _reply_target(self, state: _ChatState, params: JSONDict) -> int | None:
        rp = params.get("reply_parameters")
        mid: Any = None
        allow = bool(params.get("allow_sending_without_reply"))
        if isinstance(rp, dict):
            mid = rp.get("message_id")
            allow = allow or bool(rp.get("allow_sending_without_reply"))
        elif params.get("reply_to_message_id") is not None:
            mid = params["reply_to_message_id"]
        if mid is None:
            return None
        if not isinstance(mid, int):
            raise _bad("message to be replied not found")
        exists = mid in state.user_msgs or (mid in state.by_id and not state.by_id[mid].deleted)
        if not exists:
            if allow:
                return None
            raise _bad("message to be replied not found")
        return mid

    def _reply_dict(self, state: _ChatState, mid: int) -> JSONDict | None:
        if mid in state.user_msgs:
            return state.user_msgs[mid]
        bot_msg = state.by_id.get(mid)
        return self._message_dict(state, bot_msg, with_reply=False) if bot_msg else None

    def _message_dict(
        self, state: _ChatState, m: SentMessage, *, with_reply: bool = True
    ) -> JSONDict:
        d: JSONDict = {
            "message_id": m.message_id,
            "from": self.bot_user,
            "chat": state.chat,
            "date": m.date,
        }
        if m.kind == "text":
            d["text"] = m.plain_text
            if m.entities:
                d["entities"] = m.entities
        else:
            stored = self._files.get(m.file_id or "")
            if stored is not None:
                if m.kind == "photo":
                    d["photo"] = self._photo_sizes(stored)
                else:
                    d["document"] = self._document(stored)
            if m.caption is not None:
                d["caption"] = m.plain_text
                if m.entities:
                    d["caption_entities"] = m.entities
        if m.reply_markup and "inline_keyboard" in m.reply_markup:
            d["reply_markup"] = {"inline_keyboard": m.reply_markup["inline_keyboard"]}
        if m.edit_date is not None:
            d["edit_date"] = m.edit_date
        if with_reply and m.reply_to_message_id is not None:
            replied = self._reply_dict(state, m.reply_to_message_id)
            if replied is not None:
                d["reply_to_message"] = replied
        return d

    def _store_file(
        self,
        data: bytes | None,
        filename: str | None,
        mime_type: str | None,
        folder: str,
        *,
        width: int = 0,
        height: int = 0,
    ) -> _StoredFile:
        seq = next(self._file_seq)
        ext = ""
        if filename and "." in filename:
            ext = filename.rsplit(".", 1)[1][:8]
        path = f"{folder}/file_{seq}" + (f".{ext}" if ext else "")
        stored = _StoredFile(
            file_id=f"OFFL{folder[:3].upper()}{self.bot_id % 1000:03d}{seq:09d}",
            file_unique_id=f"U{seq:09d}",
            data=data,
            filename=filename,
            mime_type=mime_type,
            file_path=path,
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[path] = stored
        return stored

    @staticmethod
    def _photo_sizes(f: _StoredFile) -> list[JSONDict]:
        return [
            {
                "file_id": f.file_id,
                "file_unique_id": f.file_unique_id,
                "width": f.width or 320,
                "height": f.height or 240,
                "file_size": f.size,
            }
        ]

    @staticmethod
    def _document(f: _StoredFile) -> JSONDict:
        d: JSONDict = {
            "file_id": f.file_id,
            "file_unique_id": f.file_unique_id,
            "file_size": f.size,
        }
        if f.filename:
            d["file_name"] = f.filename
        if f.mime_type:
            d["mime_type"] = f.mime_type
        return d

    def _media_input(
        self, params: JSONDict, uploads: dict[str, _Upload], name: str, folder: str
    ) -> _StoredFile:
        value = params.get(name)
        upload = uploads.get(name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = uploads.get(value[len("attach://") :])
            if upload is None:
                raise _bad(f"there is no {name} in the request")
        if upload is not None:
            if not upload.data:
                raise _bad("file must be non-empty")
            return self._store_file(upload.data, upload.filename, upload.mime_type, folder)
        if isinstance(value, str) and value:
            known = self._files.get(value)
            if known is not None:
                return known
            if value.startswith(("http://", "https://")):
                name_part = value.rsplit("/", 1)[-1] or None
                return self._store_file(None, name_part, None, folder)
            raise _bad("wrong file identifier/HTTP URL specified")
        raise _bad(f"there is no {name} in the request")

    def _find_bot_message(self, params: JSONDict, missing: str) -> tuple[_ChatState, SentMessage]:
        if params.get("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        state = self._chat_for_send(params)
        mid = params.get("message_id")
        if mid is None:
            raise _bad("message identifier is not specified")
        msg = state.by_id.get(mid) if isinstance(mid, int) else None
        if msg is None or msg.deleted:
            if (
                isinstance(mid, int)
                and mid in state.user_msgs
                and missing.startswith("message to edit")
            ):
                raise _bad("message can't be edited")
            raise _bad(missing)
        return state, msg

    @staticmethod
    def _scope_key(scope: Any) -> str:
        if not scope:
            scope = {"type": "default"}
        return json.dumps(scope, sort_keys=True, separators=(",", ":"))

    def _new_bot_message(self, state: _ChatState, msg: SentMessage) -> JSONDict:
        state.log.append(msg)
        state.by_id[msg.message_id] = msg
        self._emit(state, msg)
        return self._message_dict(state, msg)

    # ------------------------------------------------------------------ Bot API methods

    def _register_methods(self) -> None:
        table: dict[str, Handler] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "getChat": self._get_chat,
            "getFile": self._get_file,
            "setMyDescription": self._setting("description"),
            "setMyShortDescription": self._setting("short_description"),
            "setMyName": self._setting("name"),
            "getMyDescription": self._get_setting("description"),
            "getMyShortDescription": self._get_setting("short_description"),
            "getMyName": self._get_setting("name"),
        }
        self._methods = {name.lower(): (name, handler) for name, handler in table.items()}

    async def _true(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        return True

    async def _get_me(self, params: JSONDict, uploads: dict[str, _Upload]) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _delete_webhook(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
            self._changed.notify()
        return True

    async def _set_webhook(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
            self._changed.notify()
        self._updates_signal.notify()  # a waiting getUpdates now conflicts
        return True

    async def _get_webhook_info(self, params: JSONDict, uploads: dict[str, _Upload]) -> JSONDict:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _get_updates(self, params: JSONDict, uploads: dict[str, _Upload]) -> list[JSONDict]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int) and offset != 0:
            self._confirm(offset)
        limit = params.get("limit", 100)
        limit = min(max(limit if isinstance(limit, int) else 100, 1), 100)
        timeout_raw = params.get("timeout", 0)
        try:
            timeout = max(0.0, float(timeout_raw))
        except (TypeError, ValueError):
            timeout = 0.0
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.notify()  # an older, still waiting getUpdates now conflicts
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._updates and not self._closing:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            self._polls_waiting += 1
            self._changed.notify()
            try:
                await self._updates_signal.wait(remaining)
            finally:
                self._polls_waiting -= 1
            if generation != self._poll_generation or self.webhook_url:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        return list(itertools.islice(self._updates, limit))

    def _confirm(self, offset: int) -> None:
        removed = False
        if offset > 0:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
                removed = True
        else:
            while len(self._updates) > -offset:
                self._updates.popleft()
                removed = True
        if removed:
            self._changed.notify()

    async def _send_message(self, params: JSONDict, uploads: dict[str, _Upload]) -> JSONDict:
        state = self._chat_for_send(params)
        text, plain, ents, mode = self._validate_text(params, edit=False)
        markup = self._validate_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        msg = SentMessage(
            message_id=state.new_message_id(),
            chat_id=state.chat["id"],
            kind="text",
            text=text,
            parse_mode=mode,
            reply_markup=markup,
            entities=ents,
            plain_text=plain,
            date=_now(),
            reply_to_message_id=reply_to,
            params=params,
        )
        return self._new_bot_message(state, msg)

    async def _send_media(
        self, params: JSONDict, uploads: dict[str, _Upload], kind: str, folder: str
    ) -> JSONDict:
        state = self._chat_for_send(params)
        caption, plain, ents, mode = self._validate_caption(params)
        markup = self._validate_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        stored = self._media_input(params, uploads, kind, folder)
        if kind == "photo" and stored.width == 0:
            stored.width, stored.height = 1280, 960
        msg = SentMessage(
            message_id=state.new_message_id(),
            chat_id=state.chat["id"],
            kind=kind,
            caption=caption,
            parse_mode=mode,
            reply_markup=markup,
            entities=ents,
            plain_text=plain,
            file_bytes=stored.data,
            filename=stored.filename,
            mime_type=stored.mime_type,
            file_id=stored.file_id,
            date=_now(),
            reply_to_message_id=reply_to,
            params=params,
        )
        return self._new_bot_message(state, msg)

    async def _send_photo(self, params: JSONDict, uploads: dict[str, _Upload]) -> JSONDict:
        return await self._send_media(params, uploads, "photo", "photos")

    async def _send_document(self, params: JSONDict, uploads: dict[str, _Upload]) -> JSONDict:
        return await self._send_media(params, uploads, "document", "documents")

    def _apply_edit(self, state: _ChatState, msg: SentMessage, **changes: Any) -> JSONDict:
        msg.edits.append(msg.snapshot())
        for key, value in changes.items():
            setattr(msg, key, value)
        msg.edit_date = _now()
        self._emit(state, msg)
        return self._message_dict(state, msg)

    @staticmethod
    def _inline_of(msg: SentMessage) -> JSONDict | None:
        return msg.reply_markup if msg.is_inline_keyboard else None

    async def _edit_message_text(self, params: JSONDict, uploads: dict[str, _Upload]) -> JSONDict:
        state, msg = self._find_bot_message(params, "message to edit not found")
        if msg.kind != "text":
            raise _bad("there is no text in the message to edit")
        text, plain, ents, mode = self._validate_text(params, edit=True)
        markup = self._validate_markup(params.get("reply_markup"), inline_only=True)
        if plain == msg.plain_text and ents == msg.entities and markup == self._inline_of(msg):
            raise ApiError(400, NOT_MODIFIED)
        new_markup = markup if markup is not None or msg.is_inline_keyboard else msg.reply_markup
        return self._apply_edit(
            state,
            msg,
            text=text,
            plain_text=plain,
            entities=ents,
            parse_mode=mode,
            reply_markup=new_markup,
        )

    async def _edit_message_caption(
        self, params: JSONDict, uploads: dict[str, _Upload]
    ) -> JSONDict:
        state, msg = self._find_bot_message(params, "message to edit not found")
        if msg.kind == "text":
            raise _bad("there is no caption in the message to edit")
        caption, plain, ents, mode = self._validate_caption(params)
        markup = self._validate_markup(params.get("reply_markup"), inline_only=True)
        if plain == msg.plain_text and ents == msg.entities and markup == self._inline_of(msg):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(
            state,
            msg,
            caption=caption,
            plain_text=plain,
            entities=ents,
            parse_mode=mode,
            reply_markup=markup,
        )

    async def _edit_message_reply_markup(
        self, params: JSONDict, uploads: dict[str, _Upload]
    ) -> JSONDict:
        state, msg = self._find_bot_message(params, "message to edit not found")
        markup = self._validate_markup(params.get("reply_markup"), inline_only=True)
        if markup == self._inline_of(msg):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(state, msg, reply_markup=markup)

    async def _delete_message(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        state = self._chat_for_send(params)
        mid = params.get("message_id")
        if mid is None:
            raise _bad("message identifier is not specified")
        if isinstance(mid, int) and state.user_msgs.pop(mid, None) is not None:
            return True
        msg = state.by_id.get(mid) if isinstance(mid, int) else None
        if msg is None or msg.deleted:
            raise _bad("message to delete not found")
        msg.deleted = True
        self._emit(state, msg)
        return True

    async def _delete_messages(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        state = self._chat_for_send(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise _bad("message_ids must be a non-empty array of at most 100 identifiers")
        for mid in ids:
            if not isinstance(mid, int):
                continue
            state.user_msgs.pop(mid, None)
            msg = state.by_id.get(mid)
            if msg is not None and not msg.deleted:
                msg.deleted = True
                self._emit(state, msg)
        return True

    async def _answer_callback_query(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._pending_queries:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and len(text) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        del self._pending_queries[query_id]
        answer: JSONDict = {
            "text": text,
            "show_alert": bool(params.get("show_alert", False)),
            "url": params.get("url"),
            "cache_time": params.get("cache_time"),
        }
        self.callback_answers[query_id] = answer
        self._changed.notify()
        for hook in self.on_callback_answer:
            try:
                hook(query_id, answer)
            except Exception:
                log.exception("offline api on_callback_answer hook failed")
        return True

    async def _send_chat_action(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        state = self._chat_for_send(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self.chat_actions.append((state.chat["id"], str(action)))
        self._changed.notify()
        return True

    async def _set_my_commands(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        clean: list[JSONDict] = []
        for cmd in commands:
            if not isinstance(cmd, dict):
                raise _bad("can't parse BotCommand JSON object")
            name = cmd.get("command")
            desc = cmd.get("description")
            if not isinstance(name, str) or not BOT_COMMAND_RE.fullmatch(name):
                raise _bad("BOT_COMMAND_INVALID")
            if not isinstance(desc, str) or not 1 <= len(desc) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": name, "description": desc})
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        if clean:
            self.commands[key] = clean
        else:
            self.commands.pop(key, None)
        self._changed.notify()
        return True

    async def _get_my_commands(
        self, params: JSONDict, uploads: dict[str, _Upload]
    ) -> list[JSONDict]:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return list(self.commands.get(key, []))

    async def _delete_my_commands(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self.commands.pop(key, None)
        self._changed.notify()
        return True

    async def _set_chat_menu_button(self, params: JSONDict, uploads: dict[str, _Upload]) -> bool:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            chat_id = self._chat_for_send(params).chat["id"]
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise _bad("can't parse menu button JSON object")
        self.menu_buttons[chat_id] = button
        return True

    async def _get_chat_menu_button(
        self, params: JSONDict, uploads: dict[str, _Upload]
    ) -> JSONDict:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            chat_id = self._chat_for_send(params).chat["id"]
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "commands"}

    async def _get_chat(self, params: JSONDict, uploads: dict[str, _Upload]) -> JSONDict:
        chat_id = params.get("chat_id")
        state = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if state is None:
            state = self._chat_for_send(params)
        return {
            **state.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_file(self, params: JSONDict, uploads: dict[str, _Upload]) -> JSONDict:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    def _setting(self, key: str) -> Handler:
        async def handler(params: JSONDict, uploads: dict[str, _Upload]) -> bool:
            lang = str(params.get("language_code") or "")
            self.bot_settings.setdefault(key, {})[lang] = params.get(key)
            return True

        return handler

    def _get_setting(self, key: str) -> Handler:
        async def handler(params: JSONDict, uploads: dict[str, _Upload]) -> JSONDict:
            lang = str(params.get("language_code") or "")
            value = self.bot_settings.get(key, {}).get(lang) or ""
            return {key: value}

        return handler


def _validate_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list):
        raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    total = 0
    for row in rows:
        if not isinstance(row, list):
            raise _bad(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        for button in row:
            total += 1
            if not isinstance(button, dict):
                raise _bad(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            if not isinstance(button.get("text"), str):
                raise _bad(
                    'can\'t parse inline keyboard button: Field "text" must be of type String'
                )
            actions = [key for key in INLINE_ACTIONS if key in button]
            if not actions:
                raise _bad(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                    "keyboard"
                )
            if len(actions) > 1:
                raise _bad(
                    "can't parse inline keyboard button: exactly one of the optional fields must "
                    f"be used, found {', '.join(actions)}"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if (
                    not isinstance(data, str)
                    or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
                ):
                    raise _bad("BUTTON_DATA_INVALID")
            if "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not URL_RE.fullmatch(url):
                    raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    if total > MAX_BUTTONS:
        raise _bad("reply markup is too long")


def _validate_reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list):
        raise _bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
    for row in rows:
        if not isinstance(row, list):
            raise _bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
        for button in row:
            if isinstance(button, str):
                continue
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise _bad('can\'t parse keyboard button: Field "text" must be of type String')
