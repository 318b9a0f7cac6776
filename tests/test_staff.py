"""Invitations, roles and the audit log, end to end through the offline Bot API."""

from __future__ import annotations

import re
from datetime import timedelta

from storage import roles as roles_repo
from storage import staff as staff_repo
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.staff import audit_rows, command, make_staff, press

LINK = re.compile(r"https://t\.me/trygghetsbot_test_bot\?start=(inv-[A-Za-z0-9_-]+)")


async def _invite(bot: RunningBot, role_word: str = "moderator", lang: str = "sv") -> str:
    admin = bot.api.user(ADMIN_ID, first_name="Admin", language_code=lang)
    reply = await command(bot.api, admin, f"/bjudin {role_word}")
    match = LINK.search(reply.plain_text)
    assert match, reply.plain_text
    return match.group(1)


async def test_invite_link_gives_the_role_once(bot: RunningBot) -> None:
    api = bot.api
    admin = api.user(ADMIN_ID, first_name="Admin")
    reply = await command(api, admin, "/bjudin moderator")
    assert "moderator" in reply.plain_text
    assert "en gång" in reply.plain_text
    match = LINK.search(reply.plain_text)
    assert match
    code = match.group(1)
    # The code is random and not stored in clear text.
    assert await bot.db.fetchval("SELECT COUNT(*) FROM invites WHERE code_hash = ?", (code,)) == 0

    maja = api.user(501, first_name="Maja", last_name="Moderator")
    welcome = await command(api, maja, f"/start {code}")
    assert "Välkommen" in welcome.plain_text
    assert "moderator" in welcome.plain_text
    assert "/granska" in welcome.plain_text
    assert await roles_repo.roles_of(bot.db, 501) == {"moderator"}
    staff = await roles_repo.staff(bot.db)
    assert [(s.user_id, s.display_name) for s in staff] == [(501, "Maja Moderator")]

    # Reused: a second person opening the same link gets nothing.
    olle = api.user(502, first_name="Olle")
    refusal = await command(api, olle, f"/start {code}")
    assert "redan använts" in refusal.plain_text
    assert await roles_repo.roles_of(bot.db, 502) == set()

    invites = await audit_rows(bot.db, "invite")
    assert [(r["actor_id"], r["target"]) for r in invites] == [(ADMIN_ID, "moderator")]
    granted = await audit_rows(bot.db, "role_granted")
    assert [(r["actor_id"], r["target"]) for r in granted] == [(501, "user:501")]
    failed = await audit_rows(bot.db, "invite_failed")
    assert [(r["actor_id"], r["detail"]) for r in failed] == [(None, "used")]  # not staff
    # The code never appears in the audit log.
    assert all(code not in (r["detail"] + r["target"]) for r in await audit_rows(bot.db))


async def test_expired_invite_is_refused(bot: RunningBot) -> None:
    code = await _invite(bot, "rad")
    await staff_repo.backdate_invite(bot.db, code, timedelta(hours=72, minutes=1))
    anna = bot.api.user(503, first_name="Anna")
    reply = await command(bot.api, anna, f"/start {code}")
    assert "gått ut" in reply.plain_text
    assert await roles_repo.roles_of(bot.db, 503) == set()
    failed = await audit_rows(bot.db, "invite_failed")
    assert [(r["actor_id"], r["detail"]) for r in failed] == [(None, "expired")]


async def test_invite_still_valid_just_before_expiry(bot: RunningBot) -> None:
    code = await _invite(bot, "rad")
    await staff_repo.backdate_invite(bot.db, code, timedelta(hours=71, minutes=59))
    anna = bot.api.user(504, first_name="Anna")
    reply = await command(bot.api, anna, f"/start {code}")
    assert "rådsmedlem" in reply.plain_text
    assert await roles_repo.roles_of(bot.db, 504) == {"council"}


async def test_unknown_code_and_plain_start(bot: RunningBot) -> None:
    eva = bot.api.user(505, first_name="Eva")
    reply = await command(bot.api, eva, "/start inv-doesnotexist")
    assert "känner inte igen" in reply.plain_text
    assert await roles_repo.roles_of(bot.db, 505) == set()
    # The ordinary /start is untouched by the deep-link handler.
    reply = await command(bot.api, eva, "/start")
    assert "trygghetsboten" in reply.plain_text


async def test_only_admins_can_invite(bot: RunningBot) -> None:
    await make_staff(bot.db, 506, "moderator")
    mod = bot.api.user(506)
    reply = await command(bot.api, mod, "/bjudin moderator")
    assert "bara för administratörer" in reply.plain_text
    assert "t.me" not in reply.plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM invites") == 0
    refused = await audit_rows(bot.db, "refused")
    assert [(r["actor_id"], r["target"]) for r in refused] == [(506, "invite")]


async def test_invite_needs_a_role_word(bot: RunningBot) -> None:
    admin = bot.api.user(ADMIN_ID)
    reply = await command(bot.api, admin, "/bjudin kung")
    assert "/bjudin moderator" in reply.plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM invites") == 0


async def test_invite_in_a_group_is_not_posted(bot: RunningBot) -> None:
    admin = bot.api.user(ADMIN_ID)
    group = bot.api.group(-100777, "Rådet")
    await bot.api.send_text(admin, "/bjudin moderator", chat=group)
    reply = await bot.api.next_message(group)
    assert "privat chatt" in reply.plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM invites") == 0


async def test_english_invite_flow(bot: RunningBot) -> None:
    code = await _invite(bot, "council", lang="en")
    admin_msgs = bot.api.messages(ADMIN_ID)
    assert "invitation" in admin_msgs[-1].plain_text.lower()
    assert "council member" in admin_msgs[-1].plain_text
    kim = bot.api.user(507, first_name="Kim", language_code="en")
    welcome = await command(bot.api, kim, f"/start {code}")
    assert "Welcome" in welcome.plain_text
    assert "council member" in welcome.plain_text
    assert "/summary" in welcome.plain_text
    again = await command(bot.api, bot.api.user(508, language_code="en"), f"/start {code}")
    assert "already been used" in again.plain_text


async def test_roles_list_and_revoke(bot: RunningBot) -> None:
    bot.api.user(510)  # Maja has talked to the bot (she accepted an invitation)
    await make_staff(bot.db, 510, "moderator", "Maja")
    await make_staff(bot.db, 511, "council", "Rolf")
    admin = bot.api.user(ADMIN_ID, first_name="Alva", last_name="Admin")
    listing = await command(bot.api, admin, "/roller")
    # Staff by name with the date the role was given; the admin by name once they have acted.
    assert re.search(r"Maja – moderator, sedan \d+ \w+\.? 20\d\d", listing.plain_text)
    assert "Rolf – rådsmedlem, sedan " in listing.plain_text
    assert "Administratörer (ADMIN_IDS, ändras i konfigurationen): Alva Admin" in (
        listing.plain_text
    )
    data = listing.callback_for("Maja")

    # A resident forging the revoke button changes nothing.
    resident = bot.api.user(512)
    answer = await press(bot.api, resident, listing, data)
    assert answer.get("show_alert")
    assert "administratörer" in answer["text"]
    assert await roles_repo.roles_of(bot.db, 510) == {"moderator"}

    answer = await press(bot.api, admin, listing, data)
    assert "borttagen" in answer["text"]
    assert await roles_repo.roles_of(bot.db, 510) == set()
    updated = await bot.api.wait_for(lambda: listing if "Maja" not in listing.plain_text else None)
    assert "Maja" not in " ".join(updated.button_texts)
    assert "Rolf" in updated.plain_text

    revoked = await audit_rows(bot.db, "role_revoked")
    assert [(r["actor_id"], r["target"], r["detail"]) for r in revoked] == [
        (ADMIN_ID, "user:510", "moderator")
    ]
    refused = await audit_rows(bot.db, "refused")
    assert [(r["actor_id"], r["target"]) for r in refused] == [(None, "revoke_role")]

    # The revoked moderator is told, and can no longer review.
    told = await bot.api.next_message(510)
    assert "Din roll som moderator i trygghetsboten är borttagen" in told.plain_text
    reply = await command(bot.api, bot.api.user(510), "/granska")
    assert "bara för moderatorer" in reply.plain_text


async def test_log_shows_latest_entries_to_admins_only(bot: RunningBot) -> None:
    await _invite(bot, "moderator")
    await make_staff(bot.db, 520, "council", "Rolf")
    rolf = bot.api.user(520)
    refused = await command(bot.api, rolf, "/logg")
    assert "bara för administratörer" in refused.plain_text
    admin = bot.api.user(ADMIN_ID)
    log = await command(bot.api, admin, "/logg")
    lines = log.plain_text.splitlines()
    assert "Senaste händelserna" in lines[0]
    # Newest first: Rolf's refused /logg, then the invite.
    assert "Rolf · nekades" in lines[2]
    assert "skapade inbjudan" in lines[3]


async def test_staff_see_their_commands_in_the_menu(bot: RunningBot) -> None:
    def menu(uid: int) -> list[str] | None:
        found = bot.api.commands_for(scope={"type": "chat", "chat_id": uid})
        return None if found is None else [c["command"] for c in found]

    admin_menu = menu(ADMIN_ID)
    assert admin_menu is not None
    assert {"bjudin", "roller", "logg", "granska", "sammanfattning"} <= set(admin_menu)

    code = await _invite(bot, "moderator")
    await command(bot.api, bot.api.user(530, language_code="en"), f"/start {code}")
    mod_menu = menu(530)
    assert mod_menu is not None
    assert "review" in mod_menu and "start" in mod_menu
    assert "invite" not in mod_menu and "summary" not in mod_menu

    admin = bot.api.user(ADMIN_ID)
    listing = await command(bot.api, admin, "/roller")
    await press(bot.api, admin, listing, listing.callback_for("Test"))
    await bot.api.wait_for(lambda: menu(530) is None)


async def test_invite_expiry_is_a_readable_local_date_and_time(bot: RunningBot) -> None:
    """ "1 dec. 2026 08:27" (Stockholm time), not "2026-12-01 07:27"; English in English."""
    from bot.i18n import TIMEZONE
    from storage.timestamps import parse_utc

    sv = await command(bot.api, bot.api.user(ADMIN_ID), "/bjudin moderator")
    en = await command(bot.api, bot.api.user(ADMIN_ID, language_code="en"), "/invite moderator")
    rows = await bot.db.fetchall("SELECT expires_at FROM invites ORDER BY created_at")
    expiries = [parse_utc(row["expires_at"]).astimezone(TIMEZONE) for row in rows]
    sv_months = [
        "jan.",
        "feb.",
        "mars",
        "apr.",
        "maj",
        "juni",
        "juli",
        "aug.",
        "sep.",
        "okt.",
        "nov.",
        "dec.",
    ]
    en_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    local = expiries[0]
    assert (
        f"gäller till {local.day} {sv_months[local.month - 1]} {local.year} {local:%H:%M}."
        in sv.plain_text
    )
    local = expiries[1]
    assert (
        f"valid until {local.day} {en_months[local.month - 1]} {local.year}, {local:%H:%M}."
        in en.plain_text
    )
    assert f"{expiries[0]:%Y-%m-%d}" not in sv.plain_text
