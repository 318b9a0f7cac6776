"""The machinery of the "tyck till" dialogue shared by its steps: the draft, asking, moving on.

Waiting for input with a timeout works as handlers.common describes (the one mechanism): a
persistent ConversationHandler with ``conversation_timeout`` ends a silent dialogue while the bot
runs, and the draft's ``touched`` (common.stamp: the bot's one clock) ends one that went silent
while the bot was down. Texts and keyboards come from bot.feedback_view.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, NamedTuple

from telegram import CallbackQuery, Message, ReplyKeyboardRemove, Update
from telegram.ext import ConversationHandler

from bot import feedback as fb
from bot.answers import emergency_text
from bot.context import BotContext
from bot.emergency import is_emergency
from bot.feedback_view import FeedbackButton, View
from handlers.common import edit_quietly, expired, is_private, stamp

log = logging.getLogger(__name__)

NAME = "feedback"
DRAFT_KEY = "feedback_draft"
# Silence that ends a dialogue. A module constant so tests can shorten it before start-up.
TIMEOUT = timedelta(minutes=15)
END = ConversationHandler.END
ORDER = [fb.DISTRICT, fb.TOPIC, fb.RATING, fb.TEXT, fb.REVIEW]


def view(context: BotContext) -> View:
    return View(context.t, context.council, context.locale)


def user_data(context: BotContext) -> dict[Any, Any]:
    assert context.user_data is not None
    return context.user_data


def save(context: BotContext, draft: fb.Draft) -> None:
    draft.touch(stamp(context))
    draft.boot = context.services.boot_id
    user_data(context)[DRAFT_KEY] = draft.to_dict()


def clear(context: BotContext) -> None:
    user_data(context).pop(DRAFT_KEY, None)


def stored_draft(context: BotContext) -> fb.Draft | None:
    return fb.Draft.from_dict(user_data(context).get(DRAFT_KEY))


def chat_id(update: Update) -> int:
    assert update.effective_chat
    return update.effective_chat.id


def timeout_minutes() -> int:
    return max(1, round(TIMEOUT.total_seconds() / 60))


async def send(context: BotContext, chat: int, text: str, markup: Any = None) -> None:
    await context.bot.send_message(chat, text, reply_markup=markup)


async def close_keyboard(update: Update, note: str | None = None) -> None:
    """Take the buttons off the message that was pressed (and say what was chosen)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    message = query.message
    if note is not None and isinstance(message, Message) and message.text:
        await edit_quietly(query, f"{message.text_html}\n\n{note}")
    else:
        await edit_quietly(query)


async def ask(update: Update, context: BotContext, draft: fb.Draft, state: int) -> int:
    """Send the question for ``state`` and return it (the ConversationHandler's next state)."""
    v = view(context)
    chat = chat_id(update)
    if state == fb.DISTRICT:
        await send(
            context, chat, v.district_prompt(), v.district_keyboard(draft, 0, is_private(update))
        )
    elif state == fb.TOPIC:
        await send(context, chat, v.topic_prompt(), v.topic_keyboard(draft))
    elif state == fb.RATING:
        await send(context, chat, v.rating_prompt(), v.rating_keyboard(draft))
    elif state == fb.TEXT:
        await send(context, chat, v.text_prompt(), v.cancel_keyboard(draft))
    elif state == fb.REVIEW:
        if draft.submission_key is None:
            draft.submission_key = fb.new_submission_key()
        draft.back_to_review = False
        await send(context, chat, v.review(draft), v.review_keyboard(draft))
    draft.step = state
    save(context, draft)
    return state


async def next_step(update: Update, context: BotContext, draft: fb.Draft, after: int) -> int:
    """The step after ``after``: back to the review when editing, else the next unanswered."""
    if draft.back_to_review and draft.complete:
        return await ask(update, context, draft, fb.REVIEW)
    return await ask(update, context, draft, ORDER[ORDER.index(after) + 1])


def state_of(draft: fb.Draft) -> int:
    """The first unanswered step (where a resident returning to the dialogue continues)."""
    if draft.district is None:
        return fb.DISTRICT
    if draft.topic is None:
        return fb.TOPIC
    if not draft.rating_done:
        return fb.RATING
    if draft.text is None:
        return fb.TEXT
    return fb.REVIEW


async def load(update: Update, context: BotContext) -> fb.Draft | None:
    """The active draft, or None after telling the resident the dialogue is over.

    A draft can be missing (deleted with /radera) or stale (older than the timeout while the
    bot was down, when no timeout job could fire).
    """
    draft = stored_draft(context)
    query = update.callback_query
    if draft is not None and expired(context, draft.touched, TIMEOUT):
        clear(context)
        if query:
            await query.answer()
        await send(
            context,
            chat_id(update),
            view(context).timed_out(timeout_minutes()),
            ReplyKeyboardRemove(),
        )
        return None
    if draft is not None and draft.boot and draft.boot != context.services.boot_id:
        draft.boot = context.services.boot_id
        if query is None:  # a pressed button shows where they are; typed text does not
            await send(context, chat_id(update), view(context).resumed(draft.step))
    if draft is None:
        text = context._("Den här dialogen är redan avslutad. Skriv /tyck för att börja om.")
        if query:
            await query.answer(text, show_alert=True)
        else:
            await send(context, chat_id(update), text)
    return draft


async def load_for_button(
    update: Update, context: BotContext
) -> tuple[fb.Draft, FeedbackButton] | int | None:
    """The draft and the pressed button when the button belongs to this dialogue.

    Otherwise what the handler returns: END (no dialogue any more) or None (a button from an
    older dialogue, already answered; the state stays).
    """
    draft = await load(update, context)
    if draft is None:
        return END
    query = update.callback_query
    assert query
    button = FeedbackButton.parse(query.data)
    if button is None or button.sid != draft.sid:
        await query.answer(
            context._(
                "Den här knappen hör till en tidigare dialog. Använd knapparna i det senaste "
                "meddelandet."
            ),
            show_alert=True,
        )
        return None
    return draft, button


class Press(NamedTuple):
    """A pressed button of the current dialogue: its draft, the parsed button and the query."""

    draft: fb.Draft
    button: FeedbackButton
    query: CallbackQuery


ButtonHandler = Callable[[Update, BotContext, Press], Awaitable[int | None]]


def button_step(
    handler: ButtonHandler,
) -> Callable[[Update, BotContext], Coroutine[Any, Any, int | None]]:
    """A dialogue button's handler, given the press (draft, button, query).

    The shared preamble of every button step: load the draft and check that the button belongs
    to this dialogue (load_for_button answers it otherwise); the handler only does its step.
    """

    @functools.wraps(handler)
    async def step(update: Update, context: BotContext) -> int | None:
        loaded = await load_for_button(update, context)
        if not isinstance(loaded, tuple):
            return loaded
        query = update.callback_query
        assert query
        return await handler(update, context, Press(*loaded, query))

    return step


async def answer_and_close(query: CallbackQuery, update: Update, note: str | None = None) -> None:
    """Answer the press, then take the buttons off its message (with what was chosen)."""
    await query.answer()
    await close_keyboard(update, note)


async def emergency_first(update: Update, context: BotContext) -> None:
    """Danger now outranks the dialogue: 112 comes before anything else we say."""
    message = update.effective_message
    if message and message.text and is_emergency(message.text):
        await send(
            context, chat_id(update), emergency_text(context.council, context.locale, context._)
        )
