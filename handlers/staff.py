"""Staff administration: /bjudin (invite), accepting an invitation, /roller (roles), /logg (log).

Every command and every button checks the sender's role first (``bot.access.require``), so a
forged or replayed button press changes nothing. Invitation links are handed out in private
chats only: a link posted in a group could be taken by anyone in it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot import commands
from bot import moderation as view
from bot.access import Role, require, roles_of
from bot.callback import CallbackData
from bot.context import BotContext, now
from bot.escape import esc
from bot.i18n import translations
from bot.labels import command_name
from handlers.common import edit_quietly, on_startup, private_only
from handlers.digest import unschedule_digest
from handlers.moderation import EDIT_KEY
from storage import roles as roles_repo
from storage import staff as staff_repo
from storage.staff import CODE_PREFIX, InviteOutcome

log = logging.getLogger(__name__)

LOG_LIMIT = 20
LOG_MAX = 200
ROLES_PAGE = 40
MESSAGE_MAX = 4000  # Telegram's 4096, with room for HTML tags
# What an admin may type after /logg to see one role's actions.
LOG_ROLE_WORDS: dict[str, str] = {
    "moderator": "moderator",
    "moderatorer": "moderator",
    "mod": "moderator",
    "moderators": "moderator",
    "rad": "council",
    "råd": "council",
    "radet": "council",
    "rådet": "council",
    "council": "council",
    "admin": "admin",
    "administratör": "admin",
    "administrator": "admin",
    "admins": "admin",
}
# What an admin may type after /bjudin; Swedish and English, with and without å.
ROLE_WORDS: dict[str, str] = {
    "moderator": "moderator",
    "mod": "moderator",
    "rad": "council",
    "råd": "council",
    "radsmedlem": "council",
    "rådsmedlem": "council",
    "council": "council",
}
_ROLE_CODES: dict[str, Literal["m", "c"]] = {"moderator": "m", "council": "c"}
_CODE_ROLES = {v: k for k, v in _ROLE_CODES.items()}


@dataclass(frozen=True)
class RevokeButton(CallbackData, prefix="staffrev"):
    """``staffrev:<user id>:<m|c>`` in /roller: take that role from that person."""

    user_id: int
    role: Literal["m", "c"]


ADMIN_COMMANDS: tuple[commands.Command, ...] = (
    commands.INVITE,
    commands.ROLES,
    commands.LOG,
    commands.CONTENT,
)


async def staff_commands(context: BotContext, user_id: int) -> list[commands.Command]:
    """The staff commands this user's roles allow (admins: all); empty for a resident."""
    held = await roles_of(context, user_id)
    extra: list[commands.Command] = []
    if Role.ADMIN in held:
        extra += ADMIN_COMMANDS
    for role in ("moderator", "council"):
        if Role.ADMIN in held or Role(role) in held:
            extra += [c for c in view.ROLE_COMMANDS[role] if c not in extra]
    return extra


async def update_command_menu(context: BotContext, user_id: int, locale: str) -> None:
    """Show a staff member their own commands in Telegram's menu (their private chat only).

    Not essential (the welcome lists them too), so a Telegram error is logged, not raised.
    """
    extra = await staff_commands(context, user_id)
    scope = BotCommandScopeChat(user_id)
    t = translations(locale)
    try:
        if not extra:
            await context.bot.delete_my_commands(scope=scope)
            return
        menu = [
            BotCommand(command_name(c, locale), t.gettext(c.description))
            for c in (*commands.PUBLIC, *extra)
        ]
        await context.bot.set_my_commands(menu, scope=scope)
    except TelegramError as exc:
        log.info("Could not update a staff command menu: %s", type(exc).__name__)


def full_name(update: Update) -> str:
    """The sender's name as Telegram gives it (staff only: it is stored for /roller, /logg)."""
    user = update.effective_user
    return " ".join(p for p in (user.first_name, user.last_name) if p) if user else ""


async def remember_admin(update: Update, context: BotContext) -> None:
    """An admin's name is stored when they act, so /logg and /roller can name them."""
    if update.effective_user is not None:
        await staff_repo.remember_name(
            context.db, update.effective_user.id, full_name(update), now=now(context)
        )


async def invite(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message and update.effective_user
    if not await require(update, context, Role.ADMIN, action="invite"):
        return
    await remember_admin(update, context)
    if not await private_only(update, context):
        return
    word = context.args[0].casefold() if context.args else ""
    role = ROLE_WORDS.get(word)
    if role is None:
        name = command_name(commands.INVITE, context.locale)
        await message.reply_text(
            context._(
                "Vem vill du bjuda in? Skriv /{command} moderator eller /{command} rad "
                "(för en rådsmedlem)."
            ).format(command=name)
        )
        return
    created = await staff_repo.create_invite(
        context.db, role, created_by=update.effective_user.id, now=now(context)
    )
    link = f"https://t.me/{context.bot.username}?start={created.code}"
    await message.reply_text(
        view.invite_text(role, link, created.expires_at, locale=context.locale, t=context.t)
    )


async def accept(update: Update, context: BotContext) -> None:
    """``/start inv-…`` from a deep link: take the role the link was made for."""
    message = update.effective_message
    user = update.effective_user
    assert message and user
    if not await private_only(update, context):
        return
    code = context.args[0] if context.args else ""
    name = " ".join(p for p in (user.first_name, user.last_name) if p)
    result = await staff_repo.accept_invite(
        context.db, code, user_id=user.id, display_name=name, is_bot=user.is_bot, now=now(context)
    )
    _ = context._
    if result.outcome is InviteOutcome.GRANTED:
        assert result.role
        await staff_repo.remember_name(context.db, user.id, name, now=now(context))
        log.info("Invitation accepted for role %s", result.role)
        await update_command_menu(context, user.id, context.locale)
        await message.reply_text(
            view.welcome_staff(result.role, locale=context.locale, t=context.t)
        )
        return
    if result.outcome is InviteOutcome.ALREADY:
        text = _("Du har redan rollen {role}. Länken är fortfarande oanvänd.").format(
            role=esc(view.role_label(result.role or "", context.t))
        )
    elif result.outcome is InviteOutcome.EXPIRED:
        text = _(
            "Den här inbjudan har gått ut (den gällde i 72 timmar). Be den som bjöd in dig "
            "om en ny länk."
        )
    elif result.outcome is InviteOutcome.USED:
        text = _(
            "Den här inbjudan har redan använts. Varje länk fungerar bara en gång. Be den som "
            "bjöd in dig om en ny länk."
        )
    else:
        text = _("Jag känner inte igen den här inbjudan. Be den som bjöd in dig om en ny länk.")
    await message.reply_text(text)


def roles_keyboard(
    members: list[roles_repo.StaffMember], context: BotContext
) -> InlineKeyboardMarkup:
    rows = []
    for member in members:
        name = member.display_name or str(member.user_id)
        rows.append(
            [
                InlineKeyboardButton(
                    context._("🗑 Ta bort {name} ({role})").format(
                        name=name, role=view.role_label(member.role, context.t)
                    ),
                    callback_data=RevokeButton(member.user_id, _ROLE_CODES[member.role]).pack(),
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


RolesPage = tuple[str, InlineKeyboardMarkup | None]


async def _roles_pages(
    context: BotContext, only: set[tuple[int, str]] | None = None
) -> list[RolesPage]:
    """/roller in messages of at most ROLES_PAGE members (Telegram: 4,096 characters and 100
    buttons a message). ``only``: just these (user, role) pairs, for refreshing one page."""
    members = [m for m in await roles_repo.staff(context.db) if m.role in _ROLE_CODES]
    if only is not None:
        members = [m for m in members if (m.user_id, m.role) in only]
    names = await staff_repo.display_names(context.db)
    pages: list[RolesPage] = []
    for start in range(0, max(len(members), 1), ROLES_PAGE):
        part = members[start : start + ROLES_PAGE]
        text = view.staff_list(
            part,
            locale=context.locale,
            t=context.t,
            admin_ids=context.settings.admin_ids,
            names=names,
            header=start == 0 and only is None,
        )
        pages.append((text, roles_keyboard(part, context) if part else None))
    return pages


def _page_members(markup: object) -> set[tuple[int, str]]:
    """The (user, role) pairs a /roller message offers buttons for."""
    found: set[tuple[int, str]] = set()
    for row in getattr(markup, "inline_keyboard", ()):
        for button in row:
            parsed = RevokeButton.parse(button.callback_data)
            if parsed is not None:
                found.add((parsed.user_id, _CODE_ROLES[parsed.role]))
    return found


async def roles(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message
    if not await require(update, context, Role.ADMIN, action="roles"):
        return
    if not await private_only(update, context):
        return
    await remember_admin(update, context)
    for text, keyboard in await _roles_pages(context):
        await message.reply_text(text, reply_markup=keyboard)


async def revoke(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query and update.effective_user
    if not await require(update, context, Role.ADMIN, action="revoke_role"):
        return
    button = RevokeButton.parse(query.data)
    if button is None:
        await query.answer()
        return
    user_id, role = button.user_id, _CODE_ROLES[button.role]
    digests = await staff_repo.digest_chats_of(context.db, user_id) if role == "council" else []
    removed = await staff_repo.revoke_role(
        context.db, user_id, role, actor_id=update.effective_user.id
    )
    if removed:
        end_role_jobs(context, user_id, role, digests)
        locale = context.locale_of(user_id)
        await update_command_menu(context, user_id, locale)
        await query.answer(context._("Rollen är borttagen."))
        t = translations(locale)
        try:
            await context.bot.send_message(
                user_id,
                t.gettext(
                    "Din roll som {role} i trygghetsboten är borttagen. Tror du att det är fel? "
                    "Hör av dig till den som bjöd in dig."
                ).format(role=view.role_label(role, t)),
            )
        except TelegramError:
            log.info("Could not tell a former staff member that their role was revoked")
    else:
        await query.answer(context._("Den rollen fanns inte längre."))
    # Refresh the pressed message: the whole list when it fits one, else this page's people.
    pages = await _roles_pages(context)
    if len(pages) > 1:
        shown = _page_members(getattr(query.message, "reply_markup", None))
        pages = await _roles_pages(context, only=shown) if shown else pages
    text, keyboard = pages[0]
    await edit_quietly(query, text, keyboard)  # the list may be gone (inline, too old)


def end_role_jobs(context: BotContext, user_id: int, role: str, digests: list[int]) -> None:
    """What a role started stops with it: weekly digests (their jobs; the subscriptions went
    in the same transaction as the role) and a moderator's half-finished edit or reason."""
    if role == "council":
        for chat_id in digests:
            unschedule_digest(context.application, chat_id)
    data = context.application.user_data.get(user_id)
    if role == "moderator" and isinstance(data, dict) and data.pop(EDIT_KEY, None) is not None:
        context.application.mark_data_for_update_persistence(user_ids=user_id)


def _log_request(args: list[str]) -> tuple[int, str | None] | None:
    """``/logg [antal] [roll]`` in any order: (how many, role) or None when unreadable."""
    limit, role = LOG_LIMIT, None
    for arg in args:
        word = arg.casefold()
        if word.isdigit() and 1 <= int(word) <= LOG_MAX:
            limit = int(word)
        elif word in LOG_ROLE_WORDS and role is None:
            role = LOG_ROLE_WORDS[word]
        else:
            return None
    return limit, role


def chunks(text: str, size: int = MESSAGE_MAX) -> list[str]:
    """Split a long message at line ends so each part fits in one Telegram message."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        if current and len(current) + 1 + len(line) > size:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    parts.append(current)
    return parts


async def show_log(update: Update, context: BotContext) -> None:
    """/logg [antal] [moderator|rad|admin]: the newest audit rows, staff by name."""
    message = update.effective_message
    assert message
    if not await require(update, context, Role.ADMIN, action="log"):
        return
    if not await private_only(update, context):
        return
    await remember_admin(update, context)
    request = _log_request(list(context.args or []))
    if request is None:
        await message.reply_text(
            context._(
                "Skriv /{command}, /{command} 50 (högst {max}) eller /{command} moderator, "
                "/{command} rad eller /{command} admin."
            ).format(command=command_name(commands.LOG, context.locale), max=LOG_MAX)
        )
        return
    limit, role = request
    actors: set[int] | None = None
    if role == "admin":
        actors = set(context.settings.admin_ids)
    elif role is not None:
        actors = set(await roles_repo.members_with(context.db, role))
    entries = await staff_repo.audit_entries(context.db, limit, actors)
    names = await staff_repo.display_names(context.db)
    text = view.audit_log(
        entries, names, locale=context.locale, t=context.t, council=context.council
    )
    if role is not None and not entries:
        text = context._("Inga händelser för rollen {role} i loggen.").format(
            role=esc(view.role_label(role, context.t))
        )
    for part in chunks(text):
        await message.reply_text(part)


def register_deep_link(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Must come before the plain /start handler, which would otherwise answer first."""
    app.add_handler(
        CommandHandler(
            commands.START.names,
            accept,
            filters=filters.Regex(rf"^/start(@\w+)?\s+{CODE_PREFIX}"),
        )
    )


async def _admin_menus(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Admins (ADMIN_IDS) see the staff commands in their menu from the start."""
    context = BotContext(app)
    for admin_id in context.settings.admin_ids:
        await update_command_menu(context, admin_id, context.locale_of(admin_id))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    on_startup(app, _admin_menus)
    app.add_handlers(
        [
            CommandHandler(commands.INVITE.names, invite),
            CommandHandler(commands.ROLES.names, roles),
            CommandHandler(commands.LOG.names, show_log),
            CallbackQueryHandler(revoke, pattern=RevokeButton.pattern()),
        ]
    )
