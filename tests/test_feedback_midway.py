"""What a resident types at the steps that expect a button: the rating and the review.

QA found a question at the rating step dropped ("Välj med knapparna nedan, tack."), a new text
typed at the review thrown away, and /tyck at the review silently losing the written text."""

from __future__ import annotations

from devkit.offline import SentMessage, SimUser
from tests.helpers.bot import RunningBot
from tests.helpers.feedback import open_dialogue, page_to, tap, to_text_step

QUESTION = "Hur anmäler jag ett brott?"
FIRST = "Det är mörkt vid busshållplatsen på kvällarna."
UNSURE = "The guy who drives the 9 bus keeps shouting at kids"


async def _to_review(bot: RunningBot, user: SimUser, text: str = FIRST) -> SentMessage:
    await to_text_step(bot.api, user)
    await bot.api.send_text(user, text)
    review = await bot.api.next_message(user)
    assert "Skicka" in " ".join(review.button_texts)
    return review


async def _send(bot: RunningBot, user: SimUser, review: SentMessage) -> str:
    """Press Skicka; the text that was stored."""
    await tap(bot.api, user, review, "✅")
    thanks = await bot.api.next_message(user)
    assert "Tack!" in thanks.plain_text
    ref = thanks.plain_text.split("ref ")[1].split(")")[0]
    return str(await bot.db.fetchval("SELECT text FROM feedback WHERE ref = ?", (ref,)))


async def test_a_question_at_the_rating_step_is_answered_and_the_dialogue_goes_on(
    bot: RunningBot,
) -> None:
    api = bot.api
    anna = api.user(2101)
    intro = await open_dialogue(api, anna)
    await tap(api, anna, await page_to(api, anna, intro, "Centrum"), "Centrum")
    await tap(api, anna, await api.next_message(anna), "narkotika")
    await api.next_message(anna)  # the rating question
    await api.send_text(anna, QUESTION)
    answer = await api.next_message(anna)
    assert "Välj med knapparna" not in answer.plain_text
    assert "polis" in answer.plain_text.lower()
    assert "Nu fortsätter vi där vi var." in (await api.next_message(anna)).plain_text
    rating = await api.next_message(anna)
    assert "Hur trygg känner du dig" in rating.plain_text
    await tap(api, anna, rating, "4")
    assert "egna ord" in (await api.next_message(anna)).plain_text


async def test_a_new_text_at_the_review_replaces_the_draft_and_is_redacted(
    bot: RunningBot,
) -> None:
    api = bot.api
    bo = api.user(2102)
    await _to_review(bot, bo)
    await api.send_text(bo, "Lampan vid skolan är trasig, ring mig på 070-123 45 67.")
    assert "bytt ut texten" in (await api.next_message(bo)).plain_text
    notice = await api.next_message(bo)
    assert "tog bort 1 personuppgift" in notice.plain_text
    review = await api.next_message(bo)
    assert "Lampan vid skolan" in review.plain_text and FIRST not in review.plain_text
    assert "070" not in review.plain_text
    stored = await _send(bot, bo, review)
    assert "Lampan vid skolan" in stored and "070" not in stored


async def test_an_accusing_text_at_the_review_is_refused_and_the_old_text_kept(
    bot: RunningBot,
) -> None:
    api = bot.api
    cai = api.user(2103)
    await _to_review(bot, cai)
    await api.send_text(cai, "Kalle på Ersboda säljer knark.")
    assert "114 14" in (await api.next_message(cai)).plain_text
    assert "tidigare text finns kvar" in (await api.next_message(cai)).plain_text
    review = await api.next_message(cai)
    assert FIRST in review.plain_text and "Kalle" not in review.plain_text
    assert await _send(bot, cai, review) == FIRST


async def test_a_question_at_the_review_is_answered_and_the_text_kept(bot: RunningBot) -> None:
    api = bot.api
    dan = api.user(2104)
    await _to_review(bot, dan)
    await api.send_text(dan, "ok")  # one word answers the review: it replaces nothing
    assert "knapparna" in (await api.next_message(dan)).plain_text
    assert FIRST in (await api.next_message(dan)).plain_text
    await api.send_text(dan, QUESTION)
    assert "polis" in (await api.next_message(dan)).plain_text.lower()
    assert "Nu fortsätter vi där vi var." in (await api.next_message(dan)).plain_text
    review = await api.next_message(dan)
    assert FIRST in review.plain_text
    assert await _send(bot, dan, review) == FIRST


async def test_tyck_at_the_review_keeps_the_written_text(bot: RunningBot) -> None:
    api = bot.api
    eva = api.user(2105)
    await _to_review(bot, eva)
    await api.send_text(eva, "/tyck")
    notice = await api.next_message(eva)
    assert "inte är skickad" in notice.plain_text and "/avbryt" in notice.plain_text
    review = await api.next_message(eva)
    assert FIRST in review.plain_text
    assert await _send(bot, eva, review) == FIRST
    # Once sent, /tyck starts a new dialogue as usual.
    await api.next_message(eva)  # the updates question
    intro = await open_dialogue(api, eva)
    assert intro.button_texts and "Skicka" not in " ".join(intro.button_texts)


async def test_an_unsure_text_at_the_review_can_keep_the_old_text(bot: RunningBot) -> None:
    api = bot.api
    fia = api.user(2106)
    await _to_review(bot, fia)
    await api.send_text(fia, UNSURE)
    question = await api.next_message(fia)
    assert "Kan texten peka ut en viss person?" in question.plain_text
    assert question.button_texts == ["✏️ Skriv om", "↩️ Behåll den tidigare texten"]
    await tap(api, fia, question, "Behåll")
    assert "tidigare text finns kvar" in (await api.next_message(fia)).plain_text
    review = await api.next_message(fia)
    assert FIRST in review.plain_text
    assert await _send(bot, fia, review) == FIRST


async def test_an_unsure_text_at_the_review_can_be_rewritten(bot: RunningBot) -> None:
    api = bot.api
    gun = api.user(2107)
    await _to_review(bot, gun)
    await api.send_text(gun, UNSURE)
    await tap(api, gun, await api.next_message(gun), "Skriv om")
    assert "egna ord" in (await api.next_message(gun)).plain_text
    await api.send_text(gun, "Bussen på linje 9 är ofta full och stökig på kvällen.")
    review = await api.next_message(gun)  # straight back to the review, with the new text
    assert "linje 9" in review.plain_text and FIRST not in review.plain_text
    assert "linje 9" in await _send(bot, gun, review)
