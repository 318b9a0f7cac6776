"""/status <ref>: a resident sees where their own feedback stands, and only their own."""

from __future__ import annotations

from bot.i18n import format_date
from storage.timestamps import parse_utc
from tests.helpers.bot import RunningBot
from tests.helpers.feedback import alias, give_feedback
from tests.helpers.staff import add_feedback, command, make_staff, press

MOD = 9601
NOT_FOUND = (
    "Jag hittar ingen synpunkt med den referensen. Kontrollera att den är rätt skriven – alla "
    "dina synpunkter ser du med /minadata."
)


async def _sent_on(bot: RunningBot, ref: str, locale: str = "sv") -> str:
    created = await bot.db.fetchval("SELECT created_at FROM feedback WHERE ref = ?", (ref,))
    return format_date(parse_utc(str(created)), locale)


async def test_status_follows_the_feedback_through_moderation(bot: RunningBot) -> None:
    api = bot.api
    lisa = api.user(9501)
    ref = await give_feedback(api, lisa, "Det är mörkt på gångvägen vid skolan.", topic="Belysning")
    assert f"Skriv /status {ref}." in api.messages(lisa)[-2].plain_text  # the thank-you names it

    waiting = await command(api, lisa, f"/status {ref.lower()}")  # typed in lower case
    assert waiting.plain_text.splitlines() == [
        f"Din synpunkt {ref}",
        "Status: väntar på granskning",
        "Område: Centrum",
        "Ämne: Belysning",
        f"Skickad: {await _sent_on(bot, ref)}",
        "",
        "En moderator läser den innan den blir en del av rådets lägesbild.",
    ]

    await make_staff(bot.db, MOD, "moderator")
    mod = api.user(MOD)
    card = await command(api, mod, "/granska")
    assert "Belysning (Trygga och säkra platser)" in card.plain_text  # the council's label
    await press(api, mod, card, card.callback_for("Godkänn"))
    await api.next_message(mod)  # "Inget mer att granska"
    approved = await command(api, lisa, f"/status ref {ref}")
    assert "Status: godkänd" in approved.plain_text
    assert "Den är en del av rådets lägesbild." in approved.plain_text

    second = await give_feedback(api, lisa, "Köp billiga klockor här!!!", district="Gimonäs")
    card = await command(api, mod, "/granska")
    await press(api, mod, card, card.callback_for("Avvisa"))
    await api.wait_for(lambda: card if "Spam" in card.button_texts else None)
    await press(api, mod, card, card.callback_for("Spam"))
    await api.next_message(mod)
    rejected = await command(api, lisa, f"/status {second}")
    assert "Status: avvisad" in rejected.plain_text and "Område: Gimonäs" in rejected.plain_text
    assert "Den kom inte med i rådets lägesbild." in rejected.plain_text
    # The first one still reads as before.
    assert "Status: godkänd" in (await command(api, lisa, f"/status {ref}")).plain_text


async def test_someone_elses_reference_reads_like_an_unknown_one(bot: RunningBot) -> None:
    api = bot.api
    owner, other = api.user(9511), api.user(9512)
    ref = await give_feedback(api, owner, "Bilar kör för fort vid förskolan.", topic="Trafik")
    unknown = "ZZZZZZ" if ref != "ZZZZZZ" else "YYYYYY"
    theirs = await command(api, other, f"/status {ref}")
    nobody = await command(api, other, f"/status {unknown}")
    assert theirs.plain_text == nobody.plain_text == NOT_FOUND
    assert "Trafik" not in theirs.plain_text and "Centrum" not in theirs.plain_text
    # The owner sees it.
    assert "Ämne: Trafik" in (await command(api, owner, f"/status {ref}")).plain_text


async def test_status_alone_and_bad_input_get_clear_replies(bot: RunningBot) -> None:
    api = bot.api
    ulf = api.user(9521)
    usage = await command(api, ulf, "/status")
    assert "/status K7QW3M" in usage.plain_text and "/minadata" in usage.plain_text
    for bad in ("hej!", "ABC", "x" * 4000, "ÅÄÖ123", "K7QW3M9"):
        reply = await command(api, ulf, f"/status {bad}")
        assert reply.plain_text.startswith("Det där ser inte ut som en referens."), bad
        assert "x" * 20 not in reply.plain_text  # the input is never quoted back
    # Not in a group: one resident's feedback is theirs alone.
    group = api.group(-1009521, "Grannar")
    await api.send_text(ulf, "/status K7QW3M", chat=group)
    assert "privat chatt" in (await api.next_message(group)).plain_text


async def test_status_in_english_and_older_rows_read_sensibly(bot: RunningBot) -> None:
    api = bot.api
    tom = api.user(9531, language_code="en")
    # Rows stored before the resident topics: "other" and a focus area id.
    await add_feedback(bot.db, topic="other", district="other", pseudonym=alias(bot, 9531))
    await add_feedback(bot.db, topic="trygga-platser", pseudonym=alias(bot, 9531))
    refs = [r[0] for r in await bot.db.fetchall("SELECT ref FROM feedback ORDER BY id")]
    old = await command(api, tom, f"/status {refs[0]}")
    assert old.plain_text.splitlines()[:4] == [
        f"Your feedback {refs[0]}",
        "Status: awaiting review",
        "Area: Other area",
        "Topic: Other topic",
    ]
    assert f"Sent: {await _sent_on(bot, refs[0], 'en')}" in old.plain_text
    area = await command(api, tom, f"/status {refs[1]}")
    assert "Topic: Safe and secure places" in area.plain_text
    assert "Area: Ålidhem and Ålidbacken" in area.plain_text
    usage = await command(api, tom, "/status")
    assert "/mydata" in usage.plain_text and "/minadata" not in usage.plain_text
    missing = await command(api, tom, "/status ZZZZZZ")
    assert missing.plain_text.startswith("I cannot find any feedback with that reference.")


async def test_status_is_in_help_and_the_command_menus(bot: RunningBot) -> None:
    api = bot.api
    helptext = (await command(api, api.user(9541), "/hjalp")).plain_text
    assert "/status – Se hur det går med din synpunkt (ref)" in helptext
    assert helptext.index("/minadata") < helptext.index("/status")  # with the other resident's
    english = (await command(api, api.user(9542, language_code="en"), "/help")).plain_text
    assert "/status – See how your feedback is doing (ref)" in english
    for lang in ("sv", "en"):
        menu = api.commands_for(language_code=lang) or []
        assert "status" in [c["command"] for c in menu], lang
