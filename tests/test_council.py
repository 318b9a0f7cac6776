"""Council commands end to end through the offline Bot API: what members and residents see."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from matplotlib import image as mpimg
from PIL import Image

from bot import outbox
from bot.privacy.pseudonym import subscriber_alias
from devkit.offline import OfflineBotApi
from handlers import digest, notes
from storage import council as council_repo
from storage import feedback as feedback_repo
from storage import roles
from storage import summary as summary_repo
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.reports import extra_ersboda
from tests.test_council_data import HTML_QUOTE, YEAR_2024_TOTAL, dataset

MEMBER = 4242
RESIDENT = 5151
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


async def _setup(bot: RunningBot, *, language: str = "sv") -> OfflineBotApi:
    bot.services.clock = lambda: NOW
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    await summary_repo.insert_feedback(bot.db, dataset())
    bot.api.user(MEMBER, language_code=language)
    return bot.api


async def test_summary_text_and_chart(bot: RunningBot) -> None:
    api = await _setup(bot)
    await summary_repo.insert_feedback(bot.db, extra_ersboda())
    await api.send_text(MEMBER, "/sammanfattning 2024-Q3")
    msg = await api.next_message(MEMBER)
    assert "Lägesbild för hela kommunen" in msg.plain_text
    assert "kvartal 3 2024 (1 juli 2024 – 30 september 2024)" in msg.plain_text
    # Q2 (10) is hidden: with the year (28) and Q3 shown, it would give Q4's 1 (nested periods).
    assert "Antal synpunkter: 19 (föregående period: dolt)" in msg.plain_text
    assert "Upplevd trygghet: 3,1 av 5 (inget att jämföra med)" in msg.plain_text
    # Tomtebo (3) and the next smallest, Ålidhem (6), only together.
    assert "Övriga områden: 9" in msg.plain_text and "Tomtebo" not in msg.plain_text
    # Ersboda is hidden in September (4 there, with Tomtebo's 3): no quote from that month.
    assert HTML_QUOTE not in msg.plain_text
    assert "Tomtebo hemlis" not in msg.plain_text
    photo = await api.next_message(MEMBER)
    assert photo.kind == "photo" and photo.file_bytes is not None
    assert photo.filename == "lagesbild.png"
    assert photo.file_bytes.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(photo.file_bytes)).format == "PNG"
    assert mpimg.imread(io.BytesIO(photo.file_bytes), format="png").shape[0] > 200


async def test_summary_for_a_district_default_period_and_bad_input(bot: RunningBot) -> None:
    api = await _setup(bot)
    await api.send_text(MEMBER, "/sammanfattning Ersboda 2024 kv3")
    msg = await api.next_message(MEMBER)
    assert "Lägesbild för Ersboda (Västra och Östra)" in msg.plain_text
    assert "Antal synpunkter: 8" in msg.plain_text and "3,0 av 5 (inget att" in msg.plain_text
    await api.next_message(MEMBER)  # chart
    # Default: the current month at the pinned "now" — nothing there.
    await api.send_text(MEMBER, "/summary")
    msg = await api.next_message(MEMBER)
    assert "november 2026" in msg.plain_text and "Inga synpunkter" in msg.plain_text
    assert "Antal synpunkter: 0 (föregående period: 0)" in msg.plain_text
    assert "färre än 5" not in msg.plain_text
    await api.send_text(MEMBER, "/sammanfattning igår")
    msg = await api.next_message(MEMBER)
    assert "Jag förstod inte ”igår”" in msg.plain_text
    assert "/sammanfattning 2026-Q4" in msg.plain_text and "30d" not in msg.plain_text
    await api.send_text(MEMBER, "/sammanfattning Ersboda förrförra")
    msg = await api.next_message(MEMBER)
    assert "Jag förstod inte perioden ”förrförra”" in msg.plain_text
    await api.send_text(MEMBER, "/sammanfattning Narnia 2024")
    msg = await api.next_message(MEMBER)
    assert "Jag hittar inget område som heter ”Narnia”" in msg.plain_text


async def test_export_csv_parses_back_to_the_same_rows(bot: RunningBot) -> None:
    api = await _setup(bot)
    await api.send_text(MEMBER, "/export 2024-Q3")
    doc = await api.next_message(MEMBER)
    assert doc.kind == "document" and doc.filename == "synpunkter_kvartal_3_2024.csv"
    assert doc.file_bytes is not None and doc.file_bytes.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.DictReader(io.StringIO(doc.file_bytes.decode("utf-8-sig"), newline="")))
    # July (Ersboda's 5 alone) and September are hidden for the whole municipality in the
    # year's plan (they would give Ersboda's 1 + 2 in August and September): their rows are
    # left out; August's rows are all there.
    db_rows = await bot.db.fetchall(
        "SELECT id, district, topic, rating, status FROM feedback "
        "WHERE created_at >= '2024-07-31T22:00:00.000Z' AND created_at < "
        "'2024-08-31T22:00:00.000Z' AND status != 'rejected' ORDER BY created_at, id"
    )
    assert len(parsed) == len(db_rows) == 7
    # Every Q3 cell is small or hidden as a complement: nothing keeps its district or text.
    # A generalised row loses its topic too: the topics of such rows would add up to a topic
    # with fewer than 5.
    assert {(r["district"], r["topic"], r["generalised"], r["id"], r["text"]) for r in parsed} == {
        ("övriga områden", "övriga ämnen", "district topic id language text", "", "")
    }
    assert sorted((r["rating"], r["status"]) for r in parsed) == sorted(
        ("" if row["rating"] is None else str(row["rating"]), row["status"]) for row in db_rows
    )
    assert all(len(r["created_at"]) == 10 for r in parsed)  # whole dates
    assert "7 synpunkter" in (doc.caption or "") and "övriga områden" in (doc.caption or "")
    assert "Rader från månader med för få synpunkter" in (doc.caption or "")
    entries = await bot.db.fetchall("SELECT action, actor_id FROM audit_log WHERE action='export'")
    assert [(e["action"], e["actor_id"]) for e in entries] == [("export", MEMBER)]


async def test_report_is_one_html_file_with_the_right_totals(bot: RunningBot) -> None:
    api = await _setup(bot)
    await api.send_text(MEMBER, "/rapport 2024")
    doc = await api.next_message(MEMBER, timeout=30)
    assert doc.kind == "document" and doc.filename == "uppfoljning_2024.html"
    assert doc.file_bytes is not None
    page = doc.file_bytes.decode("utf-8")
    assert f'id="total">{YEAR_2024_TOTAL}<' in page
    assert "data-quarter='3'>17<" in page and "data-topic='droger'>" in page
    assert "data-quarter='1'>0<" in page and "data-quarter='4'>dolt<" in page
    assert "Året är inte slut" not in page  # 2024 is over
    assert "förlängs den tillsvidare" in page  # the agreement runs on until a new one
    # The running year says that it is not over, and until which date the figures go;
    # /rapport alone means this year.
    await api.send_text(MEMBER, "/rapport")
    doc = await api.next_message(MEMBER, timeout=30)
    assert doc.file_bytes is not None
    page = doc.file_bytes.decode("utf-8")
    assert "Året är inte slut: siffrorna gäller till och med 28 november 2026." in page
    assert page.count("data:image/png;base64,") == 2


@pytest.mark.parametrize(
    "command",
    [
        "/sammanfattning",
        "/export",
        "/rapport 2024",
        "/prenumerera",
        "/avsluta",
        "/aterkoppla Ersboda",
    ],
)
async def test_a_resident_is_refused(bot: RunningBot, command: str) -> None:
    api = await _setup(bot)
    api.user(RESIDENT)
    await api.send_text(RESIDENT, command)
    msg = await api.next_message(RESIDENT)
    assert "bara för rådets medlemmar" in msg.plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM council_digests") == 0
    assert await bot.db.fetchval("SELECT COUNT(*) FROM council_notes") == 0


async def test_group_summary_subscribe_digest_and_restart(runner) -> None:  # type: ignore[no-untyped-def]
    bot = await runner.start()
    api = await _setup(bot)
    group = api.group(-100777, "Rådet")
    # Council figures stay out of groups: the summary is answered only in a private chat.
    await api.send_text(MEMBER, "/sammanfattning@trygghetsbot_test_bot Ersboda 2024-Q3", chat=group)
    msg = await api.next_message(group)
    assert "privat chatt" in msg.plain_text and "Antal synpunkter" not in msg.plain_text

    # The digest quotes residents' texts: a group is refused, a private chat subscribes.
    await api.send_text(MEMBER, "/prenumerera", chat=group)
    msg = await api.next_message(group)
    assert "privat chatt" in msg.plain_text
    assert not bot.app.job_queue.get_jobs_by_name("council-digest:-100777")
    await api.send_text(MEMBER, "/prenumerera")
    msg = await api.next_message(MEMBER)
    assert "Varje måndag" in msg.plain_text
    jobs = bot.app.job_queue.get_jobs_by_name(f"council-digest:{MEMBER}")
    assert len(jobs) == 1
    # Run the job as the JobQueue would on Monday 8 July 2024: last week = week 27.
    bot.services.clock = lambda: datetime(2024, 7, 8, 6, tzinfo=UTC)
    await jobs[0].run(bot.app)
    digest = await api.next_message(MEMBER)
    assert "Veckans lägesbild" in digest.plain_text
    assert "vecka 27 2024" in digest.plain_text
    # Ersboda's 5 in July are all of July, which is hidden (Ersboda's August and September
    # hold 3): the week inside July hides it too.
    assert "Antal synpunkter: dolt" in digest.plain_text
    assert "/avsluta" in digest.plain_text

    # Jobs are rebuilt from the database at start-up.
    bot = await runner.restart()
    assert len(bot.app.job_queue.get_jobs_by_name(f"council-digest:{MEMBER}")) == 1
    await api.send_text(MEMBER, "/avsluta")
    msg = await api.next_message(MEMBER)
    assert "inte längre" in msg.plain_text
    await api.wait_for(lambda: not bot.app.job_queue.get_jobs_by_name(f"council-digest:{MEMBER}"))
    assert await council_repo.digest_subscriptions(bot.db) == []


async def test_digest_to_a_chat_that_removed_the_bot_unsubscribes(bot: RunningBot) -> None:
    api = await _setup(bot)
    await council_repo.subscribe_digest(bot.db, 7788, "sv", MEMBER)
    api.user(7788)
    api.block_user(7788)
    assert await digest.send_digest(bot.app, 7788, NOW)  # queued in the outbox
    await outbox.sender_of(bot.app).idle(timeout=5)
    assert await council_repo.digest_subscriptions(bot.db) == []


async def test_update_note_reaches_subscribed_residents_in_their_language(
    bot: RunningBot,
) -> None:
    api = await _setup(bot)
    api.user(6001, language_code="sv")
    api.user(6002, language_code="en")
    api.user(6003, language_code="sv")
    api.user(6004, language_code="sv")
    await feedback_repo.subscribe(bot.db, "ps1", "ersboda", 6001, "sv")
    await feedback_repo.subscribe(bot.db, "ps2", "ersboda", 6002, "en")
    await feedback_repo.subscribe(bot.db, "ps3", "ersboda", 6003, "sv")
    await feedback_repo.subscribe(bot.db, "ps4", "alidhem", 6004, "sv")
    await feedback_repo.subscribe(bot.db, "ps5", "alidhem", 6005, "sv")  # account gone
    api.block_user(6003)

    await api.send_text(MEMBER, "/aterkoppla Ersboda")
    prompt = await api.next_message(MEMBER)
    assert "Vad har rådet gjort i Ersboda" in prompt.plain_text
    assert prompt.reply_markup and prompt.reply_markup.get("force_reply") is True
    note = "Vi har satt upp ny belysning vid <Ersboda centrum> & röjt buskar."
    await api.send_text(MEMBER, note)
    preview = await api.next_message(MEMBER)
    # A preview first: nothing is stored or sent before the member presses Publicera.
    assert "Förhandsvisning: Ersboda" in preview.plain_text and note in preview.plain_text
    assert "Går till 3 invånare som bett om uppdateringar" in preview.plain_text
    assert preview.button_texts == ["Publicera", "Avbryt"]
    assert await bot.db.fetchval("SELECT COUNT(*) FROM council_notes") == 0
    assert api.messages(6001) == [] and api.messages(6002) == []
    await api.wait_callback_answer(
        await api.press(MEMBER, preview, preview.callback_for("Publicera"))
    )
    done = await api.next_message(MEMBER)  # one progress message, edited in place
    await api.wait_for(lambda: "Skickat till 2 invånare" in done.plain_text)
    assert api.message(MEMBER, preview.message_id).buttons == []  # cannot publish twice

    sv = await api.next_message(6001)
    assert "Nytt från rådet om Ersboda" in sv.plain_text and note in sv.plain_text
    en = await api.next_message(6002)
    assert (
        "News from the council about Ersboda (West and East)" in en.plain_text
        and note in en.plain_text
    )
    assert api.messages(6004) == []
    # The resident who blocked the bot is forgotten.
    assert not await feedback_repo.is_subscribed(bot.db, "ps3", "ersboda")

    # Text right after the command goes straight to the preview.
    await api.send_text(MEMBER, "/aterkoppla Ålidhem Trygghetsvandring hölls i tisdags.")
    preview = await api.next_message(MEMBER)
    assert "Går till 2 invånare" in preview.plain_text
    await api.press(MEMBER, preview, preview.callback_for("Publicera"))
    done = await api.next_message(MEMBER)
    await api.wait_for(lambda: "Skickat till 1 invånare" in done.plain_text)
    assert "Trygghetsvandring hölls i tisdags." in (await api.next_message(6004)).plain_text
    assert not await feedback_repo.is_subscribed(bot.db, "ps5", "alidhem")

    # Everyone can read the notes: /nytt and the menu button.
    await api.send_text(RESIDENT, "/nytt")
    news = await api.next_message(RESIDENT)
    assert "Nytt från rådet" in news.plain_text
    assert note in news.plain_text and "Trygghetsvandring hölls i tisdags." in news.plain_text
    assert news.plain_text.index("Ålidhem") < news.plain_text.index("Ersboda")
    await api.send_text(RESIDENT, "/start")
    menu = await api.next_message(RESIDENT)
    qid = await api.press(RESIDENT, menu, menu.callback_for("Nytt från rådet"))
    await api.wait_callback_answer(qid)
    news = await api.next_message(RESIDENT)
    assert note in news.plain_text
    await api.send_text(RESIDENT, "/nytt Ersboda")
    assert note in (await api.next_message(RESIDENT)).plain_text


async def test_update_cancel_and_unknown_district(bot: RunningBot) -> None:
    api = await _setup(bot)
    await api.send_text(MEMBER, "/aterkoppla Narnia")
    reply = (await api.next_message(MEMBER)).plain_text
    assert reply.startswith("Jag hittar inget område som heter ”Narnia”.")
    assert "Skriv vilket område" in reply
    await api.send_text(MEMBER, "/aterkoppla Atlantis Vi har pratat med <skolan>.")
    reply = (await api.next_message(MEMBER)).plain_text
    assert reply.startswith("Jag hittar inget område som heter ”Atlantis”.")
    # Without any area the plain usage text is enough.
    await api.send_text(MEMBER, "/aterkoppla")
    assert (await api.next_message(MEMBER)).plain_text.startswith("Skriv vilket område")
    await api.send_text(MEMBER, "/aterkoppla Ersboda")
    await api.next_message(MEMBER)
    await api.send_text(MEMBER, "/avbryt")
    assert "Inget publicerades" in (await api.next_message(MEMBER)).plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM council_notes") == 0


async def test_english_summary(bot: RunningBot) -> None:
    api = await _setup(bot, language="en")
    await api.send_text(MEMBER, "/summary Ersboda 2024-Q3")
    msg = await api.next_message(MEMBER)
    assert "Situation in Ersboda (West and East)" in msg.plain_text
    assert "Q3 2024" in msg.plain_text and "1 July 2024" in msg.plain_text
    # Q2 is hidden in the year's plan (it would give Q4's 1): nothing to compare with.
    assert "Feedback: 8 (previous period: hidden)" in msg.plain_text
    assert "3.0 out of 5 (nothing to compare with)" in msg.plain_text
    await api.next_message(MEMBER)
    await api.send_text(MEMBER, "/summary yesterday")
    assert "For example" in (await api.next_message(MEMBER)).plain_text


async def test_english_file_names(bot: RunningBot) -> None:
    api = await _setup(bot, language="en")
    await api.send_text(MEMBER, "/summary 2024-Q3")
    await api.next_message(MEMBER)
    assert (await api.next_message(MEMBER)).filename == "summary.png"
    await api.send_text(MEMBER, "/export 2024-Q3")
    assert (await api.next_message(MEMBER)).filename == "feedback_Q3_2024.csv"
    await api.send_text(MEMBER, "/report 2024")
    assert (await api.next_message(MEMBER, timeout=30)).filename == "annual_report_2024.html"


async def test_a_forgotten_update_does_not_publish_a_later_message(bot: RunningBot) -> None:
    api = await _setup(bot)
    await api.send_text(MEMBER, "/aterkoppla Ersboda")
    await api.next_message(MEMBER)
    # As if the member came back an hour later (after a restart the timeout job is gone).
    bot.app.user_data[MEMBER][notes.NOTE_DISTRICT]["at"] -= 3600
    await api.send_text(MEMBER, "Hej, när är nästa möte?")
    assert "inget publicerades" in (await api.next_message(MEMBER)).plain_text
    assert await bot.db.fetchval("SELECT COUNT(*) FROM council_notes") == 0


async def test_update_preview_cancel_stale_forged_and_revoked(bot: RunningBot) -> None:
    api = await _setup(bot)
    api.user(6001)
    await feedback_repo.subscribe(bot.db, "ps1", "ersboda", 6001, "sv")

    async def notes() -> int:
        return int(await bot.db.fetchval("SELECT COUNT(*) FROM council_notes"))

    # Avbryt: nothing stored, nothing sent, the buttons are gone.
    await api.send_text(MEMBER, "/aterkoppla Ersboda Första texten.")
    first = await api.next_message(MEMBER)
    assert "Går till 1 invånare som bett om uppdateringar" in first.plain_text
    stale = first.callback_for("Publicera")
    await api.press(MEMBER, first, first.callback_for("Avbryt"))
    assert "Inget publicerades" in (await api.next_message(MEMBER)).plain_text
    assert api.message(MEMBER, first.message_id).buttons == []
    # The old Publicera (stale) changes nothing.
    qid = await api.press(MEMBER, first, stale)
    assert "gäller inte längre" in (await api.wait_callback_answer(qid))["text"]
    # A newer preview replaces the older one: the older Publicera, or a forged token, does nothing.
    await api.send_text(MEMBER, "/aterkoppla Ersboda Andra texten.")
    second = await api.next_message(MEMBER)
    for forged in (stale, "rnote:ok:deadbeef", "rnote:ok"):
        qid = await api.press(MEMBER, second, forged)
        assert "gäller inte längre" in (await api.wait_callback_answer(qid))["text"]
    # A resident pressing the member's button (or a forged one) is refused and changes nothing.
    api.user(RESIDENT)
    publish = second.callback_for("Publicera")
    qid = await api.press(RESIDENT, second, publish)
    assert "bara för rådets medlemmar" in (await api.wait_callback_answer(qid))["text"]
    # The role is checked again on the press: a member who lost it cannot publish.
    await roles.revoke(bot.db, MEMBER, "council")
    qid = await api.press(MEMBER, second, publish)
    assert "bara för rådets medlemmar" in (await api.wait_callback_answer(qid))["text"]
    assert await notes() == 0 and api.messages(6001) == []
    # Back in the council, the refused preview is gone too: a fresh one is needed.
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    qid = await api.press(MEMBER, second, publish)
    assert "gäller inte längre" in (await api.wait_callback_answer(qid))["text"]
    assert await notes() == 0 and api.messages(6001) == []


async def test_a_resident_stops_the_updates_for_one_district_with_the_button(
    bot: RunningBot,
) -> None:
    api = await _setup(bot)
    key = bot.services.pseudonym_key
    api.user(6001, language_code="sv")
    api.user(6002, language_code="en")
    # Subscriptions are keyed by the subscriber alias, never by the feedback pseudonym.
    await feedback_repo.subscribe(bot.db, subscriber_alias(6001, key), "ersboda", 6001, "sv")
    await feedback_repo.subscribe(bot.db, subscriber_alias(6001, key), "alidhem", 6001, "sv")
    await feedback_repo.subscribe(bot.db, subscriber_alias(6002, key), "ersboda", 6002, "en")

    async def publish(text: str) -> str:
        await api.send_text(MEMBER, f"/aterkoppla Ersboda {text}")
        preview = await api.next_message(MEMBER)
        await api.press(MEMBER, preview, preview.callback_for("Publicera"))
        done = await api.next_message(MEMBER)  # one progress message, edited in place
        await api.wait_for(
            lambda: "Skickat till" in done.plain_text and "hittills" not in done.plain_text
        )
        return done.plain_text

    assert "Skickat till 2 invånare" in await publish("Första nyheten.")
    note = await api.next_message(6001)
    assert "Första nyheten." in note.plain_text
    assert note.button_texts == ["Sluta få uppdateringar"]
    assert (await api.next_message(6002)).button_texts == ["Stop getting updates"]

    qid = await api.press(6001, note, note.callback_for("Sluta få uppdateringar"))
    await api.wait_callback_answer(qid)
    confirm = await api.next_message(6001)
    assert (
        confirm.plain_text
        == "Klart. Du får inte längre uppdateringar om Ersboda (Västra och Östra)."
    )
    assert api.message(6001, note.message_id).buttons == []
    # Only that district's row is gone; the other district and the other resident stay.
    assert not await feedback_repo.is_subscribed(bot.db, subscriber_alias(6001, key), "ersboda")
    assert await feedback_repo.is_subscribed(bot.db, subscriber_alias(6001, key), "alidhem")
    assert await feedback_repo.is_subscribed(bot.db, subscriber_alias(6002, key), "ersboda")

    # The next note about Ersboda no longer reaches them.
    assert "Skickat till 1 invånare" in await publish("Andra nyheten.")
    assert "Andra nyheten." in (await api.next_message(6002)).plain_text
    assert [m.plain_text for m in api.messages(6001)][-1] == confirm.plain_text

    # Pressing again (or a forged district) changes nothing that is not theirs.
    qid = await api.press(6001, note, "nstop:ersboda")
    await api.wait_callback_answer(qid)
    assert "Du får inga uppdateringar om Ersboda" in (await api.next_message(6001)).plain_text
    qid = await api.press(6001, note, "nstop:atlantis")
    assert "inte längre aktiv" in (await api.wait_callback_answer(qid))["text"]
    assert await feedback_repo.is_subscribed(bot.db, subscriber_alias(6002, key), "ersboda")

    # /integritet tells residents about the button.
    await api.send_text(6001, "/integritet")
    assert "Sluta få uppdateringar" in (await api.next_message(6001)).plain_text
