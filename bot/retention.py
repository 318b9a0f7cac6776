"""The daily retention job: old feedback text and abandoned dialogue drafts do not linger.

Free text older than RETENTION_MONTHS is removed (rows and counts stay), and a draft whose
dialogue timed out while nobody came back (or the bot was down) is forgotten, so a resident who
walks away mid-dialogue leaves no unsent text in the bot's state. The handler that owns the
dialogue schedules the job (``schedule``) and names its draft key and timeout. Ages are measured
on the bot's one clock (bot.context.now), as the dialogue stamps its drafts.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from datetime import time as dtime

from bot import feedback as fb
from bot.context import AnyApp, BotContext, now
from bot.i18n import TIMEZONE
from storage import feedback as repo
from storage import questions_log

log = logging.getLogger(__name__)

RETENTION_JOB = "feedback-retention"
# Once a day at night, plus once shortly after start-up (a bot restarted daily still purges).
RETENTION_AT = dtime(3, 30, tzinfo=TIMEZONE)
FIRST_RUN_AFTER = timedelta(minutes=1)


def drop_abandoned_drafts(app: AnyApp, draft_key: str, max_age: timedelta, at: datetime) -> int:
    """Forget every draft under ``draft_key`` untouched for longer than ``max_age``
    (the dialogue timeout) at the moment ``at``."""
    dropped = 0
    cutoff = (at - max_age).timestamp()
    for user_id, data in list(app.user_data.items()):
        draft = fb.Draft.from_dict(data.get(draft_key)) if isinstance(data, dict) else None
        if draft is not None and draft.touched < cutoff:
            data.pop(draft_key, None)
            app.mark_data_for_update_persistence(user_ids=user_id)
            dropped += 1
    return dropped


async def purge(context: BotContext, draft_key: str, max_age: timedelta) -> None:
    """One run of the job: old text out of the database, abandoned drafts out of the state."""
    months = context.settings.retention_months
    removed = await repo.purge_old_text(context.db, months)
    log.info(
        "Retention: removed the text of %d feedback item(s) older than %d months", removed, months
    )
    questions = await questions_log.purge_old_text(context.db, months, now(context))
    if questions:
        log.info("Retention: removed the text of %d unanswered question(s)", questions)
    dropped = drop_abandoned_drafts(context.application, draft_key, max_age, now(context))
    if dropped:
        await context.application.update_persistence()
        log.info("Retention: dropped %d abandoned feedback draft(s)", dropped)


def schedule(app: AnyApp, draft_key: str, max_age: timedelta) -> None:
    """Once a day at night, plus once shortly after start-up (call from a startup hook)."""
    if app.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        log.warning("No JobQueue: old feedback text will not be removed automatically")
        return

    async def job(context: BotContext) -> None:
        await purge(context, draft_key, max_age)

    app.job_queue.run_daily(job, time=RETENTION_AT, name=RETENTION_JOB)
    app.job_queue.run_once(job, when=FIRST_RUN_AFTER, name=RETENTION_JOB)
