"""Bot accounts never become staff: not by an invitation link, not through ADMIN_IDS."""

from __future__ import annotations

from devkit.offline import SimUser
from storage import roles as roles_repo
from tests.helpers.bot import ADMIN_ID, BotRunner, RunningBot
from tests.helpers.staff import audit_rows, command
from tests.test_staff import LINK


async def test_a_bot_account_cannot_take_an_invitation_and_the_link_stays_usable(
    bot: RunningBot,
) -> None:
    api = bot.api
    admin = api.user(ADMIN_ID, first_name="Admin")
    match = LINK.search((await command(api, admin, "/bjudin moderator")).plain_text)
    assert match
    code = match.group(1)

    robot = SimUser(7_700_001, first_name="Grabber", username="grabber_bot", is_bot=True)
    reply = await command(api, robot, f"/start {code}")
    assert "Välkommen" not in reply.plain_text
    assert await roles_repo.roles_of(bot.db, robot.id) == set()
    # It cannot use what it does not have, either.
    refused = await command(api, robot, "/granska")
    assert "moderator" in refused.plain_text.lower() or "behörighet" in refused.plain_text.lower()
    failed = await audit_rows(bot.db, "invite_failed")
    assert [r["detail"] for r in failed] == ["bot"]

    # The person the link was meant for still gets the role with it.
    maja = api.user(7_700_002, first_name="Maja")
    welcome = await command(api, maja, f"/start {code}")
    assert "Välkommen" in welcome.plain_text
    assert await roles_repo.roles_of(bot.db, maja.id) == {"moderator"}


async def test_a_bot_account_is_no_admin_even_if_listed(
    runner: BotRunner, settings_factory: object
) -> None:
    runner.settings = settings_factory(admin_ids=(ADMIN_ID, 7_700_003))  # type: ignore[operator]
    bot = await runner.start()
    robot = SimUser(7_700_003, first_name="Helper", username="helper_bot", is_bot=True)
    reply = await command(bot.api, robot, "/bjudin moderator")
    assert not LINK.search(reply.plain_text), reply.plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM invites") == 0
