"""QA: /hjalp tells staff their own commands (a moderator or council member was left guessing)."""

from __future__ import annotations

from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.staff import command, make_staff


async def test_resident_help_lists_no_staff_commands(bot: RunningBot) -> None:
    reply = await command(bot.api, bot.api.user(701), "/hjalp")
    assert "/tyck" in reply.plain_text
    assert "/granska" not in reply.plain_text
    assert "/sammanfattning" not in reply.plain_text


async def test_moderator_help_lists_review(bot: RunningBot) -> None:
    await make_staff(bot.db, 702, "moderator")
    reply = await command(bot.api, bot.api.user(702), "/hjalp")
    assert "Kommandon för din roll" in reply.plain_text
    assert "/granska – Granska återkoppling" in reply.plain_text
    assert "/sammanfattning" not in reply.plain_text


async def test_council_member_help_lists_council_commands_in_english(bot: RunningBot) -> None:
    await make_staff(bot.db, 703, "council")
    reply = await command(bot.api, bot.api.user(703, language_code="en"), "/help")
    text = reply.plain_text
    assert "Commands for your role" in text
    for name in ("/summary", "/export", "/report", "/subscribe", "/update"):
        assert name in text
    assert "/review" not in text and "/invite" not in text


async def test_admin_help_lists_every_staff_command(bot: RunningBot) -> None:
    reply = await command(bot.api, bot.api.user(ADMIN_ID), "/hjalp")
    for name in ("/bjudin", "/roller", "/logg", "/granska", "/sammanfattning", "/aterkoppla"):
        assert name in reply.plain_text
