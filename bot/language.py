"""Which language a question is written in, learned from the council's own texts.

A resident's language comes from Telegram's setting or /sprak, but many Swedes run Telegram in
English and some English speakers in Swedish: the question itself is the better witness. The bot
answers a question in the language it was asked in when that is clear, and otherwise keeps the
resident's language. Short or mixed messages ("ok", "hej", "Ersboda?") are never switched.

The model is a naive Bayes classifier over character n-grams, trained on every example question
and every answer of the content file (both languages), so a council that adds phrasings also
teaches it; it is rebuilt with the knowledge base when the content changes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB

if TYPE_CHECKING:
    from bot.content import Council, LText

LANGS = ("sv", "en")
#: How sure the model must be before an answer leaves the resident's language.
SURE = 0.95
#: Fewer words than this are too little evidence ("ok", "hej då", "Ersboda?").
MIN_WORDS = 3
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Grammar words only one of the languages has: a switch needs more of the new language's than
#: of the other's, so loanwords ("trafficking och prostitution i umeå") never switch alone.
FUNCTION_WORDS = {
    "sv": frozenset(
        "och är jag det att som på inte ett vad hur vem var vilka vilken för med om till kan "  # noqa: SIM905
        "ni vi har den du mig min mitt finns ska också eller när där här".split()
    ),
    "en": frozenset(
        "the and is are it to of what how who where which can you my do does have has there "  # noqa: SIM905
        "this that with for not or when here about me".split()
    ),
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _texts(value: LText) -> list[tuple[str, str]]:
    """(language, sentence) pairs of a two-language text."""
    return [
        (lang, sentence)
        for lang in LANGS
        for sentence in _SENTENCE.split(value.get(lang))
        if _WORD.search(sentence)
    ]


def training_texts(council: Council) -> list[tuple[str, str]]:
    """(language, text) pairs from the content: examples of every kind and the answers."""
    pairs: list[tuple[str, str]] = []
    for entry in council.knowledge:
        pairs += entry.examples.all()
        pairs += _texts(entry.answer) + _texts(entry.title)
    for intent in council.small_talk:
        pairs += intent.examples.all()
    for section in (
        council.out_of_scope_examples,
        council.unknown_examples,
        council.emergency_examples,
        council.non_emergency_examples,
    ):
        pairs += section.all()
    return pairs


class LanguageGuess:
    """``of(text)`` → "sv" or "en" when the text is clearly that language, else None."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        labels = [lang for lang, _ in pairs]
        if set(labels) != set(LANGS):  # a council with one language: never switch
            self._model: MultinomialNB | None = None
            return
        self._vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 4), lowercase=True, sublinear_tf=True
        )
        features = self._vectorizer.fit_transform([text for _, text in pairs])
        self._model = MultinomialNB(alpha=0.1).fit(features, labels)

    @classmethod
    def from_council(cls, council: Council) -> LanguageGuess:
        return cls(training_texts(council))

    def of(self, text: str) -> str | None:
        if self._model is None or len(_WORD.findall(text)) < MIN_WORDS:
            return None
        probabilities = self._model.predict_proba(self._vectorizer.transform([text]))[0]
        best = int(probabilities.argmax())
        if probabilities[best] < SURE:
            return None
        lang = str(self._model.classes_[best])
        words = [w.casefold() for w in _WORD.findall(text)]
        mine = sum(w in FUNCTION_WORDS[lang] for w in words)
        theirs = sum(w in FUNCTION_WORDS[other] for other in LANGS if other != lang for w in words)
        return lang if mine > theirs else None
