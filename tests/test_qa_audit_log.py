"""QA: /logg speaks the admin's language for every action the bot records, not internal codes."""

from __future__ import annotations

from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.staff import add_feedback, command, make_staff

COUNCIL = 711
RESIDENT = 712


async def test_log_names_council_actions_and_refused_commands(bot: RunningBot) -> None:
    await make_staff(bot.db, COUNCIL, "council", name="Rolf")
    for _ in range(5):  # one alone would be too few to export (bot.suppression)
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
    # A resident's id is not kept in the audit log (storage.audit): "okänd", never a name.
    assert "okänd · nekades (/sammanfattning)" in log
    for code in ("digest_subscribe", "digest_unsubscribe", "(summary)"):
        assert code not in log


async def _staff_history(bot: RunningBot) -> int:
    """Invite, accept, a reused link, an edit, a rejection and a revoke, as staff would do them."""
    from datetime import UTC, datetime, timedelta

    from storage import staff as staff_repo
    from tests.helpers.staff import press

    # The bot's clock is pinned: the invitation is valid when Maja opens it, whatever today is.
    created = datetime(2026, 11, 28, 7, 27, tzinfo=UTC)
    bot.services.clock = lambda: created + timedelta(minutes=5)
    invite = await staff_repo.create_invite(bot.db, "moderator", created_by=ADMIN_ID, now=created)
    maja = bot.api.user(MAJA, first_name="Maja")
    await command(bot.api, maja, f"/start {invite.code}")
    await command(bot.api, bot.api.user(OLLE, first_name="Olle"), f"/start {invite.code}")

    fid = await add_feedback(bot.db, text="Sven Berg på nummer 12 langar")
    card = await command(bot.api, maja, "/granska")
    await press(bot.api, maja, card, card.callback_for("Redigera"))
    await bot.api.next_message(MAJA)
    await bot.api.send_text(maja, "Någon langar vid nummer 12.")  # 27 characters
    await bot.api.next_message(MAJA)
    edited = await bot.api.next_message(MAJA)
    await press(bot.api, maja, edited, f"mod:rej:{fid}:personal")
    await bot.api.next_message(MAJA)

    await make_staff(bot.db, COUNCIL, "council", name="Rolf")
    admin = bot.api.user(ADMIN_ID, first_name="Alva")
    listing = await command(bot.api, admin, "/roller")
    await press(bot.api, admin, listing, listing.callback_for("Rolf"))
    return fid


MAJA = 713
OLLE = 714


async def test_log_details_are_in_swedish_and_english(bot: RunningBot) -> None:
    fid = await _staff_history(bot)

    sv = (await command(bot.api, bot.api.user(ADMIN_ID, first_name="Alva"), "/logg")).plain_text
    # Staff by name (the admin's is stored once they act), also after a role is revoked.
    assert "Alva · skapade inbjudan (moderator, gäller till 1 dec. 2026 08:27)" in sv
    assert "Maja · fick roll (Maja, moderator, via inbjudan)" in sv
    assert "okänd · ogiltig inbjudan (inbjudan var redan använd)" in sv
    assert f"Maja · redigerade (återkoppling nr {fid}, 27 tecken)" in sv
    assert f"Maja · avvisade (återkoppling nr {fid}, Personuppgifter)" in sv
    assert "Alva · tog bort roll (Rolf, rådsmedlem)" in sv

    en_admin = bot.api.user(ADMIN_ID, first_name="Alva", language_code="en")
    en = (await command(bot.api, en_admin, "/log")).plain_text
    assert "Latest events" in en
    assert "Alva · created an invitation (moderator, valid until 1 Dec 2026, 08:27)" in en
    assert "Maja · was given a role (Maja, moderator, via invitation)" in en
    assert "unknown · invalid invitation (the invitation had already been used)" in en
    assert f"Maja · edited (feedback no. {fid}, 27 characters)" in en
    assert f"Maja · rejected (feedback no. {fid}, Personal data)" in en
    assert "Alva · removed a role (Rolf, council member)" in en
    # No stored code or English storage wording leaks into either language.
    for text in (sv, en):
        for code in ("expires", "via invite", "feedback:", "user:", "2026-12-01T", "council)"):
            assert code not in text
    for word in ("expires", "characters", "invitation", "user "):
        assert word not in sv
