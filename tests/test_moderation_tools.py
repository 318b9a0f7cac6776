"""What moderators and admins expect of their tools, end to end through the offline Bot API:
a reason for "Övrigt", correcting district and topic, how long an item has waited, /logg with
a count and a role filter, staff by name, and a revoked role taking its jobs with it."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.digest import _job_name
from storage import audit
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.staff import (
    add_feedback,
    audit_rows,
    command,
    feedback_row,
    make_staff,
    press,
)

MOD = 801
MEMBER = 802


async def test_ovrigt_asks_for_a_short_reason_kept_redacted_in_the_log(bot: RunningBot) -> None:
    await make_staff(bot.db, MOD, "moderator", "Maja Moderator")
    fid = await add_feedback(bot.db, age=timedelta(hours=3))
    mod = bot.api.user(MOD)
    card = await command(bot.api, mod, "/granska")
    assert "⏳ Har väntat 3 timmar" in card.plain_text

    await press(bot.api, mod, card, card.callback_for("Avvisa"))
    await bot.api.wait_for(lambda: "Övrigt" in " ".join(card.button_texts) or None)
    await press(bot.api, mod, card, card.callback_for("Övrigt"))
    ask = await bot.api.next_message(mod)
    assert "Skriv en kort anledning" in ask.plain_text
    assert (await feedback_row(bot.db, fid))["status"] == "pending"  # not yet

    done = await command(bot.api, mod, "Dubblett av en tidigare, ring 070-123 45 67")
    assert done.plain_text.startswith("❌ Avvisad (Övrigt: Dubblett av en tidigare")
    assert "070" not in done.plain_text
    row = await feedback_row(bot.db, fid)
    assert (row["status"], row["reject_reason"]) == ("rejected", "other")
    rejected = await audit_rows(bot.db, "reject")
    assert [r["detail"] for r in rejected] == [
        "other: Dubblett av en tidigare, ring [telefonnummer]"
    ]
    empty = await bot.api.next_message(mod)
    assert "inget mer att granska" in empty.plain_text

    log = await command(bot.api, bot.api.user(ADMIN_ID), "/logg")
    assert "Maja Moderator · avvisade (återkoppling nr" in log.plain_text
    assert "Övrigt: Dubblett av en tidigare" in log.plain_text


async def test_ovrigt_can_be_cancelled_and_the_card_comes_back(bot: RunningBot) -> None:
    await make_staff(bot.db, MOD, "moderator")
    fid = await add_feedback(bot.db)
    mod = bot.api.user(MOD)
    card = await command(bot.api, mod, "/granska")
    await press(bot.api, mod, card, f"mod:no:{fid}")
    await press(bot.api, mod, card, f"mod:rej:{fid}:other")
    await bot.api.next_message(mod)  # the question for a reason
    cancelled = await command(bot.api, mod, "/avbryt")
    assert cancelled.plain_text == "Okej, den är inte avvisad."
    again = await bot.api.next_message(mod)
    assert "Återkoppling att granska" in again.plain_text
    assert (await feedback_row(bot.db, fid))["status"] == "pending"


async def test_moderator_corrects_district_and_topic_on_the_card(bot: RunningBot) -> None:
    await make_staff(bot.db, MOD, "moderator")
    fid = await add_feedback(bot.db, district="alidhem", topic="narkotika")
    mod = bot.api.user(MOD)
    card = await command(bot.api, mod, "/granska")
    assert "Ålidhem" in card.plain_text

    await press(bot.api, mod, card, card.callback_for("Rätta område"))
    await bot.api.wait_for(lambda: "Ersboda" in " ".join(card.button_texts) or None)
    places = [t for t in card.button_texts if t != "↩️ Tillbaka"]
    # As residents can choose it: "Annat område / vet inte" last, after the sorted districts.
    assert places[-1] == "Annat område / vet inte"
    places = places[:-1]
    assert places == sorted(places, key=lambda t: t.lstrip("• ").casefold())
    assert any(t.startswith("• Ålidhem") for t in places)  # the current one is marked
    answer = await press(bot.api, mod, card, card.callback_for("Ersboda"))
    assert answer.get("text") == "Rättat."
    await bot.api.wait_for(lambda: "Område: Ersboda" in card.plain_text or None)
    assert "Godkänn" in " ".join(card.button_texts)

    await press(bot.api, mod, card, card.callback_for("Rätta ämne"))
    await bot.api.wait_for(lambda: "Annat ämne" in " ".join(card.button_texts) or None)
    await press(bot.api, mod, card, card.callback_for("Annat ämne"))
    await bot.api.wait_for(lambda: "Ämne: Annat ämne" in card.plain_text or None)
    # The same district again changes nothing and is not logged twice.
    await press(bot.api, mod, card, f"mod:dist:{fid}:ersboda")
    row = await feedback_row(bot.db, fid)
    assert (row["district"], row["topic"]) == ("ersboda", "other")
    assert [r["detail"] for r in await audit_rows(bot.db, "recategorize")] == [
        "district: alidhem -> ersboda",
        "topic: narkotika -> other",
    ]
    # A forged district id changes nothing.
    await press(bot.api, mod, card, f"mod:dist:{fid}:atlantis")
    assert (await feedback_row(bot.db, fid))["district"] == "ersboda"
    log = await command(bot.api, bot.api.user(ADMIN_ID), "/logg")
    assert "område: Ålidhem och Ålidbacken → Ersboda" in log.plain_text
    # "Annat område / vet inte" works as for residents.
    answer = await press(bot.api, mod, card, f"mod:dist:{fid}:other")
    assert answer.get("text") == "Rättat."
    assert (await feedback_row(bot.db, fid))["district"] == "other"


async def test_logg_count_role_filter_and_names_after_revoke(bot: RunningBot) -> None:
    admin = bot.api.user(ADMIN_ID, first_name="Alva", last_name="Admin")
    # Maja becomes a moderator through a real invitation, so her name is stored.
    invite = await command(bot.api, admin, "/bjudin moderator")
    code = re.search(r"start=(inv-[\w-]+)", invite.plain_text)
    assert code
    await command(bot.api, bot.api.user(MOD, first_name="Maja", last_name="M"), f"/start {code[1]}")
    for n in range(60):
        await audit.record(bot.db, MOD, "approve", f"feedback:{n + 1}")

    def lines(text: str) -> list[str]:
        return [line for line in text.splitlines() if " · " in line]

    default = await command(bot.api, admin, "/logg")
    assert len(lines(default.plain_text)) == 20
    await bot.api.send_text(admin, "/logg 50")
    first = await bot.api.next_message(admin)
    shown = lines(first.plain_text)
    if len(shown) < 50:  # a long log comes in more than one message
        shown += lines((await bot.api.next_message(admin)).plain_text)
    assert len(shown) == 50

    only_admins = await command(bot.api, admin, "/logg admin")
    assert lines(only_admins.plain_text)
    assert all("Alva Admin" in line for line in lines(only_admins.plain_text))

    # Revoked: the log still names her.
    listing = await command(bot.api, admin, "/roller")
    await press(bot.api, admin, listing, listing.callback_for("Maja"))
    await bot.api.next_message(bot.api.user(MOD))  # she is told
    mods = await command(bot.api, admin, "/logg moderator 5")
    assert mods.plain_text == "Inga händelser för rollen moderator i loggen."
    everything = await command(bot.api, admin, "/logg 5")
    assert all("Maja M" in line or "Alva Admin" in line for line in lines(everything.plain_text))
    bad = await command(bot.api, admin, "/logg igår")
    assert "/logg 50" in bad.plain_text


async def test_revoking_a_council_member_ends_their_digest(bot: RunningBot) -> None:
    await make_staff(bot.db, MEMBER, "council", "Rita")
    member = bot.api.user(MEMBER)
    await command(bot.api, member, "/prenumerera")
    again = await command(bot.api, member, "/prenumerera")
    assert "får redan" in again.plain_text
    # Asking twice changed nothing the second time: one audit row.
    assert len(await audit_rows(bot.db, "digest_subscribe")) == 1
    assert bot.app.job_queue is not None
    assert bot.app.job_queue.get_jobs_by_name(_job_name(MEMBER))

    admin = bot.api.user(ADMIN_ID)
    listing = await command(bot.api, admin, "/roller")
    await press(bot.api, admin, listing, listing.callback_for("Rita"))
    await bot.api.next_message(member)  # told the role is gone
    await bot.api.wait_for(
        lambda: (
            not bot.app.job_queue.get_jobs_by_name(_job_name(MEMBER))  # type: ignore[union-attr]
            or None
        )
    )
    assert await bot.db.fetchval("SELECT COUNT(*) FROM council_digests") == 0
    stop = await command(bot.api, member, "/avsluta")
    assert stop.plain_text == "Den här chatten får ingen veckosammanfattning."


async def test_a_long_roles_list_comes_in_pages_and_revoke_refreshes_its_page(
    bot: RunningBot,
) -> None:
    for uid in range(5000, 5045):
        await make_staff(bot.db, uid, "moderator", f"Moderator {uid}")
    admin = bot.api.user(ADMIN_ID)
    await bot.api.send_text(admin, "/roller")
    first = await bot.api.next_message(admin)
    second = await bot.api.next_message(admin)
    assert first.plain_text.startswith("Roller") and len(first.button_texts) == 40
    assert not second.plain_text.startswith("Roller") and len(second.button_texts) == 5
    await press(bot.api, admin, second, second.callback_for("Moderator 5044"))
    await bot.api.wait_for(lambda: "Moderator 5044" not in second.plain_text or None)
    assert len(second.button_texts) == 4 and "Moderator 5040" in second.plain_text
    assert "Moderator 5000" not in second.plain_text  # the other page stays on its own
