"""QA: /logg speaks the admin's language for every action the bot records, not internal codes."""

from __future__ import annotations

from tests.conftest import ADMIN_ID, RunningBot
from tests.test_staff_support import add_feedback, command, make_staff

COUNCIL = 711
RESIDENT = 712


async def test_log_names_council_actions_and_refused_commands(bot: RunningBot) -> None:
    await make_staff(bot.db, COUNCIL, "council", name="Rolf")
    await add_feedback(bot.db)
    member = bot.api.user(COUNCIL)
    await command(bot.api, member, "/prenumerera")
    await command(bot.api, member, "/avsluta")
    await command(bot.api, member, "/export")
    await command(bot.api, bot.api.user(RESIDENT), "/sammanfattning")

    log = (await command(bot.api, bot.api.user(ADMIN_ID), "/logg")).plain_text
    assert "Rolf · startade veckans lägesbild" in log
    assert "Rolf · stoppade veckans lägesbild" in log
    assert "Rolf · exporterade" in log
    assert f"{RESIDENT} · nekades (/sammanfattning)" in log
    for code in ("digest_subscribe", "digest_unsubscribe", "(summary)"):
        assert code not in log
