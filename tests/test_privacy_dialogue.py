"""Privacy holes a resident (or a thief with a copy of the files) would notice, end to end over
the offline Bot API: the per-day limit after /radera, the erased text in the WAL, English
placeholders, and no feedback pseudonym next to a chat id."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.bot import BotRunner, RunningBot
from tests.helpers.feedback import alias, give_feedback, submit_text, tap, to_text_step

SECRET = "Trappbelysningen-QZX-saknas"


def _bytes(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


async def _erase(bot: RunningBot, user_id: int) -> None:
    api = bot.api
    user = api.user(user_id)
    api.drain(user)
    await api.send_text(user, "/radera")
    ask = await api.next_message(user)
    await tap(api, user, ask, "Ja, radera")
    await api.wait_for(lambda: "Klart" in api.message(user, ask.message_id).plain_text)


async def test_feedback_per_day_is_not_reset_by_radera(runner: BotRunner) -> None:
    runner.settings = runner.settings.model_copy(update={"feedback_per_day": 2})
    bot = await runner.start()
    api = bot.api
    ulla = api.user(8101)
    await give_feedback(api, ulla, "Ett.")
    api.drain(ulla)
    await give_feedback(api, ulla, "Två.")
    await _erase(bot, 8101)
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 0
    api.drain(ulla)
    await api.send_text(ulla, "/tyck")
    refused = await api.next_message(ulla)
    assert "redan skickat 2 synpunkter" in refused.plain_text


async def test_radera_leaves_no_copy_of_the_text_in_the_wal(bot: RunningBot) -> None:
    api = bot.api
    path = Path(bot.db.path)
    await give_feedback(api, api.user(8201), f"{SECRET} vid porten.")
    for n in range(3):  # other residents keep writing afterwards too
        await give_feedback(api, api.user(8300 + n), f"Annan text nummer {n}.")
    wal = Path(f"{path}-wal")
    before = _bytes(wal) + _bytes(path)
    assert SECRET.encode() in before
    await _erase(bot, 8201)
    for file in (path, wal):
        assert SECRET.encode() not in _bytes(file), file.name


async def test_english_feedback_is_stored_with_english_placeholders(bot: RunningBot) -> None:
    api = bot.api
    tom = api.user(8401, language_code="en")
    await to_text_step(api, tom, district="City centre", topic="Drugs", rating="4")
    thanks = await submit_text(
        api, tom, "Dark stairwell, call me on 070-123 45 67 or tom@example.com"
    )
    assert "ref" in thanks.plain_text
    stored = await bot.db.fetchval(
        "SELECT text FROM feedback WHERE pseudonym = ?", (alias(bot, 8401),)
    )
    assert stored == "Dark stairwell, call me on [phone number] or [e-mail]"


async def test_update_subscription_is_not_stored_under_the_feedback_pseudonym(
    bot: RunningBot,
) -> None:
    api = bot.api
    vera = api.user(8501)
    await give_feedback(api, vera, "Mörkt vid porten.")
    question = api.messages(vera)[-1]
    await tap(api, vera, question, "Ja tack")
    await api.wait_for(lambda: api.message(vera, question.message_id).edit_count > 0)
    rows = await bot.db.fetchall("SELECT pseudonym, chat_id FROM update_subscribers")
    assert [r["chat_id"] for r in rows] == [8501]
    assert rows[0]["pseudonym"] != alias(bot, 8501)
    joined = await bot.db.fetchval(
        "SELECT COUNT(*) FROM feedback f JOIN update_subscribers u ON u.pseudonym = f.pseudonym"
    )
    assert joined == 0


async def test_a_moderator_cannot_store_a_text_the_guard_is_unsure_about(bot: RunningBot) -> None:
    from tests.helpers.staff import add_feedback, command, feedback_row, make_staff

    moderator = 8601
    await make_staff(bot.db, moderator, "moderator")
    fid = await add_feedback(bot.db, text="Originaltext", pseudonym="someone")
    card = await command(bot.api, bot.api.user(moderator), "/granska")
    await bot.api.press(moderator, card, card.callback_for("Redigera"))
    await bot.api.next_message(moderator)  # "Skicka den rensade texten …"
    # A role tied to a place and a time plus everyday wrongdoing: not stored, even by staff.
    await bot.api.send_text(
        bot.api.user(moderator), "Chauffören på 17.05-bussen från Vasaplan kör som en galning."
    )
    refusal = await bot.api.next_message(moderator)
    assert "kan inte sparas" in refusal.plain_text
    assert (await feedback_row(bot.db, fid))["text"] == "Originaltext"
