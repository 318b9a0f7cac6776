"""The long-lived objects every handler needs, created once at start-up."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.settings import Settings
from storage.db import Database

if TYPE_CHECKING:
    from bot.content import Council

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    db: Database
    council: Council
    # Filled by feature modules at start-up (knowledge base, pseudonym key, …).
    extras: dict[str, Any] = field(default_factory=dict)

    async def close(self) -> None:
        await self.db.close()


async def create_services(settings: Settings) -> Services:
    """Load content first (a bad file should fail before anything is created), then open the DB."""
    from bot.content import load_council

    council = load_council(settings.council_file)
    db = await Database.open(settings.database_path)
    return Services(settings=settings, db=db, council=council)
