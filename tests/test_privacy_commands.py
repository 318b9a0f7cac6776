"""/integritet, /minadata, /radera and retention, end to end and against the database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from storage import feedback as repo
from tests.helpers.bot import BotRunner, RunningBot
from tests.helpers.feedback import alert, alias, dump_database, give_feedback, tap


async def test_privacy_text_names_what_why_how_long_and_who(runner: BotRunner) -> None:
    runner.settings = runner.settings.model_copy(update={"retention_months": 18})
    bot = await runner.start()
    api = bot.api
    ulla = api.user(3001)
    await api.send_text(ulla, "/integritet")
    text = (await api.next_message(ulla)).plain_text
    assert "pseudonym" in text and "Inget namn" in text
    assert "Varför?" in text and "Hur länge?" in text and "18 månader" in text
    assert "Moderatorer" in text and "Rådets medlemmar" in text
    assert "/minadata" in text and "/radera" in text
    # The menu button shows the same.
    await api.send_text(ulla, "/start")
    welcome = await api.next_message(ulla)
    await tap(api, ulla, welcome, "Integritet")
    assert "Hur länge?" in (await api.next_message(ulla)).plain_text


async def test_privacy_in_english(bot: RunningBot) -> None:
    api = bot.api
    tom = api.user(3002, language_code="en")
    await api.send_text(tom, "/privacy")
    text = (await api.next_message(tom)).plain_text
    assert "How long?" in text and "24 months" in text and "/mydata" in text


async def test_mydata_sends_everything_as_json(bot: RunningBot) -> None:
    api = bot.api
    vera = api.user(3003, first_name="Vera")
    other = api.user(3004)
    ref = await give_feedback(api, vera, "Vera tycker att parken är mörk.", district="Haga")
    question = api.messages(vera)[-1]
    await tap(api, vera, question, "Ja tack")
    await api.wait_for(lambda: api.message(vera, question.message_id).edit_count > 0)
    await give_feedback(api, other, "Någon annans text.")

    await api.send_text(vera, "/minadata")
    summary = await api.next_message(vera)  # readable first: what, where, status
    assert "Dina synpunkter" in summary.plain_text
    assert (
        "Haga och Sandbacka" in summary.plain_text and "väntar på granskning" in summary.plain_text
    )
    assert ref in summary.plain_text
    doc = await api.next_message(vera)
    assert doc.kind == "document" and doc.filename == "mina-data.json"
    assert doc.file_bytes is not None
    data = json.loads(doc.file_bytes.decode("utf-8"))
    assert data["pseudonym"] == alias(bot, 3003)
    assert [f["ref"] for f in data["feedback"]] == [ref]
    assert data["feedback"][0]["text"] == "Vera tycker att parken är mörk."
    assert data["feedback"][0]["district"] == "haga"
    assert data["update_subscriptions"] == [
        {
            "district": "haga",
            "chat_id": 3003,
            "language": "sv",
            "created_at": data["update_subscriptions"][0]["created_at"],
        }
    ]
    assert "Någon annans text." not in doc.file_bytes.decode("utf-8")
    assert "1 synpunkt" in (doc.caption or "")


async def test_mydata_and_delete_refuse_in_groups(bot: RunningBot) -> None:
    api = bot.api
    yngve = api.user(3005)
    group = api.group(-100300, "Föreningen")
    await api.send_text(yngve, "/minadata", chat=group)
    assert "privat chatt" in (await api.next_message(group)).plain_text
    await api.send_text(yngve, "/radera", chat=group)
    assert "privat chatt" in (await api.next_message(group)).plain_text


async def test_delete_removes_every_row_and_text_of_the_resident(runner: BotRunner) -> None:
    bot = await runner.start()
    api = bot.api
    zara = api.user(3006, first_name="Zara", username="zara_u")
    keep = api.user(3007)
    await api.send_text(zara, "/sprak")
    lang = await api.next_message(zara)
    await tap(api, zara, lang, "Svenska")
    assert "Hej!" in (await api.next_message(zara)).plain_text  # welcome again
    await give_feedback(api, zara, "Zaras första unika text om Ålidhem.")
    question = api.messages(zara)[-1]
    await tap(api, zara, question, "Ja tack")
    await api.wait_for(lambda: api.message(zara, question.message_id).edit_count > 0)
    await give_feedback(api, zara, "Zaras andra unika text.", district="Haga")
    await give_feedback(api, keep, "Den här ska finnas kvar.")
    zara_alias = alias(bot, 3006)
    # Zara is mid-dialogue when she asks to delete everything.
    await api.send_text(zara, "/tyck")
    await api.next_message(zara)

    state = await bot.db.fetchall("SELECT kind FROM ptb_state WHERE data LIKE '%locale%'")
    assert [r["kind"] for r in state] == ["user"]  # her language choice is stored …
    assert await bot.db.fetchval("SELECT COUNT(*) FROM ptb_state WHERE kind = 'conversation'")

    await api.send_text(zara, "/radera")
    ask = await api.next_message(zara)
    assert "2 synpunkter" in ask.plain_text and "1 prenumeration" in ask.plain_text
    assert "inte att ångra" in ask.plain_text
    # Someone else's forged confirmation does nothing.
    forged = ask.callback_for("Ja, radera").replace("3006", "3007")
    assert "inte din" in await alert(api, await api.press(zara, ask, forged))
    await tap(api, zara, ask, "Ja, radera")
    await api.wait_for(lambda: "Klart" in api.message(zara, ask.message_id).plain_text)
    assert "2 synpunkter" in api.message(zara, ask.message_id).plain_text

    await runner.stop()  # clean shutdown: everything the bot would still write is written
    everything = dump_database(runner.settings.database_path)
    for trace in ("Zaras", "Ålidhem.", zara_alias, "3006", "zara_u"):
        assert trace not in everything, trace
    assert "Den här ska finnas kvar." in everything and alias(bot, 3007) in everything

    # And the bot starts afresh for her: no dialogue, no language choice left.
    bot = await runner.start()
    await api.send_text(zara, "/avbryt")
    assert "inget att avbryta" in (await api.next_message(zara)).plain_text


async def test_delete_can_be_declined(bot: RunningBot) -> None:
    api = bot.api
    ada = api.user(3008)
    await give_feedback(api, ada, "Kvar.")
    await api.send_text(ada, "/radera")
    ask = await api.next_message(ada)
    await tap(api, ada, ask, "Nej")
    await api.wait_for(lambda: "ingenting" in api.message(ada, ask.message_id).plain_text)
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 1


async def test_old_dialogue_button_after_delete_is_harmless(bot: RunningBot) -> None:
    api = bot.api
    bea = api.user(3009)
    await api.send_text(bea, "/tyck")
    intro = await api.next_message(bea)
    await api.send_text(bea, "/radera")
    ask = await api.next_message(bea)
    await tap(api, bea, ask, "Ja, radera")
    await api.wait_for(lambda: "Klart" in api.message(bea, ask.message_id).plain_text)
    qid = await tap(api, bea, intro, "Centrum")
    assert "avslutad" in await alert(api, qid)
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 0


async def test_purge_removes_old_text_and_keeps_counts(bot: RunningBot) -> None:
    now = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)

    async def add(key: str, created: datetime) -> None:
        item = repo.NewFeedback("p" * 64, "centrum", "other", 3, f"text {key}", "sv", key)
        await repo.submit(bot.db, item, per_day=100, now=created)

    await add("old", now - timedelta(days=800))
    await add("edge-old", datetime(2024, 3, 31, 11, 59, tzinfo=UTC))  # just over 24 months
    await add("edge-new", datetime(2024, 3, 31, 12, 1, tzinfo=UTC))  # just under
    await add("new", now - timedelta(days=3))

    removed = await repo.purge_old_text(bot.db, 24, now=now)
    assert removed == 2
    rows = await bot.db.fetchall(
        "SELECT submission_key, text, text_removed_at, rating FROM feedback ORDER BY id"
    )
    by_key = {r["submission_key"]: r for r in rows}
    assert len(rows) == 4  # counts stay
    assert by_key["old"]["text"] is None and by_key["old"]["text_removed_at"] is not None
    assert by_key["edge-old"]["text"] is None and by_key["edge-old"]["rating"] == 3
    assert by_key["edge-new"]["text"] == "text edge-new"
    assert by_key["new"]["text"] == "text new" and by_key["new"]["text_removed_at"] is None
    assert await repo.purge_old_text(bot.db, 24, now=now) == 0  # idempotent


async def test_retention_job_is_scheduled_daily(bot: RunningBot) -> None:
    from bot.retention import RETENTION_JOB

    jobs = bot.app.job_queue.get_jobs_by_name(RETENTION_JOB) if bot.app.job_queue else ()
    assert len(jobs) == 2  # daily at night + once soon after start-up


async def test_daily_job_drops_abandoned_drafts(bot: RunningBot) -> None:
    """A resident who walks away mid-dialogue leaves no unsent text in the bot's state."""
    from bot.retention import RETENTION_JOB
    from handlers import feedback as handlers_feedback
    from tests.helpers.feedback import to_text_step

    api = bot.api
    walker, stayer = api.user(1041), api.user(1042)
    for user in (walker, stayer):
        await to_text_step(api, user)
        await api.send_text(user, f"Mörkt vid busshållplatsen, utkast {user.id}")
        await api.next_message(user)  # the review
    # The walker's draft is older than the timeout; the stayer's is fresh.
    draft = bot.app.user_data[walker.id][handlers_feedback.DRAFT_KEY]
    draft["touched"] -= handlers_feedback.TIMEOUT.total_seconds() + 1
    job = bot.app.job_queue.get_jobs_by_name(RETENTION_JOB)[0]
    await job.run(bot.app)
    state = dump_database(bot.services.settings.database_path)
    assert f"Mörkt vid busshållplatsen, utkast {walker.id}" not in state
    assert f"Mörkt vid busshållplatsen, utkast {stayer.id}" in state
