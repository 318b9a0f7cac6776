"""QA findings from walking the council member's flows in the local chat, end to end."""

from __future__ import annotations

import pytest

from tests.conftest import RunningBot
from tests.test_council import MEMBER, _setup
from tests.test_council_data import HTML_QUOTE


@pytest.mark.parametrize(
    ("language", "command", "opening", "closing"),
    [("sv", "/sammanfattning 2024-Q3", "”", "”"), ("en", "/summary 2024-Q3", "“", "”")],
)
async def test_quotes_use_the_languages_quotation_marks(
    bot: RunningBot, language: str, command: str, opening: str, closing: str
) -> None:
    """Swedish writes ”citat”, English “quote”; the summary used English marks for both."""
    api = await _setup(bot, language=language)
    await api.send_text(MEMBER, command)
    text = (await api.next_message(MEMBER)).plain_text
    assert f"{opening}{HTML_QUOTE}{closing}" in text
    if language == "sv":
        assert "“" not in text
