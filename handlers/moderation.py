"""/granska: moderators review pending feedback one item at a time (reminders: moderation_reminder).

Each button press re-checks the role, so a forged or replayed callback from someone without it
changes nothing. "Redigera" and rejecting with "Övrigt" wait for the moderator's next text
message (the cleaned text, or a short reason). That wait is registered with the conversations
(before the residents' free-text handler), so the message is never taken for a question.
A moderator can also correct the district and topic a resident picked, on the card.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Literal

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import commands, labels
from bot import moderation as view
from bot.access import Role, require
from bot.context import AnyApp, BotContext, now
from bot.escape import esc
from bot.labels import command_name
from bot.privacy.accusation import assess
from bot.privacy.redact import redact
from handlers.common import WhilePending, edit_quietly, private_only, stamp
from handlers.moderation_keyboards import (
    ModButton,
    card_keyboard,
    districts_keyboard,
    reasons_keyboard,
    topics_keyboard,
)
from storage import moderation as queue

log = logging.getLogger(__name__)

EDIT_KEY = "moderation_edit"
# An edit left hanging (the moderator walked away) does not swallow text hours later.
EDIT_TTL = timedelta(minutes=30)
# After group 0: notices other commands and buttons without taking them from their handlers.
EDIT_CLEANUP_GROUP = 1
MAX_TEXT = 2000
MAX_REASON = 200
WaitKind = Literal["text", "reason"]


def pending_edit(user_data: Mapping[Any, Any] | None, moment: float) -> int | None:
    """The feedback id this user is editing (or giving a reason for), if not too old at
    ``moment`` (the bot's one clock, as seconds since the epoch)."""
    entry = (user_data or {}).get(EDIT_KEY)
    if not isinstance(entry, dict):
        return None
    feedback_id, started = entry.get("id"), entry.get("at")
    if not isinstance(feedback_id, int) or not isinstance(started, int | float):
        return None
    if moment - started > EDIT_TTL.total_seconds():
        return None
    return feedback_id


def pending_kind(user_data: Mapping[Any, Any] | None) -> WaitKind:
    """What the awaited text is: the cleaned text ("text") or a reason for Övrigt ("reason")."""
    entry = (user_data or {}).get(EDIT_KEY)
    kind = entry.get("kind") if isinstance(entry, dict) else None
    return "reason" if kind == "reason" else "text"


def _wait_for(context: BotContext, feedback_id: int, kind: WaitKind) -> None:
    assert context.user_data is not None
    context.user_data[EDIT_KEY] = {"id": feedback_id, "at": stamp(context), "kind": kind}


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
        now=now(context),
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


async def _handled_already(update: Update, context: BotContext, feedback_id: int) -> None:
    """The item was decided meanwhile (by someone else): say so and show the next one."""
    query = update.callback_query
    assert query and query.message and update.effective_user
    _ = context._
    await query.answer(_("Den här återkopplingen var redan hanterad."))
    await edit_quietly(query, _("Den här återkopplingen var redan hanterad. Inget ändrades."))
    await send_next(context, query.message.chat.id, update.effective_user.id)


async def _decide(
    update: Update,
    context: BotContext,
    feedback_id: int,
    *,
    approve: bool,
    reason: str | None,
    note: str = "",
) -> bool:
    """Apply a decision; a second press of the same decision keeps its line (no new card)."""
    user = update.effective_user
    assert user
    applied = await queue.decide(
        context.db, feedback_id, moderator_id=user.id, approve=approve, reason=reason, note=note
    )
    if applied:
        return True
    stands = await queue.decision(context.db, feedback_id)
    query = update.callback_query
    same = (
        stands is not None
        and stands.moderated_by == user.id
        and (
            (approve and stands.status == "approved")
            or (not approve and stands.status == "rejected" and stands.reason == reason)
        )
    )
    if same and query is not None and stands is not None:
        _ = context._
        await query.answer(_("Redan godkänd.") if approve else _("Redan avvisad."))
        await edit_quietly(
            query, view.decided_line(approved=approve, reason=stands.reason, t=context.t)
        )
        return False
    if query is not None:
        await _handled_already(update, context, feedback_id)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(
            context._("Den här återkopplingen hann hanteras av någon annan. Inget ändrades.")
        )
        await send_next(context, update.effective_message.chat.id, user.id)
    return False


async def on_button(update: Update, context: BotContext) -> None:
    """Godkänn / Avvisa (+ reason) / Tillbaka / Hoppa över / Rätta område or ämne on a card."""
    query = update.callback_query
    user = update.effective_user
    assert query and user
    button = ModButton.parse(query.data)
    verb = button.action if button else "unknown"
    if not await require(update, context, Role.MODERATOR, action=f"moderation.{verb}"):
        return
    if context.user_data is not None:
        context.user_data.pop(EDIT_KEY, None)
    if button is None or query.message is None:
        await query.answer()
        return
    feedback_id, arg = button.feedback_id, button.arg
    chat_id = query.message.chat.id
    _ = context._

    if verb == "rej" and arg == "other":
        # "Övrigt" needs a word on why: wait for it (the next text message), decide then.
        if await queue.get_pending(context.db, feedback_id) is None:
            await _handled_already(update, context, feedback_id)
            return
        _wait_for(context, feedback_id, "reason")
        await query.answer()
        await edit_quietly(query, None)
        await context.bot.send_message(
            chat_id,
            _(
                "Skriv en kort anledning till att du avvisar den (högst {max} tecken). Den "
                "sparas bara i loggen. Skriv /{command} för att inte avvisa."
            ).format(max=MAX_REASON, command=command_name(commands.CANCEL, context.locale)),
        )
    elif verb in ("ok", "rej"):
        if verb == "rej" and arg not in queue.REJECT_REASONS:
            await query.answer()
            return
        approve = verb == "ok"
        reason = None if approve else arg
        if await _decide(update, context, feedback_id, approve=approve, reason=reason):
            await query.answer(_("Godkänd.") if approve else _("Avvisad."))
            await edit_quietly(
                query, view.decided_line(approved=approve, reason=reason, t=context.t)
            )
            await send_next(context, chat_id, user.id)
    elif verb in ("no", "back", "fixd", "fixt"):
        item = await queue.get_pending(context.db, feedback_id)
        if item is None:
            await _handled_already(update, context, feedback_id)
            return
        await query.answer(_("Varför avvisar du den?") if verb == "no" else None)
        keyboards = {
            "no": lambda i, c: reasons_keyboard(i.id, c),
            "back": lambda i, c: card_keyboard(i.id, c),
            "fixd": districts_keyboard,
            "fixt": topics_keyboard,
        }
        await edit_quietly(query, None, keyboards[verb](item, context))
    elif verb in ("dist", "topic"):
        valid = (
            (arg == labels.OTHER or context.council.district(arg) is not None)
            if verb == "dist"
            else arg in labels.topic_ids(context.council)
        )
        if not valid:
            await query.answer()
            return
        changed = await queue.recategorize(
            context.db,
            feedback_id,
            moderator_id=user.id,
            district=arg if verb == "dist" else None,
            topic=arg if verb == "topic" else None,
        )
        item = await queue.get_pending(context.db, feedback_id)
        if item is None:
            await _handled_already(update, context, feedback_id)
            return
        await query.answer(_("Rättat.") if changed else None)
        await edit_quietly(
            query, await _card(context, item, user.id), card_keyboard(item.id, context)
        )
    elif verb == "skip":
        await queue.skip(context.db, feedback_id, moderator_id=user.id)
        await query.answer()
        await edit_quietly(query, _("⏭ Överhoppad. Du får den igen nästa gång du granskar."))
        await send_next(context, chat_id, user.id)
    else:
        await query.answer()


async def edit_start(update: Update, context: BotContext) -> None:
    """Redigera: ask for the cleaned text and wait for it."""
    query = update.callback_query
    assert query
    if not await require(update, context, Role.MODERATOR, action="moderation.edit"):
        return
    button = ModButton.parse(query.data)
    item = await queue.get_pending(context.db, button.feedback_id) if button else None
    _ = context._
    if item is None or context.user_data is None:
        await query.answer(_("Den här återkopplingen var redan hanterad."), show_alert=True)
        return
    _wait_for(context, item.id, "text")
    await query.answer()
    await edit_quietly(query, None)
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


def _clean(context: BotContext, text: str) -> tuple[str, int]:
    """A safety net: personal data the moderator missed is still removed."""
    contacts = context.council.contacts
    cleaned = redact(
        text.strip(),
        keep_numbers=(contacts.municipality.phone, contacts.police.phone),
        locale=context.locale,
    )
    return cleaned.text, cleaned.count


async def edit_receive(update: Update, context: BotContext) -> None:
    """The awaited text: the cleaned text for Redigera, or the reason for Övrigt."""
    message = update.effective_message
    user = update.effective_user
    assert message and user and message.text is not None and context.user_data is not None
    if not await require(update, context, Role.MODERATOR, action="moderation.edit"):
        context.user_data.pop(EDIT_KEY, None)  # the role is gone; stop catching their text
        return
    _ = context._
    feedback_id = pending_edit(context.user_data, stamp(context))
    if feedback_id is None:
        return
    cancel = command_name(commands.CANCEL, context.locale)
    text, removed = _clean(context, message.text)
    # Judged as written, like a resident's text: redaction may take the name but not the act.
    if not assess(message.text).stored:
        # Same rule as for residents (GDPR art. 10): never stored, not even by a moderator;
        # "unsure" counts too, since a moderator can simply rewrite.
        await message.reply_text(
            _(
                "Den texten pekar ut en viss person för ett brott och kan inte sparas. Skriv om "
                "den utan personen, eller skriv /{command}."
            ).format(command=cancel)
        )
        return
    if pending_kind(context.user_data) == "reason":
        await _reason_receive(update, context, feedback_id, text)
        return
    if not text or len(text) > MAX_TEXT:
        await message.reply_text(
            _(
                "Texten måste vara mellan 1 och {max} tecken. Försök igen, eller skriv /{command}."
            ).format(max=MAX_TEXT, command=cancel)
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
    if removed:
        reply += "\n" + context.ngettext(
            "Jag tog också bort {n} personuppgift som fanns kvar.",
            "Jag tog också bort {n} personuppgifter som fanns kvar.",
            removed,
        ).format(n=removed)
    await message.reply_text(reply)
    item = await queue.get_pending(context.db, feedback_id)
    if item is not None:
        await send_card(context, message.chat.id, item, user.id)


async def _reason_receive(
    update: Update, context: BotContext, feedback_id: int, reason: str
) -> None:
    """Övrigt with its reason: reject now, the reason in the audit row only."""
    message = update.effective_message
    user = update.effective_user
    assert message and user and context.user_data is not None
    _ = context._
    if not reason or len(reason) > MAX_REASON:
        await message.reply_text(
            _(
                "Skriv en anledning på högst {max} tecken, eller /{command} för att inte avvisa."
            ).format(max=MAX_REASON, command=command_name(commands.CANCEL, context.locale))
        )
        return
    context.user_data.pop(EDIT_KEY, None)
    if await _decide(update, context, feedback_id, approve=False, reason="other", note=reason):
        await message.reply_text(
            view.decided_line(approved=False, reason="other", t=context.t, note=esc(reason))
        )
        await send_next(context, message.chat.id, user.id)


async def edit_cancel(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message and user
    feedback_id = pending_edit(context.user_data, stamp(context))
    kind = pending_kind(context.user_data)
    if context.user_data is not None:
        context.user_data.pop(EDIT_KEY, None)
    if kind == "reason":
        await message.reply_text(context._("Okej, den är inte avvisad."))
    else:
        await message.reply_text(context._("Okej, texten är oförändrad."))
    item = (
        await queue.get_pending(context.db, feedback_id) if isinstance(feedback_id, int) else None
    )
    if item is not None and await require(
        update, context, Role.MODERATOR, action="moderation.edit"
    ):
        await send_card(context, message.chat.id, item, user.id)


async def leave_edit(update: Update, context: BotContext) -> None:
    """Any other command or button ends a pending edit (runs after group 0, never blocks it)."""
    if context.user_data is not None:
        context.user_data.pop(EDIT_KEY, None)


def register_conversations(app: AnyApp) -> None:
    """Section 1: the moderator's cleaned text (and /avbryt) while an edit is pending."""
    cancel = "|".join(commands.CANCEL.names)
    app.add_handlers(
        [
            WhilePending(app, filters.TEXT & ~filters.COMMAND, edit_receive, pending_edit),
            WhilePending(
                app, filters.Regex(rf"^/({cancel})(@\w+)?(\s|$)"), edit_cancel, pending_edit
            ),
        ]
    )
    app.add_handlers(
        [
            MessageHandler(filters.COMMAND, leave_edit),
            CallbackQueryHandler(leave_edit, pattern=r"^(?!mod:(edit|rej):)"),
        ],
        group=EDIT_CLEANUP_GROUP,
    )


def register(app: AnyApp) -> None:
    app.add_handlers(
        [
            CommandHandler(commands.REVIEW.names, review),
            CallbackQueryHandler(edit_start, pattern=ModButton.pattern(action="edit")),
            CallbackQueryHandler(on_button, pattern=ModButton.pattern()),
        ]
    )
