"""Residents' questions (issue #3): free text, /fraga, /loften, /fokus and their buttons.

Any text outside a dialogue is a question. The knowledge base is built once (a start-up hook,
or lazily on first use) and kept in ``services.knowledge``; a question then costs a few ms.

Groups: the bot answers free text only when it is addressed there – a reply to one of its
messages or a message that mentions ``@botusername`` – so it never butts into people's
conversations. Commands (/loften, /fokus, /fraga …) work in groups as usual; unknown commands
get an answer in groups only when they are addressed to this bot (``/x@botusername``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from datetime import date
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import answers, commands
from bot.callback import MenuButton
from bot.context import BotContext, now
from bot.emergency import is_close_violence, use_detector
from bot.i18n import TIMEZONE
from bot.knowledge import Answer, KnowledgeBase
from bot.labels import command_name
from bot.services import Services
from handlers import unanswered
from handlers.common import on_startup
from handlers.start import ask_prompt, main_menu

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]


def knowledge_base(services: Services) -> KnowledgeBase:
    """The council's knowledge base, built once per content and kept in ``services.knowledge``.

    Also makes its emergency detector the one ``bot.emergency.is_emergency`` uses inside
    dialogues, so a content reload (which replaces ``services.knowledge``) takes effect there too.
    """
    kb = services.knowledge
    if kb is None:
        kb = services.knowledge = KnowledgeBase.from_council(services.council)
    use_detector(kb.emergency)
    return kb


def today(context: BotContext) -> date:
    """Today in Umeå (tests pin it with ``services.clock``)."""
    return now(context).astimezone(TIMEZONE).date()


# ---------------------------------------------------------------- filters


class _AddressedToBot(filters.MessageFilter):
    """A group message that replies to the bot or mentions @botusername."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        username = bot.username
        return bool(username and message.text and f"@{username.lower()}" in message.text.lower())


class _CommandForThisBot(filters.MessageFilter):
    """A group command written as ``/x@botusername`` (bare ``/x`` may be for another bot)."""

    def filter(self, message: Message) -> bool:
        username = message.get_bot().username
        first = (message.text or "").split(maxsplit=1)[0] if message.text else ""
        return bool(username and first.lower().endswith(f"@{username.lower()}"))


ADDRESSED = _AddressedToBot()
PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
NEW_TEXT = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND


def _strip_mention(text: str, username: str | None) -> str:
    if not username:
        return text
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


# ---------------------------------------------------------------- answering


async def _answer(message: Message, context: BotContext, question: str) -> Answer:
    """Reply by band: 112 first on danger, an answer, a hedge, small talk or "vet inte".

    Returns the decision (band and entry id), the seam for anything that follows an answer
    ("Fick du svar?", logging unanswered questions).
    """
    kb = knowledge_base(context.services)
    # A question is answered in the language it was asked in when that is clear (many Swedes
    # run Telegram in English); short or mixed messages keep the resident's language.
    context.locale = kb.language.of(question) or context.locale
    result = kb.answer(question, context.locale)
    if not result.close_violence and is_close_violence(question):
        # Threats or violence by someone close, also told as the past: the support lines.
        result = dataclasses.replace(result, close_violence=True)
    related = kb.related(result.entry) if result.answered and result.entry is not None else ()
    reply = answers.render_answer(
        result, context.council, context.locale, context._, related, question=question
    )
    markup = reply.markup()
    if result.band == "small_talk" and not result.emergency:
        markup = main_menu(context)
    log.info(
        "Question band=%s emergency=%s entry=%s confidence=%.2f",
        result.band,
        result.emergency,
        result.entry.id if result.entry else None,
        result.confidence,
    )
    markup = await unanswered.after_answer(context, question, result, markup)  # H-staff
    await message.reply_text(reply.text, reply_markup=markup)
    return result


async def on_text(update: Update, context: BotContext) -> None:
    """Free text outside any dialogue is a question (or small talk, which the KB recognises)."""
    message = update.effective_message
    assert message and message.text is not None
    question = _strip_mention(message.text, context.bot.username)
    if not question:
        await message.reply_text(ask_prompt(context))
        return
    await _answer(message, context, question)


async def ask(update: Update, context: BotContext) -> None:
    """/fraga <fråga> answers at once; bare /fraga asks for the question."""
    message = update.effective_message
    assert message
    question = " ".join(context.args or []).strip()
    if not question:
        await message.reply_text(ask_prompt(context))
        return
    await _answer(message, context, question)


async def show_entry(update: Update, context: BotContext) -> None:
    """A "läs mer", hedge or "menade du" button: ``kb:<entry id>``."""
    query = update.callback_query
    assert query
    button = answers.EntryButton.parse(query.data)
    kb = knowledge_base(context.services)
    entry = kb.entry(button.entry_id) if button is not None else None
    if entry is None or query.message is None:
        await query.answer(context._("Det ämnet finns inte längre. Skriv din fråga igen."))
        return
    await query.answer()
    reply = answers.render_entry(entry, context.locale, context._, kb.related(entry))
    await context.bot.send_message(query.message.chat.id, reply.text, reply_markup=reply.markup())


# ---------------------------------------------------------------- löften and fokus


async def _send(update: Update, context: BotContext, reply: answers.Reply) -> None:
    """Reply to a command, or send after a button press (the pressed message stays as it was)."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        assert query.message is not None
        await context.bot.send_message(
            query.message.chat.id, reply.text, reply_markup=reply.markup()
        )
        return
    assert update.effective_message
    await update.effective_message.reply_text(reply.text, reply_markup=reply.markup())


async def promises(update: Update, context: BotContext) -> None:
    """/loften and the menu button: current promises, or honestly the latest known ones."""
    status = context.council.current_promises(today(context))
    await _send(update, context, answers.render_promises(status, context.locale, context._))


async def show_promise(update: Update, context: BotContext) -> None:
    """``lofte:<promise id>``: one promise in full."""
    query = update.callback_query
    assert query
    button = answers.PromiseButton.parse(query.data)
    council = context.council
    promise = next(
        (p for p in council.promises if button is not None and p.id == button.promise_id), None
    )
    if promise is None:
        await query.answer(context._("Det löftet finns inte längre. Skriv /loften igen."))
        return
    period = council.promise_period(promise.period)
    status = council.current_promises(today(context))
    reply = answers.render_promise(promise, period, status, context.locale, context._)
    await _send(update, context, reply)


async def focus_areas(update: Update, context: BotContext) -> None:
    """/fokus and the menu button: the council's focus areas."""
    reply = answers.render_focus_areas(context.council, context.locale, context._)
    await _send(update, context, reply)


async def show_focus(update: Update, context: BotContext) -> None:
    """``fokus:<focus id>``: one focus area."""
    query = update.callback_query
    assert query
    button = answers.FocusButton.parse(query.data)
    area = context.council.focus_area(button.focus_id) if button is not None else None
    if area is None:
        await query.answer(context._("Det området finns inte längre. Skriv /fokus igen."))
        return
    await _send(update, context, answers.render_focus(area, context.locale, context._))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A slash command nobody handles: say so kindly and point to /hjalp."""
    message = update.effective_message
    assert message
    help_name = command_name(commands.HELP, context.locale)
    await message.reply_text(
        context._(
            "Det kommandot känner jag inte igen. Skriv /{help} för att se vad jag kan."
        ).format(help=help_name)
    )


async def not_text(update: Update, context: BotContext) -> None:
    """A sticker, photo, voice message, location … outside any dialogue: say what works."""
    message = update.effective_message
    assert message
    await message.reply_text(
        context._(
            "Jag kan bara läsa text. Skriv din fråga med egna ord, eller skriv /{feedback} "
            "för att tycka till om tryggheten där du bor."
        ).format(feedback=command_name(commands.FEEDBACK, context.locale))
    )


# ---------------------------------------------------------------- registration


async def _build_kb(app: AnyApp) -> None:
    """Build the knowledge base in a thread at start-up (it learns for a few seconds)."""
    services: Services = app.bot_data["services"]
    if services.knowledge is None:
        services.knowledge = await asyncio.to_thread(KnowledgeBase.from_council, services.council)
    knowledge_base(services)


def register(app: AnyApp) -> None:
    """Section 2: commands and buttons."""
    on_startup(app, _build_kb)
    app.add_handlers(
        [
            CommandHandler(commands.ASK.names, ask),
            CommandHandler(commands.PROMISES.names, promises),
            CommandHandler(commands.FOCUS.names, focus_areas),
            CallbackQueryHandler(promises, pattern=MenuButton.pattern(choice="loften")),
            CallbackQueryHandler(focus_areas, pattern=MenuButton.pattern(choice="fokus")),
            CallbackQueryHandler(show_entry, pattern=answers.EntryButton.pattern()),
            CallbackQueryHandler(show_promise, pattern=answers.PromiseButton.pattern()),
            CallbackQueryHandler(show_focus, pattern=answers.FocusButton.pattern()),
        ]
    )


def register_free_text(app: AnyApp) -> None:
    """Section 3: free text in private chats, and in groups when the bot is addressed."""
    app.add_handler(MessageHandler(NEW_TEXT & (PRIVATE | (GROUPS & ADDRESSED)), on_text))


def register_catch_all(app: AnyApp) -> None:
    """Section 4: unknown commands and media. Must be the last group-0 message handlers."""
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & PRIVATE & ~filters.TEXT, not_text))
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.COMMAND
            & (PRIVATE | (GROUPS & _CommandForThisBot())),
            unknown_command,
        )
    )
