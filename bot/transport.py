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

One update python-telegram-bot cannot parse (a poll without a field an older Bot API server
leaves out, a message without ``chat``) would make the whole getUpdates batch fail, unconfirmed,
and polling would ask for it again and again while every resident waits. :class:`TolerantBot`
parses such a batch update by update instead: an unparseable update is skipped, its offset
confirmed, and logged as its update id and the kind of problem only, never its content.

Both wrap the request class that actually speaks HTTP (``REQUEST_CLASS``): by default
:class:`bot.http_aiohttp.AiohttpRequest`, which costs about a third of the CPU per call of PTB's
HTTPXRequest and raises the same TimedOut/NetworkError, so the policy here works with either.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import importlib.util
import json
import logging
import random
import re
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.ext import ExtBot
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

_AT_MOST_ONCE: contextvars.ContextVar[bool] = contextvars.ContextVar("at_most_once", default=False)


@contextlib.contextmanager
def at_most_once() -> Iterator[None]:
    """Sends in this block are never repeated once they may have reached Telegram.

    For the outbox (bot/outbox.py): a timeout or a connection lost after the request left is
    raised at once instead of retried (the message may have arrived; sending it again could
    deliver it twice), and a 429 goes straight back so the caller can pause every send, not
    just this one. A 5xx, a 200 without JSON and a pool timeout are still retried: Telegram did
    not take the call (or it never left this process).
    """
    token = _AT_MOST_ONCE.set(True)
    try:
        yield
    finally:
        _AT_MOST_ONCE.reset(token)


def api_method(url: str) -> str:
    """The Bot API method from a request URL (``…/bot<token>/sendMessage``), token-free."""
    return url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]


def _description(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    return str(data.get("description", "")) if isinstance(data, dict) else ""


def _is_json_object(body: bytes) -> bool:
    """Whether a body is a JSON object (every Bot API answer is one)."""
    if body.lstrip()[:1] != b"{":
        return False
    try:
        return isinstance(json.loads(body), dict)
    except ValueError:
        return False


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

        is_file = "/file/bot" in url  # a download (a photo, a CSV), not a Bot API answer
        once_only = _AT_MOST_ONCE.get()
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
                if last or (kind == "timed out" and once_only):
                    self._give_up(name, kind, attempt)
                    raise
                delay = self.backoff(attempt)
            except NetworkError:
                kind = "connection lost"
                ambiguous = True
                if last or once_only:
                    self._give_up(name, kind, attempt)
                    raise
                delay = self.backoff(attempt)
            else:
                if status == 429:
                    wait = _retry_after(body)
                    kind = f"429 flood control (retry_after={wait:g}s)" if wait else "429"
                    if once_only:
                        return status, body  # the outbox pauses every send, not just this one
                    if last or (wait is not None and wait > self.policy.max_retry_after):
                        self._give_up(name, kind, attempt)
                        return status, body
                    # Honour retry_after, plus a little jitter so queued sends do not stampede.
                    base = wait if wait is not None else self.backoff(attempt)
                    delay = base + self._rng.uniform(0.0, 0.1 + 0.1 * base)
                elif status >= 500 or (status == 200 and not is_file and not _is_json_object(body)):
                    # A 200 that is not the Bot API's JSON (a proxy's page, a cut-off body) is
                    # retried like a 5xx: python-telegram-bot would raise on it and abort the
                    # handler half-way, e.g. after the resident's feedback was stored.
                    kind = f"HTTP {status}" if status >= 500 else "HTTP 200 without valid JSON"
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
        # The last getUpdates answer, for TolerantBot when the batch does not parse.
        self.last_body: bytes | None = None

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
        polling = api_method(url).lower() == "getupdates"
        if self.before_poll is not None and polling:
            await self.before_poll()
        status, body = await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if polling:
            self.last_body = body if status == 200 else None
        return status, body


def is_real_telegram(base_url: str) -> bool:
    """True when talking to api.telegram.org (then Telegram's own rate limits apply)."""
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname == "api.telegram.org"


def _hide_batch_dumps(record: logging.LogRecord) -> bool:
    """python-telegram-bot logs a whole unparseable getUpdates batch (names, ids, message text)
    at CRITICAL; :class:`TolerantBot` reports the problem itself, without the content."""
    return not str(record.msg).startswith("Error while parsing updates")


logging.getLogger("telegram.ext.ExtBot").addFilter(_hide_batch_dumps)
logging.getLogger("telegram.Bot").addFilter(_hide_batch_dumps)

_MISSING_FIELD = re.compile(
    r"missing \d+ required (?:positional|keyword-only) arguments?: ([\w', ]+)$"
    r"|^`(\w+)` is a required argument"
)


def problem_kind(error: BaseException) -> str:
    """What was wrong with an update, in words that never quote its content: the exception
    type and, for a missing field, the field's name (from the schema, not the data)."""
    kind = type(error).__name__
    if isinstance(error, TypeError):
        match = _MISSING_FIELD.search(str(error))
        if match:
            return f"{kind}: missing {match.group(1) or match.group(2)}"
    if isinstance(error, KeyError) and error.args and isinstance(error.args[0], str):
        return f"{kind}: missing '{error.args[0][:40]}'"
    return kind


class TolerantBot(ExtBot[Any]):
    """An ExtBot whose getUpdates survives an update it cannot parse (see the module docstring).

    ``skipped_updates`` counts the updates skipped so far (for tests, benchmarks, monitoring).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._skip_to = 0  # confirm up to here on the next poll (an unparseable last update)
        self._skipped_updates = 0

    @property
    def skipped_updates(self) -> int:
        """Updates skipped so far because they could not be read."""
        return self._skipped_updates

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,  # noqa: ASYNC109 - python-telegram-bot's signature
        allowed_updates: Any = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        if self._skip_to and (offset is None or 0 <= offset < self._skip_to):
            offset = self._skip_to
        request = self._request[0]
        if isinstance(request, PollingRequest):
            request.last_body = None
        try:
            updates = await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
        except TelegramError:
            raise  # the network: python-telegram-bot's polling loop retries
        except Exception:
            body = request.last_body if isinstance(request, PollingRequest) else None
            try:
                raw = json.loads(body)["result"] if body is not None else None
            except (ValueError, KeyError, TypeError):
                raw = None
            if not isinstance(raw, list):
                raise
            return self._parse_one_by_one(raw)
        if any(_malformed(u) for u in updates):
            return self._keep_readable(updates, [u.update_id for u in updates])
        return updates

    def _parse_one_by_one(self, raw: list[Any]) -> tuple[Update, ...]:
        parsed: list[Update] = []
        ids: list[int] = []
        for item in raw:
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if isinstance(update_id, int):
                ids.append(update_id)
            try:
                update = Update.de_json(item, self)
                self.insert_callback_data(update)
            except Exception as error:  # any parse failure skips this update only
                self._skipped(update_id, problem_kind(error))
                continue
            parsed.append(update)
        return self._keep_readable(parsed, ids)

    def _keep_readable(self, updates: Sequence[Update], ids: list[int]) -> tuple[Update, ...]:
        """Drop malformed updates; make the next poll confirm every id of this batch."""
        kept = []
        for update in updates:
            problem = _malformed(update)
            if problem:
                self._skipped(update.update_id, problem)
            else:
                kept.append(update)
        highest = max(ids, default=0)
        if highest > (kept[-1].update_id if kept else 0):
            # The Updater confirms up to its last update; skipped ones after it are confirmed
            # by raising the next poll's offset.
            self._skip_to = highest + 1
        return tuple(kept)

    def _skipped(self, update_id: object, kind: str) -> None:
        self._skipped_updates += 1
        log.warning(
            "Skipped update %s that could not be read (%s); %d skipped so far",
            update_id if isinstance(update_id, int) else "without id",
            kind,
            self._skipped_updates,
        )


def _malformed(update: Update) -> str | None:
    """A problem python-telegram-bot parses without complaint but no handler can work with."""
    message = update.effective_message
    if message is not None and message.chat is None:
        return "message without chat"
    return None
