"""The art. 10 guard's verdicts, phrase lexicon and the ways residents point at a person
(round 5: an identifiable person + any described wrongdoing). Used by accusation_net.py and
accusation.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.privacy.accusation_rules import NAMES, PLACES, _Ref, _words

# --- round 5: an identifiable person + any described wrongdoing -------------------------------
#
# The rules above catch crime words next to a name or a neighbour. Residents also point at people
# by a role tied to a place or a time ("chauffören på 17.05-bussen"), their relation to the
# writer ("mitt ex"), a door number, initials, a nickname or a distinctive description, and
# describe wrongdoing in everyday verbs ("har slagit sönder", "tog pengarna"). The phrases live in
# accusation_lexicon.yaml. A strong reference (who exactly) with wrongdoing is refused; a weaker
# one (a role, a description) sends the text back to the resident ("unsure"): nothing is stored
# until the text no longer points at someone.

LEXICON_FILE = Path(__file__).with_name("accusation_lexicon.yaml")
ACCUSE, UNSURE, OK = "accuse", "unsure", "ok"
STRONG_REASONS = frozenset(
    {
        "named_person",
        "handle",
        "relation",
        "neighbour",
        "located_person",
        "initials",
        "nickname",
        "plate",
        "door",
        "identified_later",
        "pronoun",
    }
)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The guard's verdict: ``accuse`` (refuse), ``unsure`` (ask the resident first) or ``ok``.

    ``reason`` says how a person is identified, ``wrong`` the kind of wrongdoing; neither holds
    text from the message, so both are safe to log.
    """

    verdict: str
    reason: str = ""
    wrong: str = ""

    @property
    def stored(self) -> bool:
        """Only an ``ok`` text may be stored as it is."""
        return self.verdict == OK


def _alt(word: str) -> str:
    """One alternative: ``word*`` any ending, ``*word`` any beginning (compounds), else exact."""
    core = re.escape(word.strip("*"))
    return (r"\w*" if word.startswith("*") else "") + core + (r"\w*" if word.endswith("*") else "")


def _phrase(phrase: str) -> str:
    """Compile the lexicon's phrase syntax (see accusation_lexicon.yaml); ``tok?`` is optional."""
    out = ""
    for tok in phrase.split():
        if tok == "...":
            out += r"(?:[^\s.!?]+\s+){0,3}?"
            continue
        optional = tok.endswith("?") and len(tok) > 1
        body = "(?:" + "|".join(_alt(a) for a in tok.rstrip("?").split("|")) + r")\s+"
        out += f"(?:{body})?" if optional else body
    return r"\b" + out.removesuffix(r"\s+") + r"\b"


def _alternation(words: list[str]) -> str:
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    with LEXICON_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


@lru_cache(maxsize=1)
def _wrongdoing() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (kind, re.compile(_phrase(p), re.IGNORECASE))
        for kind, phrases in _lexicon()["wrongdoing"].items()
        for p in phrases
    )


def _both(key: str) -> list[str]:
    entry = _lexicon()[key]
    return [*entry["sv"], *entry["en"]]


@lru_cache(maxsize=1)
def _extra_refs() -> tuple[tuple[str, re.Pattern[str]], ...]:
    relations = _alternation(_both("relations"))
    roles = _alternation(_both("roles"))
    anchors = _alternation(_both("anchors"))
    describers = _alternation(_both("describers"))
    features = _alternation(_both("features"))
    street = (
        r"[A-ZÅÄÖ][\wåäö-]*(?:vägen|gatan|gränd|stigen|backen|torget|allén|leden|street|road|lane)"
    )
    return (
        ("initials", re.compile(r"(?<!\w)[A-ZÅÄÖ]\.\s?[A-ZÅÄÖ]\.(?!\w)")),
        # Text that was already redacted still points at someone: "[användarnamn] säljer …".
        (
            "handle",
            re.compile(
                r"\[(?:användarnamn|username|regnr|registration number|länk|link"
                r"|telefonnummer|phone number|e-post|e-mail|personnummer"
                r"|personal identity number)\]"
            ),
        ),
        (
            "relation",
            re.compile(
                rf"\b(?i:min|mitt|mina|vår|vårt|våra|my|our)\s+(?:\w+\s+)?(?i:{relations})\b"
            ),
        ),
        (
            "nickname",
            re.compile(
                r"\b(?i:som\s+kallas|kallad|kallas|som\s+går\s+under\s+namnet|they\s+call"
                r"|known\s+as|called|nicknamed)\s+[A-ZÅÄÖ\"'][\w\"']+"
            ),
        ),
        (
            "door",
            re.compile(
                r"\b(?i:de|dom|den|han|hon|hen|folk|familjen|people|whoever|those|they|he|she"
                r"|the\s+\w+)\s+(?:(?i:som\s+bor|who\s+lives?|that\s+lives?|lives?|living|bor)\s+)?"
                r"(?i:i|på|in|at|on)\s+(?:\S+\s+){0,4}?(?i:lägenhet|lgh|nr|nummer|number|no\.?"
                r"|flat|apartment|apt|port|dörren|door|unit|plan|våning|floor)\s*\d+\w?"
            ),
        ),
        (
            "door",
            re.compile(
                r"\b(?i:who(?:ever)?\s+lives?|that\s+lives?|som\s+bor|de\s+som\s+bor|bor)"
                r"\s+(?i:i|in|at|på)\s+\d{1,4}[A-Za-z]?\b"
            ),
        ),
        (
            "door",
            re.compile(
                r"\b(?i:villan|huset|radhuset|lägenheten|the\s+house|the\s+villa|the\s+flat)"
                r"\s+(?i:på|vid|i|on|at)\s+"
            ),
        ),
        ("address", re.compile(rf"\b{street}\s+\d+\s?[A-Za-z]?\b")),
        (
            "role_place",
            re.compile(
                rf"\b(?i:{roles})(?:\s+(?i:på|i|of|on)\s+(?:\S+\s+){{0,2}}?\S*\d\S*)?"
                rf"\s+(?i:{anchors})\s+(?:\S+\s+){{0,2}}?(?:[A-ZÅÄÖ0-9]|(?i:the|nätter|natten)"
                rf"|[a-zåäö]\w*(?:en|et|an|n)\b)"
            ),
        ),
        (
            "role_place",
            re.compile(
                r"\b(?i:han|hon|hen|den|killen|tjejen|mannen|kvinnan)\s+som\s+"
                r"(?i:kör|driver|äger|har|jobbar|arbetar|står)\s+\w+"
            ),
        ),
        (
            "description",
            re.compile(
                rf"\b(?i:the\s+|den\s+|det\s+)?(?:\w+\s+){{0,2}}(?i:{describers})\s+"
                rf"(?:\w+\s+){{0,2}}?(?i:{features})(?:\s+(?i:who|som)\s+(?:\w+\s+){{0,8}}?"
                rf"(?i:every\s+\w+|varje\s+\w+|always|alltid))?"
            ),
        ),
        (
            "description",
            re.compile(rf"\b(?i:{features})\s+(?:\w+\s+){{0,2}}?(?i:{describers})\b"),
        ),
        # A person tied to a fixed spot or routine: "the guy ... who/that ... every morning".
        (
            "description",
            re.compile(
                rf"\b(?i:{describers})\s+(?:\S+\s+){{0,10}}?(?i:who|that|som)\s+"
                rf"(?:\S+\s+){{0,6}}?(?i:every\s+\w+|varje\s+\w+|always|alltid|jämt|each\s+\w+)"
            ),
        ),
        # A colour or a telling item: "killen i blå jacka", "the guy in the blue Volvo".
        (
            "description",
            re.compile(
                rf"\b(?i:{describers})\s+(?i:i|in|med|with)\s+(?:(?i:the|a|an|en|ett|den|det)\s+)?"
                r"(?:(?i:big|small|old|large|long|short|tall|little|young|stor\w*|liten|lilla"
                r"|gammal|gamla|lång\w*|kort\w*|ung\w*|tjock\w*|smal\w*)\s+)?"
                r"(?i:röd\w*|svart\w*|vit\w*|blå\w*|grön\w*|gul\w*|grå\w*|rosa|lila|brun\w*"
                r"|orange|red|black|white|blue|green|yellow|grey|gray|pink|purple|brown|rullstol\w*"
                r"|wheelchair|rullator\w*|keps\w*|huvtröj\w*|hoodie|cap|beard|skägg\w*)"
            ),
        ),
        (
            "neighbour",
            re.compile(
                r"\b(?i:grann(?:pojken|flickan|killen|tjejen|frun|gubben|tanten"
                r"|ungarna|barnen|sonen|dottern|mannen|kvinnan))\b"
            ),
        ),
        (
            "door",
            re.compile(
                r"\b(?i:i|på)\s+(?:\d+:(?:an|en|a)|(?i:trean|fyran|femman|sexan|tvåan"
                r"|ettan|sjuan|åttan|nian|tian))\b"
            ),
        ),
        (
            "named_person",
            re.compile(
                r"^\W*[A-ZÅÄÖ][a-zåäö]+(?:\s+[A-ZÅÄÖ][a-zåäö]+)?\s+"
                r"(?=(?:på|i|från|vid|from|at|who|som)\s)"
            ),
        ),
    )


_DEFINITE = ("en", "et", "na", "an", "arna", "erna", "orna", "ns")
# Plural, definite and abstract noun endings: "Pensionärer i …", "Trafiken på …" are not names.
_NOUN_ENDINGS = (*_DEFINITE, "er", "ar", "or", "are", "ing", "tion", "het", "lse", "ande", "ende")
_VICTIM_BEFORE = re.compile(
    r"\b(?i:blev|blivit|blir|fick|får|fått|was|were|got|gets?|getting|being|had|has\s+been"
    r"|have\s+been)\s+(?:\w+\s+){0,2}$"
)


def _more_refs(sentence: str) -> list[_Ref]:
    return list(_more_refs_cached(sentence))


@lru_cache(maxsize=256)
def _more_refs_cached(sentence: str) -> tuple[_Ref, ...]:
    refs: list[_Ref] = []
    for reason, pattern in _extra_refs():
        for m in pattern.finditer(sentence):
            if reason == "named_person":
                first = m.group().split()[0].strip(".,:;!?\"'").lower()
                if first in PLACES or first in _COMMON_STARTS:
                    continue
                if first not in NAMES and first.endswith(_NOUN_ENDINGS):
                    continue
            refs.append(_Ref(m.start(), m.end(), reason))
    from bot.privacy.redact import find_personal_data  # the plate rules live there

    refs += [
        _Ref(h.start, h.end, h.kind)
        for h in find_personal_data(sentence)
        if h.kind in ("plate", "handle")
    ]
    return tuple(refs)


_COMMON_STARTS = _words(
    """det den de dom han hon hen vi jag ni man någon några alla folk många här där nu igen
    the a an it this that there here they he she we you someone people many some tänk kolla
    titta hej tack snälla varför när var vad hur ibland ofta alltid idag igår också även please
    look check thanks why when where what how sometimes often today yesterday think bra dåligt
    ring skriv läs gå sätt lås"""
)


def _victim(sentence: str, start: int, deed: str) -> bool:
    """'blev slagen', 'was attacked' — but 'has been selling' is active (English -ing)."""
    first = deed.split()[0].lower() if deed.split() else ""
    return not first.endswith("ing") and bool(_VICTIM_BEFORE.search(sentence, 0, start))


def _wrongs(sentence: str) -> list[tuple[int, int, str]]:
    found = []
    for kind, pattern in _wrongdoing():
        for m in pattern.finditer(sentence):
            if _victim(sentence, m.start(), m.group()):
                continue
            found.append((m.start(), m.end(), kind))
    return found
