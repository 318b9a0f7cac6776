"""The question's language, learned from the content (bot.language): sure or silent."""

from __future__ import annotations

import pytest

from bot.content import load_council
from bot.language import LanguageGuess
from bot.settings import DEFAULT_COUNCIL_FILE


@pytest.fixture(scope="module")
def guess() -> LanguageGuess:
    return LanguageGuess.from_council(load_council(DEFAULT_COUNCIL_FILE))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how do I report graffiti on my street", "en"),
        ("my neighbour plays loud music every night", "en"),
        ("the police is useless here in Ålidhem", "en"),
        ("Hej! How do I give feedback?", "en"),
        ("finns det nåt om knark på Ersboda", "sv"),
        ("snuten e värdelösa här", "sv"),
        ("vem skrev under avtalet", "sv"),
        ("tack så mycket för hjälpen", "sv"),
    ],
)
def test_a_clear_question_gets_its_language(guess: LanguageGuess, text: str, lang: str) -> None:
    assert guess.of(text) == lang


@pytest.mark.parametrize("text", ["ok", "hej", "Ersboda?", "löften?", "promises?", "112 112 112"])
def test_too_little_to_go_on_keeps_the_residents_language(guess: LanguageGuess, text: str) -> None:
    assert guess.of(text) is None


def test_a_council_in_one_language_never_switches() -> None:
    only_swedish = LanguageGuess([("sv", "vem skrev under avtalet"), ("sv", "vad är EST")])
    assert only_swedish.of("who signed the agreement with the police") is None


def test_loanwords_alone_never_switch(guess: LanguageGuess) -> None:
    """English-looking words in a Swedish sentence: the grammar words are Swedish."""
    assert guess.of("trafficking och prostitution i umeå") is None
