"""The free-text step of /tyck: length, the art. 10 guard, redaction, then the review.

Nothing the resident writes is kept before it passes the guard: an accusing text is refused, and
when the guard is unsure the resident is asked to rewrite it (or cancel) first.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import feedback as fb
from bot.context import BotContext
from bot.feedback_view import Action, FeedbackButton
from bot.privacy.accusation import ACCUSE, UNSURE, assess
from bot.privacy.notice import unsure_buttons
from bot.privacy.redact import redact
from handlers.feedback_flow import (
    END,
    Press,
    answer_and_close,
    ask,
    button_step,
    chat_id,
    emergency_first,
    load,
    next_step,
    save,
    send,
    view,
)


async def on_text(update: Update, context: BotContext) -> int | None:
    draft = await load(update, context)
    if draft is None:
        return END
    await emergency_first(update, context)
    return await take_text(update, context, draft)


async def take_text(
    update: Update, context: BotContext, draft: fb.Draft, *, replacing: bool = False
) -> int | None:
    """The resident's text through the same checks wherever it is typed: at the text step, or
    at the review, where it replaces the draft's text (``replacing``; the old one stays when
    the new one is refused)."""
    message = update.effective_message
    assert message and message.text is not None
    chat = chat_id(update)
    v = view(context)
    text = message.text.strip()
    length = fb.too_long(text)
    if length is not None:
        await send(context, chat, v.too_long(length))
        save(context, draft)
        return None
    verdict = assess(text).verdict
    if verdict == ACCUSE:
        # Not stored anywhere, not even in the draft (GDPR art. 10: suspected crime).
        await send(context, chat, v.accusation())
        if replacing:
            await send(context, chat, context._("Din tidigare text finns kvar."))
            return await ask(update, context, draft, fb.REVIEW)
        save(context, draft)
        return None
    if verdict == UNSURE:
        # The guard cannot tell whether a person is pointed out: ask first, store nothing.
        question, buttons = v.unsure(draft)
        if replacing:
            # "Skriv om" belongs to the text step, and a good text returns to the review; the
            # other choice keeps the text already written (Avbryt would throw it away).
            rewrite, _cancel = unsure_buttons(context.t)
            keep = context._("↩️ Behåll den tidigare texten")
            buttons = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(rewrite, callback_data=_button(draft, "w")),
                        InlineKeyboardButton(keep, callback_data=_button(draft, "eb")),
                    ]
                ]
            )
            await send(context, chat, question, buttons)
            draft.back_to_review = True
            draft.step = fb.TEXT
            save(context, draft)
            return fb.TEXT
        await send(context, chat, question, buttons)
        save(context, draft)
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
    if replacing:
        await send(context, chat, context._("Jag har bytt ut texten mot den du nyss skrev."))
    if cleaned.count:
        await send(context, chat, v.redacted(cleaned.count, list(cleaned.kinds)))
    if replacing:
        return await ask(update, context, draft, fb.REVIEW)
    return await next_step(update, context, draft, fb.TEXT)


async def on_rewrite(update: Update, context: BotContext) -> int | None:
    """ "Skriv om" after the guard was unsure: ask for the text again (the next message is it)."""
    draft = await load(update, context)
    if draft is None:
        return END
    query = update.callback_query
    assert query
    await answer_and_close(query, update)
    v = view(context)
    await send(context, chat_id(update), v.text_prompt(), v.cancel_keyboard(draft))
    save(context, draft)
    return None


def _button(draft: fb.Draft, action: Action) -> str:
    return FeedbackButton(draft.sid, action, "").pack()


@button_step
async def on_keep_text(update: Update, context: BotContext, press: Press) -> int | None:
    """ "Behåll den tidigare texten" after an unsure new text at the review: back to it."""
    draft, _button_pressed, query = press
    await answer_and_close(query, update)
    if not draft.complete:  # nothing to keep: ask for the text
        v = view(context)
        await send(context, chat_id(update), v.text_prompt(), v.cancel_keyboard(draft))
        save(context, draft)
        return None
    await send(context, chat_id(update), context._("Din tidigare text finns kvar."))
    return await ask(update, context, draft, fb.REVIEW)


async def on_not_text(update: Update, context: BotContext) -> int | None:
    draft = await load(update, context)
    if draft is None:
        return END
    await send(
        context,
        chat_id(update),
        context._(
            "Skriv gärna med text – jag kan inte läsa bilder, klistermärken eller röstmeddelanden."
        ),
    )
    save(context, draft)
    return None
