"""QA findings in the feedback dialogue and the answers around it, end to end."""

from __future__ import annotations

from tests.conftest import RunningBot


async def test_english_answers_point_to_feedback_not_tyck(bot: RunningBot) -> None:
    """English answers said "Tell us with /tyck" and showed a button "Give feedback (/tyck)"."""
    api = bot.api
    john = api.user(7301, language_code="en")
    await api.send_text(john, "How do I give feedback?")
    answer = await api.next_message(john.id)
    assert "Send /feedback to give feedback" in answer.plain_text
    await api.send_text(john, "I feel unsafe")
    unsafe = await api.next_message(john.id)
    assert "Tell us with /feedback" in unsafe.plain_text
    assert "Give feedback (/feedback)" in " ".join(unsafe.button_texts)
    for msg in (answer, unsafe):
        # (The source line names the bot's functions in Swedish; it is not the answer.)
        body = msg.plain_text.split("Source:")[0]
        assert "/tyck" not in body and "/tyck" not in " ".join(msg.button_texts)
    # Every English answer and title in the content file.
    for entry in bot.services.council.knowledge:
        assert "/tyck" not in entry.answer.en and "/tyck" not in entry.title.en, entry.id
    # Swedish residents still see /tyck.
    anna = api.user(7302)
    await api.send_text(anna, "Hur lämnar jag synpunkter?")
    assert "Skriv /tyck" in (await api.next_message(anna.id)).plain_text
