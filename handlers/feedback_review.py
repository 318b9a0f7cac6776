"""The end of the "tyck till" dialogue: review, send, edit, cancel, timeout, old buttons, and the
question about updates afterwards.

Sending commits the row first and only then thanks the resident with its reference; a retried
send (same submission key) returns the same reference instead of a second row.
"""

from __future__ import annotations

import logging

from telegram import ReplyKeyboardRemove, Update
from telegram.error import TelegramError

from bot import feedback as fb
from bot.context import BotContext
from bot.feedback_view import FeedbackButton, UpdatesButton
from bot.labels import OTHER
from handlers.common import edit_quietly
from handlers.feedback_flow import (
    DRAFT_KEY,
    END,
    Press,
    answer_and_close,
    ask,
    button_step,
    chat_id,
    clear,
    close_keyboard,
    load,
    save,
    send,
    state_of,
    stored_draft,
    timeout_minutes,
    view,
)
from storage import feedback as repo

log = logging.getLogger(__name__)


@button_step
async def on_review(update: Update, context: BotContext, press: Press) -> int | None:
    draft, button, query = press
    if button.action == "e":
        await answer_and_close(query, update)
        await ask_what_to_edit(update, context, draft)
        return fb.EDIT
    # action == "s"
    if not draft.complete:
        await query.answer()
        return await ask(update, context, draft, state_of(draft))
    return await _submit(update, context, draft)


async def _submit(update: Update, context: BotContext, draft: fb.Draft) -> int:
    """Commit the row first; only then thank the resident with its reference."""
    query = update.callback_query
    assert query and update.effective_user
    if draft.submission_key is None:
        draft.submission_key = fb.new_submission_key()
        save(context, draft)
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
    chat = chat_id(update)
    v = view(context)
    if result.limited or result.ref is None:
        clear(context)
        await close_keyboard(update)
        await send(context, chat, v.limit(context.settings.feedback_per_day))
        return END
    await close_keyboard(update)
    await send(context, chat, v.thanks(result.ref))
    clear(context)
    subscriber = context.services.subscriber(update.effective_user.id)  # not the pseudonym
    if draft.district != OTHER and not await repo.is_subscribed(
        context.db, subscriber, draft.district
    ):
        await send(
            context, chat, v.updates_question(draft.district), v.updates_keyboard(result.ref)
        )
    return END


@button_step
async def on_edit_choice(update: Update, context: BotContext, press: Press) -> int | None:
    draft, button, query = press
    await answer_and_close(query, update)
    step = fb.EDITABLE.get(button.arg) if button.action == "ef" else None
    if step is None:
        return await ask(update, context, draft, fb.REVIEW)
    draft.back_to_review = True
    return await ask(update, context, draft, step)


async def edit_text(update: Update, context: BotContext) -> int | None:
    """Anything typed while choosing what to change: ask again."""
    draft = await load(update, context)
    if draft is None:
        return END
    await ask_what_to_edit(update, context, draft)
    return None


async def ask_what_to_edit(update: Update, context: BotContext, draft: fb.Draft) -> None:
    v = view(context)
    await send(context, chat_id(update), context._("Vad vill du ändra?"), v.edit_keyboard(draft))
    save(context, draft)


# --------------------------------------------------------------------------- leaving


async def cancel(update: Update, context: BotContext) -> int | None:
    """/avbryt or the Avbryt button at any step: nothing is stored."""
    query = update.callback_query
    if query:
        button = FeedbackButton.parse(query.data)
        draft = stored_draft(context)
        if draft is not None and button is not None and button.sid != draft.sid:
            await query.answer(
                context._("Den här knappen hör till en tidigare dialog."), show_alert=True
            )
            return None
        await query.answer()
        await close_keyboard(update)
    clear(context)
    await send(
        context,
        chat_id(update),
        context._("Okej, jag har avbrutit. Inget har sparats."),
        ReplyKeyboardRemove(),
    )
    return END


async def delete_from_dialogue(update: Update, context: BotContext) -> int:
    """/radera mid-dialogue: end the dialogue, then ask about deleting as usual."""
    from handlers import privacy

    clear(context)
    await privacy.ask_delete(update, context)
    return END


async def on_timeout(update: object, context: BotContext) -> None:
    """Fired by the JobQueue after TIMEOUT of silence; tells the resident and forgets the draft."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await send(
                context,
                update.effective_chat.id,
                view(context).timed_out(timeout_minutes()),
                ReplyKeyboardRemove(),
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


async def stale_in_dialogue(update: Update, context: BotContext) -> None:
    """A button of this feature that does not belong to the current step."""
    query = update.callback_query
    assert query
    draft = stored_draft(context)
    button = FeedbackButton.parse(query.data)
    if draft is None or button is None or button.sid != draft.sid:
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
    assert query and update.effective_user
    button = UpdatesButton.parse(query.data)
    alias = context.services.pseudonym(update.effective_user.id)
    district = await repo.district_of(context.db, button.ref, alias) if button else None
    if button is None or district is None or update.effective_chat is None:
        await query.answer(context._("Den här knappen är inte längre aktiv."), show_alert=True)
        return
    await query.answer()
    yes = button.answer == "y"
    if yes:
        chat_id = update.effective_chat.id
        subscriber = context.services.subscriber(chat_id)  # never the feedback pseudonym
        await repo.subscribe(context.db, subscriber, district, chat_id, context.locale)
    await edit_quietly(query, view(context).updates_answer(yes, district))
