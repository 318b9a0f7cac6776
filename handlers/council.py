"""Council members' commands: summary + chart, CSV export, annual report, weekly digest, and
closing the loop with residents (/aterkoppla, read by everyone with /nytt and the menu).

Every council command checks the role first (bot.access.require); /nytt and the menu button
are public. Heavy work (charts, the HTML report) runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time as wallclock
from datetime import datetime, time, timedelta
from typing import Any

from telegram import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import charts, commands, export, report
from bot.access import Role, require
from bot.callback import pack, pattern, unpack
from bot.content import Council
from bot.context import BotContext, now
from bot.council import NOTE_MAX_CHARS, note_length_error, recipient_gone, split_district
from bot.escape import esc
from bot.i18n import TIMEZONE, format_date, format_number, translations
from bot.labels import command_name, district_name, example_place
from bot.periods import PeriodError, calendar_period, help_text, parse_period
from bot.services import Services
from bot.summary import (
    ArgumentError,
    Scope,
    compute_summary,
    parse_summary_args,
    render_summary,
)
from handlers.common import edit_quietly
from storage import audit
from storage import council as council_repo
from storage import summary as summary_repo
from storage.timestamps import parse_utc

log = logging.getLogger(__name__)

DIGEST_TIME = time(8, 0, tzinfo=TIMEZONE)
DIGEST_DAYS = (1,)  # python-telegram-bot counts 0 = Sunday, so 1 = Monday
NOTE_DISTRICT = "council_note_district"
NOTE_PREVIEW = "council_note_preview"  # user_data: the note waiting for Publicera / Avbryt
NOTE_PREFIX = "rnote"  # rnote:ok:<token> / rnote:no:<token>
STOP_PREFIX = "nstop"  # nstop:<district>, under a note pushed to a resident
NOTE_TIMEOUT = timedelta(minutes=15)  # a forgotten /aterkoppla must not publish a later message
WAITING_NOTE = 1
NEWS_LIMIT = 10


def _name(context: BotContext, command: commands.Command) -> str:
    return command_name(command, context.locale)


async def _reply(update: Update, text: str, **kwargs: Any) -> None:
    assert update.effective_message
    await update.effective_message.reply_text(text, **kwargs)


# ------------------------------------------------------------------ /sammanfattning


def _argument_help(context: BotContext, error: ArgumentError | PeriodError) -> str:
    _ = context._
    if isinstance(error, ArgumentError) and error.kind == "place":
        first = _("Jag hittar inget område som heter ”{name}”.").format(name=esc(error.text))
    elif isinstance(error, ArgumentError) and error.kind == "unknown":
        first = _("Jag förstod inte ”{text}”: det är varken en period eller ett område.").format(
            text=esc(error.text)
        )
    else:
        first = _("Jag förstod inte perioden ”{text}”.").format(text=esc(error.text))
    place = example_place(context.council, context.locale)
    return first + "\n\n" + esc(help_text(context.t, _name(context, commands.SUMMARY), place))


async def summary_command(update: Update, context: BotContext) -> None:
    if not await require(update, context, Role.COUNCIL, action="summary"):
        return
    try:
        scope, period = parse_summary_args(context.council, list(context.args or []), now(context))
    except ArgumentError as error:
        await _reply(update, _argument_help(context, error))
        return
    summary = await compute_summary(context.db, context.council, scope, period)
    await _reply(update, render_summary(summary, context.council, context.t, context.locale))
    if summary.total.count:
        png = await asyncio.to_thread(
            charts.summary_chart, summary, context.council, context.t, context.locale
        )
        assert update.effective_chat
        await context.bot.send_photo(
            update.effective_chat.id,
            InputFile(png, filename=context._("lagesbild.png")),
            caption=esc(context._("Synpunkter och upplevd trygghet per område")),
        )


# ------------------------------------------------------------------ /export


async def export_command(update: Update, context: BotContext) -> None:
    if not await require(update, context, Role.COUNCIL, action="export"):
        return
    _ = context._
    try:
        period = parse_period(" ".join(context.args or []), now(context))
    except PeriodError as error:
        await _reply(
            update,
            _("Jag förstod inte perioden ”{text}”.").format(text=esc(error.text))
            + "\n\n"
            + esc(help_text(context.t, _name(context, commands.EXPORT))),
        )
        return
    rows = await summary_repo.export_rows(context.db, period.start_iso, period.end_iso)
    label = period.label(context.t, context.locale)
    if not rows:
        await _reply(update, _("Inga synpunkter under {period}.").format(period=esc(label)))
        return
    data = export.to_csv(rows)
    user = update.effective_user
    await audit.record(context.db, user.id if user else None, "export", period.start_iso, label)
    assert update.effective_chat
    caption = context.ngettext(
        "{count} synpunkt, {period}. Text finns bara för godkända synpunkter.",
        "{count} synpunkter, {period}. Text finns bara för godkända synpunkter.",
        len(rows),
    ).format(count=format_number(len(rows), context.locale), period=esc(label))
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(data, filename=export.filename(label, context.t)),
        caption=caption,
    )


# ------------------------------------------------------------------ /rapport


async def report_command(update: Update, context: BotContext) -> None:
    if not await require(update, context, Role.COUNCIL, action="report"):
        return
    _ = context._
    args = context.args or []
    current = now(context)
    year = int(args[0]) if len(args) == 1 and args[0].isdigit() and len(args[0]) == 4 else None
    if year is not None and not 2000 <= year <= current.year:
        await _reply(
            update,
            _("Det finns ingen rapport för {year}. Välj ett år från 2000 till {last}.").format(
                year=year, last=current.year
            ),
        )
        return
    if year is None:
        await _reply(
            update,
            _("Skriv vilket år rapporten gäller, till exempel /{command} {year}.").format(
                command=_name(context, commands.REPORT), year=current.year - 1
            ),
        )
        return
    data = await report.compute_report(context.db, year)
    text = await asyncio.to_thread(
        report.render_report, data, context.council, context.t, context.locale, current
    )
    assert update.effective_chat
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(text.encode("utf-8"), filename=_("uppfoljning_{year}.html").format(year=year)),
        caption=esc(
            _("Årlig uppföljning {year}. Öppna filen i en webbläsare; den går att skriva ut.")
        ).format(year=year),
    )


# ------------------------------------------------------------------ weekly digest


def _job_name(chat_id: int) -> str:
    return f"council-digest:{chat_id}"


def schedule_digest(app: Application[Any, Any, Any, Any, Any, Any], chat_id: int) -> None:
    """(Re)create the weekly job for a chat; the subscription itself lives in the database."""
    queue = app.job_queue
    if queue is None:
        log.warning("No JobQueue: weekly digests are not scheduled")
        return
    for job in queue.get_jobs_by_name(_job_name(chat_id)):
        job.schedule_removal()
    queue.run_daily(
        digest_job, DIGEST_TIME, days=DIGEST_DAYS, chat_id=chat_id, name=_job_name(chat_id)
    )


def unschedule_digest(app: Application[Any, Any, Any, Any, Any, Any], chat_id: int) -> None:
    if app.job_queue is None:
        return
    for job in app.job_queue.get_jobs_by_name(_job_name(chat_id)):
        job.schedule_removal()


async def send_digest(
    app: Application[Any, Any, Any, Any, Any, Any], chat_id: int, moment: datetime
) -> bool:
    """Send last week's summary to one subscribed chat; False if the chat is not subscribed."""
    services: Services = app.bot_data["services"]
    sub = await council_repo.digest_subscription(services.db, chat_id)
    if sub is None:
        unschedule_digest(app, chat_id)
        return False
    t = translations(sub.language)
    last_week = calendar_period("week", moment.astimezone(TIMEZONE).date() - timedelta(days=7))
    summary = await compute_summary(services.db, services.council, Scope("all"), last_week)
    heading = t.gettext("Veckans lägesbild")
    text = render_summary(summary, services.council, t, sub.language, heading=heading)
    text += "\n\n" + esc(t.gettext("Sluta få veckosammanfattningen: /{command}")).format(
        command=command_name(commands.UNSUBSCRIBE, sub.language)
    )
    try:
        await app.bot.send_message(chat_id, text)
    except Forbidden:
        log.info("Digest chat is gone (bot blocked or removed); unsubscribing it")
        await council_repo.unsubscribe_digest(services.db, chat_id)
        unschedule_digest(app, chat_id)
        return False
    return True


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    assert job is not None and job.chat_id is not None
    await send_digest(context.application, job.chat_id, now(context))


async def restore_digests(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start-up hook: re-create the weekly jobs from the database (jobs are not persisted)."""
    services: Services = app.bot_data["services"]
    subs = await council_repo.digest_subscriptions(services.db)
    for sub in subs:
        schedule_digest(app, sub.chat_id)
    if subs:
        log.info("Scheduled %d weekly digest(s)", len(subs))


async def subscribe_command(update: Update, context: BotContext) -> None:
    if not await require(update, context, Role.COUNCIL, action="subscribe"):
        return
    assert update.effective_chat and update.effective_user
    chat_id = update.effective_chat.id
    created = await council_repo.subscribe_digest(
        context.db, chat_id, context.locale, update.effective_user.id
    )
    schedule_digest(context.application, chat_id)
    await audit.record(context.db, update.effective_user.id, "digest_subscribe", str(chat_id))
    _ = context._
    if created:
        text = _(
            "Klart! Varje måndag klockan 8 skickar jag förra veckans lägesbild hit. "
            "Sluta med /{command}."
        )
    else:
        text = _("Den här chatten får redan veckans lägesbild. Sluta med /{command}.")
    await _reply(update, text.format(command=_name(context, commands.UNSUBSCRIBE)))


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    if not await require(update, context, Role.COUNCIL, action="unsubscribe"):
        return
    assert update.effective_chat and update.effective_user
    chat_id = update.effective_chat.id
    removed = await council_repo.unsubscribe_digest(context.db, chat_id)
    unschedule_digest(context.application, chat_id)
    _ = context._
    if removed:
        await audit.record(context.db, update.effective_user.id, "digest_unsubscribe", str(chat_id))
        await _reply(update, _("Klart. Den här chatten får inte längre veckans lägesbild."))
    else:
        await _reply(
            update,
            _("Den här chatten har ingen veckosammanfattning. Starta den med /{command}.").format(
                command=_name(context, commands.SUBSCRIBE)
            ),
        )


# ------------------------------------------------------------------ /aterkoppla and /nytt


async def update_start(update: Update, context: BotContext) -> int:
    if not await require(update, context, Role.COUNCIL, action="council_update"):
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
            command=_name(context, commands.UPDATE),
            place=esc(example_place(context.council, context.locale)),
        )
        if after.strip():
            # Say what was not found (the first word is where the area's name belongs).
            usage = (
                _("Jag hittar inget område som heter ”{name}”.").format(name=esc(after.split()[0]))
                + "\n\n"
                + usage
            )
        await _reply(update, usage)
        return ConversationHandler.END
    if text:
        await _preview(update, context, district, text)
        return ConversationHandler.END
    context.user_data[NOTE_DISTRICT] = {"district": district, "at": wallclock.time()}
    name = _district_name(context, district)
    await _reply(
        update,
        _(
            "Vad har rådet gjort i {district}? Skriv en kort text (högst {max} tecken). "
            "Den skickas till invånare som bett om återkoppling och syns för alla under "
            "📣 Nytt från rådet. Avbryt med /{cancel}."
        ).format(district=esc(name), max=NOTE_MAX_CHARS, cancel=_name(context, commands.CANCEL)),
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
    if wallclock.time() - pending["at"] > NOTE_TIMEOUT.total_seconds():
        # The timeout job does not survive a restart; this check does.
        context.user_data.pop(NOTE_DISTRICT, None)
        await _reply(
            update,
            context._(
                "Det har gått för lång tid, så inget publicerades. Börja om med /{command}."
            ).format(command=_name(context, commands.UPDATE)),
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
    await _reply(update, context._("Avbrutet. Inget publicerades."))
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
        [[InlineKeyboardButton(label, callback_data=pack(STOP_PREFIX, district))]]
    )


async def stop_updates_button(update: Update, context: BotContext) -> None:
    """A resident presses "Sluta få uppdateringar": forget their subscription for that district
    (identified by their pseudonym, so a forged district only touches their own rows)."""
    query = update.callback_query
    assert query and update.effective_user
    _ = context._
    parts = unpack(query.data)
    district = parts[1] if len(parts) == 2 else ""
    if context.council.district(district) is None:
        await query.answer(
            _("Den här knappen är inte längre aktiv. Skriv /start för att börja om."),
            show_alert=True,
        )
        return
    alias = context.services.pseudonym(update.effective_user.id)
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
        await _reply(
            update, too_long, reply_markup=ForceReply(selective=True) if ask_again else None
        )
        return False
    token = secrets.token_hex(4)
    context.user_data[NOTE_PREVIEW] = {
        "district": district,
        "text": text,
        "token": token,
        "at": wallclock.time(),
    }
    count = len(await council_repo.update_recipients(context.db, district))
    audience = context.ngettext(
        "Går till {count} invånare som bett om uppdateringar och syns för alla med /{news}.",
        "Går till {count} invånare som bett om uppdateringar och syns för alla med /{news}.",
        count,
    ).format(count=format_number(count, context.locale), news=_name(context, commands.NEWS))
    await _reply(
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
                        _("Publicera"), callback_data=pack(NOTE_PREFIX, "ok", token)
                    ),
                    InlineKeyboardButton(_("Avbryt"), callback_data=pack(NOTE_PREFIX, "no", token)),
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
    parts = unpack(query.data)
    pending = context.user_data.get(NOTE_PREVIEW)
    fresh = (
        isinstance(pending, dict)
        and len(parts) == 3
        and parts[1] in ("ok", "no")
        and pending.get("token") == parts[2]
    )
    if not fresh:
        await query.answer(
            _("Den här förhandsvisningen gäller inte längre. Inget ändrades."), show_alert=True
        )
        return
    assert isinstance(pending, dict)
    context.user_data.pop(NOTE_PREVIEW, None)
    if wallclock.time() - pending["at"] > NOTE_TIMEOUT.total_seconds():
        await query.answer()
        await _close_preview(
            query,
            _("Det har gått för lång tid, så inget publicerades. Börja om med /{command}.").format(
                command=_name(context, commands.UPDATE)
            ),
        )
        return
    await query.answer()
    if parts[1] == "no":
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
    _ = context._
    assert update.effective_user
    author = update.effective_user.id
    note_id = await council_repo.add_note(context.db, district, text, context.locale, author)
    await audit.record(context.db, author, "council_update", district, str(note_id))
    delivered = 0
    for recipient in await council_repo.update_recipients(context.db, district):
        message = resident_note_text(context.council, district, text, recipient.language)
        try:
            await context.bot.send_message(
                recipient.chat_id,
                message,
                reply_markup=resident_note_markup(district, recipient.language),
            )
        except (Forbidden, BadRequest) as error:
            if recipient_gone(error):
                await council_repo.drop_recipient(context.db, recipient.pseudonym, district)
            else:
                log.warning("Could not deliver a council note: %s", error)
            continue
        except TelegramError as error:
            log.warning("Could not deliver a council note: %s", type(error).__name__)
            continue
        delivered += 1
    await council_repo.set_recipients(context.db, note_id, delivered)
    await _reply(
        update,
        context.ngettext(
            "Publicerat för {district}. Skickat till {count} invånare som bett om återkoppling. "
            "Alla kan läsa det med /{news}.",
            "Publicerat för {district}. Skickat till {count} invånare som bett om återkoppling. "
            "Alla kan läsa det med /{news}.",
            delivered,
        ).format(
            district=esc(_district_name(context, district)),
            count=format_number(delivered, context.locale),
            news=_name(context, commands.NEWS),
        ),
    )


async def news_text(context: BotContext, args: list[str]) -> str:
    _ = context._
    district = None
    if args:
        district, _rest = split_district(context.council, " ".join(args))
    if district:
        notes = await council_repo.notes_for(context.db, district)
    else:
        notes = await council_repo.latest_notes(context.db, NEWS_LIMIT)
    if not notes:
        if district:
            return _("Rådet har inte publicerat något om {district} ännu.").format(
                district=esc(_district_name(context, district))
            )
        return _(
            "Rådet har inte publicerat något ännu. Här berättar rådet vad det har gjort i "
            "olika områden, till exempel efter synpunkter från invånare."
        )
    lines = ["<b>" + esc(_("📣 Nytt från rådet")) + "</b>"]
    for note in notes:
        when = parse_utc(note.created_at)
        lines += [
            "",
            f"<b>{esc(_district_name(context, note.district))}</b> · "
            f"{esc(format_date(when, context.locale))}",
            esc(note.text),
        ]
    if not district:
        lines += [
            "",
            _("Bara ett område? Skriv till exempel /{command} {place}.").format(
                command=_name(context, commands.NEWS),
                place=esc(example_place(context.council, context.locale)),
            ),
        ]
    return "\n".join(lines)


async def news_command(update: Update, context: BotContext) -> None:
    await _reply(update, await news_text(context, list(context.args or [])))


async def news_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query and query.message
    await query.answer()
    await context.bot.send_message(query.message.chat.id, await news_text(context, []))


def register_conversations(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
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


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handlers(
        [
            CommandHandler(commands.SUMMARY.names, summary_command),
            CommandHandler(commands.EXPORT.names, export_command),
            CommandHandler(commands.REPORT.names, report_command),
            CommandHandler(commands.SUBSCRIBE.names, subscribe_command),
            CommandHandler(commands.UNSUBSCRIBE.names, unsubscribe_command),
            CommandHandler(commands.NEWS.names, news_command),
            CallbackQueryHandler(news_button, pattern=r"^menu:news$"),
            CallbackQueryHandler(preview_button, pattern=pattern(NOTE_PREFIX)),
            CallbackQueryHandler(stop_updates_button, pattern=pattern(STOP_PREFIX)),
        ]
    )
    app.bot_data.setdefault("startup_hooks", []).append(restore_digests)
