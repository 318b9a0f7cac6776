"""The art. 10 guard (GDPR art. 10): the verdict for a text before anything is stored.

Data about a person committing or being suspected of a concrete crime may as a rule only be
processed by authorities. :func:`assess` combines the structural rules (accusation_rules.py:
a crime phrase with a named agent), the phrase lexicon and references (accusation_terms.py), the
wide net (accusation_net.py) and a learned second opinion (guard_model.py) into accuse (refuse),
unsure (ask the resident to rewrite first) or ok.
"""

from __future__ import annotations

import re

from bot.privacy.accusation_net import _VALENCE, _cooccurrence
from bot.privacy.accusation_rules import (
    _SENTENCES,
    Accusation,
    _crimes,
    _judge,
    _refs,
    detect_accusation,
)
from bot.privacy.accusation_terms import (
    ACCUSE,
    OK,
    STRONG_REASONS,
    UNSURE,
    Assessment,
    _more_refs,
    _wrongs,
)

__all__ = ["ACCUSE", "OK", "UNSURE", "Accusation", "Assessment", "assess", "detect_accusation"]


def assess(text: str) -> Assessment:
    """The verdict for a resident's (or moderator's) text before anything is stored.

    ``accuse``: refuse, never store, point to Tipsa polisen / 114 14. ``unsure``: ask the resident
    to rewrite without what points at a person (or to tip off the police). ``ok``: store.
    """
    found = detect_accusation(text)
    if found is not None:
        return Assessment(ACCUSE, found.reason, found.crime)
    unsure: Assessment | None = None
    for sentence in (s for s in _SENTENCES.split(text) if s and s.strip()):
        crimes = _crimes(sentence)
        wrongs = _wrongs(sentence)
        if not crimes and not wrongs:
            continue
        refs = _refs(sentence) + _more_refs(sentence)
        strong = [r for r in refs if r.reason in STRONG_REASONS]
        for start, end, kind in sorted(crimes + wrongs):
            reason = _judge(sentence, strong, start, end)
            if reason in STRONG_REASONS:
                return Assessment(ACCUSE, reason, kind)
            reason = _judge(sentence, refs, start, end)
            if reason:
                unsure = unsure or Assessment(UNSURE, reason, kind)
    return (
        unsure
        or _cooccurrence(text)
        or _identifiable_wrong(text)
        or _second_opinion(text)
        or Assessment(OK)
    )


def _identifiable_wrong(text: str) -> Assessment | None:
    """Someone pointed at plus an act that is a wrong in itself (wrongdoing.py): ask first."""
    from bot.privacy.wrongdoing import identifiable_wrong

    cue = identifiable_wrong(text)
    return Assessment(UNSURE, cue, "wrongdoing") if cue else None


# Help, praise and thanks without a single crime word: the model is not asked.
_PRAISE = re.compile(
    r"\b(?i:tack|thanks?|thank\s+you|bra\s+jobbat|great\s+job|amazing|fantastisk\w*|hjälp\w*"
    r"|helps?|helped|helping|gives?\s+free|ger\s+gratis|gratis|free\s+\w+|fixed"
    r"|startat|started|ordnat|organi[sz]\w*|snäll\w*|vänlig\w*|kind|friendly|trevlig\w*"
    r"|volunteer\w*|ideell\w*|skotta\w*|shovel\w*|bjuder|lånar\s+ut|lends?|till\s+förmån"
    r"|klassresa\w*|school\s+trip)\b"
)


_AGAINST_BEFORE = re.compile(
    r"\b(?i:against|mot|om|about|stoppa|stop|prevent|förebygga|bekämpa|fight|tvättat\s+bort"
    r"|tvättar\s+bort|tvättade\s+bort|tar\s+bort|tog\s+bort|tagit\s+bort|sanera\w*|removes?"
    r"|removed|removing|cleans?\s+(?:up|off)|cleaned\s+(?:up|off)|paints?\s+over|painted\s+over"
    r"|målar\s+över|målade\s+över)\s+(?:\w+\s+){0,2}$"
)


def _valence_done(text: str) -> bool:
    """A crime word that someone does, not one a walk or a course is 'against' or 'about'."""
    return any(not _AGAINST_BEFORE.search(text, 0, m.start()) for m in _VALENCE.finditer(text))


def _praise_only(text: str) -> bool:
    """Help or praise, with no crime word done by anyone, and no one singled out as the doer
    ("Han som kallas Bullen … är den som fixar grejer åt 14-åringarna" is no praise)."""
    from bot.privacy.identifiable import singles_out

    return bool(_PRAISE.search(text)) and not _valence_done(text) and not singles_out(text)


def _second_opinion(text: str) -> Assessment | None:
    """The learned model (bot/privacy/guard_model.py), asked only when the text has a cue that
    someone is identifiable (identifiable.model_may_judge): without a person there is no one to
    protect. Without a word that tells of a wrong the model must be very sure."""
    from bot.privacy.identifiable import model_may_judge, person_cues

    bar = model_may_judge(text)
    if bar is None or _praise_only(text):
        return None
    cues = person_cues(text)
    from bot.privacy.guard_model import probability

    if probability(text) >= bar:
        return Assessment(UNSURE, cues[0].removeprefix("rule_"), "model")
    return None
