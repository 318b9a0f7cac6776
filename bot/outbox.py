"""The outbox sender: delivers what storage/outbox.py holds at Telegram's pace, across restarts.

Publishing a council note, a weekly digest or a moderation reminder only *writes* rows (in the
same transaction as the note); this one job sends them. Why a job and not a loop in a handler:
10,000 subscribers at Telegram's limits take minutes, and a kill -9 half-way must not lose the
rest (they stay 'pending' and are sent after the restart) nor send anything twice.

Pace (:class:`Pace`): a token bucket a little under Telegram's ~30 messages a second over all
chats, at most one message a second to one chat, a few sends in flight at once (a round trip to
Telegram is ~50–100 ms), and a 429's ``retry_after`` pauses the whole sender, not just one send.

Exactly once, as far as it can be: a row is marked 'sending' (committed) right before its one
HTTP call and 'sent' right after. Sends run with :func:`bot.transport.at_most_once`, so a send
whose fate is unknown (timed out, connection lost after the request left) is not retried, and a
row a crash left 'sending' is not sent again after the restart: it counts as 'unknown'. A
resident can thus miss a note in that rare window (it is still on /nytt), but never gets one
twice. Only the sends in flight at the crash (≤ ``Pace.in_flight``) can be affected.

Progress: each batch may name an author chat and a message there; the sender edits that one
message in place ("skickat till 3 400 av 10 000") every few seconds and once at the end. The
texts belong to the handlers, which register a renderer per kind (:meth:`OutboxSender.on`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.council import recipient_gone
from bot.settings import Settings
from bot.transport import at_most_once
from storage import outbox as repo
from storage.db import Database

log = logging.getLogger(__name__)

SENDER_KEY = "outbox_sender"


@dataclass(frozen=True)
class Pace:
    """How fast the sender may go. Tests and benchmarks may swap :data:`DEFAULT_PACE`."""

    per_second: float = 25.0  # all chats together (Telegram: ~30)
    burst: int = 5
    chat_interval: float = 1.05  # seconds between two messages to one chat (Telegram: ~1)
    in_flight: int = 6
    progress_every: float = 3.0  # seconds between two edits of an author's progress message


DEFAULT_PACE = Pace()


def pace_for(settings: Settings) -> Pace:
    """:data:`DEFAULT_PACE`, unless ``OUTBOX_PER_SECOND`` / ``OUTBOX_IN_FLIGHT`` /
    ``OUTBOX_CHAT_INTERVAL`` say otherwise: for tests and benchmarks that run ``python -m bot``
    against the offline Bot API with faster limits. Production keeps the defaults."""
    changes: dict[str, Any] = {}
    if settings.outbox_per_second is not None:
        changes["per_second"] = settings.outbox_per_second
        changes["burst"] = max(1, int(settings.outbox_per_second // 5))
    if settings.outbox_in_flight is not None:
        changes["in_flight"] = settings.outbox_in_flight
    if settings.outbox_chat_interval is not None:
        changes["chat_interval"] = settings.outbox_chat_interval
    return replace(DEFAULT_PACE, **changes) if changes else DEFAULT_PACE


# (batch, progress, finished) -> the author's progress text, or None for no report
Renderer = Callable[[repo.Batch, repo.Progress, bool], Awaitable[str | None]]
# (row) -> forget a recipient who blocked the bot (drop the subscription)
GoneHook = Callable[[repo.Row], Awaitable[None]]


class TokenBucket:
    """``rate`` tokens a second up to ``burst``; :meth:`pause` empties it for a while (429)."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = float(max(1, burst))
        self.tokens = self.burst
        self.clock = clock
        self.stamp = clock()
        self.paused_until = 0.0

    def delay(self) -> float:
        """Seconds until a token is available; 0 means one was taken."""
        now = self.clock()
        if now < self.paused_until:
            return self.paused_until - now
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate

    async def take(self) -> None:
        """Wait for a token: pacing is waiting for time itself, so a timed sleep is right."""
        while (wait := self.delay()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.clock() + seconds)
        self.tokens = 0.0


@dataclass
class _Stats:
    sent: int = 0
    started: float = field(default_factory=time.monotonic)


class OutboxSender:
    """The one job that drains the outbox (see the module docstring)."""

    def __init__(self, db: Database, bot: Any, pace: Pace | None = None) -> None:
        self.db = db
        self.bot = bot
        self.pace = pace or DEFAULT_PACE
        self.bucket = TokenBucket(self.pace.per_second, self.pace.burst)
        self.renderers: dict[str, Renderer] = {}
        self.gone_hooks: dict[str, GoneHook] = {}
        self.stats = _Stats()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._slots = asyncio.Semaphore(max(1, self.pace.in_flight))
        self._sends: set[asyncio.Task[None]] = set()
        self._last_to_chat: dict[int, float] = {}
        self._last_progress: dict[int, float] = {}
        self._progress_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def on(
        self, kind: str, *, progress: Renderer | None = None, gone: GoneHook | None = None
    ) -> None:
        """Register how a kind reports progress to its author and forgets a blocked chat."""
        if progress is not None:
            self.renderers[kind] = progress
        if gone is not None:
            self.gone_hooks[kind] = gone

    def wake(self) -> None:
        """New rows were written: send them (cheap; call after every enqueue)."""
        self._idle.clear()
        self._wake.set()

    async def idle(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Wait until nothing is left to send (tests, benchmarks, a clean stop)."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        unknown = await repo.recover(self.db)
        if unknown:
            log.warning("Outbox: %d send(s) cut off by a restart are not repeated", unknown)
        for batch_id in await repo.open_batches(self.db):
            await self._report(batch_id, force=True)
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="outbox-sender")
        self.wake()

    async def stop(self) -> None:
        """Stop taking rows; let the sends in flight finish and be recorded."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        try:
            while not self._stopping:
                await self._slots.acquire()
                row = None
                try:
                    await self.bucket.take()
                    if not self._stopping:
                        row = await repo.claim(self.db, self._busy_chats())
                except Exception:
                    self._slots.release()
                    log.exception("Outbox: could not read the next message")
                    await self._pause_loop(1.0)
                    continue
                if row is None:
                    self._slots.release()
                    self.bucket.tokens = min(self.bucket.burst, self.bucket.tokens + 1.0)
                    await self._wait_for_work()
                    continue
                self._last_to_chat[row.chat_id] = time.monotonic()
                task = asyncio.create_task(self._send(row))
                self._sends.add(task)
                task.add_done_callback(self._sends.discard)
        finally:
            if self._sends:
                await asyncio.gather(*self._sends, return_exceptions=True)

    def _busy_chats(self) -> list[int]:
        """Chats that got a message less than ``chat_interval`` ago (pruned as they expire)."""
        now = time.monotonic()
        expired = [c for c, t in self._last_to_chat.items() if now - t >= self.pace.chat_interval]
        for chat in expired:
            del self._last_to_chat[chat]
        return list(self._last_to_chat)

    async def _wait_for_work(self) -> None:
        """Nothing sendable now: wait for a wake-up, or for a busy chat to be free again."""
        if self._last_to_chat and await repo.has_pending(self.db):
            soonest = min(self._last_to_chat.values()) + self.pace.chat_interval
            await self._pause_loop(max(0.01, soonest - time.monotonic()))
            return
        if self._sends:
            await asyncio.gather(*self._sends, return_exceptions=True)
            return  # their outcome may have put rows back to pending (429)
        self._wake.clear()
        if self._stopping:  # stop() may have set the wake-up just cleared
            return
        if not await repo.has_pending(self.db):
            self._idle.set()
            await self._wake.wait()

    async def _pause_loop(self, seconds: float) -> None:
        self._wake.clear()
        if self._stopping:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    async def _send(self, row: repo.Row) -> None:
        try:
            state = await self._deliver(row)
            await repo.finish(self.db, row.id, state)
            if state == "sent":
                self.stats.sent += 1
            elif state == "pending":
                self.wake()
            await self._report(row.batch_id)
        except Exception:
            log.exception("Outbox: could not record a send")
        finally:
            self._slots.release()

    async def _deliver(self, row: repo.Row) -> str:
        markup = None
        if row.markup:
            markup = InlineKeyboardMarkup.de_json(json.loads(row.markup), self.bot)
        try:
            with at_most_once():
                await self.bot.send_message(row.chat_id, row.text, reply_markup=markup)
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
            log.warning("Outbox: Telegram asks to wait %.0f s; pausing all sends", seconds)
            self.bucket.pause(float(seconds))
            return "pending"  # a 429 changed nothing: safe to send later
        except (Forbidden, BadRequest) as error:
            if recipient_gone(error):
                hook = self.gone_hooks.get(row.kind)
                if hook is not None:
                    await hook(row)
                return "gone"
            log.warning("Outbox: a %s was refused: %s", row.kind, type(error).__name__)
            return "failed"
        except NetworkError as error:
            # Timed out or cut off after the request left: it may have arrived. Not repeated.
            log.warning("Outbox: a %s may not have arrived (%s)", row.kind, type(error).__name__)
            return "unknown"
        except TelegramError as error:
            log.warning("Outbox: a %s failed: %s", row.kind, type(error).__name__)
            return "failed"
        return "sent"

    # ------------------------------------------------------------------ progress

    async def report(self, batch_id: int) -> None:
        """Show a batch's progress now (right after it was queued); closes an empty batch."""
        await self._report(batch_id, force=True)

    async def _report(self, batch_id: int, *, force: bool = False) -> None:
        """Edit the author's progress message now and then, and close a finished batch."""
        async with self._progress_lock:
            now = time.monotonic()
            last = self._last_progress.get(batch_id, 0.0)
            due = force or now - last >= self.pace.progress_every
            if not due and await repo.batch_has_open(self.db, batch_id):
                return  # cheap check per send; the counts are read only when shown
            progress = await repo.progress(self.db, batch_id)
            closed = await repo.close_batch(self.db, batch_id) if progress.done else None
            finished = closed is not None
            progress = closed or progress
            if not (finished or due):
                return
            self._last_progress[batch_id] = now
            if finished:
                self._last_progress.pop(batch_id, None)
            batch = await repo.batch(self.db, batch_id)
            render = self.renderers.get(batch.kind) if batch else None
            if batch is None or render is None or batch.author_chat is None:
                return
            text = await render(batch, progress, finished)
            if text is None:
                return
        await self._show_progress(batch, text)

    async def _show_progress(self, batch: repo.Batch, text: str) -> None:
        assert batch.author_chat is not None
        try:
            if batch.progress_message_id is None:
                message = await self.bot.send_message(batch.author_chat, text)
                await repo.set_progress_message(self.db, batch.id, message.message_id)
            else:
                await self.bot.edit_message_text(
                    text, chat_id=batch.author_chat, message_id=batch.progress_message_id
                )
        except TelegramError as error:  # the author's view only; the sending goes on
            if "not modified" not in str(error).lower():
                log.info("Outbox: progress not shown (%s)", type(error).__name__)


def install(app: Any) -> OutboxSender:
    """The application's sender, created (and started/stopped with the app) on first use."""
    sender = app.bot_data.get(SENDER_KEY)
    if isinstance(sender, OutboxSender):
        return sender
    services = app.bot_data["services"]
    sender = OutboxSender(services.db, app.bot, pace_for(services.settings))
    app.bot_data[SENDER_KEY] = sender

    async def start(_app: Any) -> None:
        await sender.start()

    async def stop(_app: Any) -> None:
        await sender.stop()

    services.startup_hooks.append(start)
    services.stop_hooks.append(stop)
    return sender


def sender_of(app: Any) -> OutboxSender:
    """The running application's sender (installed by the handlers at build time)."""
    return install(app)
