"""The art. 10 guard in the /tyck dialogue (issue 12): when it is unsure whether a text points out
a person, the resident is asked before anything is stored, and can rewrite or cancel."""

from __future__ import annotations

from tests.helpers.bot import RunningBot
from tests.helpers.feedback import committed_rows, submit_text, tap, to_text_step

UNSURE = "The guy who drives the 9 bus keeps shouting at kids"


async def test_unsure_text_is_not_stored_and_can_be_rewritten(bot: RunningBot) -> None:
    api = bot.api
    eli = api.user(1401)
    await to_text_step(api, eli)
    await api.send_text(eli, UNSURE)
    question = await api.next_message(eli)
    assert "Kan texten peka ut en viss person?" in question.plain_text
    assert "Inget är sparat än." in question.plain_text
    assert question.button_texts == ["✏️ Skriv om", "Avbryt"]

    await tap(api, eli, question, "Skriv om")
    prompt = await api.next_message(eli)
    assert "egna ord" in prompt.plain_text
    thanks = await submit_text(api, eli, "Bussen på linje 9 är ofta full och stökig på kvällen.")
    assert "ref" in thanks.plain_text

    texts = committed_rows(bot.services.settings.database_path, "SELECT text FROM feedback")
    assert texts == [("Bussen på linje 9 är ofta full och stökig på kvällen.",)]
    dump = "\n".join(str(row) for row in texts)
    assert "drives the 9 bus" not in dump


async def test_unsure_text_then_avbryt_ends_the_dialogue_with_nothing_stored(
    bot: RunningBot,
) -> None:
    api = bot.api
    ola = api.user(1402)
    await to_text_step(api, ola)
    await api.send_text(ola, UNSURE)
    question = await api.next_message(ola)
    await tap(api, ola, question, "Avbryt")
    bye = await api.next_message(ola)
    assert "Avbrutet" in bye.plain_text or "avbr" in bye.plain_text.lower()
    rows = committed_rows(bot.services.settings.database_path, "SELECT COUNT(*) FROM feedback")
    assert rows == [(0,)]
