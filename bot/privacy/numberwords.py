"""Phone numbers written partly or wholly in words ("noll sju noll, etthundratjugotre, ...").

Residents who know that digits get filtered spell them out. We read runs of Swedish or English
number words (and digits) and hand the concatenated digits to the phone rules; only a run that
then looks like a Swedish or international phone number is redacted.
"""

from __future__ import annotations

import re

_UNITS_SV = {
    "noll": 0, "ett": 1, "en": 1, "etta": 1, "två": 2, "tvåa": 2, "tre": 3, "trea": 3, "fyra": 4,
    "fem": 5, "femma": 5, "sex": 6, "sexa": 6, "sju": 7, "sjua": 7, "åtta": 8,
    "nio": 9, "nia": 9, "nolla": 0,
}  # fmt: skip
_TEENS_SV = {
    "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16,
    "sjutton": 17, "arton": 18, "nitton": 19,
}  # fmt: skip
_TENS_SV = {
    "tjugo": 20, "trettio": 30, "trett": 30, "fyrtio": 40, "förtio": 40, "femtio": 50,
    "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90,
    # Spoken forms: "sexti", "sjutti", "fyrti" ("sextisju" = 67).
    "tjugi": 20, "tretti": 30, "fyrti": 40, "förti": 40, "femti": 50, "sexti": 60, "sjutti": 70,
    "åtti": 80, "nitti": 90,
}  # fmt: skip
_UNITS_EN = {
    "zero": 0, "oh": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS_EN = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS_EN = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip

_UNITS = {**_UNITS_SV, **_UNITS_EN}
_TEENS = {**_TEENS_SV, **_TEENS_EN}
_TENS = {**_TENS_SV, **_TENS_EN}
_MULTIPLIERS = {"double": 2, "dubbel": 2, "triple": 3, "trippel": 3}
_ALT = "|".join(sorted({*_UNITS, *_TEENS, *_TENS}, key=len, reverse=True))
# One Swedish compound: [unit]hundra[tens][unit] | tens[unit] | teen | unit.
_SV_WORD = re.compile(
    rf"^(?:(?P<h>{_ALT})?hundra)?(?P<t>{'|'.join(_TENS)})?(?P<u>{'|'.join(_TEENS)}|{_ALT})?$"
)
_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_GAP = re.compile(r"^[\s,.\-–/]{0,3}$")


def word_digits(word: str) -> str | None:
    """The digit string a number word stands for ("etthundratjugotre" → "123"), else None."""
    low = word.lower()
    if low.isdigit():
        return low
    if low in _UNITS:
        return str(_UNITS[low])
    if low in _TEENS:
        return str(_TEENS[low])
    if low in _TENS:
        return str(_TENS[low])
    m = _SV_WORD.match(low)
    if not m or not low:
        return None
    value = 0
    if "hundra" in low:
        value += 100 * (_UNITS.get(m["h"], 1) if m["h"] else 1)
    if m["t"]:
        value += _TENS[m["t"]]
    if m["u"]:
        unit = m["u"]
        value += _UNITS.get(unit, _TEENS.get(unit, _TENS.get(unit, 0)))
    return str(value) if value else None


def spelled_runs(text: str) -> list[tuple[int, int, str]]:
    """Runs of number words/digits with at least two words: (start, end, digits)."""
    runs: list[tuple[int, int, str]] = []
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        start = i
        digits: list[str] = []
        words = 0
        repeat = 1
        j = i
        while j < len(tokens):
            tok = tokens[j].group()
            if j > start and not _GAP.match(text[tokens[j - 1].end() : tokens[j].start()]):
                break
            if tok.lower() in _MULTIPLIERS:
                repeat = _MULTIPLIERS[tok.lower()]
                j += 1
                continue
            value = word_digits(tok)
            if value is None:
                break
            digits.append(value * repeat if len(value) == 1 else value)
            repeat = 1
            words += not tok.isdigit()
            j += 1
        # Two number words, or one among digits ("070 etthundratjugotre 45 67").
        if j > start and (words >= 2 or (words >= 1 and j - start >= 3)):
            runs.append((tokens[start].start(), tokens[j - 1].end(), "".join(digits)))
            i = j
        else:
            i = max(j, i + 1)
    return runs
