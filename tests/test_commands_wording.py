"""Small wording and consistency defects QA found, each as a user meets it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.staff import command, make_staff

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
MEMBER = 7701


async def test_one_unanswered_question_is_one_question_in_one_group(bot: RunningBot) -> None:
    bot.services.clock = lambda: NOW
    await make_staff(bot.db, MEMBER, "council")
    await command(bot.api, bot.api.user(7702), "Hur mycket kostar ett busskort?")
    listing = await command(bot.api, bot.api.user(MEMBER), "/obesvarade")
    assert "1 fråga i 1 grupp, nyast först." in listing.plain_text
    assert "grupper" not in listing.plain_text


async def test_help_lists_ask_and_natural_descriptions(bot: RunningBot) -> None:
    resident = await command(bot.api, bot.api.user(7703), "/hjalp")
    assert "/fraga – Ställ en fråga" in resident.plain_text
    admin = await command(bot.api, bot.api.user(ADMIN_ID), "/hjalp")
    assert "/innehall – Ändra botens innehåll (fil)" in admin.plain_text
    assert "bottens" not in admin.plain_text
    assert "/export – Exportera synpunkter som CSV eller Excel" in admin.plain_text


async def test_help_in_a_group_does_not_reveal_who_is_on_the_council(bot: RunningBot) -> None:
    await make_staff(bot.db, MEMBER, "council")
    api = bot.api
    group = api.group(-100321, "Grannar")
    api.user(MEMBER)
    await api.send_text(MEMBER, "/hjalp", chat=group)
    reply = await api.next_message(group)
    assert "/tyck" in reply.plain_text
    assert "Kommandon för din roll" not in reply.plain_text
    assert "/sammanfattning" not in reply.plain_text
    private = await command(api, api.user(MEMBER), "/hjalp")
    assert "Kommandon för din roll" in private.plain_text


async def test_mydata_for_staff_matches_the_file(bot: RunningBot) -> None:
    admin = bot.api.user(ADMIN_ID)
    await command(bot.api, admin, "/bjudin moderator")  # one audit entry about the admin
    await bot.api.send_text(admin, "/minadata")
    doc = await bot.api.next_message(admin)
    while doc.kind != "document":
        doc = await bot.api.next_message(admin)
    caption = doc.caption or ""
    assert "inte sparat något" not in caption
    assert "1 händelse i loggen" in caption
    assert doc.file_bytes is not None and b'"audit_log": [\n    {' in doc.file_bytes


async def test_news_for_an_unknown_area_says_so(bot: RunningBot) -> None:
    reply = await command(bot.api, bot.api.user(7704), "/nytt Mars")
    assert reply.plain_text.startswith("Jag hittar inget område som heter ”Mars”.")
    assert "/nytt" in reply.plain_text
