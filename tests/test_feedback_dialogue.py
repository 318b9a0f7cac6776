"""The "tyck till" dialogue end to end: the real bot, driven over the offline Bot API."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import string
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot import feedback as fb
from bot.labels import sv_sort_key
from bot.settings import Settings
from handlers import feedback as feedback_handlers
from handlers import feedback_flow
from storage import feedback as repo
from tests.helpers.bot import BotRunner, RunningBot
from tests.helpers.feedback import (
    alert,
    alias,
    committed_rows,
    dump_database,
    give_feedback,
    open_dialogue,
    page_to,
    submit_text,
    tap,
    to_text_step,
)


async def test_whole_dialogue_by_buttons(bot: RunningBot) -> None:
    api = bot.api
    anna = api.user(1001, first_name="Anna", username="anna_umea")
    intro = await open_dialogue(api, anna)
    assert "inte" in intro.plain_text and "polisanmälan" in intro.plain_text
    assert "112" in intro.plain_text and "114 14" in intro.plain_text
    assert "Annat område / vet inte" in intro.button_texts
    assert "📍 Dela plats" in intro.button_texts
    assert "Ålidhem och Ålidbacken" not in intro.button_texts  # å, ä, ö last: the last page

    # Page forward until Ålidhem shows up (the same message is edited).
    current = await page_to(api, anna, intro, "Ålidhem och Ålidbacken")
    assert "Ålidhem och Ålidbacken" in current.button_texts
    await tap(api, anna, current, "Ålidhem")

    topic_msg = await api.next_message(anna)
    assert "Narkotika" in topic_msg.button_texts and "Annat ämne" in topic_msg.button_texts
    await tap(api, anna, topic_msg, "narkotika")
    rating_msg = await api.next_message(anna)
    assert "Hoppa över" in rating_msg.button_texts
    await tap(api, anna, rating_msg, "2 –")
    prompt = await api.next_message(anna)
    assert "1000" in prompt.plain_text

    await api.send_text(anna, "Det är mörkt & öde vid <busshållplatsen> efter kl 22.")
    review = await api.next_message(anna)
    assert "Ålidhem och Ålidbacken" in review.plain_text and "Ämne: Narkotika" in review.plain_text
    assert "2 – Ganska otrygg" in review.plain_text
    assert "mörkt & öde vid <busshållplatsen>" in review.plain_text
    await tap(api, anna, review, "Skicka")
    thanks = await api.next_message(anna)
    assert thanks.plain_text.startswith("Tack! Din synpunkt är sparad (ref ")
    ref = thanks.plain_text.split("ref ")[1].split(")")[0]
    assert f"Skriv /status {ref}." in thanks.plain_text

    # Committed before the thank-you was sent: a second connection sees it.
    rows = committed_rows(
        bot.services.settings.database_path,
        "SELECT district, topic, rating, text, language, status, pseudonym FROM feedback "
        "WHERE ref = ?",
        (ref,),
    )
    assert rows == [
        (
            "alidhem",
            "droger",  # the resident topic "Narkotika" (focus area narkotika)
            2,
            "Det är mörkt & öde vid <busshållplatsen> efter kl 22.",
            "sv",
            "pending",
            alias(bot, 1001),
        )
    ]
    question = await api.next_message(anna)
    assert "uppdateringar" in question.plain_text and "Ålidhem" in question.plain_text
    await tap(api, anna, question, "Ja tack")
    await api.wait_for(lambda: api.message(anna, question.message_id).edit_count > 0)
    subs = await bot.db.fetchall("SELECT pseudonym, district, chat_id FROM update_subscribers")
    # Keyed by the subscriber alias, never the feedback pseudonym (no join from text to chat).
    assert [tuple(r) for r in subs] == [(bot.services.subscriber(1001), "alidhem", 1001)]
    # No name, username or user id next to the feedback.
    row = await bot.db.fetchone("SELECT * FROM feedback")
    assert row is not None
    values = " ".join(str(v) for v in tuple(row))
    assert "Anna" not in values and "anna_umea" not in values and "1001" not in values


async def test_dialogue_by_location_and_coordinates_are_not_kept(bot: RunningBot) -> None:
    api = bot.api
    bo = api.user(1002)
    intro = await open_dialogue(api, bo)
    await tap(api, bo, intro, "Dela plats")
    ask = await api.next_message(bo)
    keyboard = (ask.reply_markup or {})["keyboard"]
    assert keyboard[0][0]["request_location"] is True
    assert "sparas inte" in ask.plain_text

    # Ersboda's centre is 63.853, 20.315: a point close by.
    await api.send_location(bo, 63.85417, 20.31633)
    removed = await api.next_message(bo)
    assert (removed.reply_markup or {}).get("remove_keyboard") is True
    confirm = await api.next_message(bo)
    assert "Ersboda" in confirm.plain_text and "Stämmer det?" in confirm.plain_text
    await tap(api, bo, confirm, "Ja")
    topic_msg = await api.next_message(bo)
    await tap(api, bo, topic_msg, "Belysning")
    rating_msg = await api.next_message(bo)
    await tap(api, bo, rating_msg, "Hoppa över")
    await api.next_message(bo)
    thanks = await submit_text(api, bo, "Belysningen i gångtunneln är trasig.")
    assert "Tack!" in thanks.plain_text

    row = await bot.db.fetchone("SELECT district, topic, rating FROM feedback")
    assert row is not None and tuple(row) == ("ersboda", "belysning", None)
    everything = dump_database(bot.services.settings.database_path)
    assert "63.854" not in everything and "20.316" not in everything
    assert "63.85417" not in repr(bot.app.user_data.get(1002))


async def test_location_can_be_rejected_and_far_away_is_explained(bot: RunningBot) -> None:
    api = bot.api
    cia = api.user(1003)
    intro = await open_dialogue(api, cia)
    await tap(api, cia, intro, "Dela plats")
    await api.next_message(cia)
    await api.send_location(cia, 59.3293, 18.0686)  # Stockholm
    await api.next_message(cia)  # "sparas inte", keyboard removed
    far = await api.next_message(cia)
    assert "utanför kommunens områden" in far.plain_text
    assert "Annat område / vet inte" in far.button_texts

    await api.send_location(cia, 63.7065, 20.366)  # Holmsund
    await api.next_message(cia)
    confirm = await api.next_message(cia)
    assert "Holmsund" in confirm.plain_text
    await tap(api, cia, confirm, "Nej")
    again = await api.next_message(cia)
    assert "Var gäller det?" in again.plain_text
    await tap(api, cia, again, "Annat område")
    topic_msg = await api.next_message(cia)
    assert "Vad handlar det om?" in topic_msg.plain_text


async def test_bad_input_at_every_step(bot: RunningBot) -> None:
    api = bot.api
    dan = api.user(1004)
    await open_dialogue(api, dan)
    # District step: text, sticker, a forged district id.
    await api.send_text(dan, "Ersboda tack")
    assert "knapparna" in (await api.next_message(dan)).plain_text
    again = await api.next_message(dan)
    assert "Var gäller det?" in again.plain_text
    await api.send_sticker(dan)
    assert "knapparna" in (await api.next_message(dan)).plain_text
    again = await api.next_message(dan)
    qid = await api.press(dan, again, again.callback_for("Centrum").replace("centrum", "atlantis"))
    assert "känner jag inte till" in await alert(api, qid)
    old_district_button = again.callback_for("Carlslid")
    await tap(api, dan, again, "Centrum")
    topic_msg = await api.next_message(dan)

    # Topic step: a photo; a button from the district step of the same dialogue.
    await api.send_photo(dan)
    assert "knapparna" in (await api.next_message(dan)).plain_text
    topic_msg = await api.next_message(dan)
    qid = await api.press(dan, again, old_district_button)
    assert "tidigare steg" in await alert(api, qid)
    await tap(api, dan, topic_msg, "Annat")

    # Rating step: out-of-range text, voice; a typed digit works.
    rating_msg = await api.next_message(dan)
    await api.send_text(dan, "7")
    assert "knapparna" in (await api.next_message(dan)).plain_text
    await api.next_message(dan)
    await api.send_voice(dan)
    assert "knapparna" in (await api.next_message(dan)).plain_text
    await api.next_message(dan)
    qid = await api.press(dan, rating_msg, rating_msg.callback_for("3 –").replace(":3", ":9"))
    await alert(api, qid)
    await api.send_text(dan, "3")
    prompt = await api.next_message(dan)
    assert "egna ord" in prompt.plain_text

    # Text step: sticker, photo, voice, too long; the step stays each time.
    for send in (api.send_sticker, api.send_photo, api.send_voice):
        await send(dan)
        assert "Skriv gärna med text" in (await api.next_message(dan)).plain_text
    await api.send_text(dan, "x" * 1001)
    too_long = await api.next_message(dan)
    assert "1001 tecken" in too_long.plain_text and "högst 1000" in too_long.plain_text
    await api.send_text(dan, "y" * 1000)
    review = await api.next_message(dan)
    assert "Så här ser din synpunkt ut" in review.plain_text

    # Review step: a one-word answer gets the buttons again (it does not replace the text);
    # nothing is stored until Skicka.
    await api.send_text(dan, "skicka")
    assert "knapparna" in (await api.next_message(dan)).plain_text
    review = await api.next_message(dan)
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 0
    await tap(api, dan, review, "Skicka")
    assert "Tack!" in (await api.next_message(dan)).plain_text
    row = await bot.db.fetchone("SELECT district, topic, rating, length(text) FROM feedback")
    assert row is not None and tuple(row) == ("centrum", "other", 3, 1000)


async def test_edit_from_review(bot: RunningBot) -> None:
    api = bot.api
    eva = api.user(1005)
    await to_text_step(api, eva)
    await api.send_text(eva, "Första versionen.")
    review = await api.next_message(eva)
    await tap(api, eva, review, "Ändra")
    menu = await api.next_message(eva)
    await tap(api, eva, menu, "Text")
    await api.next_message(eva)
    await api.send_text(eva, "Andra versionen.")
    review = await api.next_message(eva)
    assert "Andra versionen." in review.plain_text
    await tap(api, eva, review, "Ändra")
    menu = await api.next_message(eva)
    await tap(api, eva, menu, "Trygghet")
    rating_msg = await api.next_message(eva)
    await tap(api, eva, rating_msg, "5 –")
    review = await api.next_message(eva)
    assert "5 – Mycket trygg" in review.plain_text
    await tap(api, eva, review, "Skicka")
    await api.next_message(eva)
    row = await bot.db.fetchone("SELECT rating, text FROM feedback")
    assert row is not None and tuple(row) == (5, "Andra versionen.")


async def test_cancel_at_every_step_and_old_buttons_are_harmless(bot: RunningBot) -> None:
    api = bot.api
    fia = api.user(1006)
    # Cancel at each step by /avbryt, then once by the button.
    for steps in range(5):
        intro = await open_dialogue(api, fia)
        last = intro
        if steps >= 1:
            await tap(api, fia, intro, "Centrum")
            last = await api.next_message(fia)
        if steps >= 2:
            await tap(api, fia, last, "Annat")
            last = await api.next_message(fia)
        if steps >= 3:
            await tap(api, fia, last, "Hoppa över")
            last = await api.next_message(fia)
        if steps >= 4:
            await api.send_text(fia, "Något att säga.")
            last = await api.next_message(fia)
        await api.send_text(fia, "/avbryt")
        bye = await api.next_message(fia)
        assert "avbrutit" in bye.plain_text and "Inget har sparats" in bye.plain_text
        # An old button now does nothing harmful, and says so.
        if last.is_inline_keyboard:
            qid = await api.press(fia, last, last.buttons[0][0][1] or "")
            assert "avslutad" in await alert(api, qid)
    intro = await open_dialogue(api, fia)
    await tap(api, fia, intro, "Avbryt")
    assert "avbrutit" in (await api.next_message(fia)).plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 0
    # /avbryt outside a dialogue is answered by the general handler.
    await api.send_text(fia, "/avbryt")
    assert "inget att avbryta" in (await api.next_message(fia)).plain_text


async def test_tyck_mid_dialogue_restarts_cleanly(bot: RunningBot) -> None:
    api = bot.api
    gus = api.user(1007)
    first = await open_dialogue(api, gus)
    await tap(api, gus, first, "Carlslid")
    old_topics = await api.next_message(gus)
    second = await open_dialogue(api, gus, "/feedback")
    assert "Var gäller det?" in second.plain_text
    qid = await tap(api, gus, old_topics, "narkotika")
    assert "tidigare dialog" in await alert(api, qid)
    await tap(api, gus, second, "Centrum")
    topics = await api.next_message(gus)
    await tap(api, gus, topics, "narkotika")
    rating_msg = await api.next_message(gus)
    await tap(api, gus, rating_msg, "1 –")
    await api.next_message(gus)
    await submit_text(api, gus, "Ny dialog.")
    row = await bot.db.fetchone("SELECT district FROM feedback")
    assert row is not None and row[0] == "centrum"


async def test_menu_button_starts_the_dialogue(bot: RunningBot) -> None:
    api = bot.api
    hal = api.user(1008)
    await api.send_text(hal, "/start")
    welcome = await api.next_message(hal)
    await tap(api, hal, welcome, "Tyck till")
    intro = await api.next_message(hal)
    assert "Var gäller det?" in intro.plain_text


async def test_double_press_on_skicka_stores_once(bot: RunningBot) -> None:
    api = bot.api
    ida = api.user(1009)
    await to_text_step(api, ida)
    await api.send_text(ida, "Två tryck.")
    review = await api.next_message(ida)
    data = review.callback_for("Skicka")
    first = await api.press(ida, review, data)
    second = await api.press(ida, review, data)
    assert "Tack!" in (await api.next_message(ida)).plain_text
    await api.wait_callback_answer(first)
    assert "avslutad" in await alert(api, second)
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 1


async def test_retried_submission_returns_the_same_ref(bot: RunningBot) -> None:
    item = repo.NewFeedback(
        pseudonym="p" * 64,
        district="centrum",
        topic="other",
        rating=None,
        text="Samma",
        language="sv",
        submission_key="k1",
    )
    first = await repo.submit(bot.db, item, per_day=5)
    again = await repo.submit(bot.db, item, per_day=5)
    assert first.created and not again.created and first.ref == again.ref
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 1


async def test_restart_mid_dialogue_then_finish(runner: BotRunner) -> None:
    bot = await runner.start()
    api = bot.api
    jon = api.user(1010)
    intro = await open_dialogue(api, jon)
    await tap(api, jon, intro, "Gimonäs")
    topics = await api.next_message(jon)

    bot = await runner.restart()
    # The button sent before the restart still works: state and draft were persisted.
    await tap(api, jon, topics, "Annat")
    rating_msg = await api.next_message(jon)
    await tap(api, jon, rating_msg, "4 –")
    await api.next_message(jon)
    await api.send_text(jon, "Efter omstart.")
    review = await api.next_message(jon)

    bot = await runner.restart()
    await tap(api, jon, review, "Skicka")
    assert "Tack!" in (await api.next_message(jon)).plain_text
    row = await bot.db.fetchone("SELECT district, topic, rating, text FROM feedback")
    assert row is not None and tuple(row) == ("gimonas", "other", 4, "Efter omstart.")


async def test_timeout_ends_the_dialogue_with_a_message(
    runner: BotRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feedback_flow, "TIMEOUT", timedelta(seconds=1))
    bot = await runner.start()
    api = bot.api
    kim = api.user(1011)
    intro = await open_dialogue(api, kim)
    notice = await api.next_message(kim, timeout=10)
    assert "tyst" in notice.plain_text and "Inget har sparats" in notice.plain_text
    qid = await tap(api, kim, intro, "Centrum")
    assert "avslutad" in await alert(api, qid)
    await api.wait_for(lambda: 1011 not in _conversation_keys(bot))


def _conversation_keys(bot: RunningBot) -> set[int]:
    handler = next(
        h for h in bot.app.handlers[0] if getattr(h, "name", None) == feedback_handlers.NAME
    )
    return {key[1] for key in handler._conversations}


async def test_rate_limit(runner: BotRunner) -> None:
    runner.settings = runner.settings.model_copy(update={"feedback_per_day": 2})
    bot = await runner.start()
    api = bot.api
    lo = api.user(1012)
    await give_feedback(api, lo, "Ett.")
    api.drain(lo)
    await give_feedback(api, lo, "Två.")
    api.drain(lo)
    await api.send_text(lo, "/tyck")
    refused = await api.next_message(lo)
    assert "redan skickat 2 synpunkter" in refused.plain_text
    assert not refused.is_inline_keyboard
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 2


async def test_rate_limit_is_checked_again_on_send(runner: BotRunner) -> None:
    runner.settings = runner.settings.model_copy(update={"feedback_per_day": 1})
    bot = await runner.start()
    api = bot.api
    mo = api.user(1013)
    await to_text_step(api, mo)
    # Meanwhile the limit is reached (e.g. from another device).
    await repo.submit(
        bot.db,
        repo.NewFeedback(alias(bot, 1013), "centrum", "other", None, "Annan", "sv", "other-key"),
        per_day=1,
    )
    await api.send_text(mo, "För mycket.")
    review = await api.next_message(mo)
    await tap(api, mo, review, "Skicka")
    assert "redan skickat 1 synpunkt" in (await api.next_message(mo)).plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 1


async def test_accusation_is_not_stored_and_can_be_rewritten(bot: RunningBot) -> None:
    api = bot.api
    ned = api.user(1014)
    await to_text_step(api, ned)
    await api.send_text(ned, "Kalle på Ersboda säljer knark.")
    refused = await api.next_message(ned)
    assert "114 14" in refused.plain_text and "Tipsa polisen" in refused.plain_text
    assert "skriva om" in refused.plain_text
    state = dump_database(bot.services.settings.database_path)
    assert "Kalle" not in state and "Kalle" not in repr(bot.app.user_data.get(1014))
    thanks = await submit_text(api, ned, "Det säljs knark vid busshållplatsen på kvällarna.")
    assert "Tack!" in thanks.plain_text
    assert "Kalle" not in dump_database(bot.services.settings.database_path)


async def test_redaction_notice_and_stored_text(bot: RunningBot) -> None:
    api = bot.api
    olle = api.user(1015)
    await to_text_step(api, olle)
    await api.send_text(
        olle, "Ring mig på 070-123 45 67 eller anna@example.com. Lampan på Storgatan 12 är sönder."
    )
    notice = await api.next_message(olle)
    assert "tog bort 2 personuppgifter" in notice.plain_text
    assert "telefonnummer" in notice.plain_text and "e-postadress" in notice.plain_text
    review = await api.next_message(olle)
    assert "070-123" not in review.plain_text and "Storgatan 12" in review.plain_text
    assert "070-123" not in repr(bot.app.user_data.get(1015))
    await tap(api, olle, review, "Skicka")
    await api.next_message(olle)
    row = await bot.db.fetchone("SELECT text, redactions FROM feedback")
    assert row is not None
    assert "070" not in row["text"] and "example.com" not in row["text"]
    assert "Storgatan 12" in row["text"] and row["redactions"] == 2


async def test_group_chat_points_to_a_private_chat(bot: RunningBot) -> None:
    api = bot.api
    pia = api.user(1016)
    group = api.group(-100200, "Grannar")
    await api.send_text(pia, "/tyck", chat=group)
    reply = await api.next_message(group)
    assert "privat" in reply.plain_text and not reply.is_inline_keyboard


async def test_english_path(bot: RunningBot) -> None:
    api = bot.api
    sam = api.user(1017, language_code="en")
    intro = await open_dialogue(api, sam, "/feedback")
    assert "not" in intro.plain_text and "police report" in intro.plain_text
    assert "Other area / don't know" in intro.button_texts
    await tap(api, sam, intro, "City centre")
    topics = await api.next_message(sam)
    assert "Drugs" in topics.button_texts and "Other topic" in topics.button_texts
    assert "Street lighting" in topics.button_texts
    await tap(api, sam, topics, "Drugs")
    rating_msg = await api.next_message(sam)
    assert "Skip" in rating_msg.button_texts
    await tap(api, sam, rating_msg, "Skip")
    prompt = await api.next_message(sam)
    assert "own words" in prompt.plain_text
    await api.send_text(sam, "Too dark near the station.")
    review = await api.next_message(sam)
    assert "City centre" in review.plain_text and "Skipped" in review.plain_text
    await tap(api, sam, review, "Send")
    thanks = await api.next_message(sam)
    assert thanks.plain_text.startswith("Thank you! Your feedback has been saved (ref ")
    question = await api.next_message(sam)
    assert "updates" in question.plain_text
    await tap(api, sam, question, "No thanks")
    await api.wait_for(lambda: api.message(sam, question.message_id).edit_count > 0)
    assert await bot.db.fetchval("SELECT COUNT(*) FROM update_subscribers") == 0
    assert await bot.db.fetchval("SELECT language FROM feedback") == "en"


async def test_hundred_residents_at_once(bot: RunningBot) -> None:
    api = bot.api
    alphabetical = sorted(bot.services.council.districts, key=lambda d: sv_sort_key(d.name.sv))
    districts = [d.id for d in alphabetical[:8]]  # the first page
    names = {d.id: d.name.sv for d in bot.services.council.districts}

    async def resident(i: int) -> tuple[int, str, str]:
        user = api.user(20000 + i)
        district = districts[i % len(districts)]
        marker = "".join(random.choices(string.ascii_lowercase, k=10))  # no digits: not PII
        text = f"Boende nummer {i} tycker till, kod {marker}."
        await to_text_step(api, user, district=names[district], topic="Annat", rating="3 –")
        thanks = await submit_text(api, user, text)
        assert "Tack!" in thanks.plain_text
        return user.id, district, text

    started = time.perf_counter()
    results = await asyncio.gather(*(resident(i) for i in range(100)))
    elapsed = time.perf_counter() - started
    rows = await bot.db.fetchall("SELECT pseudonym, district, text FROM feedback")
    assert len(rows) == 100
    stored = {row["pseudonym"]: (row["district"], row["text"]) for row in rows}
    for user_id, district, text in results:
        assert stored[alias(bot, user_id)] == (district, text)
    print(f"100 residents, whole dialogue each: {elapsed:.2f} s")


async def _committed_state(path: Path, user_id: int) -> object:
    """The dialogue state as another process would find it on disk right now."""
    rows = committed_rows(
        path,
        "SELECT data FROM ptb_state WHERE kind = 'conversation' AND name = ? AND key = ?",
        (feedback_handlers.NAME, json.dumps([user_id, user_id])),
    )
    return json.loads(rows[0][0]) if rows else None


async def test_crash_mid_dialogue_loses_nothing(
    runner: BotRunner, settings_factory: Callable[..., Settings], tmp_path: Path
) -> None:
    """kill -9 leaves only what is on disk: copy the file mid-dialogue and continue from it."""
    bot = await runner.start()
    api = bot.api
    rut = api.user(1018)
    await to_text_step(api, rut, district="Haga")
    path = bot.services.settings.database_path
    # State is on disk right after the reply (flushed per update, not every 60 s).
    for _ in range(200):
        if await _committed_state(path, 1018) == fb.TEXT:
            break
        await asyncio.sleep(0.01)
    assert await _committed_state(path, 1018) == fb.TEXT
    crashed = tmp_path / "crashed.sqlite3"
    source, target = sqlite3.connect(path), sqlite3.connect(crashed)
    source.backup(target)
    source.close()
    target.close()
    await runner.stop()

    runner.settings = settings_factory(database_path=crashed)
    bot = await runner.start()
    thanks = await submit_text(api, rut, "Efter kraschen.")
    assert "Tack!" in thanks.plain_text
    row = await bot.db.fetchone("SELECT district, text FROM feedback")
    assert row is not None and tuple(row) == ("haga", "Efter kraschen.")


async def test_dialogue_left_over_a_restart_still_expires(runner: BotRunner) -> None:
    """No timeout job survives a restart; the draft's own clock ends a stale dialogue."""
    bot = await runner.start()
    api = bot.api
    siv = api.user(1019)
    intro = await open_dialogue(api, siv)
    bot = await runner.restart()
    bot.app.user_data[1019][feedback_handlers.DRAFT_KEY]["touched"] -= 16 * 60
    qid = await tap(api, siv, intro, "Centrum")
    await api.wait_callback_answer(qid)
    notice = await api.next_message(siv)
    assert "tyst" in notice.plain_text and "Inget har sparats" in notice.plain_text
    await api.send_text(siv, "Centrum")  # no dialogue any more: not taken as an answer
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 0
    assert feedback_handlers.DRAFT_KEY not in bot.app.user_data[1019]


async def test_emergency_inside_the_dialogue_gets_112_first(bot: RunningBot) -> None:
    api = bot.api
    eva = api.user(1031)
    # At a button step: 112 first, then the buttons again.
    await open_dialogue(api, eva)
    await api.send_text(eva, "Hjälp, det brinner i trapphuset!")
    first = await api.next_message(eva)
    assert first.plain_text.startswith("🚨 Ring 112 nu")
    again = await api.next_message(eva)
    assert "knapparna" in again.plain_text
    # At the free-text step: 112 first; the dialogue itself goes on.
    olof = api.user(1032)
    await to_text_step(api, olof)
    await api.send_text(olof, "Någon blir slagen utanför min port just nu")
    first = await api.next_message(olof)
    assert first.plain_text.startswith("🚨 Ring 112 nu")
    review = await api.next_message(olof)
    assert "Skicka" in " ".join(review.button_texts)
