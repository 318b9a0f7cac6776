"""A knowledge answer cites every source its facts come from (#13 leftover): the `fokus` entry
names the agreement's focus areas ("Särskilt fokus ligger på") and also the prioritised
north-eastern districts, which the agreement's priorities section and the "Umeå växer tryggt
och säkert" assignment (the sources of the entries prio-nordost and umea-vaxer) state; its
source line cites all three, in the reader's language, through the bot."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.content import DEFAULT_COUNCIL_FILE, load_council
from devkit.offline import SentMessage
from tests.helpers.bot import RunningBot

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def _source(message: SentMessage) -> str:
    lines = [ln for ln in message.plain_text.splitlines() if ln.startswith(("Källa:", "Source:"))]
    assert len(lines) == 1, message.plain_text
    return lines[0]


def test_the_focus_entrys_source_covers_the_sources_of_its_facts() -> None:
    council = load_council(DEFAULT_COUNCIL_FILE)
    fokus, prio = council.knowledge_entry("fokus"), council.knowledge_entry("prio-nordost")
    assert fokus is not None and prio is not None
    # The answer states the districts that prio-nordost states …
    for place in ("Ersboda", "Mariehem", "Ålidhem", "Tomtebo", "2018"):
        assert place in fokus.answer.sv and place in prio.answer.sv
    # … and cites the sections those facts are from, beside the focus areas' own.
    for lang in ("sv", "en"):
        cited = fokus.source.get(lang)
        assert "Särskilt fokus ligger på" in cited
        assert "Prioritering för verksamhetsåren 2021–2024" in cited
        assert "Umeå växer tryggt och säkert" in cited


async def test_the_focus_answer_cites_all_its_sources_through_the_bot(bot: RunningBot) -> None:
    bot.services.clock = lambda: NOW
    sven = bot.api.user(8411, first_name="Sven", language_code="sv")
    emma = bot.api.user(8412, first_name="Emma", language_code="en")
    # The "läs mer" button of the entry: the entry as residents see it, without the ranker.
    await bot.api.send_text(sven, "/hjalp")
    help_sv = await bot.api.next_message(sven)
    await bot.api.press(sven, help_sv, "kb:fokus")
    swedish = await bot.api.next_message(sven)
    assert "nordöstra stadsdelarna" in swedish.plain_text
    assert _source(swedish) == (
        "Källa: Samverkansöverenskommelsen 2021–2024, avsnitten ”Särskilt fokus ligger på” och "
        "”Prioritering för verksamhetsåren 2021–2024”; umea.se, om uppdraget ”Umeå växer "
        "tryggt och säkert” (https://www.umea.se)"
    )
    await bot.api.send_text(emma, "/help")
    help_en = await bot.api.next_message(emma)
    await bot.api.press(emma, help_en, "kb:fokus")
    english = await bot.api.next_message(emma)
    assert "north-eastern districts" in english.plain_text
    source = _source(english)
    assert source.startswith("Source: The cooperation agreement 2021–2024")
    assert "“Prioritering för verksamhetsåren 2021–2024” (priorities for those years)" in source
    assert "umea.se, on the assignment “Umeå växer tryggt och säkert”" in source
    assert "avsnitt" not in source and "Källa" not in source
