"""The long-lived objects every handler needs, created once at start-up.

Typed fields rather than a string-keyed bag: the pseudonym key, the clock (tests pin "now" with
``services.clock = lambda: ...``; bot.context.now reads it) and the startup hooks feature modules
register (bot.app runs them once the bot is connected), the knowledge base built from the live
content, the lock that serialises content changes, and the answers already voted on.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sqlite3
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.privacy.pseudonym import (
    default_key_path,
    load_or_create_key,
    pseudonym,
    subscriber_alias,
)
from bot.settings import Settings, StartupError
from storage.db import Database

if TYPE_CHECKING:
    from bot.content import Council
    from bot.knowledge import KnowledgeBase

# Called with the application after it is connected, before polling starts.
StartupHook = Callable[[Any], Awaitable[None]]

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    db: Database
    council: Council
    # HMAC key for pseudonyms (PSEUDONYM_KEY or the key file); never logged.
    pseudonym_key: bytes = b""
    # "Now" for the whole bot; None means the real UTC time (see bot.context.now).
    clock: Callable[[], datetime] | None = None
    startup_hooks: list[StartupHook] = field(default_factory=list)
    # Run before the application stops (e.g. the outbox sender lets its sends finish).
    stop_hooks: list[StartupHook] = field(default_factory=list)
    # New at every start: a dialogue stamped with another one was begun before a restart.
    boot_id: str = field(default_factory=lambda: secrets.token_hex(4))
    # The knowledge base of the live content (built at start-up, rebuilt when content changes).
    knowledge: KnowledgeBase | None = None
    # One content change at a time (/innehall): check, preview and go live never interleave.
    content_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # (chat id, message id) of answers already voted on, oldest first (a bounded memory).
    votes_seen: OrderedDict[tuple[int, int], bool] = field(default_factory=OrderedDict)

    def pseudonym(self, user_id: int) -> str:
        """The resident's pseudonym: feedback and update subscriptions are stored under it."""
        return pseudonym(user_id, self.pseudonym_key)

    def subscriber(self, chat_id: int) -> str:
        """Key of a resident's update subscriptions: never equal to their feedback pseudonym."""
        return subscriber_alias(chat_id, self.pseudonym_key)

    async def close(self) -> None:
        await self.db.close()


async def create_services(settings: Settings) -> Services:
    """Load content first (a bad file should fail before anything is created), then open the DB."""
    from bot.content import load_council

    council = load_council(settings.council_file)
    try:
        key = _pseudonym_key(settings)
        db = await Database.open(settings.database_path)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StartupError(
            f"Cannot open DATABASE_PATH {settings.database_path}: {reason}."
        ) from None
    services = Services(settings=settings, db=db, council=council, pseudonym_key=key)
    from storage.feedback import rekey_subscribers

    await rekey_subscribers(db, services.pseudonym, services.subscriber)
    return services


def _pseudonym_key(settings: Settings) -> bytes:
    """PSEUDONYM_KEY, else a key file beside the database (created once, with a warning)."""
    env = settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None
    key_path = default_key_path(settings.database_path)
    key, created = load_or_create_key(env, key_path)
    if created:
        log.warning(
            "PSEUDONYM_KEY is not set: created a new key in %s. Back it up; losing it "
            "changes every resident's pseudonym.",
            key_path,
        )
    return key
