"""Redigera: the moderator's next text is the cleaned text, and only that text."""

from __future__ import annotations

from tests.helpers.bot import BotRunner, RunningBot
from tests.helpers.staff import add_feedback, audit_rows, command, feedback_row, make_staff

MOD = 651


async def _start_edit(bot: RunningBot, text: str = "Originaltext") -> int:
    await make_staff(bot.db, MOD, "moderator")
    fid = await add_feedback(bot.db, text=text)
    mod = bot.api.user(MOD)
    card = await command(bot.api, mod, "/granska")
    await bot.api.press(mod, card, card.callback_for("Redigera"))
    prompt = await bot.api.next_message(MOD)
    assert "rensade texten" in prompt.plain_text
    return fid


async def test_pending_edit_survives_a_restart(runner: BotRunner) -> None:
    bot = await runner.start()
    fid = await _start_edit(bot)
    bot = await runner.restart()
    await bot.api.send_text(bot.api.user(MOD), "Rensad efter omstart.")
    assert "Texten är ändrad" in (await bot.api.next_message(MOD)).plain_text
    row = await feedback_row(bot.db, fid)
    assert (row["text"], row["edited"]) == ("Rensad efter omstart.", 1)


async def test_another_command_ends_the_edit(bot: RunningBot) -> None:
    fid = await _start_edit(bot)
    mod = bot.api.user(MOD)
    help_reply = await command(bot.api, mod, "/hjalp")
    assert "Så använder du boten" in help_reply.plain_text  # /hjalp still works
    # The next text is an ordinary message again, not an edit.
    await bot.api.send_text(mod, "Vad lovar polisen?")
    answer = await bot.api.next_message(MOD)
    assert "Texten är ändrad" not in answer.plain_text
    row = await feedback_row(bot.db, fid)
    assert (row["text"], row["edited"]) == ("Originaltext", 0)
    assert await audit_rows(bot.db, "edit") == []


async def test_other_users_text_is_not_taken_while_a_moderator_edits(bot: RunningBot) -> None:
    fid = await _start_edit(bot)
    resident = bot.api.user(652)
    await bot.api.send_text(resident, "Vad lovar polisen?")
    reply = await bot.api.next_message(652)
    assert "Texten är ändrad" not in reply.plain_text
    assert (await feedback_row(bot.db, fid))["text"] == "Originaltext"


async def test_missed_personal_data_is_removed_from_the_edit(bot: RunningBot) -> None:
    fid = await _start_edit(bot, "Ring Kalle på 070-123 45 67, han vet")
    await bot.api.send_text(bot.api.user(MOD), "Ring 070-123 45 67, personen vet")
    confirm = await bot.api.next_message(MOD)
    assert "tog också bort 1 personuppgift" in confirm.plain_text
    row = await feedback_row(bot.db, fid)
    assert "070" not in row["text"]
    assert "[telefonnummer]" in row["text"]


async def test_revoked_moderator_mid_edit_changes_nothing(bot: RunningBot) -> None:
    from storage import staff as staff_repo

    fid = await _start_edit(bot)
    await staff_repo.revoke_role(bot.db, MOD, "moderator", actor_id=9001)
    reply = await command(bot.api, bot.api.user(MOD), "Ny text")
    assert "bara för moderatorer" in reply.plain_text
    assert (await feedback_row(bot.db, fid))["text"] == "Originaltext"
    refused = await audit_rows(bot.db, "refused")
    # Without a role they are not staff any more: their id is not kept (storage.audit).
    assert [(r["actor_id"], r["target"]) for r in refused] == [(None, "moderation.edit")]


async def test_an_edit_that_accuses_a_named_person_is_not_stored(bot: RunningBot) -> None:
    fid = await _start_edit(bot, "Det är stökigt vid torget på kvällarna")
    mod = bot.api.user(MOD)
    await bot.api.send_text(mod, "Kalle Svensson säljer knark vid torget")
    refusal = await bot.api.next_message(MOD)
    assert "pekar ut en viss person" in refusal.plain_text
    row = await feedback_row(bot.db, fid)
    assert (row["text"], row["edited"]) == ("Det är stökigt vid torget på kvällarna", 0)
    # The edit is still open: a rewritten text is taken.
    await bot.api.send_text(mod, "Det säljs knark vid torget på kvällarna")
    assert "Texten är ändrad" in (await bot.api.next_message(MOD)).plain_text
    assert (await feedback_row(bot.db, fid))["text"] == "Det säljs knark vid torget på kvällarna"
