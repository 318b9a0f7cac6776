"""Moderators get one digest when feedback has waited longer than MODERATION_REMINDER_HOURS.

A repeating job checks every quarter of an hour; the digest goes through the outbox (paced,
survives a restart, never twice), and the items count as reminded once it is queued.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot import moderation as view
from bot import outbox
from bot.access import Role
from bot.context import AnyApp, BotContext
from bot.i18n import translations
from handlers.common import on_startup
from storage import moderation as queue
from storage import outbox as outbox_repo
from storage import roles as roles_repo
from storage.timestamps import parse_utc

log = logging.getLogger(__name__)

REMINDER_JOB = "moderation-reminder"
REMINDER_INTERVAL = timedelta(minutes=15)


async def remind_overdue(context: BotContext) -> int:
    """Job: ONE digest to every moderator about feedback waiting too long; return how many items.

    Items are remembered once a digest reached someone, so the same items never trigger a
    second reminder. With no moderators yet, the admins get it instead.
    """
    hours = context.settings.moderation_reminder_hours
    overdue = await queue.overdue_unreminded(context.db, timedelta(hours=hours))
    if not overdue.ids or overdue.oldest_created_at is None:
        return 0
    recipients = await roles_repo.members_with(context.db, Role.MODERATOR.value)
    if not recipients:
        recipients = list(context.settings.admin_ids)
    oldest = parse_utc(overdue.oldest_created_at)
    texts: dict[str, outbox_repo.Text] = {}
    people = []
    for user_id in recipients:
        locale = context.locale_of(user_id)
        if locale not in texts:
            texts[locale] = outbox_repo.Text(
                view.reminder_digest(
                    len(overdue.ids), oldest, hours, locale=locale, t=translations(locale)
                )
            )
        people.append(outbox_repo.Recipient(user_id, locale))
    # Through the outbox (paced, survives a restart, never twice); the items count as reminded
    # once the reminder is queued.
    await outbox_repo.enqueue(context.db, "reminder", texts, people)
    await queue.mark_reminded(context.db, overdue.ids)
    outbox.sender_of(context.application).wake()
    log.info("Moderation reminder: %d items, %d recipients", len(overdue.ids), len(people))
    return len(overdue.ids)


async def _reminder_job(context: BotContext) -> None:
    await remind_overdue(context)


async def _schedule_reminder(app: AnyApp) -> None:
    if app.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        log.warning("No JobQueue: moderation reminders are off")
        return
    for job in app.job_queue.get_jobs_by_name(REMINDER_JOB):
        job.schedule_removal()
    app.job_queue.run_repeating(
        _reminder_job, interval=REMINDER_INTERVAL, first=timedelta(minutes=1), name=REMINDER_JOB
    )


def register(app: AnyApp) -> None:
    on_startup(app, _schedule_reminder)
