"""English replies are English throughout (#13): source lines and the same caveats as Swedish.

End to end through the offline Bot API. A resident whose Telegram is in English (language_code
"en") asks about the current medborgarlöften and the focus areas; every knowledge entry, promise
and focus area is then shown to an English and a Swedish resident through the bot's own buttons
(``kb:``/``lofte:``/``fokus:``, the "läs mer" path, so each entry is rendered exactly, without
depending on the ranker), and every entry's English title is also asked as a free-text question.
No English reply may cite in Swedish ("Källa", "sidan …", "avsnittet …"), and each English
reply states the numbers (years, phone numbers) and has the lines its Swedish twin has.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from devkit.offline import SentMessage, SimUser
from tests.helpers.bot import RunningBot
from tests.helpers.feedback import tap
from tests.test_content_parity import shape

PROMISES_SOURCE = "Source: umea.se, the citizen promises page “Medborgarlöften”"
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)  # the 2025–2027 promises apply, their text unknown
ENGLISH, SWEDISH = 8301, 8302
#: Swedish citation words that must never appear in an English reply.
SWEDISH_CITATION = re.compile(r"Källa|\bsidan\b|\bavsnitt(et|en)\b|\bundertecknad\b|\bObs!")


def no_swedish_citation(msg: SentMessage) -> None:
    shown = msg.plain_text + "\n" + "\n".join(msg.button_texts)
    assert SWEDISH_CITATION.search(shown) is None, shown


def source_of(msg: SentMessage) -> str:
    """The source line (the last line starting with Källa:/Source:)."""
    lines = [ln for ln in msg.plain_text.splitlines() if ln.startswith(("Källa:", "Source:"))]
    assert len(lines) == 1, msg.plain_text
    return lines[0]


async def ask(bot: RunningBot, user: SimUser, text: str) -> SentMessage:
    await bot.api.send_text(user, text)
    return await bot.api.next_message(user)


async def shown_by_button(bot: RunningBot, user: SimUser, on: SentMessage, data: str) -> str:
    """Press a (possibly forged) content button and return the new message's text."""
    await bot.api.press(user, on, data)
    msg = await bot.api.next_message(user)
    if user.id == ENGLISH:
        no_swedish_citation(msg)
    return msg.plain_text


def residents(bot: RunningBot) -> tuple[SimUser, SimUser]:
    bot.services.clock = lambda: NOW
    return (
        bot.api.user(ENGLISH, first_name="Emma", language_code="en"),
        bot.api.user(SWEDISH, first_name="Sven", language_code="sv"),
    )


async def test_current_promises_in_english_with_english_source_and_the_2025_2027_caveat(
    bot: RunningBot,
) -> None:
    emma, sven = residents(bot)

    answer = await ask(bot, emma, "Which citizen promises apply now?")
    no_swedish_citation(answer)
    assert "2025–2027" in answer.plain_text
    assert "We do not know their content" in answer.plain_text  # the caveat
    assert "latest known promises are those for 2023–2024" in answer.plain_text
    assert source_of(answer).startswith(PROMISES_SOURCE)
    svar = await ask(bot, sven, "Vilka medborgarlöften gäller nu?")
    assert "Vi känner inte till innehållet" in svar.plain_text
    assert source_of(svar).startswith("Källa: umea.se, sidan ”Medborgarlöften”")

    listing = await ask(bot, emma, "/promises")
    no_swedish_citation(listing)
    text = listing.plain_text
    assert text.startswith("The citizen promises for 2025–2027 apply now.")
    assert "We do not know their content." in text
    assert "latest known" in text and "may have changed since" in text
    assert source_of(listing).startswith(PROMISES_SOURCE)
    sv_listing = await ask(bot, sven, "/loften")
    assert "Innehållet känner vi inte till." in sv_listing.plain_text
    assert source_of(sv_listing).startswith("Källa: umea.se, sidan ”Medborgarlöften”")

    await tap(bot.api, emma, listing, "Neighbourhood watch")
    detail = await bot.api.next_message(emma)
    no_swedish_citation(detail)
    assert "Note: this promise applied 2023–2024" in detail.plain_text
    assert "but we do not know what they contain" in detail.plain_text
    assert source_of(detail).startswith(PROMISES_SOURCE)


async def test_focus_areas_in_english_with_english_source(bot: RunningBot) -> None:
    emma, sven = residents(bot)
    english_source = (
        "Source: The cooperation agreement 2021–2024 (samverkansöverenskommelsen), "
        "the section “Särskilt fokus ligger på” (special focus)"
    )

    answer = await ask(bot, emma, "What does the council focus on?")
    no_swedish_citation(answer)
    assert "Tackling narcotics" in answer.plain_text
    # The answer also names the prioritised districts: their sources are cited too.
    assert source_of(answer).startswith(
        "Source: The cooperation agreement 2021–2024 (samverkansöverenskommelsen), "
        "the sections “Särskilt fokus ligger på” (special focus) and “Prioritering"
    )

    listing = await ask(bot, emma, "/focus")
    no_swedish_citation(listing)
    assert "Tackling narcotics" in listing.plain_text
    assert source_of(listing) == english_source
    await tap(bot.api, emma, listing, "Tackling narcotics")
    detail = await bot.api.next_message(emma)
    no_swedish_citation(detail)
    assert "north-eastern districts" in detail.plain_text
    assert source_of(detail) == english_source

    sv_listing = await ask(bot, sven, "/fokus")
    assert source_of(sv_listing).startswith(
        "Källa: Samverkansöverenskommelsen 2021–2024, avsnittet ”Särskilt fokus ligger på”"
    )


async def test_every_entry_promise_and_focus_area_is_english_with_the_swedish_caveats(
    bot: RunningBot,
) -> None:
    """All knowledge entries, promises and focus areas, shown through the bot's buttons to an
    English and a Swedish resident: the English cites its English source, never Swedish, and
    has the same lines and numbers as the Swedish reply (a missing caveat changes both)."""
    emma, sven = residents(bot)
    council = bot.services.council
    on_en = await ask(bot, emma, "/help")
    on_sv = await ask(bot, sven, "/hjalp")
    items = [(f"kb:{e.id}", e.source) for e in council.knowledge]
    items += [(f"lofte:{p.id}", p.source) for p in council.promises]
    items += [(f"fokus:{f.id}", f.source) for f in council.focus_areas]
    assert len(council.knowledge) >= 52
    for en_command, sv_command in (("/promises", "/loften"), ("/focus", "/fokus")):
        english = (await ask(bot, emma, en_command)).plain_text
        swedish = (await ask(bot, sven, sv_command)).plain_text
        assert shape(english, "en") == shape(swedish, "sv"), (english, swedish)
    for data, source in items:
        english = await shown_by_button(bot, emma, on_en, data)
        swedish = await shown_by_button(bot, sven, on_sv, data)
        assert f"Source: {source.en}" in english, data
        assert f"Källa: {source.sv}" in swedish, data
        assert source.en != source.sv, data
        # "Obs!" is one word, as "Note:" is, not a sentence of its own.
        swedish_sentences = swedish.replace("Obs! ", "Obs: ")
        assert shape(english, "en") == shape(swedish_sentences, "sv"), (data, english, swedish)


async def test_every_entrys_english_title_as_a_question_gets_no_swedish_citation(
    bot: RunningBot,
) -> None:
    """The resident's own path: each entry's English title typed as a question (52 questions;
    whichever band answers, an English reply cites in English)."""
    emma, _sven = residents(bot)
    sourced = 0
    for entry in bot.services.council.knowledge:
        reply = await ask(bot, emma, entry.title.en)
        no_swedish_citation(reply)
        if "Source:" in reply.plain_text:
            sourced += 1
            assert source_of(reply).removeprefix("Source: ") in {
                e.source.en for e in bot.services.council.knowledge
            }
    assert sourced >= len(bot.services.council.knowledge) * 3 // 4
