"""Holes in /tyck found by residents (issue 10): broken locations, edited messages, buttons
without a message. Driven through the offline Bot API like a resident would."""

from __future__ import annotations

import math

import pytest

from tests.helpers.bot import BotRunner, RunningBot
from tests.helpers.feedback import alert, open_dialogue, tap, to_text_step


@pytest.mark.parametrize("lat, lon", [(math.inf, -math.inf), (95.0, 10.0), (63.8, 400.0)])
async def test_a_broken_location_gets_a_friendly_reply(
    bot: RunningBot, lat: float, lon: float
) -> None:
    api = bot.api
    ada = api.user(1301)
    intro = await open_dialogue(api, ada)
    await tap(api, ada, intro, "Dela plats")
    await api.next_message(ada)  # "Tryck på knappen nedan …"
    await api.send_location(ada, lat, lon)
    await api.next_message(ada)  # "Tack! Platsen används bara nu …"
    outside = await api.next_message(ada)
    assert "utanför kommunens områden" in outside.plain_text
    assert outside.is_inline_keyboard  # the list again: nothing lost
    assert not bot.errors


async def test_an_edited_message_never_becomes_the_feedback_text(bot: RunningBot) -> None:
    api = bot.api
    eva = api.user(1302)
    await to_text_step(api, eva)
    chat = {"id": eva.id, "type": "private", "first_name": eva.first_name}
    sender = {"id": eva.id, "is_bot": False, "first_name": eva.first_name}
    for edited in ("Ändrad i efterhand", "/start"):
        api.add_raw_update(
            {
                "edited_message": {
                    "message_id": 1,
                    "date": 1,
                    "edit_date": 2,
                    "chat": chat,
                    "from": sender,
                    "text": edited,
                }
            }
        )
    await api.wait_updates_confirmed()
    await api.send_text(eva, "Mörkt vid busshållplatsen.")
    review = await api.next_message(eva)
    while "Skicka" not in " ".join(review.button_texts):
        review = await api.next_message(eva)
    assert "Mörkt vid busshållplatsen." in review.plain_text
    assert "Ändrad i efterhand" not in review.plain_text
    assert not bot.errors


@pytest.mark.parametrize(
    "data", ["menu:ask", "lang:en", "menu:news", "menu:privacy", "fbu:ABC123:y", "nstop:ersboda"]
)
async def test_a_button_without_a_message_is_answered_without_an_error(
    bot: RunningBot, data: str
) -> None:
    api = bot.api
    ulf = api.user(1303)
    api.add_raw_update(
        {
            "callback_query": {
                "id": "q-" + data,
                "from": {"id": ulf.id, "is_bot": False, "first_name": ulf.first_name},
                "inline_message_id": "inline-1",
                "chat_instance": "1",
                "data": data,
            }
        }
    )
    assert "inte längre aktiv" in await alert(api, "q-" + data)
    await api.wait_updates_confirmed()
    assert not bot.errors


async def test_changing_the_district_from_the_review_survives_an_unknown_name(
    bot: RunningBot,
) -> None:
    api = bot.api
    ida = api.user(1304)
    await to_text_step(api, ida)
    await api.send_text(ida, "Mörkt vid skolan.")
    review = await api.next_message(ida)
    await tap(api, ida, review, "Ändra")
    what = await api.next_message(ida)
    await tap(api, ida, what, "Område")
    await api.next_message(ida)  # the district list
    await api.send_text(ida, "holmsnd")
    guess = await api.next_message(ida)
    assert guess.plain_text == "Menar du Holmsund?"  # a near-miss is read
    await tap(api, ida, guess, "Nej, jag väljer i listan")
    again = await api.next_message(ida)
    assert "Var gäller det" in again.plain_text  # the list again, not a stale review card
    assert "Skicka" not in " ".join(again.button_texts)
    await api.send_text(ida, "Mariehem")  # exact: taken without a question
    assert (await api.next_message(ida)).plain_text == "✓ Mariehem"
    back = await api.next_message(ida)
    assert "Så här ser din synpunkt ut" in back.plain_text  # straight back to the review
    assert "Mariehem" in back.plain_text and "Mörkt vid skolan." in back.plain_text
    assert not bot.errors


@pytest.mark.parametrize(("typed", "name"), [("ersbod", "Ersboda"), ("holmsnd", "Holmsund")])
async def test_a_near_miss_district_name_is_proposed(
    bot: RunningBot, typed: str, name: str
) -> None:
    api = bot.api
    ola = api.user(1305)
    await open_dialogue(api, ola)
    await api.send_text(ola, typed)
    guess = await api.next_message(ola)
    assert guess.plain_text.startswith(f"Menar du {name}")
    await tap(api, ola, guess, "Ja")
    await api.next_message(ola)  # the topic question
    assert not bot.errors


async def test_a_question_mid_dialogue_is_answered_and_the_dialogue_continues(
    bot: RunningBot,
) -> None:
    api = bot.api
    per = api.user(1306)
    intro = await open_dialogue(api, per)
    await tap(api, per, intro, "Centrum")
    await api.next_message(per)  # the topic question
    await api.send_text(per, "vad betyder segregation?")
    answer = await api.next_message(per)
    assert "segregation" in answer.plain_text.lower()
    assert "Nu fortsätter vi" in (await api.next_message(per)).plain_text
    topic = await api.next_message(per)
    assert "Vad handlar det om" in topic.plain_text
    await tap(api, per, topic, "narkotika")
    assert "trygg" in (await api.next_message(per)).plain_text  # the rating question
    assert not bot.errors


async def test_after_a_restart_typed_text_hears_where_the_dialogue_was(runner: BotRunner) -> None:
    bot = await runner.start()
    api = bot.api
    siv = api.user(1307)
    await to_text_step(api, siv)
    bot = await runner.restart()
    await api.send_text(siv, "Mörkt vid lekparken.")
    note = await api.next_message(siv)
    assert "startades om" in note.plain_text and "din text" in note.plain_text
    review = await api.next_message(siv)
    assert "Mörkt vid lekparken." in review.plain_text
    assert not bot.errors
