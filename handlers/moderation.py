"""/granska: moderators review pending feedback one item at a time, and get overdue reminders.

Each button press re-checks the role, so a forged or replayed callback from someone without it
changes nothing. "Redigera" is a small conversation: the moderator's next text message is the
cleaned text. It is registered with the conversations (before the residents' free-text
handler), so that message is never taken for a question.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import commands
from bot import moderation as view
from bot.access import Role, require
from bot.callback import pack, pattern, unpack
from bot.context import BotContext
from bot.escape import esc
from bot.i18n import translations
from bot.labels import command_name
from bot.privacy.accusation import detect_accusation
from bot.privacy.redact import redact
from handlers.common import private_only
from storage import moderation as queue
from storage import roles as roles_repo
from storage.timestamps import parse_utc

log = logging.getLogger(__name__)

MOD = "mod"
EDIT_KEY = "moderation_edit"
# An edit left hanging (the moderator walked away) does not swallow text hours later.
EDIT_TTL = timedelta(minutes=30)
# After group 0: notices other commands and buttons without taking them from their handlers.
EDIT_CLEANUP_GROUP = 1
MAX_TEXT = 2000
REMINDER_JOB = "moderation-reminder"
REMINDER_INTERVAL = timedelta(minutes=15)


def pending_edit(user_data: Mapping[Any, Any] | None) -> int | None:
    """The feedback id this user is editing, if an edit is pending and not too old."""
    entry = (user_data or {}).get(EDIT_KEY)
    if not isinstance(entry, dict):
        return None
    feedback_id, started = entry.get("id"), entry.get("at")
    if not isinstance(feedback_id, int) or not isinstance(started, int | float):
        return None
    if time.time() - started > EDIT_TTL.total_seconds():
        return None
    return feedback_id


def card_keyboard(feedback_id: int, context: BotContext) -> InlineKeyboardMarkup:
    _ = context._
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("✅ Godkänn"), callback_data=pack(MOD, "ok", feedback_id)),
                InlineKeyboardButton(_("❌ Avvisa"), callback_data=pack(MOD, "no", feedback_id)),
            ],
            [
                InlineKeyboardButton(_("✏️ Redigera"), callback_data=pack(MOD, "edit", feedback_id)),
                InlineKeyboardButton(
                    _("⏭ Hoppa över"), callback_data=pack(MOD, "skip", feedback_id)
                ),
            ],
        ]
    )


def reasons_keyboard(feedback_id: int, context: BotContext) -> InlineKeyboardMarkup:
    _ = context._
    buttons = [
        InlineKeyboardButton(
            _(view.REASON_LABELS[reason]), callback_data=pack(MOD, "rej", feedback_id, reason)
        )
        for reason in queue.REJECT_REASONS
    ]
    return InlineKeyboardMarkup(
        [
            buttons[:2],
            buttons[2:],
            [InlineKeyboardButton(_("↩️ Tillbaka"), callback_data=pack(MOD, "back", feedback_id))],
        ]
    )


async def _card(context: BotContext, item: queue.PendingItem, moderator_id: int) -> str:
    own = context.services.pseudonym(moderator_id)
    counts = await queue.counts(context.db, moderator_id, own=own)
    return view.review_card(
        item,
        council=context.council,
        locale=context.locale,
        t=context.t,
        left_after=max(counts.available - 1, 0),
        skipped=counts.skipped,
    )


async def send_card(context: BotContext, chat_id: int, item: queue.PendingItem, me: int) -> None:
    await context.bot.send_message(
        chat_id, await _card(context, item, me), reply_markup=card_keyboard(item.id, context)
    )


async def send_next(context: BotContext, chat_id: int, moderator_id: int) -> None:
    """Claim the next item for this moderator and show it, or say the queue is empty."""
    own = context.services.pseudonym(moderator_id)  # never their own feedback
    item = await queue.claim_next(context.db, moderator_id, own=own)
    if item is None:
        counts = await queue.counts(context.db, moderator_id, own=own)
        await context.bot.send_message(
            chat_id, view.queue_empty(counts, locale=context.locale, t=context.t)
        )
        return
    await send_card(context, chat_id, item, moderator_id)


async def review(update: Update, context: BotContext) -> None:
    """/granska: start (or restart) a review session; skipped items come back."""
    user = update.effective_user
    chat = update.effective_chat
    assert user and chat
    if not await require(update, context, Role.MODERATOR, action="review"):
        return
    if not await private_only(update, context):
        return
    if context.user_data is not None:
        context.user_data.pop(EDIT_KEY, None)
    await queue.clear_skips(context.db, user.id)
    await send_next(context, chat.id, user.id)


def _parse(data: str | None) -> tuple[str, int, str | None] | None:
    parts = unpack(data)
    if len(parts) < 3 or parts[0] != MOD or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2]), parts[3] if len(parts) > 3 else None


async def on_button(update: Update, context: BotContext) -> None:
    """Godkänn / Avvisa (+ reason) / Tillbaka / Hoppa över on a review card."""
    query = update.callback_query
    user = update.effective_user
    assert query and user
    parsed = _parse(query.data)
    verb = parsed[0] if parsed else "unknown"
    if not await require(update, context, Role.MODERATOR, action=f"moderation.{verb}"):
        return
    if context.user_data is not None:
        context.user_data.pop(EDIT_KEY, None)
    if parsed is None or query.message is None:
        await query.answer()
        return
    verb, feedback_id, arg = parsed
    chat_id = query.message.chat.id
    _ = context._

    if verb in ("ok", "rej"):
        if verb == "rej" and arg not in queue.REJECT_REASONS:
            await query.answer()
            return
        approve = verb == "ok"
        applied = await queue.decide(
            context.db, feedback_id, moderator_id=user.id, approve=approve, reason=arg
        )
        if applied:
            done = view.decided_line(approved=approve, reason=arg, t=context.t)
            await query.answer(_("Godkänd.") if approve else _("Avvisad."))
        else:
            done = _("Den här återkopplingen var redan hanterad. Inget ändrades.")
            await query.answer(done)
        await query.edit_message_text(done)
        await send_next(context, chat_id, user.id)
    elif verb in ("no", "back"):
        if await queue.get_pending(context.db, feedback_id) is None:
            await query.answer(_("Den här återkopplingen var redan hanterad."))
            await query.edit_message_text(
                _("Den här återkopplingen var redan hanterad. Inget ändrades.")
            )
            await send_next(context, chat_id, user.id)
            return
        await query.answer(_("Varför avvisar du den?") if verb == "no" else None)
        keyboard = (
            reasons_keyboard(feedback_id, context)
            if verb == "no"
            else card_keyboard(feedback_id, context)
        )
        await query.edit_message_reply_markup(keyboard)
    elif verb == "skip":
        await queue.skip(context.db, feedback_id, moderator_id=user.id)
        await query.answer()
        await query.edit_message_text(_("⏭ Överhoppad. Du får den igen nästa gång du granskar."))
        await send_next(context, chat_id, user.id)
    else:
        await query.answer()


async def edit_start(update: Update, context: BotContext) -> None:
    """Redigera: ask for the cleaned text and wait for it."""
    query = update.callback_query
    assert query
    if not await require(update, context, Role.MODERATOR, action="moderation.edit"):
        return
    parsed = _parse(query.data)
    item = await queue.get_pending(context.db, parsed[1]) if parsed else None
    _ = context._
    if item is None or context.user_data is None:
        await query.answer(_("Den här återkopplingen var redan hanterad."), show_alert=True)
        return
    context.user_data[EDIT_KEY] = {"id": item.id, "at": time.time()}
    await query.answer()
    await query.edit_message_reply_markup(None)
    lines = [
        _(
            "Skicka den rensade texten som ett nytt meddelande. Den ersätter invånarens text. "
            "Skriv /{command} för att låta texten vara."
        ).format(command=command_name(commands.CANCEL, context.locale))
    ]
    if item.text:
        lines.append(_("Nuvarande text (tryck för att kopiera):"))
        lines.append(f"<code>{esc(item.text)}</code>")
    assert query.message
    await context.bot.send_message(query.message.chat.id, "\n\n".join(lines))


async def edit_receive(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message and user and message.text is not None and context.user_data is not None
    if not await require(update, context, Role.MODERATOR, action="moderation.edit"):
        context.user_data.pop(EDIT_KEY, None)  # the role is gone; stop catching their text
        return
    _ = context._
    feedback_id = pending_edit(context.user_data)
    if feedback_id is None:
        return
    # A safety net: personal data the moderator missed is still removed.
    contacts = context.council.contacts
    cleaned = redact(
        message.text.strip(),
        keep_numbers=(contacts.municipality.phone, contacts.police.phone),
        locale=context.locale,
    )
    text = cleaned.text
    if detect_accusation(text) is not None:
        # Same rule as for residents (GDPR art. 10): never stored, not even by a moderator.
        await message.reply_text(
            _(
                "Den texten pekar ut en viss person för ett brott och kan inte sparas. Skriv om "
                "den utan personen, eller skriv /{command}."
            ).format(command=command_name(commands.CANCEL, context.locale))
        )
        return
    if not text or len(text) > MAX_TEXT:
        await message.reply_text(
            _(
                "Texten måste vara mellan 1 och {max} tecken. Försök igen, eller skriv /{command}."
            ).format(max=MAX_TEXT, command=command_name(commands.CANCEL, context.locale))
        )
        return
    context.user_data.pop(EDIT_KEY, None)
    applied = await queue.edit_text(context.db, feedback_id, moderator_id=user.id, text=text)
    if not applied:
        await message.reply_text(
            _("Den här återkopplingen hann hanteras av någon annan. Inget ändrades.")
        )
        await send_next(context, message.chat.id, user.id)
        return
    reply = _("✏️ Texten är ändrad. Granska den och godkänn eller avvisa.")
    if cleaned.count:
        reply += "\n" + context.ngettext(
            "Jag tog också bort {n} personuppgift som fanns kvar.",
            "Jag tog också bort {n} personuppgifter som fanns kvar.",
            cleaned.count,
        ).format(n=cleaned.count)
    await message.reply_text(reply)
    item = await queue.get_pending(context.db, feedback_id)
    if item is not None:
        await send_card(context, message.chat.id, item, user.id)


async def edit_cancel(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message and user
    feedback_id = pending_edit(context.user_data)
    if context.user_data is not None:
        context.user_data.pop(EDIT_KEY, None)
    await message.reply_text(context._("Okej, texten är oförändrad."))
    item = (
        await queue.get_pending(context.db, feedback_id) if isinstance(feedback_id, int) else None
    )
    if item is not None and await require(
        update, context, Role.MODERATOR, action="moderation.edit"
    ):
        await send_card(context, message.chat.id, item, user.id)


async def remind_overdue(context: BotContext) -> int:
    """Job: ONE digest to every moderator about feedback waiting too long; return how many items.

    Items are remembered once a digest reached someone, so the same items never trigger a
    second reminder. With no moderators yet, the admins get it instead.
    """
    hours = context.settings.moderation_reminder_hours
    overdue = await queue.overdue_unreminded(context.db, timedelta(hours=hours))
    if not overdue.ids or overdue.oldest_created_at is None:
        return 0
    recipients = await roles_repo.members_with(context.db, Role.MODERATOR.value)
    if not recipients:
        recipients = list(context.settings.admin_ids)
    oldest = parse_utc(overdue.oldest_created_at)
    delivered = 0
    for user_id in recipients:
        locale = context.locale_of(user_id)
        text = view.reminder_digest(
            len(overdue.ids), oldest, hours, locale=locale, t=translations(locale)
        )
        try:
            await context.bot.send_message(user_id, text)
            delivered += 1
        except TelegramError as exc:  # blocked, gone, or a network blip: the others still get it
            log.warning("Could not remind a moderator: %s", type(exc).__name__)
    if delivered:
        await queue.mark_reminded(context.db, overdue.ids)
    log.info("Moderation reminder: %d items, %d recipients", len(overdue.ids), delivered)
    return len(overdue.ids)


async def _reminder_job(context: BotContext) -> None:
    await remind_overdue(context)


async def _schedule_reminder(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    if app.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        log.warning("No JobQueue: moderation reminders are off")
        return
    for job in app.job_queue.get_jobs_by_name(REMINDER_JOB):
        job.schedule_removal()
    app.job_queue.run_repeating(
        _reminder_job, interval=REMINDER_INTERVAL, first=timedelta(minutes=1), name=REMINDER_JOB
    )


class WhileEditing(MessageHandler[BotContext, None]):
    """A MessageHandler that only matches while the sender has an edit pending.

    It sits with the conversations, before the residents' free-text handler, so a moderator's
    cleaned text is never taken for a question; everyone else's text passes straight by.
    """

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        message_filter: filters.BaseFilter,
        callback: Any,
    ) -> None:
        super().__init__(message_filter, callback)
        self._app = app

    def check_update(self, update: object) -> bool | dict[str, list[Any]] | None:
        result = super().check_update(update)
        if not result or not isinstance(update, Update) or update.effective_user is None:
            return None
        data = self._app.user_data.get(update.effective_user.id)
        return result if pending_edit(data) is not None else None


async def leave_edit(update: Update, context: BotContext) -> None:
    """Any other command or button ends a pending edit (runs after group 0, never blocks it)."""
    if context.user_data is not None:
        context.user_data.pop(EDIT_KEY, None)


def register_conversations(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Section 1: the moderator's cleaned text (and /avbryt) while an edit is pending."""
    cancel = "|".join(commands.CANCEL.names)
    app.add_handlers(
        [
            WhileEditing(app, filters.TEXT & ~filters.COMMAND, edit_receive),
            WhileEditing(app, filters.Regex(rf"^/({cancel})(@\w+)?(\s|$)"), edit_cancel),
        ]
    )
    app.add_handlers(
        [
            MessageHandler(filters.COMMAND, leave_edit),
            CallbackQueryHandler(leave_edit, pattern=r"^(?!mod:edit:)"),
        ],
        group=EDIT_CLEANUP_GROUP,
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handlers(
        [
            CommandHandler(commands.REVIEW.names, review),
            CallbackQueryHandler(edit_start, pattern=r"^mod:edit:"),
            CallbackQueryHandler(on_button, pattern=pattern(MOD)),
        ]
    )
    app.bot_data.setdefault("startup_hooks", []).append(_schedule_reminder)
