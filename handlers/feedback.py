"""The "tyck till" dialogue (/tyck, /feedback, menu button): district → topic → rating → text.

A persistent ConversationHandler, so a resident mid-dialogue continues after a restart or crash.
Each dialogue gets a short session id inside its callback data: buttons from an older or finished
dialogue are recognised and answered harmlessly. Only the chosen district is kept from a shared
location; the unredacted text is never put in ``user_data``; accusing texts are not stored at all.
"""

from __future__ import annotations

import html
import logging
import time
from datetime import timedelta
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import commands, retention
from bot import feedback as fb
from bot.answers import emergency_text
from bot.callback import pack, pattern, unpack
from bot.content import haversine_km
from bot.context import BotContext
from bot.emergency import is_emergency
from bot.i18n import N_
from bot.labels import OTHER
from bot.privacy.accusation import detect_accusation
from bot.privacy.redact import redact
from handlers.common import edit_quietly, is_private
from storage import feedback as repo

log = logging.getLogger(__name__)

NAME = "feedback"
PREFIX = "fb"
UPDATES_PREFIX = "fbu"
DRAFT_KEY = "feedback_draft"
# Silence that ends a dialogue. A module constant so tests can shorten it before start-up.
TIMEOUT = timedelta(minutes=15)
# A shared location further than this from every district centre is "outside the municipality".
MAX_DISTRICT_KM = 30.0

END = ConversationHandler.END

REDACTION_KINDS = {
    "personnummer": N_("personnummer"),
    "phone": N_("telefonnummer"),
    "email": N_("e-postadress"),
    "plate": N_("registreringsnummer"),
    "account": N_("kontonummer"),
    "orgnr": N_("organisationsnummer"),
    "url": N_("länk"),
    "handle": N_("användarnamn"),
}


# --------------------------------------------------------------------------- helpers


def _user_data(context: BotContext) -> dict[Any, Any]:
    assert context.user_data is not None
    return context.user_data


def _save(context: BotContext, draft: fb.Draft) -> None:
    draft.touch()
    _user_data(context)[DRAFT_KEY] = draft.to_dict()


def _clear(context: BotContext) -> None:
    _user_data(context).pop(DRAFT_KEY, None)


def _chat_id(update: Update) -> int:
    assert update.effective_chat
    return update.effective_chat.id


def _timeout_minutes() -> int:
    return max(1, round(TIMEOUT.total_seconds() / 60))


def _btn(text: str, draft: fb.Draft, *args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack(PREFIX, draft.sid, *args))


def _cancel_row(context: BotContext, draft: fb.Draft) -> list[InlineKeyboardButton]:
    return [_btn(context._("✖️ Avbryt"), draft, "c")]


async def _send(context: BotContext, chat_id: int, text: str, markup: Any = None) -> None:
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def _close_keyboard(update: Update, note: str | None = None) -> None:
    """Take the buttons off the message that was pressed (and say what was chosen)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    message = query.message
    if note is not None and isinstance(message, Message) and message.text:
        await edit_quietly(query, f"{message.text_html}\n\n{note}")
    else:
        await edit_quietly(query)


# --------------------------------------------------------------------------- steps


def district_keyboard(
    context: BotContext, draft: fb.Draft, page: int, private: bool
) -> InlineKeyboardMarkup:
    _ = context._
    shown = fb.paginate(context.council.districts, page)
    rows: list[list[InlineKeyboardButton]] = []
    items = list(shown.items)
    for i in range(0, len(items), 2):
        rows.append([_btn(d.name.get(context.locale), draft, "d", d.id) for d in items[i : i + 2]])
    if shown.pages > 1:
        nav = []
        if shown.has_prev:
            nav.append(_btn(_("◀️ Föregående"), draft, "p", shown.page - 1))
        nav.append(
            _btn(
                _("Sida {page} av {pages}").format(page=shown.page + 1, pages=shown.pages),
                draft,
                "p",
                shown.page,
            )
        )
        if shown.has_next:
            nav.append(_btn(_("Nästa ▶️"), draft, "p", shown.page + 1))
        rows.append(nav)
    rows.append([_btn(_("Annat område / vet inte"), draft, "d", OTHER)])
    if private:
        rows.append([_btn(_("📍 Dela plats"), draft, "l")])
    rows.append(_cancel_row(context, draft))
    return InlineKeyboardMarkup(rows)


def topic_keyboard(context: BotContext, draft: fb.Draft) -> InlineKeyboardMarkup:
    rows = [
        [_btn(area.title.get(context.locale), draft, "t", area.id)]
        for area in context.council.focus_areas
    ]
    rows.append([_btn(context._("Annat"), draft, "t", OTHER)])
    rows.append(_cancel_row(context, draft))
    return InlineKeyboardMarkup(rows)


def rating_keyboard(context: BotContext, draft: fb.Draft) -> InlineKeyboardMarkup:
    rows = [
        [_btn(f"{n} – {context._(label)}", draft, "r", n)] for n, label in fb.RATING_LABELS.items()
    ]
    rows.append([_btn(context._("Hoppa över"), draft, "r", fb.SKIP)])
    rows.append(_cancel_row(context, draft))
    return InlineKeyboardMarkup(rows)


def review_keyboard(context: BotContext, draft: fb.Draft) -> InlineKeyboardMarkup:
    _ = context._
    return InlineKeyboardMarkup(
        [
            [_btn(_("✅ Skicka"), draft, "s")],
            [_btn(_("✏️ Ändra"), draft, "e"), _btn(_("✖️ Avbryt"), draft, "c")],
        ]
    )


def edit_keyboard(context: BotContext, draft: fb.Draft) -> InlineKeyboardMarkup:
    _ = context._
    return InlineKeyboardMarkup(
        [
            [_btn(_("Område"), draft, "ef", "d"), _btn(_("Ämne"), draft, "ef", "t")],
            [_btn(_("Trygghet"), draft, "ef", "r"), _btn(_("Text"), draft, "ef", "x")],
            [_btn(_("↩️ Tillbaka"), draft, "eb")],
        ]
    )


def _district_prompt(context: BotContext) -> str:
    return context._("<b>Var gäller det?</b> Välj ett område:")


def _text_prompt(context: BotContext) -> str:
    return context._(
        "<b>Berätta med egna ord.</b> Vad gör att det känns tryggt eller otryggt där? "
        "Skriv högst {max} tecken. Skriv inte namn på personer."
    ).format(max=fb.MAX_TEXT_CHARS)


async def _ask(update: Update, context: BotContext, draft: fb.Draft, state: int) -> int:
    """Send the question for ``state`` and return it (the ConversationHandler's next state)."""
    _ = context._
    chat_id = _chat_id(update)
    if state == fb.DISTRICT:
        await _send(
            context,
            chat_id,
            _district_prompt(context),
            district_keyboard(context, draft, 0, is_private(update)),
        )
    elif state == fb.TOPIC:
        await _send(
            context,
            chat_id,
            _("<b>Vad handlar det om?</b> Välj det som passar bäst:"),
            topic_keyboard(context, draft),
        )
    elif state == fb.RATING:
        await _send(
            context,
            chat_id,
            _("<b>Hur trygg känner du dig där?</b> 1 = mycket otrygg, 5 = mycket trygg."),
            rating_keyboard(context, draft),
        )
    elif state == fb.TEXT:
        await _send(
            context,
            chat_id,
            _text_prompt(context),
            InlineKeyboardMarkup([_cancel_row(context, draft)]),
        )
    elif state == fb.REVIEW:
        if draft.submission_key is None:
            draft.submission_key = fb.new_submission_key()
        draft.back_to_review = False
        await _send(
            context,
            chat_id,
            fb.review_text(draft, context.council, context.locale, _),
            review_keyboard(context, draft),
        )
    _save(context, draft)
    return state


async def _next(update: Update, context: BotContext, draft: fb.Draft, after: int) -> int:
    """The step after ``after``: back to the review when editing, else the next unanswered."""
    if draft.back_to_review and draft.complete:
        return await _ask(update, context, draft, fb.REVIEW)
    order = [fb.DISTRICT, fb.TOPIC, fb.RATING, fb.TEXT, fb.REVIEW]
    return await _ask(update, context, draft, order[order.index(after) + 1])


async def _load(update: Update, context: BotContext) -> fb.Draft | None:
    """The active draft, or None after telling the resident the dialogue is over.

    A draft can be missing (deleted with /radera) or stale (older than the timeout while the
    bot was down, when no timeout job could fire).
    """
    draft = fb.Draft.from_dict(_user_data(context).get(DRAFT_KEY))
    query = update.callback_query
    if draft is not None and time.time() - draft.touched > TIMEOUT.total_seconds():
        _clear(context)
        if query:
            await query.answer()
        await _send(context, _chat_id(update), _timeout_text(context), ReplyKeyboardRemove())
        return None
    if draft is None:
        text = context._("Den här dialogen är redan avslutad. Skriv /tyck för att börja om.")
        if query:
            await query.answer(text, show_alert=True)
        else:
            await _send(context, _chat_id(update), text)
    return draft


async def _load_for_button(
    update: Update, context: BotContext
) -> tuple[fb.Draft, list[str]] | int | None:
    """The draft and callback parts when the button belongs to this dialogue.

    Otherwise what the handler returns: END (no dialogue any more) or None (a button from an
    older dialogue, already answered; the state stays).
    """
    draft = await _load(update, context)
    if draft is None:
        return END
    query = update.callback_query
    assert query
    parts = unpack(query.data)
    if len(parts) < 3 or parts[1] != draft.sid:
        await query.answer(
            context._(
                "Den här knappen hör till en tidigare dialog. Använd knapparna i det senaste "
                "meddelandet."
            ),
            show_alert=True,
        )
        return None
    return draft, parts


# --------------------------------------------------------------------------- entry


async def start(update: Update, context: BotContext) -> int:
    """/tyck, /feedback or the menu button; also restarts a dialogue already in progress."""
    _ = context._
    query = update.callback_query
    if query:
        await query.answer()
    _clear(context)
    chat_id = _chat_id(update)
    if not is_private(update):
        await _send(
            context,
            chat_id,
            _(
                "Det du skriver här syns för alla i gruppen. Skriv /tyck till mig i en privat "
                "chatt i stället, så stannar det mellan oss."
            ),
        )
        return END
    assert update.effective_user
    alias = context.services.pseudonym(update.effective_user.id)
    if await repo.count_recent(context.db, alias) >= context.settings.feedback_per_day:
        await _send(context, chat_id, _limit_text(context))
        return END
    draft = fb.new_draft(context.locale)
    await _send(
        context,
        chat_id,
        "\n\n".join(
            [
                _("💬 <b>Tyck till om tryggheten där du bor</b>"),
                _(
                    "Det här är <b>inte</b> en polisanmälan. Pågår något just nu? Ring "
                    "<b>112</b>. Brott anmäler du på polisen.se eller på 114 14."
                ),
                _district_prompt(context),
            ]
        ),
        district_keyboard(context, draft, 0, True),
    )
    _save(context, draft)
    return fb.DISTRICT


def _limit_text(context: BotContext) -> str:
    n = context.settings.feedback_per_day
    return context.ngettext(
        "Du har redan skickat {n} återkoppling det senaste dygnet, och det är max. "
        "Tack för ditt engagemang! Du kan tycka till igen om ett dygn.",
        "Du har redan skickat {n} återkopplingar det senaste dygnet, och det är max. "
        "Tack för ditt engagemang! Du kan tycka till igen om ett dygn.",
        n,
    ).format(n=n)


def _timeout_text(context: BotContext) -> str:
    n = _timeout_minutes()
    return context.ngettext(
        "Dialogen avslutades eftersom det var tyst i {n} minut. Inget har sparats. "
        "Skriv /tyck när du vill börja om.",
        "Dialogen avslutades eftersom det var tyst i {n} minuter. Inget har sparats. "
        "Skriv /tyck när du vill börja om.",
        n,
    ).format(n=n)


# --------------------------------------------------------------------------- district


async def on_district_button(update: Update, context: BotContext) -> int | None:
    loaded = await _load_for_button(update, context)
    if not isinstance(loaded, tuple):
        return loaded
    draft, parts = loaded
    query = update.callback_query
    assert query
    action, arg = parts[2], (parts[3] if len(parts) > 3 else "")
    if action == "p":
        await query.answer()
        page = int(arg) if arg.isdigit() else 0
        try:
            await query.edit_message_reply_markup(
                district_keyboard(context, draft, page, is_private(update))
            )
        except TelegramError as exc:
            log.debug("Page edit failed: %s", type(exc).__name__)
        _save(context, draft)
        return None
    if action == "l":
        await query.answer()
        if not is_private(update):
            return None
        await _send(
            context,
            _chat_id(update),
            context._(
                "Tryck på knappen nedan för att dela din plats. Jag använder den bara för att "
                "hitta närmaste område – platsen sparas inte."
            ),
            ReplyKeyboardMarkup(
                [
                    [KeyboardButton(context._("📍 Skicka min plats"), request_location=True)],
                    [KeyboardButton(context._("Välj i listan i stället"))],
                ],
                resize_keyboard=True,
                one_time_keyboard=True,
            ),
        )
        draft.location_keyboard = True
        _save(context, draft)
        return None
    # action == "d"
    if arg != OTHER and context.council.district(arg) is None:
        await query.answer(context._("Det området känner jag inte till."), show_alert=True)
        return None
    await query.answer()
    draft.district = arg
    await _close_keyboard(update, "✓ " + html.escape(_district_label(context, arg)))
    return await _next(update, context, draft, fb.DISTRICT)


def _district_label(context: BotContext, district_id: str) -> str:
    return fb.district_name(context.council, district_id, context.locale, context._)


async def on_location(update: Update, context: BotContext) -> int | None:
    """Turn a shared location into the nearest district; the coordinates go no further."""
    draft = await _load(update, context)
    if draft is None:
        return END
    message = update.effective_message
    assert message and message.location
    lat, lon = message.location.latitude, message.location.longitude
    draft.location_keyboard = False  # removed just below
    nearest = context.council.nearest_district(lat, lon)
    distance = haversine_km(lat, lon, nearest.lat, nearest.lon)
    del lat, lon
    chat_id = _chat_id(update)
    await _send(
        context,
        chat_id,
        context._("Tack! Platsen används bara nu och sparas inte."),
        ReplyKeyboardRemove(),
    )
    if distance > MAX_DISTRICT_KM:
        await _send(
            context,
            chat_id,
            context._(
                "Platsen verkar ligga utanför kommunens områden. Välj ett område i listan, eller "
                "”Annat område / vet inte”."
            ),
            district_keyboard(context, draft, 0, True),
        )
        _save(context, draft)
        return None
    question = context._("Närmaste område är <b>{district}</b>. Stämmer det?")
    return await _propose_place(update, context, draft, nearest.id, question)


async def on_district_text(update: Update, context: BotContext) -> int | None:
    """A typed district name ("ersboda", "Ålidhem") is proposed for the resident to confirm."""
    message = update.effective_message
    district = fb.match_district(context.council, message.text or "") if message else None
    if district is None:
        return await use_buttons(update, context)
    draft = await _load(update, context)
    if draft is None:
        return END
    if draft.location_keyboard:
        # The resident typed a name instead of sharing the location: take that keyboard away.
        draft.location_keyboard = False
        await _send(
            context,
            _chat_id(update),
            context._("Då använder jag inte din plats."),
            ReplyKeyboardRemove(),
        )
    question = context._("Menar du <b>{district}</b>?")
    return await _propose_place(update, context, draft, district, question)


async def _propose_place(
    update: Update, context: BotContext, draft: fb.Draft, district_id: str, question: str
) -> int:
    """Ask the resident to confirm a guessed district (from a location or a typed name)."""
    _ = context._
    draft.candidate = district_id
    await _send(
        context,
        _chat_id(update),
        question.format(district=html.escape(_district_label(context, district_id))),
        InlineKeyboardMarkup(
            [
                [_btn(_("✅ Ja, det stämmer"), draft, "cy")],
                [_btn(_("Nej, jag väljer i listan"), draft, "cn")],
                _cancel_row(context, draft),
            ]
        ),
    )
    _save(context, draft)
    return fb.CONFIRM_PLACE


async def on_confirm_place(update: Update, context: BotContext) -> int | None:
    loaded = await _load_for_button(update, context)
    if not isinstance(loaded, tuple):
        return loaded
    draft, parts = loaded
    query = update.callback_query
    assert query
    await query.answer()
    candidate, draft.candidate = draft.candidate, None
    if parts[2] == "cy" and candidate and context.council.district(candidate):
        draft.district = candidate
        await _close_keyboard(update, "✓ " + html.escape(_district_label(context, candidate)))
        return await _next(update, context, draft, fb.DISTRICT)
    await _close_keyboard(update)
    await _send(
        context,
        _chat_id(update),
        _district_prompt(context),
        district_keyboard(context, draft, 0, is_private(update)),
    )
    _save(context, draft)
    return fb.DISTRICT


# --------------------------------------------------------------------------- topic, rating


async def on_topic(update: Update, context: BotContext) -> int | None:
    loaded = await _load_for_button(update, context)
    if not isinstance(loaded, tuple):
        return loaded
    draft, parts = loaded
    query = update.callback_query
    assert query
    topic = parts[3] if len(parts) > 3 else ""
    if topic != OTHER and context.council.focus_area(topic) is None:
        await query.answer(context._("Det ämnet känner jag inte till."), show_alert=True)
        return None
    await query.answer()
    draft.topic = topic
    label = fb.topic_name(context.council, topic, context.locale, context._)
    await _close_keyboard(update, "✓ " + html.escape(label))
    return await _next(update, context, draft, fb.TOPIC)


async def _set_rating(update: Update, context: BotContext, draft: fb.Draft, value: int) -> int:
    draft.rating = None if value == fb.SKIP else value
    draft.rating_done = True
    return await _next(update, context, draft, fb.RATING)


async def on_rating(update: Update, context: BotContext) -> int | None:
    loaded = await _load_for_button(update, context)
    if not isinstance(loaded, tuple):
        return loaded
    draft, parts = loaded
    query = update.callback_query
    assert query
    arg = parts[3] if len(parts) > 3 else ""
    await query.answer()
    if not arg.isdigit() or int(arg) not in (fb.SKIP, 1, 2, 3, 4, 5):
        return None
    await _close_keyboard(update, "✓ " + html.escape(fb.rating_text(int(arg) or None, context._)))
    return await _set_rating(update, context, draft, int(arg))


async def on_rating_text(update: Update, context: BotContext) -> int | None:
    """A typed 1–5 works as well as a button; anything else gets the buttons again."""
    draft = await _load(update, context)
    if draft is None:
        return END
    message = update.effective_message
    value = fb.parse_rating(message.text or "") if message else None
    if value is None:
        return await _use_buttons(update, context, draft, fb.RATING)
    return await _set_rating(update, context, draft, value)


# --------------------------------------------------------------------------- free text


async def _emergency_first(update: Update, context: BotContext) -> None:
    """Danger now outranks the dialogue: 112 comes before anything else we say."""
    message = update.effective_message
    if message and message.text and is_emergency(message.text):
        await _send(
            context, _chat_id(update), emergency_text(context.council, context.locale, context._)
        )


async def on_text(update: Update, context: BotContext) -> int | None:
    draft = await _load(update, context)
    if draft is None:
        return END
    _ = context._
    message = update.effective_message
    assert message and message.text is not None
    chat_id = _chat_id(update)
    await _emergency_first(update, context)
    text = message.text.strip()
    length = fb.too_long(text)
    if length is not None:
        await _send(
            context,
            chat_id,
            _(
                "Din text är {length} tecken lång, men det får vara högst {max}. Skriv gärna en "
                "kortare version – det viktigaste räcker."
            ).format(length=length, max=fb.MAX_TEXT_CHARS),
        )
        _save(context, draft)
        return None
    if detect_accusation(text) is not None:
        # Not stored anywhere, not even in the draft (GDPR art. 10: suspected crime).
        await _send(
            context,
            chat_id,
            "\n\n".join(
                [
                    _(
                        "Jag kan inte spara en text som pekar ut en viss person för ett brott – "
                        "sådana uppgifter får rådet inte samla in här."
                    ),
                    _("Vet du något om ett brott? {tip}").format(
                        tip=html.escape(context.council.contacts.tip_police.get(context.locale))
                    ),
                    _("Du får gärna skriva om texten utan personen: vad som händer, var och när."),
                ]
            ),
        )
        _save(context, draft)
        return None
    contacts = context.council.contacts
    cleaned = redact(
        text,
        keep_numbers=(contacts.municipality.phone, contacts.police.phone),
        locale=context.locale,
    )
    draft.text = cleaned.text
    draft.redactions = cleaned.count
    draft.submission_key = None  # new content, new submission
    if cleaned.count:
        kinds = ", ".join(_(REDACTION_KINDS.get(k, k)) for k in cleaned.kinds)
        await _send(
            context,
            chat_id,
            context.ngettext(
                "🔒 Jag tog bort {n} personuppgift ({kinds}) ur texten innan den sparas.",
                "🔒 Jag tog bort {n} personuppgifter ({kinds}) ur texten innan den sparas.",
                cleaned.count,
            ).format(n=cleaned.count, kinds=html.escape(kinds)),
        )
    return await _next(update, context, draft, fb.TEXT)


async def on_not_text(update: Update, context: BotContext) -> int | None:
    draft = await _load(update, context)
    if draft is None:
        return END
    await _send(
        context,
        _chat_id(update),
        context._(
            "Skriv gärna med text – jag kan inte läsa bilder, klistermärken eller röstmeddelanden."
        ),
    )
    _save(context, draft)
    return None


# --------------------------------------------------------------------------- review


async def on_review(update: Update, context: BotContext) -> int | None:
    loaded = await _load_for_button(update, context)
    if not isinstance(loaded, tuple):
        return loaded
    draft, parts = loaded
    query = update.callback_query
    assert query
    action = parts[2]
    if action == "e":
        await query.answer()
        await _close_keyboard(update)
        await _ask_what_to_edit(update, context, draft)
        return fb.EDIT
    # action == "s"
    if not draft.complete:
        await query.answer()
        return await _ask(update, context, draft, fb.DISTRICT)
    return await _submit(update, context, draft)


async def _submit(update: Update, context: BotContext, draft: fb.Draft) -> int:
    """Commit the row first; only then thank the resident with its reference."""
    _ = context._
    query = update.callback_query
    assert query and update.effective_user
    if draft.submission_key is None:
        draft.submission_key = fb.new_submission_key()
        _save(context, draft)
    alias = context.services.pseudonym(update.effective_user.id)
    assert draft.district and draft.topic and draft.text
    result = await repo.submit(
        context.db,
        repo.NewFeedback(
            pseudonym=alias,
            district=draft.district,
            topic=draft.topic,
            rating=draft.rating,
            text=draft.text,
            language=draft.language,
            submission_key=draft.submission_key,
            redactions=draft.redactions,
        ),
        per_day=context.settings.feedback_per_day,
    )
    await query.answer()
    chat_id = _chat_id(update)
    if result.limited or result.ref is None:
        _clear(context)
        await _close_keyboard(update)
        await _send(context, chat_id, _limit_text(context))
        return END
    await _close_keyboard(update)
    await _send(
        context,
        chat_id,
        _(
            "Tack! Din återkoppling är sparad (ref {ref}). En moderator läser den innan den "
            "blir en del av rådets lägesbild."
        ).format(ref=f"<code>{html.escape(result.ref)}</code>"),
    )
    _clear(context)
    subscriber = context.services.subscriber(update.effective_user.id)
    if draft.district != OTHER and not await repo.is_subscribed(
        context.db, subscriber, draft.district
    ):
        await _send(
            context,
            chat_id,
            _(
                "Vill du få korta uppdateringar från rådet om vad som görs i {district}? "
                "Då sparar jag ditt chatt-id för det."
            ).format(district=html.escape(_district_label(context, draft.district))),
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            _("Ja tack"), callback_data=pack(UPDATES_PREFIX, result.ref, "y")
                        ),
                        InlineKeyboardButton(
                            _("Nej tack"), callback_data=pack(UPDATES_PREFIX, result.ref, "n")
                        ),
                    ]
                ]
            ),
        )
    return END


async def on_edit_choice(update: Update, context: BotContext) -> int | None:
    loaded = await _load_for_button(update, context)
    if not isinstance(loaded, tuple):
        return loaded
    draft, parts = loaded
    query = update.callback_query
    assert query
    await query.answer()
    await _close_keyboard(update)
    if parts[2] == "eb":
        return await _ask(update, context, draft, fb.REVIEW)
    step = fb.EDITABLE.get(parts[3] if len(parts) > 3 else "")
    if step is None:
        return await _ask(update, context, draft, fb.REVIEW)
    draft.back_to_review = True
    return await _ask(update, context, draft, step)


# --------------------------------------------------------------------------- leaving


async def cancel(update: Update, context: BotContext) -> int | None:
    """/avbryt or the Avbryt button at any step: nothing is stored."""
    query = update.callback_query
    if query:
        parts = unpack(query.data)
        draft = fb.Draft.from_dict(_user_data(context).get(DRAFT_KEY))
        if draft is not None and len(parts) > 1 and parts[1] != draft.sid:
            await query.answer(
                context._("Den här knappen hör till en tidigare dialog."), show_alert=True
            )
            return None
        await query.answer()
        await _close_keyboard(update)
    _clear(context)
    await _send(
        context,
        _chat_id(update),
        context._("Okej, jag har avbrutit. Inget har sparats."),
        ReplyKeyboardRemove(),
    )
    return END


async def delete_from_dialogue(update: Update, context: BotContext) -> int:
    """/radera mid-dialogue: end the dialogue, then ask about deleting as usual."""
    from handlers import privacy

    _clear(context)
    await privacy.ask_delete(update, context)
    return END


async def on_timeout(update: object, context: BotContext) -> None:
    """Fired by the JobQueue after TIMEOUT of silence; tells the resident and forgets the draft."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await _send(
                context, update.effective_chat.id, _timeout_text(context), ReplyKeyboardRemove()
            )
        except TelegramError as exc:
            log.info("Could not send the timeout notice: %s", type(exc).__name__)
        user = update.effective_user
        app = context.application
        if user is not None:
            app.mark_data_for_update_persistence(user_ids=[user.id])

        async def flush() -> None:
            # Runs after the ConversationHandler has set the state to END.
            await app.update_persistence()

        app.create_task(flush())


async def use_buttons(update: Update, context: BotContext) -> int | None:
    """Text, stickers etc. at a button step: point to the buttons and show them again."""
    draft = await _load(update, context)
    if draft is None:
        return END
    await _emergency_first(update, context)
    state = _state_of(draft)
    return await _use_buttons(update, context, draft, state)


def _state_of(draft: fb.Draft) -> int:
    if draft.district is None:
        return fb.DISTRICT
    if draft.topic is None:
        return fb.TOPIC
    if not draft.rating_done:
        return fb.RATING
    if draft.text is None:
        return fb.TEXT
    return fb.REVIEW


async def _use_buttons(
    update: Update, context: BotContext, draft: fb.Draft, state: int
) -> int | None:
    chat_id = _chat_id(update)
    markup: Any = None
    if draft.candidate is None and state == fb.DISTRICT and is_private(update):
        # The location keyboard may still be up ("Välj i listan i stället"): take it away.
        markup = ReplyKeyboardRemove()
    await _send(context, chat_id, context._("Välj med knapparna nedan, tack."), markup)
    await _ask(update, context, draft, state)
    return None


async def stale_in_dialogue(update: Update, context: BotContext) -> None:
    """A button of this feature that does not belong to the current step."""
    query = update.callback_query
    assert query
    draft = fb.Draft.from_dict(_user_data(context).get(DRAFT_KEY))
    parts = unpack(query.data)
    if draft is None or len(parts) < 2 or parts[1] != draft.sid:
        text = context._(
            "Den här knappen hör till en tidigare dialog. Använd knapparna i det senaste "
            "meddelandet."
        )
    else:
        text = context._(
            "Den knappen gäller ett tidigare steg. Använd knapparna i det senaste meddelandet."
        )
    await query.answer(text, show_alert=True)


async def stale_outside(update: Update, context: BotContext) -> None:
    """A dialogue button pressed after the dialogue ended (saved, cancelled or timed out)."""
    query = update.callback_query
    assert query
    await query.answer(
        context._(
            "Den här dialogen är redan avslutad, så knappen gör ingenting. Skriv /tyck för att "
            "tycka till igen."
        ),
        show_alert=True,
    )


# --------------------------------------------------------------------------- updates question


async def on_updates_answer(update: Update, context: BotContext) -> None:
    """Yes → keep the chat id for updates about that district; no → store nothing."""
    query = update.callback_query
    assert query and update.effective_user and query.message
    parts = unpack(query.data)
    ref = parts[1] if len(parts) > 2 else ""
    alias = context.services.pseudonym(update.effective_user.id)
    district = await repo.district_of(context.db, ref, alias) if ref else None
    if district is None:
        await query.answer(context._("Den här knappen är inte längre aktiv."), show_alert=True)
        return
    await query.answer()
    name = html.escape(_district_label(context, district))
    if parts[2] == "y":
        await repo.subscribe(
            context.db,
            context.services.subscriber(query.message.chat.id),
            district,
            query.message.chat.id,
            context.locale,
        )
        text = context._(
            "Bra! Du får uppdateringar om {district} när rådet har något att berätta. Vill du "
            "sluta? Tryck på ”Sluta få uppdateringar” under en uppdatering från rådet."
        ).format(district=name)
    else:
        text = context._("Okej, inga uppdateringar. Tack för att du tyckte till!")
    await edit_quietly(query, text)


# --------------------------------------------------------------------------- wiring


def _fb(*actions: str) -> str:
    return rf"^{PREFIX}:[0-9a-f]+:({'|'.join(actions)})(?::|$)"


def build_conversation() -> ConversationHandler[Any]:
    buttons_only = filters.ALL & ~filters.COMMAND
    fallbacks: list[BaseHandler[Update, Any, Any]] = [
        CommandHandler(commands.CANCEL.names, cancel),
        CommandHandler(commands.DELETE.names, delete_from_dialogue),
        CallbackQueryHandler(cancel, pattern=_fb("c")),
        CallbackQueryHandler(stale_in_dialogue, pattern=pattern(PREFIX)),
    ]
    return ConversationHandler(
        name=NAME,
        persistent=True,
        per_chat=True,
        per_user=True,
        allow_reentry=True,
        conversation_timeout=TIMEOUT,
        entry_points=[
            CommandHandler(commands.FEEDBACK.names, start),
            CallbackQueryHandler(start, pattern=r"^menu:tyck$"),
        ],
        states={
            fb.DISTRICT: [
                CallbackQueryHandler(on_district_button, pattern=_fb("d", "p", "l")),
                MessageHandler(filters.LOCATION, on_location),
                MessageHandler(filters.TEXT & ~filters.COMMAND, on_district_text),
                MessageHandler(buttons_only, use_buttons),
            ],
            fb.CONFIRM_PLACE: [
                CallbackQueryHandler(on_confirm_place, pattern=_fb("cy", "cn")),
                MessageHandler(filters.LOCATION, on_location),
                MessageHandler(buttons_only, _confirm_place_text),
            ],
            fb.TOPIC: [
                CallbackQueryHandler(on_topic, pattern=_fb("t")),
                MessageHandler(buttons_only, use_buttons),
            ],
            fb.RATING: [
                CallbackQueryHandler(on_rating, pattern=_fb("r")),
                MessageHandler(filters.TEXT & ~filters.COMMAND, on_rating_text),
                MessageHandler(buttons_only, use_buttons),
            ],
            fb.TEXT: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
                MessageHandler(buttons_only, on_not_text),
            ],
            fb.REVIEW: [
                CallbackQueryHandler(on_review, pattern=_fb("s", "e")),
                MessageHandler(buttons_only, use_buttons),
            ],
            fb.EDIT: [
                CallbackQueryHandler(on_edit_choice, pattern=_fb("ef", "eb")),
                MessageHandler(buttons_only, _edit_text),
            ],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, on_timeout)],
        },
        fallbacks=fallbacks,
    )


async def _confirm_place_text(update: Update, context: BotContext) -> int | None:
    draft = await _load(update, context)
    if draft is None:
        return END
    await _send(context, _chat_id(update), context._("Svara med knapparna ovan, tack."))
    _save(context, draft)
    return None


async def _edit_text(update: Update, context: BotContext) -> int | None:
    draft = await _load(update, context)
    if draft is None:
        return END
    await _ask_what_to_edit(update, context, draft)
    return None


async def _ask_what_to_edit(update: Update, context: BotContext, draft: fb.Draft) -> None:
    await _send(
        context, _chat_id(update), context._("Vad vill du ändra?"), edit_keyboard(context, draft)
    )
    _save(context, draft)


def register_conversation(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Section 1: the dialogue itself (and the daily retention job, via a startup hook)."""
    app.add_handler(build_conversation())
    app.bot_data.setdefault("startup_hooks", []).append(schedule_retention)


def register_buttons(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Section 2: the updates question and dialogue buttons pressed after the dialogue ended."""
    app.add_handlers(
        [
            CallbackQueryHandler(on_updates_answer, pattern=r"^fbu:[A-Z0-9]+:[yn]$"),
            CallbackQueryHandler(stale_outside, pattern=pattern(PREFIX)),
        ]
    )


# --------------------------------------------------------------------------- retention


async def purge_job(context: BotContext) -> None:
    """Daily (bot.retention): old feedback text, and drafts of dialogues that timed out."""
    await retention.purge(context, DRAFT_KEY, TIMEOUT)


async def schedule_retention(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Startup hook: once a day at night, plus once shortly after start-up."""
    if app.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        log.warning("No JobQueue: old feedback text will not be removed automatically")
        return
    name = retention.RETENTION_JOB
    app.job_queue.run_daily(purge_job, time=retention.RETENTION_AT, name=name)
    app.job_queue.run_once(purge_job, when=retention.FIRST_RUN_AFTER, name=name)
