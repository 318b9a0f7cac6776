"""QA findings from walking the council member's flows in the local chat, end to end."""

from __future__ import annotations

import pytest

from storage import summary as summary_repo
from tests.helpers.bot import RunningBot
from tests.helpers.reports import busy_quarter
from tests.test_council import MEMBER, _setup
from tests.test_council_data import HTML_QUOTE


@pytest.mark.parametrize(
    ("language", "command", "opening", "closing"),
    [("sv", "/sammanfattning 2025-Q3", "”", "”"), ("en", "/summary 2025-Q3", "“", "”")],
)
async def test_quotes_use_the_languages_quotation_marks(
    bot: RunningBot, language: str, command: str, opening: str, closing: str
) -> None:
    """Swedish writes ”citat”, English “quote”; the summary used English marks for both."""
    api = await _setup(bot, language=language)
    # A quarter where every month shows Ersboda's cell, so its approved text may be quoted.
    await summary_repo.insert_feedback(bot.db, busy_quarter(2025, 3, HTML_QUOTE))
    await api.send_text(MEMBER, command)
    text = (await api.next_message(MEMBER)).plain_text
    assert f"{opening}{HTML_QUOTE}{closing}" in text
    if language == "sv":
        assert "“" not in text


async def test_report_for_a_year_out_of_range_says_which_years_work(bot: RunningBot) -> None:
    """A year out of range got "Skriv vilket år rapporten gäller", though a year was written;
    now a year before the first feedback says so and when the first came."""
    api = await _setup(bot)
    await api.send_text(MEMBER, "/rapport 1999")
    reply = (await api.next_message(MEMBER)).plain_text
    assert reply == "Det finns inga synpunkter från 1999: den första kom 10 maj 2024."
    await api.send_text(MEMBER, "/rapport 2027")
    assert "har inte börjat än" in (await api.next_message(MEMBER)).plain_text
