"""Closing the loop with residents: /aterkoppla (a council member's "this is what we did" note,
previewed, then pushed through the outbox to residents who asked for updates) and the button under
a pushed note that stops the updates. Everyone reads the notes with /nytt (handlers/news.py).

/aterkoppla checks the role first (bot.access.require).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from telegram import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    TypeHandler,
    filters,
)

from bot import commands, outbox
from bot.access import Role, require
from bot.app import AnyApp
from bot.callback import CallbackData
from bot.callback import pattern as prefix_pattern
from bot.content import Council
from bot.context import BotContext
from bot.council import NOTE_MAX_CHARS, note_length_error, split_district
from bot.escape import esc
from bot.feedback_view import REDACTION_KINDS
from bot.i18n import LOCALES, format_number, translations
from bot.labels import command_name, district_name, example_place
from bot.privacy.redact import redact
from handlers.common import (
    WhilePending,
    command_label,
    edit_quietly,
    expired,
    private_only,
    reply,
    stamp,
)
from storage import audit
from storage import council as council_repo
from storage import outbox as outbox_repo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreviewButton(CallbackData, prefix="rnote"):
    """``rnote:ok|no:<token>`` under a preview; the token names the one pending preview."""

    action: Literal["ok", "no"]
    token: str


@dataclass(frozen=True)
class StopButton(CallbackData, prefix="nstop"):
    """``nstop:<district>`` under a note pushed to a resident: stop updates for that district."""

    district: str


NOTE_DISTRICT = "council_note_district"
NOTE_PREVIEW = "council_note_preview"  # user_data: the note waiting for Publicera / Avbryt
NOTE_CANCELLED = "council_note_cancelled"  # the token of the preview /avbryt cancelled last
NOTE_TIMEOUT = timedelta(minutes=15)  # a forgotten /aterkoppla must not publish a later message
WAITING_NOTE = 1


def pending_note(
    data: Mapping[Any, Any] | None,
    moment: float,
    keys: tuple[str, ...] = (NOTE_DISTRICT, NOTE_PREVIEW),
    timeout: timedelta | None = NOTE_TIMEOUT,
) -> str | None:
    """The district of a note this user is writing or previewing (not yet timed out), or None.

    /tyck asks this before it starts: one dialogue at a time, so a typed text cannot land in
    the wrong one."""
    if not data:
        return None
    for key in keys:
        item = data.get(key)
        if not isinstance(item, dict):
            continue
        if timeout is None or moment - item.get("at", 0) <= timeout.total_seconds():
            return str(item.get("district", ""))
    return None


def _while_note(
    app: AnyApp,
    message_filter: filters.BaseFilter,
    callback: Any,
    keys: tuple[str, ...] = (NOTE_DISTRICT, NOTE_PREVIEW),
    timeout: timedelta | None = NOTE_TIMEOUT,
) -> WhilePending:
    """Matches only while the sender has a note pending (section 1): /avbryt then cancels that
    note, truthfully, instead of "nothing to cancel"."""

    def pending(data: dict[Any, Any] | None, moment: float) -> str | None:
        return pending_note(data, moment, keys, timeout)

    return WhilePending(app, message_filter, callback, pending)


def end_waiting_note(data: dict[Any, Any] | None, moment: float) -> str | None:
    """/tyck while /aterkoppla waits for its text (nothing written yet): end the note and return
    its district, so the resident dialogue gets the next text."""
    district = pending_note(data, moment, (NOTE_DISTRICT,))
    if district is not None and data is not None:
        data.pop(NOTE_DISTRICT, None)
    return district


async def update_start(update: Update, context: BotContext) -> int:
    if not await require(update, context, Role.COUNCIL, action="council_update"):
        return ConversationHandler.END
    if not await private_only(update, context):  # the preview stays out of groups
        return ConversationHandler.END
    _ = context._
    assert update.effective_message and context.user_data is not None
    if _feedback_in_progress(context):
        # One dialogue at a time: the note's text must not become the feedback, or the reverse.
        await reply(
            update,
            _(
                "Du håller på att tycka till med /{feedback}. Skicka eller avbryt den med "
                "/{cancel} först, och skriv sedan /{command} igen."
            ).format(
                feedback=command_label(context, commands.FEEDBACK),
                cancel=command_label(context, commands.CANCEL),
                command=command_label(context, commands.UPDATE),
            ),
        )
        return ConversationHandler.END
    raw = update.effective_message.text or ""
    # Keep the member's line breaks: take the text after the command, not context.args.
    after = raw.split(maxsplit=1)[1] if len(raw.split(maxsplit=1)) > 1 else ""
    district, text = split_district(context.council, after)
    if district is None:
        usage = _(
            "Skriv vilket område det gäller, till exempel /{command} {place}. "
            "Du kan skriva texten direkt efter områdets namn."
        ).format(
            command=command_label(context, commands.UPDATE),
            place=esc(example_place(context.council, context.locale)),
        )
        if after.strip():
            # Say what was not found (the first word is where the area's name belongs).
            usage = (
                _("Jag hittar inget område som heter ”{name}”.").format(
                    name=esc(after.split()[0][:60])
                )
                + "\n\n"
                + usage
            )
        await reply(update, usage)
        return ConversationHandler.END
    if text:
        await _preview(update, context, district, text)
        return ConversationHandler.END
    context.user_data[NOTE_DISTRICT] = {"district": district, "at": stamp(context)}
    name = _district_name(context, district)
    await reply(
        update,
        _(
            "Vad har rådet gjort i {district}? Skriv en kort text (högst {max} tecken). "
            "Den skickas till invånare som bett om återkoppling och syns för alla under "
            "📣 Nytt från rådet. Avbryt med /{cancel}."
        ).format(
            district=esc(name), max=NOTE_MAX_CHARS, cancel=command_label(context, commands.CANCEL)
        ),
        reply_markup=ForceReply(selective=True),
    )
    return WAITING_NOTE


def _feedback_in_progress(context: BotContext) -> bool:
    from handlers.feedback_flow import TIMEOUT, stored_draft

    draft = stored_draft(context)
    return draft is not None and not expired(context, draft.touched, TIMEOUT)


def _district_name(context: BotContext, district: str) -> str:
    return district_name(context.council, district, context.locale, context._)


async def update_text(update: Update, context: BotContext) -> int:
    assert update.effective_message and context.user_data is not None
    if not await require(update, context, Role.COUNCIL, action="council_update"):
        context.user_data.pop(NOTE_DISTRICT, None)
        return ConversationHandler.END
    pending = context.user_data.get(NOTE_DISTRICT)
    text = (update.effective_message.text or "").strip()
    if not isinstance(pending, dict):
        return ConversationHandler.END
    district = pending["district"]
    if expired(context, pending["at"], NOTE_TIMEOUT):
        # The timeout job does not survive a restart; this check does.
        context.user_data.pop(NOTE_DISTRICT, None)
        await reply(
            update,
            context._(
                "Det har gått för lång tid, så inget publicerades. Börja om med /{command}."
            ).format(command=command_label(context, commands.UPDATE)),
        )
        return ConversationHandler.END
    if not await _preview(update, context, district, text, ask_again=True):
        return WAITING_NOTE  # too long: the member writes a shorter one
    context.user_data.pop(NOTE_DISTRICT, None)
    return ConversationHandler.END


async def update_timeout(update: object, context: BotContext) -> None:
    """Silence after /aterkoppla: forget the pending note quietly."""
    if context.user_data is not None:
        context.user_data.pop(NOTE_DISTRICT, None)


async def update_cancel(update: Update, context: BotContext) -> int:
    """/avbryt while a note is asked for or previewed: forget it, take the preview's buttons
    away (saying it was cancelled), and say so."""
    assert context.user_data is not None
    context.user_data.pop(NOTE_DISTRICT, None)
    preview = context.user_data.pop(NOTE_PREVIEW, None)
    if isinstance(preview, dict):
        context.user_data[NOTE_CANCELLED] = preview.get("token")
        chat, message_id = preview.get("chat"), preview.get("message_id")
        if isinstance(chat, int) and isinstance(message_id, int):
            try:
                await context.bot.edit_message_reply_markup(chat, message_id, reply_markup=None)
            except TelegramError as exc:  # already gone or edited: the token check still holds
                log.info("Could not close the cancelled preview: %s", type(exc).__name__)
    await reply(update, context._("Avbrutet. Inget publicerades."))
    return ConversationHandler.END


async def cancel_pending(update: Update, context: BotContext) -> None:
    """/avbryt outside the conversation (a preview waiting for Publicera)."""
    await update_cancel(update, context)


def resident_note_text(council: Council, district: str, note: str, locale: str) -> str:
    t = translations(locale)
    name = district_name(council, district, locale, t.gettext)
    return "\n\n".join(
        [
            "<b>"
            + esc(t.gettext("📣 Nytt från rådet om {district}").format(district=name))
            + "</b>",
            esc(note),
            "<i>"
            + esc(
                t.gettext(
                    "Du får det här eftersom du bad om återkoppling när du tyckte till. "
                    "Läs mer om vad vi sparar med /{command}."
                ).format(command=command_name(commands.PRIVACY, locale))
            )
            + "</i>",
        ]
    )


def resident_note_markup(district: str, locale: str) -> InlineKeyboardMarkup:
    """The one button under a pushed note: stop the updates for this district only."""
    label = translations(locale).gettext("Sluta få uppdateringar")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=StopButton(district).pack())]]
    )


async def stop_updates_button(update: Update, context: BotContext) -> None:
    """A resident presses "Sluta få uppdateringar": forget their subscription for that district
    (identified by their pseudonym, so a forged district only touches their own rows)."""
    query = update.callback_query
    assert query and update.effective_user
    _ = context._
    button = StopButton.parse(query.data)
    district = button.district if button else ""
    if context.council.district(district) is None:
        await query.answer(
            _("Den här knappen är inte längre aktiv. Skriv /start för att börja om."),
            show_alert=True,
        )
        return
    alias = context.services.subscriber(update.effective_user.id)  # not the feedback pseudonym
    removed = await council_repo.stop_updates(context.db, alias, district)
    await query.answer()
    await edit_quietly(query)
    name = esc(_district_name(context, district))
    if removed:
        text = _("Klart. Du får inte längre uppdateringar om {district}.")
    else:
        text = _("Du får inga uppdateringar om {district}.")
    assert query.message
    await context.bot.send_message(query.message.chat.id, text.format(district=name))


async def _preview(
    update: Update, context: BotContext, district: str, text: str, ask_again: bool = False
) -> bool:
    """Show the note as it will be published, with the recipient count; nothing is stored or
    sent until the member presses Publicera. False (and why) when the note is too long;
    ``ask_again`` then asks for the shorter text as a reply."""
    _ = context._
    assert context.user_data is not None
    too_long = note_length_error(text, _)
    if too_long is not None:
        await reply(
            update, too_long, reply_markup=ForceReply(selective=True) if ask_again else None
        )
        return False
    # The same redaction residents' texts get: a note goes to residents and to /nytt.
    contacts = context.council.contacts
    cleaned = redact(
        text,
        keep_numbers=(contacts.municipality.phone, contacts.police.phone),
        locale=context.locale,
    )
    text = cleaned.text
    token = secrets.token_hex(4)
    context.user_data[NOTE_PREVIEW] = {
        "district": district,
        "text": text,
        "token": token,
        "at": stamp(context),
    }
    count = len(await council_repo.update_recipients(context.db, district))
    audience = context.ngettext(
        "Går till {count} invånare som bett om uppdateringar och syns för alla med /{news}.",
        "Går till {count} invånare som bett om uppdateringar och syns för alla med /{news}.",
        count,
    ).format(count=format_number(count, context.locale), news=command_label(context, commands.NEWS))
    parts = [
        "<b>"
        + esc(_("Förhandsvisning: {district}").format(district=_district_name(context, district)))
        + "</b>",
        esc(text),
    ]
    if cleaned.count:
        kinds = ", ".join(_(REDACTION_KINDS.get(k, k)) for k in cleaned.kinds)
        parts.append(
            context.ngettext(
                "🔒 Jag tog bort {n} personuppgift ({kinds}) ur texten, som för invånarnas "
                "texter. Så här publiceras den. Vill du skriva den på annat sätt, avbryt och "
                "börja om.",
                "🔒 Jag tog bort {n} personuppgifter ({kinds}) ur texten, som för invånarnas "
                "texter. Så här publiceras den. Vill du skriva den på annat sätt, avbryt och "
                "börja om.",
                cleaned.count,
            ).format(n=cleaned.count, kinds=esc(kinds))
        )
    parts.append(audience)
    assert update.effective_message
    sent = await update.effective_message.reply_text(
        "\n\n".join(parts),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Publicera"), callback_data=PreviewButton("ok", token).pack()
                    ),
                    InlineKeyboardButton(
                        _("Avbryt"), callback_data=PreviewButton("no", token).pack()
                    ),
                ]
            ]
        ),
    )
    # Where the preview is, so /avbryt can take its buttons away.
    context.user_data[NOTE_PREVIEW].update(chat=sent.chat_id, message_id=sent.message_id)
    return True


async def preview_button(update: Update, context: BotContext) -> None:
    """Publicera / Avbryt under a preview. A button whose token is not the pending preview's
    (already used, replaced, expired or forged) changes nothing."""
    query = update.callback_query
    assert query and context.user_data is not None
    if not await require(update, context, Role.COUNCIL, action="council_update"):
        context.user_data.pop(NOTE_PREVIEW, None)
        return
    _ = context._
    button = PreviewButton.parse(query.data)
    pending = context.user_data.get(NOTE_PREVIEW)
    fresh = (
        isinstance(pending, dict) and button is not None and pending.get("token") == button.token
    )
    if not fresh:
        cancelled = button is not None and context.user_data.get(NOTE_CANCELLED) == button.token
        text = (
            _("Den här förhandsvisningen avbröts med /{command}. Inget publicerades.").format(
                command=command_label(context, commands.CANCEL)
            )
            if cancelled
            else _("Den här förhandsvisningen gäller inte längre. Inget ändrades.")
        )
        await query.answer(text, show_alert=True)
        return
    assert isinstance(pending, dict)
    context.user_data.pop(NOTE_PREVIEW, None)
    if expired(context, pending["at"], NOTE_TIMEOUT):
        await query.answer()
        await _close_preview(
            query,
            _("Det har gått för lång tid, så inget publicerades. Börja om med /{command}.").format(
                command=command_label(context, commands.UPDATE)
            ),
        )
        return
    await query.answer()
    if button is not None and button.action == "no":
        await _close_preview(query, _("Avbrutet. Inget publicerades."))
        return
    await _close_preview(query, None)
    await _publish(update, context, pending["district"], pending["text"])


async def _close_preview(query: CallbackQuery, text: str | None) -> None:
    """Take the buttons away from the preview so it cannot be pressed again."""
    await edit_quietly(query)
    if text is not None and isinstance(query.message, Message):
        await query.message.reply_text(text)


async def _publish(update: Update, context: BotContext, district: str, text: str) -> None:
    """Store the note and queue it for every subscriber in one transaction; the outbox sender
    (bot/outbox.py) delivers it at Telegram's pace and edits one progress message here."""
    _ = context._
    assert update.effective_user and update.effective_chat
    author = update.effective_user.id
    name = esc(_district_name(context, district))
    # The progress message first, so its id is stored with the batch (edited in place later).
    progress = await context.bot.send_message(
        update.effective_chat.id, _("Publicerar för {district} …").format(district=name)
    )
    messages = {
        locale: outbox_repo.Text(
            resident_note_text(context.council, district, text, locale),
            resident_note_markup(district, locale).to_json(),
        )
        for locale in LOCALES
    }
    note_id, batch_id = await council_repo.publish_note(
        context.db,
        district,
        text,
        context.locale,
        author,
        messages,
        author_chat=update.effective_chat.id,
        progress_message_id=progress.message_id,
    )
    await audit.record(context.db, author, "council_update", district, str(note_id))
    sender = outbox.sender_of(context.application)
    sender.wake()
    await sender.report(batch_id)


def _progress_renderer(app: AnyApp) -> outbox.Renderer:
    """The author's one progress message for a note: edited in place while it is sent."""

    async def render(
        batch: outbox_repo.Batch, progress: outbox_repo.Progress, finished: bool
    ) -> str | None:
        council = app.bot_data["services"].council
        locale = batch.author_language or "sv"
        t = translations(locale)
        name = esc(district_name(council, batch.subject or "", locale, t.gettext))
        news = command_name(commands.NEWS, locale)
        if not finished:
            return t.gettext(
                "Publicerat för {district}. Skickat till {sent} av {total} invånare hittills …"
            ).format(
                district=name,
                sent=format_number(progress.sent, locale),
                total=format_number(progress.total, locale),
            )
        lines = [
            t.ngettext(
                "Publicerat för {district}. Skickat till {count} invånare som bett om "
                "återkoppling. Alla kan läsa det med /{news}.",
                "Publicerat för {district}. Skickat till {count} invånare som bett om "
                "återkoppling. Alla kan läsa det med /{news}.",
                progress.sent,
            ).format(district=name, count=format_number(progress.sent, locale), news=news)
        ]
        if progress.gone:
            lines.append(
                t.ngettext(
                    "{count} har blockerat boten och får inga fler uppdateringar.",
                    "{count} har blockerat boten och får inga fler uppdateringar.",
                    progress.gone,
                ).format(count=format_number(progress.gone, locale))
            )
        if progress.unknown:
            lines.append(
                t.ngettext(
                    "För {count} är det osäkert om det kom fram: sändningen avbröts, och det "
                    "skickas inte igen för att ingen ska få det två gånger.",
                    "För {count} är det osäkert om det kom fram: sändningen avbröts, och det "
                    "skickas inte igen för att ingen ska få det två gånger.",
                    progress.unknown,
                ).format(count=format_number(progress.unknown, locale))
            )
        if progress.failed:
            lines.append(
                t.ngettext(
                    "{count} gick inte att nå.", "{count} gick inte att nå.", progress.failed
                ).format(count=format_number(progress.failed, locale))
            )
        return " ".join(lines)

    return render


def _forget_blocked(app: AnyApp) -> outbox.GoneHook:
    async def gone(row: outbox_repo.Row) -> None:
        if row.pseudonym and row.subject:
            await council_repo.drop_recipient(
                app.bot_data["services"].db, row.pseudonym, row.subject
            )

    return gone


def register_conversations(app: AnyApp) -> None:
    """/aterkoppla waits for the note text; in section 1 so its /avbryt wins over the plain one."""
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler(commands.UPDATE.names, update_start)],
            states={
                WAITING_NOTE: [
                    # Only while the note is still asked for: after /tyck ended it, the text
                    # belongs to the resident dialogue.
                    _while_note(
                        app,
                        filters.TEXT & ~filters.COMMAND,
                        update_text,
                        keys=(NOTE_DISTRICT,),
                        timeout=None,  # a late text still hears "too late" from update_text
                    )
                ],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, update_timeout)],
            },
            conversation_timeout=NOTE_TIMEOUT,
            # Only while a note is pending: after /tyck ended it, /avbryt is the dialogue's.
            fallbacks=[_while_note(app, _cancel_filter(), update_cancel, timeout=None)],
            name="council_update",
            persistent=True,
            allow_reentry=True,
        )
    )
    # A preview waiting for Publicera (the conversation has ended): /avbryt cancels it.
    app.add_handler(_while_note(app, _cancel_filter(), cancel_pending))


def _cancel_filter() -> filters.BaseFilter:
    cancel = "|".join(commands.CANCEL.names)
    return filters.Regex(rf"^/({cancel})(@\w+)?(\s|$)")


def register(app: AnyApp) -> None:
    outbox.install(app).on("note", progress=_progress_renderer(app), gone=_forget_blocked(app))
    app.add_handlers(
        [
            # Any rnote data, even malformed: the member hears the preview no longer applies.
            CallbackQueryHandler(preview_button, pattern=prefix_pattern(PreviewButton.prefix)),
            CallbackQueryHandler(stop_updates_button, pattern=StopButton.pattern()),
        ]
    )
