"""/aterkoppla beside /avbryt and /tyck, and what a council note may contain.

QA found: /avbryt after a preview said "nothing to cancel" while Publicera still published;
/aterkoppla then /tyck took the typed district as the council note; a phone number in a note
went to residents unredacted."""

from __future__ import annotations

from datetime import UTC, datetime

from devkit.offline import SentMessage
from storage import feedback as feedback_repo
from storage import roles
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.feedback import alert, open_dialogue, tap

MEMBER = 4545
RESIDENT = 6161
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


async def _member(bot: RunningBot) -> None:
    bot.services.clock = lambda: NOW
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    bot.api.user(MEMBER)


async def _preview(bot: RunningBot, text: str) -> SentMessage:
    await bot.api.send_text(MEMBER, text)
    preview = await bot.api.next_message(MEMBER)
    assert preview.plain_text.startswith("Förhandsvisning"), preview.plain_text
    return preview


async def _notes(bot: RunningBot) -> int:
    return int(await bot.db.fetchval("SELECT COUNT(*) FROM council_notes"))


async def test_cancel_cancels_the_preview_and_its_button_says_so(bot: RunningBot) -> None:
    await _member(bot)
    api = bot.api
    preview = await _preview(bot, "/aterkoppla ersboda Vi har haft trygghetsvandring.")
    publish = preview.callback_for("Publicera")
    await api.send_text(MEMBER, "/avbryt")
    msg = await api.next_message(MEMBER)
    assert msg.plain_text == "Avbrutet. Inget publicerades."
    await api.wait_for(lambda: api.message(MEMBER, preview.message_id).buttons == [])
    # A press that was already on its way (or an old client) still publishes nothing.
    said = await alert(api, await api.press(MEMBER, preview, publish))
    assert "avbröts" in said and "Inget publicerades" in said
    assert await _notes(bot) == 0
    # And /avbryt now really has nothing left to cancel.
    await api.send_text(MEMBER, "/avbryt")
    assert "inget att avbryta" in (await api.next_message(MEMBER)).plain_text


async def test_cancel_while_the_note_is_asked_for(bot: RunningBot) -> None:
    await _member(bot)
    api = bot.api
    await api.send_text(MEMBER, "/aterkoppla centrum")
    assert "Vad har rådet gjort" in (await api.next_message(MEMBER)).plain_text
    await api.send_text(MEMBER, "/avbryt")
    assert (await api.next_message(MEMBER)).plain_text == "Avbrutet. Inget publicerades."
    await api.send_text(MEMBER, "Hur anmäler jag ett brott?")  # now a question again
    assert "Förhandsvisning" not in (await api.next_message(MEMBER)).plain_text


async def test_tyck_ends_a_note_still_waiting_for_its_text(bot: RunningBot) -> None:
    await _member(bot)
    api = bot.api
    await api.send_text(MEMBER, "/aterkoppla centrum")
    await api.next_message(MEMBER)
    await api.send_text(MEMBER, "/tyck")
    ended = await api.next_message(MEMBER)
    assert "avbröt återkopplingen från rådet för Centrum" in ended.plain_text
    await api.next_message(MEMBER)  # the district picker
    await api.send_text(MEMBER, "Ersboda")
    chosen = await api.next_message(MEMBER)
    assert "Förhandsvisning" not in chosen.plain_text and "Ersboda" in chosen.plain_text
    await api.next_message(MEMBER)  # the topic question
    assert await _notes(bot) == 0
    await api.send_text(MEMBER, "/avbryt")  # cancels the feedback, truthfully
    assert (
        await api.next_message(MEMBER)
    ).plain_text == "Okej, jag har avbrutit. Inget har sparats."


async def test_tyck_is_refused_while_a_preview_waits(bot: RunningBot) -> None:
    await _member(bot)
    api = bot.api
    preview = await _preview(bot, "/aterkoppla centrum Ny belysning i parken.")
    await api.send_text(MEMBER, "/tyck")
    refused = await api.next_message(MEMBER)
    assert "förhandsvisning" in refused.plain_text and "/avbryt" in refused.plain_text
    assert bot.app.user_data.get(MEMBER, {}).get("feedback_draft") is None
    await tap(api, api.user(MEMBER), preview, "Publicera")
    progress = await api.next_message(MEMBER)
    await api.wait_for(lambda: "Publicerat" in api.message(MEMBER, progress.message_id).plain_text)
    assert await _notes(bot) == 1


async def test_update_is_refused_during_tyck(bot: RunningBot) -> None:
    await _member(bot)
    api = bot.api
    await open_dialogue(api, api.user(MEMBER))
    await api.send_text(MEMBER, "/aterkoppla centrum")
    refused = await api.next_message(MEMBER)
    assert "tycka till" in refused.plain_text and "/avbryt" in refused.plain_text
    await api.send_text(MEMBER, "Ersboda")  # the district of the feedback, not a note
    assert "Förhandsvisning" not in (await api.next_message(MEMBER)).plain_text
    assert await _notes(bot) == 0


async def test_a_note_is_redacted_and_the_member_sees_what_was_removed(bot: RunningBot) -> None:
    await _member(bot)
    api = bot.api
    api.user(RESIDENT)
    await feedback_repo.subscribe(bot.db, "ps-r", "ersboda", RESIDENT, "sv")
    preview = await _preview(
        bot, "/aterkoppla ersboda Vi har lagat lamporna. Kontakta Kalle på 070-1234567."
    )
    assert "070" not in preview.plain_text
    assert "tog bort" in preview.plain_text and "telefonnummer" in preview.plain_text
    await tap(api, api.user(MEMBER), preview, "Publicera")
    pushed = await api.next_message(RESIDENT)
    assert "Vi har lagat lamporna." in pushed.plain_text and "070" not in pushed.plain_text
    await api.send_text(RESIDENT, "/nytt ersboda")
    news = await api.next_message(RESIDENT)
    assert "Vi har lagat lamporna." in news.plain_text and "070" not in news.plain_text
