"""QA findings in the feedback dialogue and the answers around it, end to end."""

from __future__ import annotations

from tests.conftest import RunningBot
from tests.test_questions import pin_date


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


async def test_promises_intro_says_once_that_the_content_is_unknown(bot: RunningBot) -> None:
    """/loften said "vi känner inte till vad de innehåller" and then "Innehållet känner vi inte
    till." in the next sentence."""
    pin_date(bot, 2026, 3, 1)
    for lang, command, phrases in (
        ("sv", "/loften", ("känner inte till", "känner vi inte till")),
        ("en", "/promises", ("do not know", "don't know")),
    ):
        user = bot.api.user(7311 if lang == "sv" else 7312, language_code=lang)
        await bot.api.send_text(user, command)
        text = (await bot.api.next_message(user.id)).plain_text
        assert "2025–2027" in text.splitlines()[0]
        assert sum(text.count(p) for p in phrases) == 1, text
    assert text.startswith("The citizen promises for 2025–2027 apply now.")
