"""QA findings in the feedback dialogue and the answers around it, end to end."""

from __future__ import annotations

from tests.helpers.bot import RunningBot
from tests.helpers.feedback import open_dialogue, submit_text, tap, to_text_step
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


async def test_typed_district_name_exact_is_taken_near_miss_is_proposed(bot: RunningBot) -> None:
    """Typing "Ersboda" at the district step only got "Välj med knapparna"; later an exact
    "mariehem" still got "Menar du Mariehem?". An exact name is taken at once, a near miss
    ("ersbod", "holmsnd") is proposed."""
    api = bot.api
    anna = api.user(7321)
    await open_dialogue(api, anna)
    await api.send_text(anna, "ersbod")
    confirm = await api.next_message(anna.id)
    assert confirm.plain_text == "Menar du Ersboda (Västra och Östra)?"
    assert "✅ Ja, det stämmer" in confirm.button_texts
    await tap(api, anna, confirm, "Ja, det stämmer")
    topic_msg = await api.next_message(anna.id)
    assert "Vad handlar det om?" in topic_msg.plain_text
    await tap(api, anna, topic_msg, "narkotika")
    rating_msg = await api.next_message(anna.id)
    await tap(api, anna, rating_msg, "Hoppa över")
    await api.next_message(anna.id)
    thanks = await submit_text(api, anna, "Det är mörkt vid busshållplatsen.")
    assert "Tack!" in thanks.plain_text
    row = await bot.db.fetchone("SELECT district FROM feedback")
    assert row is not None and row[0] == "ersboda"

    # A near miss; "Nej" goes back to the list; then an exact name is taken without a question.
    bo = api.user(7322)
    await open_dialogue(api, bo)
    await api.send_text(bo, "holmsnd")
    confirm = await api.next_message(bo.id)
    assert confirm.plain_text == "Menar du Holmsund?"
    await tap(api, bo, confirm, "Nej")
    assert "Var gäller det?" in (await api.next_message(bo.id)).plain_text
    await api.send_text(bo, "mariehem")
    taken = await api.next_message(bo.id)
    assert taken.plain_text == "✓ Mariehem"
    assert "Vad handlar det om?" in (await api.next_message(bo.id)).plain_text

    # Any case, spaces around, å/ä/ö left out: taken at once, never "Menar du …?".
    for uid, typed, name in (
        (7325, "MARIEHEM", "Mariehem"),
        (7326, "Mariehem ", "Mariehem"),
        (7327, "alidhem", "Ålidhem och Ålidbacken"),
        (7328, "Hörnefors", "Hörnefors"),
    ):
        user = api.user(uid)
        await open_dialogue(api, user)
        await api.send_text(user, typed)
        taken = await api.next_message(user.id)
        assert taken.plain_text == "✓ " + name, typed
        assert "Vad handlar det om?" in (await api.next_message(user.id)).plain_text
        assert not any("Menar du" in m.plain_text for m in api.messages(user.id))

    # No or several matches: the buttons as before.
    cia = api.user(7323)
    await open_dialogue(api, cia)
    for text in ("Marie", "Ersboda tack"):
        await api.send_text(cia, text)
        assert "Välj med knapparna" in (await api.next_message(cia.id)).plain_text
        assert "Var gäller det?" in (await api.next_message(cia.id)).plain_text

    # English: the English name is taken; a near miss is asked in English.
    sam = api.user(7324, language_code="en")
    await open_dialogue(api, sam, "/feedback")
    await api.send_text(sam, "City centre")
    assert (await api.next_message(sam.id)).plain_text == "✓ City centre"
    assert "What is it about?" in (await api.next_message(sam.id)).plain_text
    tim = api.user(7329, language_code="en")
    await open_dialogue(api, tim, "/feedback")
    await api.send_text(tim, "city centr")
    confirm = await api.next_message(tim.id)
    assert confirm.plain_text == "Do you mean City centre?"
    await tap(api, tim, confirm, "✅")
    assert "What is it about?" in (await api.next_message(tim.id)).plain_text


async def test_confirmed_place_shows_the_district_after_the_tick(bot: RunningBot) -> None:
    """After "Ja, det stämmer" the question ended in a bare "✓"."""
    api = bot.api
    for uid, lang, command, send, name in (
        (7331, "sv", "/tyck", "location", "Ersboda (Västra och Östra)"),
        (7332, "en", "/feedback", "text", "Ersboda (West and East)"),
    ):
        user = api.user(uid, language_code=lang)
        await open_dialogue(api, user, command)
        if send == "location":
            await api.send_location(user, 63.85417, 20.31633)  # near Ersboda's centre
            await api.next_message(user.id)  # "sparas inte"
        else:
            await api.send_text(user, "Ersbod")  # a near miss: proposed, then confirmed
        confirm = await api.next_message(user.id)
        await tap(api, user, confirm, "✅")
        await api.next_message(user.id)  # the topic question
        edited = api.message(user.id, confirm.message_id)
        assert edited.plain_text.endswith("\n\n✓ " + name), edited.plain_text
        assert not edited.is_inline_keyboard


async def test_free_text_step_has_a_cancel_button(bot: RunningBot) -> None:
    """The text step was the only step without Avbryt; pressing it must work like /avbryt."""
    api = bot.api
    for uid, lang, label, question in (
        (7341, "sv", "Avbryt", "Vad är EST?"),
        (7342, "en", "Cancel", "What is EST?"),
    ):
        user = api.user(uid, language_code=lang)
        intro = await open_dialogue(api, user, "/tyck")
        await tap(api, user, intro, "Carlslid")
        await tap(
            api, user, await api.next_message(user.id), "Narkotika" if lang == "sv" else "Drugs"
        )
        await tap(api, user, await api.next_message(user.id), "4")
        prompt = await api.next_message(user.id)
        assert "1000" in prompt.plain_text
        assert [label in t for t in prompt.button_texts] == [True]
        await tap(api, user, prompt, label)
        bye = await api.next_message(user.id)
        same_as_avbryt = (
            "Okej, jag har avbrutit. Inget har sparats."
            if lang == "sv"
            else "Okay, I have cancelled. Nothing has been saved."
        )
        assert bye.plain_text == same_as_avbryt
        assert (bye.reply_markup or {}).get("remove_keyboard") is True
        assert not api.message(user.id, prompt.message_id).is_inline_keyboard
        assert "feedback_draft" not in (bot.app.user_data.get(uid) or {})
        # The dialogue is over: the next text is a question, not the feedback text.
        await api.send_text(user, question)
        answer = await api.next_message(user.id)
        assert "Effektiv samordning för trygghet" in answer.plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 0


async def test_yes_to_updates_points_to_the_stop_button_not_delete(bot: RunningBot) -> None:
    """Saying yes to updates used to point to /radera, which deletes everything."""
    from handlers.notes import resident_note_markup

    api = bot.api
    user = api.user(7341)
    await to_text_step(api, user)
    await submit_text(api, user, "Mörkt vid busshållplatsen på kvällarna.")
    question = await api.next_message(user)
    await tap(api, user, question, "Ja tack")
    await api.wait_for(lambda: api.message(user.id, question.message_id).edit_count > 0)
    reply = api.message(user.id, question.message_id).plain_text
    assert reply.startswith("Bra! Du får uppdateringar om Centrum"), reply
    # The button it names is the one under every note the council pushes to a resident.
    stop = resident_note_markup("centrum", "sv").inline_keyboard[0][0].text
    assert f"Tryck på ”{stop}” under en uppdatering från rådet." in reply
    assert "/radera" not in reply and "radera" not in reply


async def test_typing_a_name_after_asking_to_share_location_removes_that_keyboard(
    bot: RunningBot,
) -> None:
    api = bot.api
    eva = api.user(7331)
    intro = await open_dialogue(api, eva)
    await tap(api, eva, intro, "Dela plats")
    ask = await api.next_message(eva.id)
    assert ask.reply_markup is not None and "keyboard" in ask.reply_markup
    await api.send_text(eva, "mariehem")
    removed = await api.next_message(eva.id)
    assert removed.reply_markup == {"remove_keyboard": True}
    assert "inte din plats" in removed.plain_text
    taken = await api.next_message(eva.id)  # an exact name: taken without "Menar du …?"
    assert taken.plain_text == "✓ Mariehem"
    assert "Vad handlar det om?" in (await api.next_message(eva.id)).plain_text
    assert not any("Menar du" in m.plain_text for m in api.messages(eva.id))

    # A near miss after the same question: the keyboard goes, then the name is proposed.
    ola = api.user(7332)
    intro = await open_dialogue(api, ola)
    await tap(api, ola, intro, "Dela plats")
    await api.next_message(ola.id)
    await api.send_text(ola, "mariehm")
    assert (await api.next_message(ola.id)).reply_markup == {"remove_keyboard": True}
    assert (await api.next_message(ola.id)).plain_text == "Menar du Mariehem?"
