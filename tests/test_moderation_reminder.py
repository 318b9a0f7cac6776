"""Moderators get ONE digest about feedback waiting too long, and not again for the same items.

The repeating job is run directly (``job.run(app)``), never by waiting for the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot import outbox
from bot.settings import Settings
from handlers.moderation_reminder import REMINDER_JOB
from tests.helpers.bot import ADMIN_ID, BotRunner, RunningBot
from tests.helpers.staff import add_feedback, make_staff


async def run_reminder(bot: RunningBot) -> None:
    assert bot.app.job_queue is not None
    jobs = bot.app.job_queue.get_jobs_by_name(REMINDER_JOB)
    assert len(jobs) == 1  # registered by the startup hook, repeating
    await jobs[0].run(bot.app)
    await outbox.sender_of(bot.app).idle(timeout=5)  # reminders go out through the outbox


async def test_one_digest_per_overdue_batch(bot: RunningBot) -> None:
    await make_staff(bot.db, 601, "moderator")
    await make_staff(bot.db, 602, "moderator")
    await make_staff(bot.db, 603, "council")
    for uid in (601, 602, 603):
        bot.api.user(uid)
    await add_feedback(bot.db, age=timedelta(hours=30))
    await add_feedback(bot.db, age=timedelta(hours=25))
    await add_feedback(bot.db, age=timedelta(hours=2))  # not overdue yet
    decided = await add_feedback(bot.db, age=timedelta(hours=40))
    await bot.db.execute("UPDATE feedback SET status = 'approved' WHERE id = ?", (decided,))

    await run_reminder(bot)
    for uid in (601, 602):
        sent = bot.api.messages(uid)
        assert len(sent) == 1
        assert "2 återkopplingar har väntat mer än 24 timmar" in sent[0].plain_text
        assert "/granska" in sent[0].plain_text
    assert bot.api.messages(603) == []  # council members are not moderators
    assert bot.api.messages(ADMIN_ID) == []

    # Same items: no second reminder.
    await run_reminder(bot)
    assert len(bot.api.messages(601)) == 1
    assert len(bot.api.messages(602)) == 1

    # A newly overdue item: one more digest, about that item only.
    await add_feedback(bot.db, age=timedelta(hours=26))
    await run_reminder(bot)
    sent = bot.api.messages(601)
    assert len(sent) == 2
    assert "1 återkoppling har väntat" in sent[1].plain_text


async def test_threshold_setting_and_admin_fallback(
    runner: BotRunner, settings_factory: Callable[..., Settings]
) -> None:
    runner.settings = settings_factory(moderation_reminder_hours=2)
    bot = await runner.start()
    bot.api.user(ADMIN_ID)
    await add_feedback(bot.db, age=timedelta(hours=3))
    await add_feedback(bot.db, age=timedelta(hours=1))
    await run_reminder(bot)
    # No moderators yet: the admin gets it, so nothing waits unseen.
    sent = bot.api.messages(ADMIN_ID)
    assert len(sent) == 1
    assert "1 återkoppling har väntat mer än 2 timmar" in sent[0].plain_text


async def test_blocked_moderator_does_not_stop_the_others(bot: RunningBot) -> None:
    await make_staff(bot.db, 611, "moderator")
    await make_staff(bot.db, 612, "moderator")
    bot.api.user(611)
    bot.api.user(612)
    bot.api.block_user(611)
    await add_feedback(bot.db, age=timedelta(hours=48))
    await run_reminder(bot)
    assert len(bot.api.messages(612)) == 1
    assert bot.api.messages(611) == []
