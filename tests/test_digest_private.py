"""The weekly digest quotes residents' texts, so it goes to a council member's private chat only.

QA found /prenumerera accepted in a group, and the digest then posted quotes there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from handlers import digest
from storage import council as council_repo
from storage import roles
from storage import summary as summary_repo
from tests.helpers.bot import ADMIN_ID, BotRunner, RunningBot
from tests.test_council_data import dataset

MEMBER = 4343
GROUP = -100555
MONDAY = datetime(2024, 7, 8, 6, tzinfo=UTC)


def _jobs(bot: RunningBot, chat_id: int) -> tuple[Any, ...]:
    assert bot.app.job_queue is not None
    return tuple(bot.app.job_queue.get_jobs_by_name(f"council-digest:{chat_id}"))


async def _member(bot: RunningBot) -> None:
    bot.services.clock = lambda: MONDAY
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    await summary_repo.insert_feedback(bot.db, dataset())
    bot.api.user(MEMBER)


async def test_subscribe_in_a_group_is_refused_like_every_council_command(
    bot: RunningBot,
) -> None:
    await _member(bot)
    api = bot.api
    group = api.group(GROUP, "Rådet")
    await api.send_text(MEMBER, "/prenumerera", chat=group)
    msg = await api.next_message(group)
    assert msg.plain_text == "Det här gör du i en privat chatt med mig, inte i en grupp."
    assert await council_repo.digest_subscriptions(bot.db) == []
    assert _jobs(bot, GROUP) == ()


async def test_subscribe_in_a_private_chat_still_works(bot: RunningBot) -> None:
    await _member(bot)
    api = bot.api
    await api.send_text(MEMBER, "/prenumerera")
    assert "Varje måndag" in (await api.next_message(MEMBER)).plain_text
    jobs = _jobs(bot, MEMBER)
    assert len(jobs) == 1
    await jobs[0].run(bot.app)
    assert "Veckans lägesbild" in (await api.next_message(MEMBER)).plain_text


async def test_an_old_group_subscription_is_never_delivered(runner: BotRunner) -> None:
    bot = await runner.start()
    await _member(bot)
    api = bot.api
    group = api.group(GROUP, "Rådet")
    # Left by an earlier version that accepted groups.
    await council_repo.subscribe_digest(bot.db, GROUP, "sv", MEMBER)
    assert not await digest.send_digest(bot.app, GROUP, MONDAY)
    assert await council_repo.digest_subscriptions(bot.db) == []
    assert api.messages(group) == []
    # And one found at start-up is not scheduled (and is ended).
    await council_repo.subscribe_digest(bot.db, GROUP, "sv", MEMBER)
    bot = await runner.restart()
    assert _jobs(bot, GROUP) == ()
    assert await council_repo.digest_subscriptions(bot.db) == []
    assert api.messages(group) == []
