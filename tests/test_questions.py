"""Residents' questions end to end through the offline Bot API (issue #3).

Every reply here went through Telegram-like HTML validation in the offline server: invalid HTML
or a text over 4096 characters is a 400 there, so the test would see no message and fail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from devkit.offline.models import SentMessage
from tests.helpers.bot import RunningBot
from tests.helpers.feedback import alert, tap

EVAL = yaml.safe_load((Path(__file__).parent / "fixtures" / "qa_eval.yaml").read_text("utf-8"))
MAX = 4096


def pin_date(bot: RunningBot, year: int, month: int, day: int) -> None:
    bot.services.clock = lambda: datetime(year, month, day, 12, tzinfo=UTC)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def assert_valid(msg: SentMessage) -> None:
    """The server accepted it (it parses HTML strictly), and it is within Telegram's limit."""
    assert msg.parse_mode and msg.parse_mode.lower() == "html"
    assert 0 < utf16(msg.plain_text) <= MAX


async def ask(bot: RunningBot, user: Any, text: str) -> SentMessage:
    await bot.api.send_text(user, text)
    msg = await bot.api.next_message(user)
    assert_valid(msg)
    return msg


# ---------------------------------------------------------------- questions


async def test_swedish_question_with_typos_and_no_diacritics(bot: RunningBot) -> None:
    anna = bot.api.user(4001)
    msg = await ask(bot, anna, "hur lange galler avtalet")
    text = msg.plain_text
    assert "31 december 2024" in text and "förläng" in text  # straight from the content file
    assert "Källa:" in text
    # Key fact first: the first line is the bold first line of the entry's answer.
    assert msg.text and msg.text.startswith("<b>")

    msg = await ask(bot, anna, "vad gor ni mot knarket pa ersbda??")
    assert "narkotika" in msg.plain_text.lower()
    assert "nordöstra" in msg.plain_text


async def test_english_question_answered_in_english(bot: RunningBot) -> None:
    tom = bot.api.user(4002, language_code="en")
    msg = await ask(bot, tom, "what is EST")
    text = msg.plain_text
    assert "Effective coordination for safety" in text or "EST" in text
    assert "Source:" in text and "Källa" not in text
    assert "property owners" in text


async def test_read_more_buttons_open_related_entries(bot: RunningBot) -> None:
    bo = bot.api.user(4003)
    msg = await ask(bot, bo, "vad är ett medborgarlöfte")
    assert "polisen och kommunen" in msg.plain_text
    assert msg.button_texts, "related entries as 'läs mer' buttons"
    data = msg.callback_for("2023–2024")
    assert data.startswith("kb:") and len(data.encode()) <= 64
    qid = await bot.api.press(bo, msg, data)
    assert await alert(bot.api, qid) == ""
    more = await bot.api.next_message(bo)
    assert_valid(more)
    assert "tre delar" in more.plain_text and "grannsamverkan" in more.plain_text


async def test_hedge_says_it_guesses_and_its_buttons_work(bot: RunningBot) -> None:
    """The plausible band: "Jag tror att du undrar över …", the answer, other topics as buttons."""
    from handlers.questions import knowledge_base

    kb = knowledge_base(bot.services)
    candidates = [i["q"] for s in ("questions", "blind2", "blind3") for i in EVAL[s]]
    hedged = [q for q in candidates if kb.answer(q, "sv").band == "hedge"]
    assert hedged, "the development sets have plausible-but-unsure questions"
    question = next((q for q in hedged if kb.answer(q, "sv").alternatives), hedged[0])
    decided = kb.answer(question, "sv")
    assert decided.entry is not None
    cia = bot.api.user(4004)
    msg = await ask(bot, cia, question)
    text = msg.plain_text
    assert text.startswith("Jag tror att du undrar över")
    assert decided.entry.answer.sv.splitlines()[0] in text  # the answer itself is shown
    assert "Källa:" in text
    topics = [b for b in msg.button_texts if b.startswith("📖")]
    assert len(topics) == len(decided.alternatives) <= 2
    if decided.alternatives:
        other = decided.alternatives[0]
        await tap(bot.api, cia, msg, other.title.sv)
        chosen = await bot.api.next_message(cia)
        assert_valid(chosen)
        assert other.answer.sv.splitlines()[0] in chosen.plain_text


async def test_dont_know_gives_contacts(bot: RunningBot) -> None:
    cia = bot.api.user(4011)
    msg = await ask(bot, cia, "när töms soporna i mitt kvarter")
    text = msg.plain_text
    assert text.startswith("Det vet jag tyvärr inte")
    assert "090-16 10 00" in text and "114 14" in text and "112" in text


async def test_small_talk_is_answered_not_dont_know(bot: RunningBot) -> None:
    ulla = bot.api.user(4012)
    msg = await ask(bot, ulla, "hej!")
    assert msg.plain_text.startswith("Hej!") and msg.button_texts  # the main menu
    msg = await ask(bot, ulla, "är du en riktig människa?")
    assert "inte en människa" in msg.plain_text and "inte polisen" in msg.plain_text
    msg = await ask(bot, ulla, "tack så mycket")
    assert msg.plain_text.startswith("Varsågod")
    msg = await ask(bot, ulla, "hej då")
    assert "Hej då" in msg.plain_text
    ted = bot.api.user(4013, language_code="en")
    msg = await ask(bot, ted, "are you a human or a bot?")
    assert "not a person" in msg.plain_text and "not the police" in msg.plain_text
    for reply in bot.api.messages(ulla) + bot.api.messages(ted):
        assert "vet jag tyvärr inte" not in reply.plain_text
        assert "don't know" not in reply.plain_text


async def test_out_of_scope_gets_dont_know_and_contacts_never_an_invented_answer(
    bot: RunningBot,
) -> None:
    dan = bot.api.user(4005)
    msg = await ask(bot, dan, "jag fick en parkeringsbot, hur överklagar jag")
    text = msg.plain_text
    assert text.startswith("Det vet jag tyvärr inte")
    assert "Källa" not in text  # no sourced answer = nothing stated as fact
    assert "Umeå kommun: 090-16 10 00, umea.se" in text
    assert "114 14, polisen.se" in text
    refused = 0
    for question in EVAL["out_of_scope"]:
        msg = await ask(bot, dan, question)
        # (a false alarm may put the 112 block first: recall first; the rest is the same)
        # (an English question is answered in English since bot.language: "I'm sorry, …")
        dont_know = "Det vet jag tyvärr inte" in msg.plain_text or "I don't know" in msg.plain_text
        refused += dont_know and "Källa" not in msg.plain_text and "Source" not in msg.plain_text
    # the development figure is 88 % (benchmarks/bench_questions.py)
    assert refused >= 0.8 * len(EVAL["out_of_scope"])


async def test_out_of_scope_in_english(bot: RunningBot) -> None:
    eve = bot.api.user(4006, language_code="en")
    msg = await ask(bot, eve, "what's the weather tomorrow in umeå")
    assert msg.plain_text.startswith("I'm sorry, I don't know that")
    assert "Umeå municipality: 090-16 10 00, umea.se" in msg.plain_text


async def test_emergency_gets_112_in_the_first_reply(bot: RunningBot) -> None:
    fia = bot.api.user(4007)
    msg = await ask(bot, fia, "det brinner i trapphuset!")
    first_line = msg.plain_text.splitlines()[0]
    assert "112" in first_line
    assert bot.api.messages(fia)[0] is msg or bot.api.messages(fia)[0].message_id == msg.message_id


async def test_everyday_danger_gets_112_first_and_support_lines(bot: RunningBot) -> None:
    """No "akut", no "fara": violence through the wall, threats from an ex, sv and en."""
    vera = bot.api.user(4014)
    msg = await ask(bot, vera, "hör grannen slå sin fru genom väggen")
    assert msg.plain_text.startswith("🚨 Ring 112 nu")
    assert "Kvinnofridslinjen: 020-50 50 50" in msg.plain_text
    assert "Brottsofferjouren: 116 006" in msg.plain_text
    will = bot.api.user(4015, language_code="en")
    msg = await ask(bot, will, "my ex is outside my door saying he will kill me")
    assert msg.plain_text.startswith("🚨 Call 112 now")
    assert "020-50 50 50" in msg.plain_text and "116 006" in msg.plain_text
    msg = await ask(bot, will, "a man keeps following me home from the bus")
    assert msg.plain_text.startswith("🚨 Call 112 now")
    msg = await ask(bot, vera, "det brinner i köket")
    assert msg.plain_text.startswith("🚨 Ring 112 nu")
    assert "Kvinnofridslinjen" not in msg.plain_text


async def test_danger_inside_the_feedback_dialogue_gets_112_first(bot: RunningBot) -> None:
    """The dialogue uses bot.emergency.is_emergency, which the learned detector backs."""
    xena = bot.api.user(4016)
    await bot.api.send_text(xena, "/tyck")
    await bot.api.next_message(xena)
    await bot.api.send_text(xena, "hör grannen slå sin fru genom väggen")
    msg = await bot.api.next_message(xena)
    assert msg.plain_text.startswith("🚨 Ring 112 nu")


async def test_emergency_in_english_and_every_eval_message(bot: RunningBot) -> None:
    gus = bot.api.user(4008, language_code="en")
    msg = await ask(bot, gus, "someone is attacking me")
    assert msg.plain_text.startswith("🚨 Call 112 now")
    hel = bot.api.user(4009)
    for message in EVAL["emergency"]:
        msg = await ask(bot, hel, message)
        # (an English message is answered in English since bot.language)
        assert msg.plain_text.startswith(("🚨 Ring 112 nu", "🚨 Call 112 now")), message


async def test_ask_command(bot: RunningBot) -> None:
    ida = bot.api.user(4010)
    msg = await ask(bot, ida, "/fraga")
    assert "Skriv din fråga" in msg.plain_text
    msg = await ask(bot, ida, "/fraga vad är EST")
    assert "Effektiv samordning för trygghet" in msg.plain_text


# ---------------------------------------------------------------- löften and fokus


async def test_promises_when_current_content_is_unknown(bot: RunningBot) -> None:
    pin_date(bot, 2026, 11, 28)
    jon = bot.api.user(4011)
    msg = await ask(bot, jon, "/loften")
    text = msg.plain_text
    first = text.splitlines()[0]
    assert "2025–2027" in first
    assert text.count("känner vi inte till") == 1 and "känner inte till vad" not in text
    assert "senast kända" in text and "2023–2024" in text
    assert "Grannsamverkan" in text and "Polisen främjar" not in text  # short: titles only
    assert any("umea.se" in b for b in msg.button_texts)
    await tap(bot.api, jon, msg, "Grannsamverkan")
    detail = await bot.api.next_message(jon)
    assert_valid(detail)
    assert detail.plain_text.startswith("Grannsamverkan\n\nPolisen främjar grannsamverkan.")
    assert "gällde 2023–2024" in detail.plain_text
    assert "känner inte till" in detail.plain_text
    assert "Källa:" in detail.plain_text
    # Back to the list with the button.
    await tap(bot.api, jon, detail, "Alla medborgarlöften")
    again = await bot.api.next_message(jon)
    assert "senast kända" in again.plain_text


async def test_promises_when_period_is_known(bot: RunningBot) -> None:
    pin_date(bot, 2024, 5, 1)
    kim = bot.api.user(4012, language_code="en")
    msg = await ask(bot, kim, "/promises")
    text = msg.plain_text
    assert text.startswith("The citizen promises 2023–2024 apply now.")
    assert "latest known" not in text
    assert "Neighbourhood watch" in text
    await tap(bot.api, kim, msg, "Neighbourhood watch")
    detail = await bot.api.next_message(kim)
    assert "Note" not in detail.plain_text


async def test_focus_areas_and_read_more(bot: RunningBot) -> None:
    liv = bot.api.user(4013)
    msg = await ask(bot, liv, "/fokus")
    assert "Krafttag mot narkotika" in msg.plain_text
    assert len(msg.button_texts) == len(bot.services.council.focus_areas)
    await tap(bot.api, liv, msg, "narkotika")
    detail = await bot.api.next_message(liv)
    assert_valid(detail)
    assert "nordöstra stadsdelarna" in detail.plain_text
    assert "Källa:" in detail.plain_text


async def test_menu_buttons(bot: RunningBot) -> None:
    pin_date(bot, 2026, 11, 28)
    max_ = bot.api.user(4014)
    welcome = await ask(bot, max_, "/start")
    await tap(bot.api, max_, welcome, "Medborgarlöften")
    assert "senast kända" in (await bot.api.next_message(max_)).plain_text
    await tap(bot.api, max_, welcome, "Fokusområden")
    assert "Krafttag mot narkotika" in (await bot.api.next_message(max_)).plain_text
    await tap(bot.api, max_, welcome, "Ställ en fråga")
    assert "Skriv din fråga" in (await bot.api.next_message(max_)).plain_text
    msg = await ask(bot, max_, "vem skrev under överenskommelsen")
    assert "Hans Lindberg" in msg.plain_text


async def test_forged_and_stale_buttons_are_harmless(bot: RunningBot) -> None:
    ola = bot.api.user(4015)
    msg = await ask(bot, ola, "/fokus")
    for data in ("kb:finns-inte", "lofte:nope", "fokus:nope", "kb:"):
        qid = await bot.api.press(ola, msg, data)
        assert "finns inte längre" in await alert(bot.api, qid)
    assert bot.api.drain(ola) == []


# ---------------------------------------------------------------- routing


async def test_unknown_command_is_answered_but_known_commands_are_not_swallowed(
    bot: RunningBot,
) -> None:
    per = bot.api.user(4016)
    msg = await ask(bot, per, "/finnsinte")
    assert "Det kommandot känner jag inte igen" in msg.plain_text and "/hjalp" in msg.plain_text
    for command, expected in (
        ("/hjalp", "Så använder du boten"),
        ("/integritet", "Hur länge?"),
        ("/fokus", "Krafttag"),
        ("/start", "trygghetsboten"),
        ("/tyck", "område"),  # a ConversationHandler entry point still wins
        ("/avbryt", "avbrutit"),
    ):
        msg = await ask(bot, per, command)
        assert expected in msg.plain_text, command
    eng = bot.api.user(4017, language_code="en")
    msg = await ask(bot, eng, "/nosuchthing")
    assert "I don't know that command" in msg.plain_text and "/help" in msg.plain_text


async def test_active_dialogue_wins_over_free_text(bot: RunningBot) -> None:
    rut = bot.api.user(4018)
    first = await ask(bot, rut, "/tyck")
    # Inside the feedback dialogue, text is not treated as a question.
    await bot.api.send_text(rut, "vad är EST")
    reply = await bot.api.next_message(rut)
    assert "Effektiv samordning" not in reply.plain_text
    assert first.message_id != reply.message_id
    await bot.api.send_text(rut, "/avbryt")
    await bot.api.wait_for(lambda: any("avbrutit" in m.plain_text for m in bot.api.messages(rut)))
    bot.api.drain(rut)
    msg = await ask(bot, rut, "vad är EST")
    assert "Effektiv samordning för trygghet" in msg.plain_text


async def test_groups_answer_only_when_addressed(bot: RunningBot) -> None:
    api = bot.api
    group = api.group(-100400, "Grannföreningen")
    sam = api.user(4019)
    await api.send_text(sam, "vad är EST", chat=group)
    await api.send_text(sam, "/finnsinte", chat=group)
    await api.send_text(sam, f"@{api.bot_username} vad är EST", chat=group)
    msg = await api.next_message(group)
    assert "Effektiv samordning för trygghet" in msg.plain_text
    # The first two got no reply: the next message is the answer to the mention.
    await api.send_text(sam, "hur länge gäller avtalet", chat=group, reply_to=msg.message_id)
    msg = await api.next_message(group)
    assert "31 december 2024" in msg.plain_text
    assert len(api.messages(group)) == 2


# ---------------------------------------------------------------- evaluation sample


async def test_eval_sample_through_the_real_handler_path(bot: RunningBot) -> None:
    """20 evaluation questions end to end: the bot shows what the KB decided, with the facts."""
    from handlers.questions import knowledge_base

    kb = knowledge_base(bot.services)
    questions = EVAL["questions"]
    step = max(1, len(questions) // 20)
    sample = questions[::step][:20]
    assert len(sample) == 20
    users = {"sv": bot.api.user(4100), "en": bot.api.user(4101, language_code="en")}
    right = 0
    for item in sample:
        msg = await ask(bot, users[item["lang"]], item["q"])
        decided = kb.answer(item["q"], item["lang"])
        if decided.entry is not None:
            first = decided.entry.answer.get(item["lang"]).splitlines()[0]
            assert first in msg.plain_text, item  # wiring: the KB's answer, in the user's language
        if decided.entry is not None and decided.entry.id == item["expect"]:
            right += all(fact in msg.plain_text for fact in item["facts"])
    assert right / len(sample) >= 0.9, f"{right}/{len(sample)}"


async def test_media_outside_a_dialogue_gets_a_helpful_reply(bot: RunningBot) -> None:
    api = bot.api
    sara, john = api.user(1201), api.user(1202, language_code="en")
    await api.send_sticker(sara)
    reply = await api.next_message(sara)
    assert "bara läsa text" in reply.plain_text and "/tyck" in reply.plain_text
    await api.send_location(john, 63.82, 20.26)
    reply = await api.next_message(john)
    assert "only read text" in reply.plain_text and "/feedback" in reply.plain_text


async def test_english_privacy_answer_names_the_english_command(bot: RunningBot) -> None:
    api = bot.api
    john = api.user(1203, language_code="en")
    await api.send_text(john, "how do you handle my personal data?")
    reply = await api.next_message(john)
    body = reply.plain_text.split("Source:")[0]
    assert "/privacy" in body and "/integritet" not in body


async def test_broken_street_light_and_graffiti_point_to_the_municipalitys_fault_report(
    bot: RunningBot,
) -> None:
    """Not a police matter and not "vet inte": Umeå kommun's felanmälan, web, app and phone,
    with its umea.se source, in Swedish and in English; vandalism as a crime: 114 14."""
    olle = bot.api.user(4030)
    msg = await ask(bot, olle, "gatlampan vid vår port har varit släckt i flera dagar, vem fixar")
    text = msg.plain_text
    assert "Det vet jag tyvärr inte" not in text
    assert "umea.se/felanmalan" in text and "090-16 14 61" in text
    assert "Felanmälan i Umeå kommun" in text  # the app
    assert "Källa: umea.se" in text
    assert "114 14" in text
    kim = bot.api.user(4031, language_code="en")
    msg = await ask(bot, kim, "who should I contact about graffiti on the bridge underpass?")
    text = msg.plain_text
    assert "I'm sorry, I don't know" not in text
    assert "umea.se/felanmalan" in text and "090-16 14 61" in text
    assert "Source: umea.se" in text and "Källa" not in text


async def test_an_emergency_in_everyday_english_gets_112_on_the_first_line(
    bot: RunningBot,
) -> None:
    """No alarm words: an overdose and a child left in danger, as a worried person writes."""
    ada = bot.api.user(4032, language_code="en")
    for message in (
        "my friend took a bunch of pills and now he won't wake up",
        "the kid next door is alone on the balcony railing on the 4th floor",
    ):
        msg = await ask(bot, ada, message)
        assert "112" in msg.plain_text.splitlines()[0], message


async def test_an_english_question_the_content_cannot_answer_gets_dont_know(
    bot: RunningBot,
) -> None:
    """In the council's field but not in its content (a budget, who chairs it now): the honest
    "I don't know" with contacts, never a confident answer about the nearest entry."""
    eve = bot.api.user(4033, language_code="en")
    for question in (
        "what's the yearly budget for the safety work in Ålidhem?",
        "who is the current chair of the crime prevention council",
        "whats the budget for the est group",
    ):
        msg = await ask(bot, eve, question)
        assert msg.plain_text.startswith("I'm sorry, I don't know"), question
        assert "090-16 10 00" in msg.plain_text and "114 14" in msg.plain_text


async def test_a_question_is_answered_in_the_language_it_was_asked_in(bot: RunningBot) -> None:
    """Many Swedes run Telegram in English and some English speakers in Swedish: a clear
    question gets its answer (and source line) in its own language; a short or mixed message
    keeps the resident's language."""
    lisa = bot.api.user(4040, language_code="en")  # a Swede with Telegram in English
    msg = await ask(bot, lisa, "vem ska jag ringa om gatlampan utanför huset är trasig")
    assert "umea.se/felanmalan" in msg.plain_text
    assert "Källa:" in msg.plain_text and "Source:" not in msg.plain_text
    sam = bot.api.user(4041)  # an English speaker whose Telegram is in Swedish
    msg = await ask(bot, sam, "who should I call about a broken street light outside my house")
    assert "umea.se/felanmalan" in msg.plain_text
    assert "Source:" in msg.plain_text and "Källa:" not in msg.plain_text
    # Too short to tell: the resident's own language (Swedish here) stays.
    msg = await ask(bot, sam, "tack")
    assert "Thank" not in msg.plain_text and "thank" not in msg.plain_text


async def test_danger_that_is_not_violence_gets_112_on_the_first_line(bot: RunningBot) -> None:
    """Gas, water, a crash, someone about to jump, someone who does not respond: ongoing
    danger in everyday words, Swedish and English, gets the 112 block first."""
    sven = bot.api.user(4040)
    for message in (
        "känner en stark gaslukt i källaren hos oss",
        "en pojke drunknar vid badplatsen",
        "två bilar har krockat på korsningen o en förare ligger skadad",
        "en man sitter på broräcket o säger att han tänker hoppa",
        "min mamma har kollapsat i köket",
    ):
        msg = await ask(bot, sven, message)
        assert msg.plain_text.startswith("🚨 Ring 112 nu"), message
    emma = bot.api.user(4041, language_code="en")
    for message in (
        "our hallway smells really strongly of gas",
        "a man is drowning near the beach",
        "a cyclist was hit by a car and is lying on the road",
        "someone on the parking garage roof says they're going to jump",
        "my dad collapsed in the kitchen",
    ):
        msg = await ask(bot, emma, message)
        assert msg.plain_text.startswith("🚨 Call 112 now"), message


async def test_a_question_near_the_councils_field_about_something_else_gets_dont_know(
    bot: RunningBot,
) -> None:
    """About the police or the municipality, but not about crime prevention: becoming a
    police officer, an id number, a licence. Context after the question does not make the
    question one the content answers."""
    olle = bot.api.user(4042)
    for question in (
        "hur utbildar man sig till polis",
        "var ansöker jag om pass? har precis flyttat hit från norge",
    ):
        msg = await ask(bot, olle, question)
        assert msg.plain_text.startswith("Det vet jag tyvärr inte"), question
    pia = bot.api.user(4043, language_code="en")
    for question in (
        "what education do I need to work as a police officer in Sweden",
        "where do I apply for a swedish id card? I started a new job here last month",
    ):
        msg = await ask(bot, pia, question)
        assert msg.plain_text.startswith("I'm sorry, I don't know"), question


async def test_a_slangy_or_after_the_fact_tip_off_gets_the_police_tip_line(
    bot: RunningBot,
) -> None:
    """Slang ("snuten", "aina", "langar") or a past event told first, then "how do I tell the
    police": Tipsa polisen with 114 14, not "vet inte" and not the 112 alarm."""
    sara = bot.api.user(4040)
    for message in (
        "tänkte tipsa snuten om att nån langar vid skolan, hur gör jag det",
        "aina borde veta att det säljs knark bakom ica, hur tipsar man",
    ):
        text = (await ask(bot, sara, message)).plain_text
        assert "114 14" in text and "Det vet jag tyvärr inte" not in text, message
        assert "112" not in text.splitlines()[0], message
    tom = bot.api.user(4041, language_code="en")
    text = (
        await ask(
            bot,
            tom,
            "some kid sold weed to my nephew a couple of days ago, how do I tell the police "
            "about it? it's over",
        )
    ).plain_text
    assert "114 14" in text and "I'm sorry, I don't know" not in text
    assert "112" not in text.splitlines()[0]


async def test_districts_and_how_to_reach_the_council(bot: RunningBot) -> None:
    """How many districts Umeå has (22, from umea.se) and how to reach the council (through
    the municipality's contacts): facts the content holds, in both languages."""
    lena = bot.api.user(4042)
    text = (await ask(bot, lena, "hur många stadsdelar e umeå indelat i?")).plain_text
    assert "22 stadsdelar" in text and "Carlshem" in text
    text = (await ask(bot, lena, "hur når man brottsförebyggande rådet")).plain_text
    assert "umea.kommun@umea.se" in text and "090-16 10 00" in text
    sam = bot.api.user(4043, language_code="en")
    text = (await ask(bot, sam, "how many districts does umea have")).plain_text
    assert "22 districts" in text


async def test_the_date_of_the_next_event_is_not_answered_with_the_method(
    bot: RunningBot,
) -> None:
    """The content describes safety walks but holds no dates: "when is the next one, what
    time" gets the honest "vet inte" with contacts, not the method's description."""
    nils = bot.api.user(4044)
    text = (
        await ask(bot, nils, "vilken dag o tid e nästa trygghetsvandring på ålidhem")
    ).plain_text
    assert "Det vet jag tyvärr inte" in text and "090-16 10 00" in text
    eva = bot.api.user(4045, language_code="en")
    text = (await ask(bot, eva, "when's the next safety walk on teg, what time?")).plain_text
    assert "I'm sorry, I don't know" in text


async def test_an_acknowledgement_or_a_complaint_about_the_bot_is_small_talk(
    bot: RunningBot,
) -> None:
    """An acknowledgement ("lol ok") or a complaint ("du e värdelös") is no question: a short
    friendly reply (the complaint with the municipality's number), never "vet inte"."""
    rut = bot.api.user(4046)
    text = (await ask(bot, rut, "lol ok")).plain_text
    assert text.startswith("👍") and "vet jag tyvärr inte" not in text
    text = (await ask(bot, rut, "du e värdelös")).plain_text
    assert text.startswith("Förlåt") and "090-16 10 00" in text
    max_ = bot.api.user(4047, language_code="en")
    text = (await ask(bot, max_, "haha nice")).plain_text
    assert text.startswith("👍") and "don't know" not in text
    text = (await ask(bot, max_, "you're kinda useless")).plain_text
    assert text.startswith("Sorry") and "090-16 10 00" in text
