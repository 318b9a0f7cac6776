"""Closing the loop with residents: /aterkoppla (a council member's "this is what we did" note,
previewed, then pushed through the outbox to residents who asked for updates) and the button under
a pushed note that stops the updates. Everyone reads the notes with /nytt (handlers/news.py).

/aterkoppla checks the role first (bot.access.require).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from telegram import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
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
from bot.i18n import LOCALES, format_number, translations
from bot.labels import command_name, district_name, example_place
from handlers.common import command_label, edit_quietly, expired, private_only, reply, stamp
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
NOTE_TIMEOUT = timedelta(minutes=15)  # a forgotten /aterkoppla must not publish a later message
WAITING_NOTE = 1


async def update_start(update: Update, context: BotContext) -> int:
    if not await require(update, context, Role.COUNCIL, action="council_update"):
        return ConversationHandler.END
    if not await private_only(update, context):  # the preview stays out of groups
        return ConversationHandler.END
    _ = context._
    assert update.effective_message and context.user_data is not None
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
    if context.user_data is not None:
        context.user_data.pop(NOTE_DISTRICT, None)
    await reply(update, context._("Avbrutet. Inget publicerades."))
    return ConversationHandler.END


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
    await reply(
        update,
        "\n\n".join(
            [
                "<b>"
                + esc(
                    _("Förhandsvisning: {district}").format(
                        district=_district_name(context, district)
                    )
                )
                + "</b>",
                esc(text),
                audience,
            ]
        ),
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
        await query.answer(
            _("Den här förhandsvisningen gäller inte längre. Inget ändrades."), show_alert=True
        )
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
                WAITING_NOTE: [MessageHandler(filters.TEXT & ~filters.COMMAND, update_text)],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, update_timeout)],
            },
            conversation_timeout=NOTE_TIMEOUT,
            fallbacks=[CommandHandler(commands.CANCEL.names, update_cancel)],
            name="council_update",
            persistent=True,
            allow_reentry=True,
        )
    )


def register(app: AnyApp) -> None:
    outbox.install(app).on("note", progress=_progress_renderer(app), gone=_forget_blocked(app))
    app.add_handlers(
        [
            # Any rnote data, even malformed: the member hears the preview no longer applies.
            CallbackQueryHandler(preview_button, pattern=prefix_pattern(PreviewButton.prefix)),
            CallbackQueryHandler(stop_updates_button, pattern=StopButton.pattern()),
        ]
    )
