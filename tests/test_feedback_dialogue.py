"""The "tyck till" dialogue end to end: the real bot, driven over the offline Bot API."""

from __future__ import annotations

from tests.conftest import RunningBot
from tests.test_feedback_support import (
    alias,
    committed_rows,
    open_dialogue,
    tap,
)


async def test_whole_dialogue_by_buttons(bot: RunningBot) -> None:
    api = bot.api
    anna = api.user(1001, first_name="Anna", username="anna_umea")
    intro = await open_dialogue(api, anna)
    assert "inte" in intro.plain_text and "polisanmälan" in intro.plain_text
    assert "112" in intro.plain_text and "114 14" in intro.plain_text
    assert "Annat område / vet inte" in intro.button_texts
    assert "📍 Dela plats" in intro.button_texts
    assert "Ersboda (Västra och Östra)" not in intro.button_texts  # on a later page

    # Page forward until Ersboda shows up (the same message is edited).
    for _ in range(3):
        if "Ersboda (Västra och Östra)" in api.message(anna, intro.message_id).button_texts:
            break
        current = api.message(anna, intro.message_id)
        edits = current.edit_count
        await tap(api, anna, current, "Nästa")
        await api.wait_for(lambda: api.message(anna, intro.message_id).edit_count > edits)
    current = api.message(anna, intro.message_id)
    assert "Ersboda (Västra och Östra)" in current.button_texts
    await tap(api, anna, current, "Ersboda")

    topic_msg = await api.next_message(anna)
    assert "Krafttag mot narkotika" in topic_msg.button_texts and "Annat" in topic_msg.button_texts
    await tap(api, anna, topic_msg, "narkotika")
    rating_msg = await api.next_message(anna)
    assert "Hoppa över" in rating_msg.button_texts
    await tap(api, anna, rating_msg, "2 –")
    prompt = await api.next_message(anna)
    assert "1000" in prompt.plain_text

    await api.send_text(anna, "Det är mörkt & öde vid <busshållplatsen> efter kl 22.")
    review = await api.next_message(anna)
    assert "Ersboda" in review.plain_text and "Krafttag mot narkotika" in review.plain_text
    assert "2 – Ganska otrygg" in review.plain_text
    assert "mörkt & öde vid <busshållplatsen>" in review.plain_text
    await tap(api, anna, review, "Skicka")
    thanks = await api.next_message(anna)
    assert thanks.plain_text.startswith("Tack! Din återkoppling är sparad (ref ")
    ref = thanks.plain_text.split("ref ")[1].split(")")[0]

    # Committed before the thank-you was sent: a second connection sees it.
    rows = committed_rows(
        bot.services.settings.database_path,
        "SELECT district, topic, rating, text, language, status, pseudonym FROM feedback "
        "WHERE ref = ?",
        (ref,),
    )
    assert rows == [
        (
            "ersboda",
            "narkotika",
            2,
            "Det är mörkt & öde vid <busshållplatsen> efter kl 22.",
            "sv",
            "pending",
            alias(bot, 1001),
        )
    ]
    question = await api.next_message(anna)
    assert "uppdateringar" in question.plain_text and "Ersboda" in question.plain_text
    await tap(api, anna, question, "Ja tack")
    await api.wait_for(lambda: api.message(anna, question.message_id).edit_count > 0)
    subs = await bot.db.fetchall("SELECT pseudonym, district, chat_id FROM update_subscribers")
    assert [tuple(r) for r in subs] == [(alias(bot, 1001), "ersboda", 1001)]
    # No name, username or user id next to the feedback.
    row = await bot.db.fetchone("SELECT * FROM feedback")
    assert row is not None
    values = " ".join(str(v) for v in tuple(row))
    assert "Anna" not in values and "anna_umea" not in values and "1001" not in values
