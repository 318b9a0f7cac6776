"""Telegram's flood limits for the offline Bot API server (off unless a test turns them on).

Telegram answers a bot that sends too fast with ``429 Too Many Requests: retry after N`` and
``parameters.retry_after`` = N seconds: about 30 messages a second over all chats, about one a
second in one chat (short bursts tolerated) and 20 a minute in one group. A bot that broadcasts
(the council's notes, the weekly digest) must pace itself and honour ``retry_after``; with the
limits on, the offline server holds it to that.

Usage (the bot may run in-process or as a subprocess pointed at ``api.base_url``)::

    api = OfflineBotApi(flood_limits=True)                     # Telegram's defaults
    api = OfflineBotApi(flood_limits=FloodLimits(chat_burst=1))  # stricter per chat
    api.set_flood_limits(FloodLimits())   # or switch on (None: off) after setting up the chats

    ...publish a note to 1,000 residents...
    counts = api.delivery_counts("Ny belysning på Ålidhem")   # chat id -> deliveries
    assert all(counts.get(r.id) == 1 for r in residents)       # each got it exactly once
    assert api.flood_log                                      # and the bot did hit the limit

Only the sending methods count (sendMessage, sendPhoto, sendDocument); edits, callback answers
and getUpdates do not. A refused call changes nothing and is listed in ``api.flood_log``. Every
message delivered is recorded as a :class:`Delivery` (``api.deliveries``, ``api.delivered(chat)``)
whether or not the limits are on.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["FLOOD_METHODS", "Delivery", "FloodControl", "FloodLimits"]

# Methods that deliver a message (lower-case, as routed); only these are limited.
FLOOD_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})


@dataclass(frozen=True)
class FloodLimits:
    """Rates and bursts per Telegram's FAQ; a burst is how many may go at once after a pause."""

    per_second: float = 30.0  # all chats together
    burst: int = 30
    chat_per_second: float = 1.0  # one private chat
    chat_burst: int = 3
    group_per_minute: float = 20.0  # one group or supergroup (negative chat id)
    group_burst: int = 20


@dataclass(frozen=True)
class Delivery:
    """One message the bot delivered, as it was when sent (later edits do not change it)."""

    chat_id: int
    message_id: int
    kind: str  # "text" | "photo" | "document"
    plain_text: str
    at: float  # time.monotonic() when it was delivered


@dataclass
class _Bucket:
    rate: float  # tokens per second
    burst: float
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0: now)."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate


@dataclass
class FloodControl:
    """Token buckets for all chats together and for each chat; ``clock`` for tests."""

    limits: FloodLimits = field(default_factory=FloodLimits)
    clock: Callable[[], float] = time.monotonic
    _global: _Bucket | None = None
    _chats: dict[int, _Bucket] = field(default_factory=dict)

    def _bucket(self, chat_id: int, now: float) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            lim = self.limits
            if chat_id < 0:
                rate, burst = lim.group_per_minute / 60.0, float(lim.group_burst)
            else:
                rate, burst = lim.chat_per_second, float(lim.chat_burst)
            bucket = self._chats[chat_id] = _Bucket(rate, burst, burst, now)
        return bucket

    def acquire(self, chat_id: int) -> int:
        """Take one send for ``chat_id`` and return 0, or return Telegram's retry_after (≥ 1 s)
        without taking anything."""
        now = self.clock()
        if self._global is None:
            burst = float(self.limits.burst)
            self._global = _Bucket(self.limits.per_second, burst, burst, now)
        chat = self._bucket(chat_id, now)
        wait = max(self._global.wait(now), chat.wait(now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._global.tokens -= 1.0
        chat.tokens -= 1.0
        return 0
