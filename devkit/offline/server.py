"""Offline Telegram Bot API server (aiohttp, loopback) that plays Telegram for the bot.

A real python-telegram-bot ``Application`` talks HTTP to it exactly as to api.telegram.org
(``ApplicationBuilder().base_url(api.base_url).base_file_url(api.base_file_url)``), while tests,
benchmarks and the local terminal chat drive simulated users and observe the bot through the
Python API in the same event loop. It validates requests the way Telegram does, so bugs that
would only show up in production (bad HTML, too long texts, oversized callback data) fail here.

Waiting is event driven (futures resolved on change), never by polling sleeps.

The class is assembled from one mixin per concern over :class:`~devkit.offline.state.ServerState`
(which holds all state): this module is the HTTP layer and routing (plus lifecycle and fault
injection); ``messages`` and ``methods`` are the Bot API methods; ``validation`` checks requests
(HTML via ``html_check``); ``world`` is the simulated users, chats and update queue; ``observe``
is what tests read and wait on; ``store`` renders messages and keeps files.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from devkit.offline.faults import Fault
from devkit.offline.flood import FLOOD_METHODS, FloodControl, FloodLimits
from devkit.offline.messages import MessageMethods
from devkit.offline.methods import ServiceMethods
from devkit.offline.models import JSONDict, SentMessage, SimChat, SimUser
from devkit.offline.observe import Observer
from devkit.offline.state import ApiError, Handler, Upload, bad
from devkit.offline.validation import TOKEN_RE, coerce

__all__ = ["ApiError", "OfflineBotApi", "SentMessage", "SimChat", "SimUser"]

log = logging.getLogger(__name__)

_5XX = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class OfflineBotApi(Observer, MessageMethods, ServiceMethods):
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
        flood_limits: FloodLimits | bool | None = None,
    ) -> None:
        super().__init__(
            bot_id=bot_id,
            bot_username=bot_username,
            first_name=first_name,
            strict_html_ampersand=strict_html_ampersand,
            record_calls=record_calls,
            flood_limits=flood_limits,
        )
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

        if self._flood is not None and name.lower() in FLOOD_METHODS:
            refused = self._flood_check(self._flood, name, params)
            if refused is not None:
                return refused

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

    def _flood_check(self, flood: FloodControl, name: str, params: JSONDict) -> web.Response | None:
        """Telegram's 429 when this send would exceed the flood limits, else None (and the send
        is counted). A chat that cannot be resolved is left to the method's own error."""
        chat_id = params.get("chat_id")
        if isinstance(chat_id, str):
            chat_id = self._usernames.get(chat_id.lstrip("@").lower())
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            return None
        retry_after = flood.acquire(chat_id)
        if not retry_after:
            return None
        self.flood_log.append((name, chat_id, retry_after))
        err = ApiError(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )
        return self._json(err.body(), 429)

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

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, Upload]]:
        raw: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        if request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise bad("can't parse JSON object")
                raw.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        uploads[key] = Upload(
                            value.file.read(),
                            value.filename or key,
                            value.content_type or "application/octet-stream",
                        )
                    elif isinstance(value, str):
                        raw[key] = value
                    else:
                        raw[key] = value.decode("utf-8", "replace")
        return coerce(raw), uploads

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if not TOKEN_RE.fullmatch(request.match_info["token"]):
            return self._json(ApiError(401, "Unauthorized").body(), 401)
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None or stored.data is None:
            return self._json(ApiError(404, "Not Found").body(), 404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

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

    def set_flood_limits(
        self,
        limits: FloodLimits | bool | None = True,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Turn Telegram's flood limits on (True: the defaults, or given limits) or off (None,
        False); see :mod:`devkit.offline.flood`. Turning them on starts with full buckets;
        ``clock`` (seconds) lets a test move time instead of sleeping."""
        if not limits:
            self._flood = None
        else:
            chosen = limits if isinstance(limits, FloodLimits) else FloodLimits()
            self._flood = FloodControl(chosen, clock)

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
