"""A detection view of resident text that maps back to the original characters.

People (and copy-paste) hide identifiers from naive patterns: a zero-width space inside a phone
number, full-width digits from a phone keyboard, a Cyrillic "о" in an e-mail, a letter O typed for
a zero ("07O-123 45 67"). Detectors run on the normalised view; every hit is mapped back to the
*original* span, so exactly what the resident typed is redacted, hidden characters and all.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Latin look-alikes from Cyrillic and Greek (only letters that are visually identical).
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ɡ": "g", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H",
        "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
        "α": "a", "ο": "o", "ν": "v", "τ": "t", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H",
        "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ",
    }
)  # fmt: skip
# Letters typed for digits, only between digits: "07O", "8507O9", "l2".
_DIGIT_LOOKALIKES = {"O": "0", "o": "0", "Q": "0", "l": "1", "I": "1", "|": "1"}


@dataclass(frozen=True, slots=True)
class Normalised:
    """``text`` for detectors; ``origin[i]`` is the original (start, end) of ``text[i]``."""

    text: str
    origin: tuple[tuple[int, int], ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised characters [start, end)."""
        return self.origin[start][0], self.origin[end - 1][1]


def _hidden(ch: str) -> bool:
    """Zero-width and other format characters (ZWSP, ZWJ, soft hyphen, BOM, bidi marks)."""
    return unicodedata.category(ch) == "Cf"


def normalise(text: str) -> Normalised:
    """NFKC per character (full-width digits → ASCII), drop format characters, map homoglyphs."""
    chars: list[str] = []
    origin: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if _hidden(ch):
            continue
        folded = unicodedata.normalize("NFKC", ch).translate(_HOMOGLYPHS)
        if not folded or all(map(_hidden, folded)):  # NFKC may give several (´ → space + ◌́)
            continue
        for out in folded:
            chars.append(out)
            origin.append((i, i + 1))
    # A letter that stands between digits (or after a digit and before a separator and a digit)
    # is a mistyped digit: "07O-123", "8507O9-2438".
    n = len(chars)
    for i, ch in enumerate(chars):
        if ch not in _DIGIT_LOOKALIKES or i == 0 or not chars[i - 1].isdigit():
            continue
        j = i + 1
        if j < n and chars[j] in "-. " and j + 1 < n and chars[j + 1].isdigit():
            j += 1
        if j < n and chars[j].isdigit():
            chars[i] = _DIGIT_LOOKALIKES[ch]
    return Normalised("".join(chars), tuple(origin))
