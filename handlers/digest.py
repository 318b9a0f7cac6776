"""The weekly digest: council members subscribe a chat to last week's situational picture.

The subscription lives in the database; the weekly jobs are re-created from it at start-up
(python-telegram-bot does not persist jobs).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot import commands, outbox
from bot.access import Role, has_role, require
from bot.app import AnyApp
from bot.context import BotContext, now
from bot.escape import esc
from bot.i18n import TIMEZONE, translations
from bot.labels import command_name
from bot.periods import calendar_period
from bot.services import Services
from bot.summary import Scope, compute_summary, render_summary
from handlers.common import command_label, is_private, on_startup, private_only, reply
from storage import audit
from storage import council as council_repo
from storage import outbox as outbox_repo
from storage import staff as staff_repo

log = logging.getLogger(__name__)

DIGEST_TIME = time(8, 0, tzinfo=TIMEZONE)
DIGEST_DAYS = (1,)  # python-telegram-bot counts 0 = Sunday, so 1 = Monday


def is_private_chat(chat_id: int) -> bool:
    """Telegram gives private chats the user's (positive) id and groups negative ids. The digest
    quotes residents' texts, so it goes to a member's private chat only (as /integritet says)."""
    return chat_id > 0


def _job_name(chat_id: int) -> str:
    return f"council-digest:{chat_id}"


def schedule_digest(app: AnyApp, chat_id: int) -> None:
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


def unschedule_digest(app: AnyApp, chat_id: int) -> None:
    if app.job_queue is None:
        return
    for job in app.job_queue.get_jobs_by_name(_job_name(chat_id)):
        job.schedule_removal()


async def send_digest(app: AnyApp, chat_id: int, moment: datetime) -> bool:
    """Queue last week's summary for one subscribed chat; False if the chat is not subscribed."""
    services: Services = app.bot_data["services"]
    if not is_private_chat(chat_id):
        # A group subscribed before groups were refused: never deliver there, end it.
        await _drop_group(app, chat_id)
        return False
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
    # Through the outbox: paced with everything else the bot broadcasts, and a restart in the
    # middle neither loses nor repeats it. A chat that blocked the bot is unsubscribed there.
    await outbox_repo.enqueue(
        services.db,
        "digest",
        {sub.language: outbox_repo.Text(text)},
        [outbox_repo.Recipient(chat_id, sub.language)],
        subject=str(chat_id),
    )
    outbox.sender_of(app).wake()
    return True


async def _drop_group(app: AnyApp, chat_id: int) -> None:
    log.warning("A weekly digest was subscribed to a group chat; ended without sending")
    await council_repo.unsubscribe_digest(app.bot_data["services"].db, chat_id)
    unschedule_digest(app, chat_id)


def _unsubscribe_gone(app: AnyApp) -> outbox.GoneHook:
    async def gone(row: outbox_repo.Row) -> None:
        log.info("Digest chat is gone (bot blocked or removed); unsubscribing it")
        await council_repo.unsubscribe_digest(app.bot_data["services"].db, row.chat_id)
        unschedule_digest(app, row.chat_id)

    return gone


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    assert job is not None and job.chat_id is not None
    await send_digest(context.application, job.chat_id, now(context))


async def restore_digests(app: AnyApp) -> None:
    """Start-up hook: re-create the weekly jobs from the database (jobs are not persisted)."""
    services: Services = app.bot_data["services"]
    subs = await council_repo.digest_subscriptions(services.db)
    private = [sub for sub in subs if is_private_chat(sub.chat_id)]
    for sub in subs:
        if is_private_chat(sub.chat_id):
            schedule_digest(app, sub.chat_id)
        else:
            await _drop_group(app, sub.chat_id)
    if private:
        log.info("Scheduled %d weekly digest(s)", len(private))


async def subscribe_command(update: Update, context: BotContext) -> None:
    if not await require(update, context, Role.COUNCIL, action="subscribe"):
        return
    if not await private_only(update, context):  # the digest quotes residents' texts
        return
    assert update.effective_chat and update.effective_user
    chat_id = update.effective_chat.id
    created = await council_repo.subscribe_digest(
        context.db, chat_id, context.locale, update.effective_user.id
    )
    schedule_digest(context.application, chat_id)
    if created:  # asking again changes nothing, so it is not logged again
        await audit.record(context.db, update.effective_user.id, "digest_subscribe", str(chat_id))
    _ = context._
    if created:
        text = _(
            "Klart! Varje måndag klockan 8 skickar jag förra veckans lägesbild hit. "
            "Sluta med /{command}."
        )
    else:
        text = _("Den här chatten får redan veckans lägesbild. Sluta med /{command}.")
    await reply(update, text.format(command=command_label(context, commands.UNSUBSCRIBE)))


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    # A former council member may always stop their own chat's digest: never refused.
    user_id = update.effective_user.id if update.effective_user else 0
    former = is_private(update) and await staff_repo.had_role(context.db, user_id, "council")
    if not former and not await require(update, context, Role.COUNCIL, action="unsubscribe"):
        return
    assert update.effective_chat and update.effective_user
    chat_id = update.effective_chat.id
    removed = await council_repo.unsubscribe_digest(context.db, chat_id)
    unschedule_digest(context.application, chat_id)
    _ = context._
    if removed:
        await audit.record(context.db, update.effective_user.id, "digest_unsubscribe", str(chat_id))
        await reply(update, _("Klart. Den här chatten får inte längre veckans lägesbild."))
    elif former and not await has_role(context, user_id, Role.COUNCIL):
        await reply(update, _("Den här chatten får ingen veckosammanfattning."))
    else:
        await reply(
            update,
            _("Den här chatten har ingen veckosammanfattning. Starta den med /{command}.").format(
                command=command_label(context, commands.SUBSCRIBE)
            ),
        )


def register(app: AnyApp) -> None:
    outbox.install(app).on("digest", gone=_unsubscribe_gone(app))
    app.add_handlers(
        [
            CommandHandler(commands.SUBSCRIBE.names, subscribe_command),
            CommandHandler(commands.UNSUBSCRIBE.names, unsubscribe_command),
        ]
    )
    on_startup(app, restore_digests)
