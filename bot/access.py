"""Who may do what. Checked on every staff command and every staff button press.

Admins (ADMIN_IDS) may do everything; moderators and council members get their role by
invitation (stored in SQLite). A refused attempt gets a polite reply and an audit row.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from telegram import Update

from bot.context import BotContext
from storage import audit
from storage import roles as roles_repo

log = logging.getLogger(__name__)


class Role(StrEnum):
    MODERATOR = "moderator"
    COUNCIL = "council"
    ADMIN = "admin"


async def roles_of(context: BotContext, user_id: int) -> set[Role]:
    found = {Role(r) for r in await roles_repo.roles_of(context.db, user_id)}
    if user_id in context.settings.admin_ids:
        found.add(Role.ADMIN)
    return found


async def has_role(context: BotContext, user_id: int | None, *allowed: Role) -> bool:
    if user_id is None:
        return False
    mine = await roles_of(context, user_id)
    return Role.ADMIN in mine or bool(mine.intersection(allowed))


def refusal_text(context: BotContext, *allowed: Role) -> str:
    if Role.COUNCIL in allowed:
        return context._("Det här är bara för rådets medlemmar.")
    if Role.MODERATOR in allowed:
        return context._("Det här är bara för moderatorer.")
    return context._("Det här är bara för administratörer.")


async def require(update: Update, context: BotContext, *allowed: Role, action: str) -> bool:
    """True when the sender holds one of ``allowed``; otherwise refuse politely and audit it."""
    user = update.effective_user
    # A bot account never holds a role, whatever the database or ADMIN_IDS say.
    if await has_role(context, user.id if user and not user.is_bot else None, *allowed):
        return True
    log.warning("Refused staff action %s", action)
    await audit.record(context.db, user.id if user else None, "refused", action)
    text = refusal_text(context, *allowed)
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(text)
    return False
