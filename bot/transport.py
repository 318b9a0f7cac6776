"""HTTP to the Bot API that survives a bad network: bounded retries, back-off and jitter.

:class:`RetryingRequest` is what every bot method (sendMessage, answerCallbackQuery, …) goes
through. A 429 is retried after the ``retry_after`` Telegram asks for, a 5xx and a dropped or
timed-out connection after an exponential back-off with jitter, at most ``attempts`` times in
all. Each fault is logged as ONE line (method, kind, attempt) — never the URL (it holds the
token) and never the parameters (they hold the residents' text). A 400 or 403 is the bot's or the
user's business and goes straight back to python-telegram-bot, which raises BadRequest/Forbidden.

A retry after an ambiguous failure (the connection dropped or timed out after Telegram may have
applied the call) can meet the trace of the first attempt: "query is too old", "message is not
modified", "message to delete not found". Those then mean success, so a handler is not aborted
half-way — e.g. before it thanks a resident whose feedback is already committed.

getUpdates is not retried here: python-telegram-bot's polling loop already retries it. Its own
request, :class:`PollingRequest`, only asks again once every fetched update has been handled
(``before_poll``), because asking again is what confirms the previous batch to Telegram: an
update is thus never confirmed before it was processed, and a ``kill -9`` loses none.

Both wrap the request class that actually speaks HTTP (``REQUEST_CLASS``): by default
:class:`bot.http_aiohttp.AiohttpRequest`, which costs about a third of the CPU per call of PTB's
HTTPXRequest and raises the same TimedOut/NetworkError, so the policy here works with either.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import random
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.http_aiohttp import AiohttpRequest

log = logging.getLogger(__name__)

# Used only if REQUEST_CLASS is set to telegram.request.HTTPXRequest:
# httpcore tries ``import sniffio`` for every connection-pool lock; without sniffio installed
# (anyio ≥ 4.12 no longer pulls it in) each failed import rescans sys.path — about 10 % of the
# bot's CPU under load (cProfile, benchmarks/bench_load.py). A None entry makes the import fail
# at once, and httpcore then assumes asyncio, which is what we run.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

# Connection timeouts in seconds; module constants so tests can shorten them before start-up.
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 5.0
POOL_SIZE = 64
# What speaks HTTP under the retry policy; any telegram.request.BaseRequest taking HTTPXRequest's
# keyword arguments (connection_pool_size, read_timeout, …). Tests/benchmarks may swap it.
REQUEST_CLASS: Callable[..., BaseRequest] = AiohttpRequest

# 400 answers that, after an ambiguous first attempt, only say the call was already applied.
_ALREADY_APPLIED = {
    "answercallbackquery": ("query is too old",),
    "editmessagetext": ("message is not modified",),
    "editmessagecaption": ("message is not modified",),
    "editmessagereplymarkup": ("message is not modified",),
    "deletemessage": ("message to delete not found",),
}
_OK_TRUE = b'{"ok":true,"result":true}'


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. The defaults give up after roughly 10 s of back-off (or one long 429)."""

    attempts: int = 5
    base_delay: float = 0.25
    max_delay: float = 4.0
    # A 429 asking to wait longer than this is not waited for: the update's handler fails and
    # the error handler apologises, instead of the whole bot stalling on one chat.
    max_retry_after: float = 30.0


# What build_application's transport uses; tests may swap in a faster policy before start-up.
DEFAULT_POLICY = RetryPolicy()


def api_method(url: str) -> str:
    """The Bot API method from a request URL (``…/bot<token>/sendMessage``), token-free."""
    return url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]


def _description(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    return str(data.get("description", "")) if isinstance(data, dict) else ""


def _retry_after(body: bytes) -> float | None:
    try:
        data = json.loads(body)
        value = data["parameters"]["retry_after"]
    except (ValueError, KeyError, TypeError):
        return None
    return float(value) if isinstance(value, int | float) else None


class _Wrapping(BaseRequest):
    """A BaseRequest that hands the HTTP itself to an inner request (REQUEST_CLASS)."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()


class RetryingRequest(_Wrapping):
    """Bounded, logged retries for sends around the HTTP request (see the module docstring)."""

    def __init__(
        self,
        *,
        policy: RetryPolicy | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        inner: BaseRequest | None = None,
        **http_options: Any,
    ) -> None:
        options: dict[str, Any] = {
            "connection_pool_size": POOL_SIZE,
            "read_timeout": READ_TIMEOUT,
            "write_timeout": WRITE_TIMEOUT,
            "connect_timeout": CONNECT_TIMEOUT,
            "pool_timeout": POOL_TIMEOUT,
        }
        options.update(http_options)
        super().__init__(inner or REQUEST_CLASS(**options))
        self.policy = policy or DEFAULT_POLICY
        self._rng = rng or random.Random()
        self._sleep = sleep
        self.retries = 0  # faults retried so far (for tests and benchmarks)

    def backoff(self, attempt: int) -> float:
        """Exponential back-off with jitter: between half and all of base·2^(attempt-1)."""
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2 ** (attempt - 1))
        return ceiling * (0.5 + 0.5 * self._rng.random())

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        name = api_method(url)
        low = name.lower()

        async def once() -> tuple[int, bytes]:
            return await self.inner.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )

        if low == "getupdates":  # python-telegram-bot's polling loop retries this itself
            return await once()

        attempts = max(1, self.policy.attempts)
        ambiguous = False  # may an earlier attempt have been applied by Telegram?
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            try:
                status, body = await once()
            except TimedOut as exc:
                # A pool timeout means the request never left this process.
                kind = "no free connection" if "Pool timeout" in str(exc) else "timed out"
                ambiguous = ambiguous or kind == "timed out"
                if last:
                    self._give_up(name, kind, attempt)
                    raise
                delay = self.backoff(attempt)
            except NetworkError:
                kind = "connection lost"
                ambiguous = True
                if last:
                    self._give_up(name, kind, attempt)
                    raise
                delay = self.backoff(attempt)
            else:
                if status == 429:
                    wait = _retry_after(body)
                    kind = f"429 flood control (retry_after={wait:g}s)" if wait else "429"
                    if last or (wait is not None and wait > self.policy.max_retry_after):
                        self._give_up(name, kind, attempt)
                        return status, body
                    # Honour retry_after, plus a little jitter so queued sends do not stampede.
                    base = wait if wait is not None else self.backoff(attempt)
                    delay = base + self._rng.uniform(0.0, 0.1 + 0.1 * base)
                elif status >= 500:
                    kind = f"HTTP {status}"
                    ambiguous = True
                    if last:
                        self._give_up(name, kind, attempt)
                        return status, body
                    delay = self.backoff(attempt)
                else:
                    if ambiguous and status == 400 and self._already_applied(low, body):
                        log.info(
                            "Telegram %s: already applied by an earlier attempt (attempt %d)",
                            name,
                            attempt,
                        )
                        return 200, _OK_TRUE
                    return status, body
            self.retries += 1
            log.warning(
                "Telegram %s: %s (attempt %d of %d); retrying in %.2f s",
                name,
                kind,
                attempt,
                attempts,
                delay,
            )
            await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _already_applied(method: str, body: bytes) -> bool:
        description = _description(body).lower()
        return any(marker in description for marker in _ALREADY_APPLIED.get(method, ()))

    @staticmethod
    def _give_up(name: str, kind: str, attempt: int) -> None:
        log.warning("Telegram %s: %s (attempt %d); giving up", name, kind, attempt)


class PollingRequest(_Wrapping):
    """The getUpdates request: asks for (and so confirms) more only once ``before_poll`` returns.

    ``before_poll`` is set after the application exists, typically to
    ``app.update_queue.join`` — every fetched update handled and its state persisted.
    """

    def __init__(
        self, *, read_timeout: float, inner: BaseRequest | None = None, **http_options: Any
    ) -> None:
        options: dict[str, Any] = {
            "connection_pool_size": 1,
            "read_timeout": read_timeout,
            "pool_timeout": 1.0,
        }
        options.update(http_options)
        super().__init__(inner or REQUEST_CLASS(**options))
        self.before_poll: Callable[[], Awaitable[Any]] | None = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self.before_poll is not None and api_method(url).lower() == "getupdates":
            await self.before_poll()
        return await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )


def is_real_telegram(base_url: str) -> bool:
    """True when talking to api.telegram.org (then Telegram's own rate limits apply)."""
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname == "api.telegram.org"
