"""/integritet, /minadata, /status and /radera (and the menu's privacy button): the resident's
rights.

/minadata and /radera only work in a private chat: a data export or a delete button in a group
would show (or let others press) something that is one resident's alone.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from typing import Any, Literal

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import commands
from bot import feedback as fb
from bot.callback import CallbackData, MenuButton
from bot.context import BotContext
from bot.escape import esc
from bot.i18n import N_, format_date
from bot.labels import command_name, district_name, topic_name
from bot.privacy.notice import legal_lines
from bot.suppression import small_group_rules
from handlers.common import edit_quietly, private_only
from storage import audit
from storage import feedback as repo
from storage.timestamps import parse_utc, utc_iso, utc_now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeleteButton(CallbackData, prefix="priv"):
    """``priv:del:<user id>`` (only that user may press it) or ``priv:keep``."""

    action: Literal["del", "keep"]
    user_id: int | None = None


def privacy_text(context: BotContext) -> str:
    _ = context._
    months = context.settings.retention_months
    per_day = context.settings.feedback_per_day
    return "\n\n".join(
        [
            _("🔒 <b>Det här sparar vi när du tycker till</b>"),
            _(
                "Område, ämne, hur trygg du känner dig (om du svarar), din text, språk och "
                "tidpunkt. Inget namn och inget användarnamn. I stället sparas en pseudonym: en "
                "kod som räknas fram ur ditt Telegram-id med en hemlig nyckel."
            ),
            _(
                "Personuppgifter i texten – personnummer, telefonnummer, e-postadresser och "
                "registreringsnummer – tas bort innan texten sparas. En text som pekar ut en "
                "viss person för ett brott sparas inte alls. Delar du din plats används den bara "
                "för att hitta närmaste område; platsen sparas aldrig."
            ),
            _(
                "<b>Varför?</b> Så att kommunen och polisen i rådet får en bild av tryggheten i "
                "olika områden och kan prioritera rätt. Pseudonymen behövs för att du ska kunna "
                "se och radera dina uppgifter, och för att begränsa missbruk (högst {n} "
                "synpunkter per dygn)."
            ).format(n=per_day),
            context.ngettext(
                "<b>Hur länge?</b> Texten tas bort automatiskt efter {n} månad. Området, ämnet "
                "och betyget finns kvar i statistiken, utan text.",
                "<b>Hur länge?</b> Texten tas bort automatiskt efter {n} månader. Området, ämnet "
                "och betyget finns kvar i statistiken, utan text.",
                months,
            ).format(n=months),
            _(
                "<b>Vem ser det?</b> Moderatorer läser texten – utan att veta vem du är – innan "
                "den godkänns. Rådets medlemmar ser godkända texter och antal per område."
            ),
            small_group_rules(context.t),
            _(
                "Säger du ja till uppdateringar från rådet sparas också ditt chatt-id, så att vi "
                "kan skicka dem. Ditt språkval sparas så att jag svarar på rätt språk."
            ),
            _(
                "Vill du bara sluta få uppdateringar? Tryck på ”Sluta få uppdateringar” under "
                "en uppdatering från rådet."
            ),
            *legal_lines(
                context.t,
                context.council.contacts.municipality.name.get(context.locale),
                per_day,
            ),
            _(
                "/minadata – se allt vi har sparat om dig\n"
                "/radera – radera allt vi har sparat om dig"
            ),
        ]
    )


async def show_privacy(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query:
        await query.answer()
    if update.effective_chat is None:  # a button under an inline message: no chat to write to
        return
    await context.bot.send_message(update.effective_chat.id, privacy_text(context))


async def my_data(update: Update, context: BotContext) -> None:
    """Send a JSON document with everything stored about the resident."""
    if not await private_only(update, context):
        return
    user, chat = update.effective_user, update.effective_chat
    assert user and chat
    alias = context.services.pseudonym(user.id)
    data = await repo.resident_data(context.db, alias, user.id)
    document: dict[str, Any] = {
        "about": context._(
            "Allt som trygghetsboten har sparat om dig. Synpunkter och prenumerationer är "
            "sparade under din pseudonym, inte under ditt namn."
        ),
        "generated_at": utc_iso(utc_now()),
        "telegram_user_id": user.id,
        **data,
        # Audit rows naming this Telegram id (staff actions; empty for residents).
        "audit_log": await audit.entries_about(context.db, user.id),
    }
    if data["feedback"]:
        await context.bot.send_message(chat.id, _summary(context, data["feedback"]))
    payload = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    filename = context._("mina-data.json")
    count = len(data["feedback"])
    # Empty state rows (Telegram chat/user data with no content) hold nothing about the person.
    state = [row for row in data["bot_state"] if row["data"]]
    await context.bot.send_document(
        chat.id,
        document=io.BytesIO(payload),
        filename=filename,
        caption=_caption(
            context,
            count,
            resident=bool(count or data["update_subscriptions"] or state),
            audit_entries=len(document["audit_log"]),
        ),
    )


def _caption(context: BotContext, count: int, *, resident: bool, audit_entries: int) -> str:
    """What the file holds, in words that match it: a staff member's log entries are data about
    them too, so "nothing stored" is said only when the file really holds nothing."""
    if not resident and not audit_entries:
        return context._("Vi har inte sparat något om dig.")
    if not resident:
        return context.ngettext(
            "Här är allt vi har sparat om dig: {n} händelse i loggen från ditt arbete med boten.",
            "Här är allt vi har sparat om dig: {n} händelser i loggen från ditt arbete med boten.",
            audit_entries,
        ).format(n=audit_entries)
    text = context.ngettext(
        "Här är allt vi har sparat om dig ({n} synpunkt). Vill du radera det? Skriv /radera.",
        "Här är allt vi har sparat om dig ({n} synpunkter). Vill du radera det? Skriv /radera.",
        count,
    ).format(n=count)
    if audit_entries:
        text += " " + context.ngettext(
            "Dessutom finns {n} händelse i loggen från ditt arbete med boten.",
            "Dessutom finns {n} händelser i loggen från ditt arbete med boten.",
            audit_entries,
        ).format(n=audit_entries)
    return text


STATUS_LABELS = {
    "pending": N_("väntar på granskning"),
    "approved": N_("godkänd"),
    "rejected": N_("avvisad"),
}


def _summary(context: BotContext, feedback: list[dict[str, Any]]) -> str:
    """A readable list before the JSON file: what, where and its status, one line each."""
    _ = context._
    lines = [_("<b>Dina synpunkter</b>")]
    for row in feedback:
        status = STATUS_LABELS.get(str(row.get("status")))
        lines.append(
            "• "
            + _("{date}: {district}, {topic} – {status} (ref {ref})").format(
                date=esc(str(row.get("created_at") or "")[:10]),
                district=esc(
                    district_name(context.council, row.get("district"), context.locale, _)
                ),
                topic=esc(topic_name(context.council, row.get("topic"), context.locale, _)),
                status=_(status) if status else esc(str(row.get("status"))),
                ref=esc(str(row.get("ref") or "")),
            )
        )
    return "\n".join(lines)


async def feedback_status(update: Update, context: BotContext) -> None:
    """/status <ref>: where the resident's own feedback stands (waiting, approved, rejected).

    Looked up by the resident's pseudonym, so someone else's reference and an unknown one get
    the same answer: a reference cannot be used to probe what others sent.
    """
    if not await private_only(update, context):
        return
    user, chat = update.effective_user, update.effective_chat
    assert user and chat
    _ = context._
    mydata = "/" + command_name(commands.MYDATA, context.locale)
    typed = " ".join(context.args or [])
    if not typed.strip():
        await context.bot.send_message(
            chat.id,
            _(
                "Skriv /status och referensen du fick när du skickade din synpunkt, till exempel "
                "<code>/status K7QW3M</code>. Alla dina synpunkter ser du med {mydata}."
            ).format(mydata=mydata),
        )
        return
    ref = fb.parse_ref(typed)
    if ref is None:
        await context.bot.send_message(
            chat.id,
            _(
                "Det där ser inte ut som en referens. En referens är sex bokstäver och siffror, "
                "till exempel <code>K7QW3M</code>. Du hittar den i tackmeddelandet eller med "
                "{mydata}."
            ).format(mydata=mydata),
        )
        return
    row = await repo.status_of(context.db, ref, context.services.pseudonym(user.id))
    if row is None:
        await context.bot.send_message(
            chat.id,
            _(
                "Jag hittar ingen synpunkt med den referensen. Kontrollera att den är rätt "
                "skriven – alla dina synpunkter ser du med {mydata}."
            ).format(mydata=mydata),
        )
        return
    await context.bot.send_message(chat.id, _status_text(context, row))


STATUS_NOTES = {
    "pending": N_("En moderator läser den innan den blir en del av rådets lägesbild."),
    "approved": N_("Den är en del av rådets lägesbild."),
    "rejected": N_("Den kom inte med i rådets lägesbild."),
}


def _status_text(context: BotContext, row: dict[str, Any]) -> str:
    """One feedback's status, district, topic and date, as /status shows it."""
    _ = context._
    status = str(row.get("status"))
    label = STATUS_LABELS.get(status)
    note = STATUS_NOTES.get(status)
    lines = [
        _("<b>Din synpunkt {ref}</b>").format(ref=esc(str(row["ref"]))),
        _("Status: {status}").format(status=_(label) if label else esc(status)),
        _("Område: {district}").format(
            district=esc(district_name(context.council, row.get("district"), context.locale, _))
        ),
        _("Ämne: {topic}").format(
            topic=esc(topic_name(context.council, row.get("topic"), context.locale, _))
        ),
        _("Skickad: {date}").format(
            date=esc(format_date(parse_utc(str(row["created_at"])), context.locale))
        ),
    ]
    if note:
        lines += ["", _(note)]
    return "\n".join(lines)


async def ask_delete(update: Update, context: BotContext) -> None:
    """/radera: explain what goes, then wait for an explicit button press."""
    if not await private_only(update, context):
        return
    user, chat = update.effective_user, update.effective_chat
    assert user and chat
    _ = context._
    alias = context.services.pseudonym(user.id)
    data = await repo.resident_data(context.db, alias, user.id)
    n, s = len(data["feedback"]), len(data["update_subscriptions"])
    await context.bot.send_message(
        chat.id,
        "\n\n".join(
            [
                _("<b>Vill du radera allt vi har sparat om dig?</b>"),
                _(
                    "Det gäller {feedback}, {subscriptions} och dina inställningar, till exempel "
                    "språkval."
                ).format(
                    feedback=context.ngettext("{n} synpunkt", "{n} synpunkter", n).format(n=n),
                    subscriptions=context.ngettext(
                        "{n} prenumeration på uppdateringar",
                        "{n} prenumerationer på uppdateringar",
                        s,
                    ).format(n=s),
                ),
                _("Det går inte att ångra."),
            ]
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("🗑 Ja, radera allt"), callback_data=DeleteButton("del", user.id).pack()
                    )
                ],
                [InlineKeyboardButton(_("Nej, behåll"), callback_data=DeleteButton("keep").pack())],
            ]
        ),
    )


async def on_delete_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query and update.effective_user
    button = DeleteButton.parse(query.data)
    user_id = update.effective_user.id
    if button is not None and button.action == "keep":
        await query.answer()
        await _edit(query, context._("Okej, ingenting har raderats."))
        return
    if button is None or button.user_id != user_id:
        await query.answer(context._("Den här knappen är inte din."), show_alert=True)
        return
    if not await private_only(update, context):
        return
    alias = context.services.pseudonym(user_id)
    deleted = await repo.delete_resident(context.db, alias, user_id)
    # Forget the in-memory copies too, or the next persistence flush would write them back.
    context.application.drop_user_data(user_id)
    context.application.drop_chat_data(user_id)
    log.info(
        "Deleted a resident's data on request (%d feedback, %d subscriptions)",
        deleted.feedback,
        deleted.subscriptions,
    )
    await query.answer()
    n = deleted.feedback
    await _edit(
        query,
        context.ngettext(
            "Klart. Allt vi hade sparat om dig är raderat ({n} synpunkt).",
            "Klart. Allt vi hade sparat om dig är raderat ({n} synpunkter).",
            n,
        ).format(n=n),
    )


async def _edit(query: CallbackQuery, text: str) -> None:
    """Answer in place of the delete question; if it can no longer be edited, in a new message."""
    if not await edit_quietly(query, text) and query.message is not None:
        await query.get_bot().send_message(query.message.chat.id, text)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Section 2: commands and buttons."""
    app.add_handlers(
        [
            CommandHandler(commands.PRIVACY.names, show_privacy),
            CommandHandler(commands.MYDATA.names, my_data),
            CommandHandler(commands.STATUS.names, feedback_status),
            CommandHandler(commands.DELETE.names, ask_delete),
            CallbackQueryHandler(show_privacy, pattern=MenuButton.pattern(choice="privacy")),
            CallbackQueryHandler(on_delete_button, pattern=DeleteButton.pattern()),
        ]
    )
