"""The "tyck till" dialogue (/tyck, /feedback, menu button): district → topic → rating → text.

A persistent ConversationHandler, so a resident mid-dialogue continues after a restart or crash.
This module holds the steps up to the text and the wiring; handlers/feedback_flow.py the shared
machinery (draft, asking, timeout), handlers/feedback_review.py review, sending and leaving, and
bot/feedback_view.py every text and keyboard. Only the chosen district is kept from a shared
location; the unredacted text is never put in ``user_data``; accusing texts are not stored at all.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import answers, commands, retention
from bot import feedback as fb
from bot.callback import MenuButton
from bot.content import haversine_km
from bot.context import AnyApp, BotContext
from bot.escape import esc
from bot.feedback_view import FeedbackButton, UpdatesButton
from bot.labels import OTHER, topic_ids
from bot.privacy import guard_model
from handlers import feedback_flow, notes
from handlers.common import (
    command_label,
    edit_quietly,
    expired,
    is_private,
    on_startup,
    stamp,
)
from handlers.feedback_flow import (
    DRAFT_KEY,
    END,
    NAME,
    TIMEOUT,
    Press,
    answer_and_close,
    ask,
    button_step,
    chat_id,
    clear,
    close_keyboard,
    emergency_first,
    load,
    next_step,
    save,
    send,
    state_of,
    stored_draft,
    view,
)
from handlers.feedback_review import (
    cancel,
    delete_from_dialogue,
    edit_text,
    on_edit_choice,
    on_review,
    on_timeout,
    on_updates_answer,
    stale_in_dialogue,
    stale_outside,
)
from handlers.feedback_text import on_keep_text, on_not_text, on_rewrite, on_text, take_text
from storage import feedback as repo

log = logging.getLogger(__name__)

__all__ = ["DRAFT_KEY", "NAME", "TIMEOUT", "build_conversation", "register_buttons"]

# A shared location further than this from every district centre is "outside the municipality".
MAX_DISTRICT_KM = 30.0
# At the review, one word up to this long ("skicka", "okej", "ändra") answers the review; it does
# not replace the written text.
REPLY_WORD_CHARS = 20


# --------------------------------------------------------------------------- entry


async def start(update: Update, context: BotContext) -> int:
    """/tyck, /feedback or the menu button; also restarts a dialogue already in progress."""
    query = update.callback_query
    if query:
        await query.answer()
    chat = chat_id(update)
    v = view(context)
    if not is_private(update):
        await send(context, chat, v.group_notice())
        return END
    ended = notes.end_waiting_note(context.user_data, stamp(context))
    if ended is not None:
        await send(
            context,
            chat,
            context._(
                "Jag avbröt återkopplingen från rådet för {district}. Inget publicerades."
            ).format(district=esc(v.district_label(ended))),
        )
    note = notes.pending_note(context.user_data, stamp(context))
    if note is not None:
        # One dialogue at a time: a typed text must not land in the council note instead.
        await send(
            context,
            chat,
            context._(
                "Du har en förhandsvisning av en återkoppling från rådet för {district}. "
                "Publicera den eller avbryt den med /{cancel} först, och skriv sedan "
                "/{command} igen."
            ).format(
                district=esc(v.district_label(note)),
                cancel=command_label(context, commands.CANCEL),
                command=command_label(context, commands.FEEDBACK),
            ),
        )
        return END
    unsent = _unsent_draft(context)
    if unsent is not None:
        # A written text is never thrown away by a second /tyck: show it again instead.
        await send(
            context,
            chat,
            context._(
                "Du har redan en synpunkt som inte är skickad. Här är den igen: skicka den, "
                "ändra den eller avbryt den med /{cancel} om du vill börja om."
            ).format(cancel=command_label(context, commands.CANCEL)),
        )
        unsent.back_to_review = False
        return await ask(update, context, unsent, fb.REVIEW)
    clear(context)
    assert update.effective_user
    alias = context.services.pseudonym(update.effective_user.id)
    if await repo.count_recent(context.db, alias) >= context.settings.feedback_per_day:
        await send(context, chat, v.limit(context.settings.feedback_per_day))
        return END
    draft = fb.new_draft(context.locale)
    await send(context, chat, v.intro(), v.district_keyboard(draft, 0, True))
    save(context, draft)
    return fb.DISTRICT


def _unsent_draft(context: BotContext) -> fb.Draft | None:
    """The current dialogue's draft when its text is written but not sent (and not expired)."""
    draft = stored_draft(context)
    if draft is None or not draft.complete or expired(context, draft.touched, TIMEOUT):
        return None
    return draft


# --------------------------------------------------------------------------- district


@button_step
async def on_district_button(update: Update, context: BotContext, press: Press) -> int | None:
    draft, button, query = press
    v = view(context)
    if button.action == "p":
        await query.answer()
        page = int(button.arg) if button.arg.isdigit() else 0
        await edit_quietly(query, reply_markup=v.district_keyboard(draft, page, is_private(update)))
        save(context, draft)
        return None
    if button.action == "l":
        await query.answer()
        if not is_private(update):
            return None
        await send(context, chat_id(update), v.ask_location(), v.location_keyboard())
        draft.location_keyboard = True
        save(context, draft)
        return None
    # action == "d"
    district = button.arg
    if district != OTHER and context.council.district(district) is None:
        await query.answer(context._("Det området känner jag inte till."), show_alert=True)
        return None
    draft.district = district
    await answer_and_close(query, update, v.chosen(v.district_label(district)))
    return await next_step(update, context, draft, fb.DISTRICT)


async def on_location(update: Update, context: BotContext) -> int | None:
    """Turn a shared location into the nearest district; the coordinates go no further."""
    draft = await load(update, context)
    if draft is None:
        return END
    message = update.effective_message
    assert message and message.location
    lat, lon = message.location.latitude, message.location.longitude
    draft.location_keyboard = False  # removed just below
    # A forged or broken location (inf, NaN, latitude 200) counts as "outside", never an error.
    usable = math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180
    nearest = context.council.nearest_district(lat, lon) if usable else None
    distance = haversine_km(lat, lon, nearest.lat, nearest.lon) if nearest else math.inf
    del lat, lon
    chat = chat_id(update)
    v = view(context)
    await send(
        context,
        chat,
        context._("Tack! Platsen används bara nu och sparas inte."),
        ReplyKeyboardRemove(),
    )
    if nearest is None or not distance <= MAX_DISTRICT_KM:
        await send(
            context,
            chat,
            context._(
                "Platsen verkar ligga utanför kommunens områden. Välj ett område i listan, eller "
                "”Annat område / vet inte”."
            ),
            v.district_keyboard(draft, 0, True),
        )
        save(context, draft)
        return None
    question = context._("Närmaste område är <b>{district}</b>. Stämmer det?")
    return await _propose_place(update, context, draft, nearest.id, question)


async def on_district_text(update: Update, context: BotContext) -> int | None:
    """A typed district name: an exact one ("mariehem", "MARIEHEM ") is taken at once; a near
    miss ("ersbod", "holmsnd") is proposed for the resident to confirm."""
    message = update.effective_message
    typed = message.text or "" if message else ""
    exact = fb.match_district(context.council, typed)
    district = exact or fb.near_district(context.council, typed)
    if district is None:
        return await use_buttons(update, context)
    draft = await load(update, context)
    if draft is None:
        return END
    if draft.location_keyboard:
        # The resident typed a name instead of sharing the location: take that keyboard away.
        draft.location_keyboard = False
        await send(
            context,
            chat_id(update),
            context._("Då använder jag inte din plats."),
            ReplyKeyboardRemove(),
        )
    if exact is not None:
        return await _take_typed(update, context, draft, exact)
    question = context._("Menar du <b>{district}</b>?")
    return await _propose_place(update, context, draft, district, question)


async def _take_typed(
    update: Update, context: BotContext, draft: fb.Draft, district_id: str
) -> int:
    """An exact typed name needs no question: say what was taken, then ask the next step."""
    draft.district, draft.candidate = district_id, None
    v = view(context)
    await send(context, chat_id(update), v.chosen(v.district_label(district_id)))
    return await next_step(update, context, draft, fb.DISTRICT)


async def _propose_place(
    update: Update, context: BotContext, draft: fb.Draft, district_id: str, question: str
) -> int:
    """Ask the resident to confirm a guessed district (from a location or a typed name)."""
    v = view(context)
    draft.candidate = district_id
    await send(context, chat_id(update), v.propose(question, district_id), v.place_keyboard(draft))
    save(context, draft)
    return fb.CONFIRM_PLACE


@button_step
async def on_confirm_place(update: Update, context: BotContext, press: Press) -> int | None:
    draft, button, query = press
    await query.answer()
    v = view(context)
    candidate, draft.candidate = draft.candidate, None
    if button.action == "cy" and candidate and context.council.district(candidate):
        draft.district = candidate
        await close_keyboard(update, v.chosen(v.district_label(candidate)))
        return await next_step(update, context, draft, fb.DISTRICT)
    await close_keyboard(update)
    await send(
        context,
        chat_id(update),
        v.district_prompt(),
        v.district_keyboard(draft, 0, is_private(update)),
    )
    save(context, draft)
    return fb.DISTRICT


async def _confirm_place_text(update: Update, context: BotContext) -> int | None:
    """Asked "Menar du …?", the resident may type the right name instead of answering."""
    draft = await load(update, context)
    if draft is None:
        return END
    message = update.effective_message
    exact = fb.match_district(context.council, message.text or "") if message else None
    if exact is not None:
        return await _take_typed(update, context, draft, exact)
    await send(context, chat_id(update), context._("Svara med knapparna ovan, tack."))
    save(context, draft)
    return None


# --------------------------------------------------------------------------- topic, rating


@button_step
async def on_topic(update: Update, context: BotContext, press: Press) -> int | None:
    draft, button, query = press
    topic = button.arg
    if topic not in topic_ids(context.council):
        await query.answer(context._("Det ämnet känner jag inte till."), show_alert=True)
        return None
    draft.topic = topic
    v = view(context)
    await answer_and_close(query, update, v.chosen(v.topic_label(topic)))
    return await next_step(update, context, draft, fb.TOPIC)


async def _set_rating(update: Update, context: BotContext, draft: fb.Draft, value: int) -> int:
    draft.rating = None if value == fb.SKIP else value
    draft.rating_done = True
    return await next_step(update, context, draft, fb.RATING)


@button_step
async def on_rating(update: Update, context: BotContext, press: Press) -> int | None:
    draft, button, query = press
    arg = button.arg
    await query.answer()
    if not arg.isdigit() or int(arg) not in (fb.SKIP, 1, 2, 3, 4, 5):
        return None
    await close_keyboard(update, view(context).chosen(fb.rating_text(int(arg) or None, context._)))
    return await _set_rating(update, context, draft, int(arg))


async def on_rating_text(update: Update, context: BotContext) -> int | None:
    """A typed 1–5 works as well as a button; anything else gets the buttons again."""
    draft = await load(update, context)
    if draft is None:
        return END
    message = update.effective_message
    value = fb.parse_rating(message.text or "") if message else None
    if value is None:  # a question, an emergency or chatter: as at every button step
        return await _not_a_button(update, context, draft)
    return await _set_rating(update, context, draft, value)


async def on_review_text(update: Update, context: BotContext) -> int | None:
    """Text typed at the review: a question is answered (the draft stays); a single word
    ("skicka", "ok", "ja") is an answer to the review, so the buttons come again; anything
    else is a new text that replaces the draft's, checked like any text, then the review."""
    draft = await load(update, context)
    if draft is None:
        return END
    message = update.effective_message
    typed = (message.text or "").strip() if message else ""
    if len(typed.split()) <= 1 and len(typed) <= REPLY_WORD_CHARS:
        return await _not_a_button(update, context, draft)
    await emergency_first(update, context)
    if await _answer_question(update, context):
        return await ask(update, context, draft, fb.REVIEW)
    return await take_text(update, context, draft, replacing=True)


# --------------------------------------------------------------------------- free text


async def use_buttons(update: Update, context: BotContext) -> int | None:
    """Text, stickers etc. at a button step: point to the buttons and show them again."""
    draft = await load(update, context)
    if draft is None:
        return END
    return await _not_a_button(update, context, draft)


async def _not_a_button(update: Update, context: BotContext, draft: fb.Draft) -> int | None:
    """112 first when there is danger; a question is answered and the step asked again;
    anything else gets the buttons again."""
    await emergency_first(update, context)
    if await _answer_question(update, context):
        return await ask(update, context, draft, _current_step(draft))
    # The step last asked, not the first unanswered one: while changing the district from the
    # review, everything is answered, yet the district list is what must come back.
    return await _use_buttons(update, context, draft, _current_step(draft))


def _current_step(draft: fb.Draft) -> int:
    step = draft.step if draft.step in (fb.DISTRICT, fb.TOPIC, fb.RATING, fb.REVIEW) else None
    return state_of(draft) if step is None else step


async def _answer_question(update: Update, context: BotContext) -> bool:
    """A question typed mid-dialogue ("vad betyder segregation?") gets a brief answer from the
    knowledge base, as outside the dialogue; then the dialogue continues where it was."""
    from handlers.questions import knowledge_base

    message = update.effective_message
    text = message.text if message else None
    if not text or "?" not in text:
        return False
    result = knowledge_base(context.services).answer(text, context.locale)
    if result.band != "answer" or result.entry is None or result.emergency:
        return False
    reply = answers.render_entry(result.entry, context.locale, context._, ())
    await send(context, chat_id(update), reply.text)
    await send(context, chat_id(update), context._("Nu fortsätter vi där vi var."))
    return True


async def _use_buttons(
    update: Update, context: BotContext, draft: fb.Draft, state: int
) -> int | None:
    markup: Any = None
    if draft.candidate is None and state == fb.DISTRICT and is_private(update):
        # The location keyboard may still be up ("Välj i listan i stället"): take it away.
        markup = ReplyKeyboardRemove()
    await send(context, chat_id(update), context._("Välj med knapparna nedan, tack."), markup)
    await ask(update, context, draft, state)
    return None


# --------------------------------------------------------------------------- wiring


def _fb(*actions: str) -> str:
    return FeedbackButton.pattern(action=actions)


def build_conversation() -> ConversationHandler[Any]:
    # New messages only: an edited message (edited_message) never becomes an answer or the text.
    new = filters.UpdateType.MESSAGE
    buttons_only = new & ~filters.COMMAND
    fallbacks: list[BaseHandler[Update, Any, Any]] = [
        CommandHandler(commands.CANCEL.names, cancel),
        CommandHandler(commands.DELETE.names, delete_from_dialogue),
        CallbackQueryHandler(cancel, pattern=_fb("c")),
        CallbackQueryHandler(stale_in_dialogue, pattern=FeedbackButton.pattern()),
    ]
    return ConversationHandler(
        name=NAME,
        persistent=True,
        per_chat=True,
        per_user=True,
        allow_reentry=True,
        conversation_timeout=feedback_flow.TIMEOUT,  # read at build time: tests shorten it
        entry_points=[
            CommandHandler(commands.FEEDBACK.names, start),
            CallbackQueryHandler(start, pattern=MenuButton.pattern(choice="tyck")),
        ],
        states={
            fb.DISTRICT: [
                CallbackQueryHandler(on_district_button, pattern=_fb("d", "p", "l")),
                MessageHandler(new & filters.LOCATION, on_location),
                MessageHandler(new & filters.TEXT & ~filters.COMMAND, on_district_text),
                MessageHandler(buttons_only, use_buttons),
            ],
            fb.CONFIRM_PLACE: [
                CallbackQueryHandler(on_confirm_place, pattern=_fb("cy", "cn")),
                MessageHandler(new & filters.LOCATION, on_location),
                MessageHandler(buttons_only, _confirm_place_text),
            ],
            fb.TOPIC: [
                CallbackQueryHandler(on_topic, pattern=_fb("t")),
                MessageHandler(buttons_only, use_buttons),
            ],
            fb.RATING: [
                CallbackQueryHandler(on_rating, pattern=_fb("r")),
                MessageHandler(new & filters.TEXT & ~filters.COMMAND, on_rating_text),
                MessageHandler(buttons_only, use_buttons),
            ],
            fb.TEXT: [
                CallbackQueryHandler(on_rewrite, pattern=_fb("w")),
                CallbackQueryHandler(on_keep_text, pattern=_fb("eb")),
                MessageHandler(new & filters.TEXT & ~filters.COMMAND, on_text),
                MessageHandler(buttons_only, on_not_text),
            ],
            fb.REVIEW: [
                CallbackQueryHandler(on_review, pattern=_fb("s", "e")),
                MessageHandler(new & filters.TEXT & ~filters.COMMAND, on_review_text),
                MessageHandler(buttons_only, use_buttons),
            ],
            fb.EDIT: [
                CallbackQueryHandler(on_edit_choice, pattern=_fb("ef", "eb")),
                MessageHandler(buttons_only, edit_text),
            ],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, on_timeout)],
        },
        fallbacks=fallbacks,
    )


def register_conversation(app: AnyApp) -> None:
    """Section 1: the dialogue itself (and the daily retention job, via a startup hook)."""
    app.add_handler(build_conversation())
    on_startup(app, _schedule_retention)
    on_startup(app, _learn_guard)


async def _schedule_retention(app: AnyApp) -> None:
    retention.schedule(app, DRAFT_KEY, feedback_flow.TIMEOUT)


async def _learn_guard(_app: AnyApp) -> None:
    """The art. 10 guard's model learns for seconds; finish before polling starts, or the first
    resident's text would hold the event loop (and everyone else) while it waits for it."""
    await asyncio.to_thread(guard_model.warm_up)


def register_buttons(app: AnyApp) -> None:
    """Section 2: the updates question and dialogue buttons pressed after the dialogue ended."""
    app.add_handlers(
        [
            CallbackQueryHandler(on_updates_answer, pattern=UpdatesButton.pattern()),
            CallbackQueryHandler(stale_outside, pattern=FeedbackButton.pattern()),
        ]
    )
