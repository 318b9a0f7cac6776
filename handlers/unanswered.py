"""Learn what residents ask: log what the bot could not answer, "Fick du svar?", /obesvarade.

``after_answer`` is called by handlers.questions after each answer: a question the bot could
not answer (or only hedged) is stored redacted like feedback, without who asked, and not at
all when it accuses someone (GDPR art. 10); every answer gets one optional 👍 / 👎 row that
goes away after one tap. ``/obesvarade [period]`` (admins and council members) groups the
logged questions by similarity, with counts and votes, newest first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import commands
from bot import unanswered as view
from bot.access import Role, require
from bot.callback import CallbackData
from bot.context import AnyApp, BotContext, now
from bot.escape import esc
from bot.knowledge import Answer
from bot.labels import command_name
from bot.moderation import when_text
from bot.periods import PeriodError, parse_period
from bot.privacy import redact
from bot.privacy.accusation import assess
from handlers.common import edit_quietly, private_only
from handlers.staff import chunks
from storage import questions_log as repo
from storage.timestamps import parse_utc

log = logging.getLogger(__name__)

MAX_STORED_CHARS = 500
VOTED_MAX = 10_000  # answers remembered as voted on (in memory only: a fast double tap)
LOGGED_BANDS = ("dont_know", "hedge")


@dataclass(frozen=True)
class VoteButton(CallbackData, prefix="svar"):
    """``svar:<y|n>[:<entry id>[:<question id>]]`` under an answer: "Fick du svar?"."""

    helpful: Literal["y", "n"]
    entry: str = ""
    question: int = 0


async def after_answer(
    context: BotContext, question: str, result: Answer, markup: InlineKeyboardMarkup | None
) -> InlineKeyboardMarkup | None:
    """Log an unanswered or hedged question; return the answer's keyboard with 👍 / 👎 added."""
    if result.emergency or result.band not in (*LOGGED_BANDS, "answer"):
        return markup
    question_id = 0
    if result.band in LOGGED_BANDS:
        question_id = await _log(context, question, result)
    entry = result.entry.id if result.entry is not None else ""
    row = [
        InlineKeyboardButton(
            context._("👍 Fick svar"), callback_data=VoteButton("y", entry, question_id).pack()
        ),
        InlineKeyboardButton(
            context._("👎 Fick inte svar"),
            callback_data=VoteButton("n", entry, question_id).pack(),
        ),
    ]
    rows = [list(r) for r in markup.inline_keyboard] if markup is not None else []
    return InlineKeyboardMarkup([*rows, row])


async def _log(context: BotContext, question: str, result: Answer) -> int:
    """Store the question redacted, or not at all when it accuses someone; returns its id (0)."""
    contacts = context.council.contacts
    cleaned = redact(
        question.strip()[:MAX_STORED_CHARS],
        keep_numbers=(contacts.municipality.phone, contacts.police.phone),
        locale=context.locale,
    ).text
    # Judged as asked (redaction may take a name but not the accusation), with the full guard.
    if not cleaned or not assess(question).stored:
        log.info("Unanswered question not stored (empty or accusing)")
        return 0
    return await repo.log_question(
        context.db,
        band=result.band,
        language="en" if context.locale.startswith("en") else "sv",
        text=cleaned,
        entry=result.entry.id if result.entry is not None else None,
        now=now(context),
    )


async def on_vote(update: Update, context: BotContext) -> None:
    """One tap: keep the vote (without who), thank, and take the 👍 / 👎 row away."""
    query = update.callback_query
    assert query
    button = VoteButton.parse(query.data)
    if button is None or not _first_vote(context, query.message):
        await query.answer(context._("Tack! Det hjälper oss att bli bättre.") if button else None)
        await edit_quietly(query, None, _without_votes(query.message))
        return
    await repo.vote(
        context.db,
        entry=button.entry,
        question_id=button.question or None,
        helpful=button.helpful == "y",
        now=now(context),
    )
    await query.answer(context._("Tack! Det hjälper oss att bli bättre."))
    await edit_quietly(query, None, _without_votes(query.message))


def _first_vote(context: BotContext, message: object) -> bool:
    """One vote per answer: a double tap (two presses before the row goes) counts once."""
    key = (getattr(getattr(message, "chat", None), "id", 0), getattr(message, "message_id", 0))
    seen = context.services.votes_seen
    if key in seen:
        return False
    seen[key] = True
    while len(seen) > VOTED_MAX:
        seen.popitem(last=False)
    return True


def _without_votes(message: object) -> InlineKeyboardMarkup | None:
    """The answer's keyboard without the 👍 / 👎 row (None when nothing else is left)."""
    markup = getattr(message, "reply_markup", None)
    rows = [
        list(row)
        for row in (markup.inline_keyboard if markup is not None else ())
        if not any(str(b.callback_data or "").startswith("svar:") for b in row)
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def show(update: Update, context: BotContext) -> None:
    """/obesvarade [period]: grouped unanswered questions and votes, for the council."""
    message = update.effective_message
    assert message
    if not await require(update, context, Role.COUNCIL, action="unanswered"):
        return
    if not await private_only(update, context):
        return
    text = " ".join(context.args or [])
    try:
        period = parse_period(text, now(context))
    except PeriodError:
        name = command_name(commands.UNANSWERED, context.locale)
        await message.reply_text(
            context._(
                "Jag förstår inte perioden ”{text}”. Skriv till exempel /{command}, "
                "/{command} förra månaden eller /{command} 2026-Q4."
            ).format(text=esc(text[:60]), command=name)
        )
        return
    questions = await repo.questions_between(context.db, period.start, period.end)
    votes = await repo.votes_between(context.db, period.start, period.end)
    groups = view.group_questions(questions)
    reply = view.render(
        groups,
        votes,
        context.council,
        title=period.title(context.t, context.locale),
        locale=context.locale,
        _=context._,
        ngettext=context.ngettext,
        when=lambda iso: when_text(parse_utc(iso), context.locale),
    )
    for part in chunks(reply):  # a long list comes in more than one message
        await message.reply_text(part)


def register(app: AnyApp) -> None:
    app.add_handlers(
        [
            CommandHandler(commands.UNANSWERED.names, show),
            CallbackQueryHandler(on_vote, pattern=VoteButton.pattern()),
        ]
    )
