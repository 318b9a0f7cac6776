"""Does the English of a content text say what the Swedish says? A mechanical check (#13).

Not a translation review: for every two-language text in the council's content (knowledge
answers, medborgarlöften, their periods, focus areas, goals, methods, contacts, sources …) the
English must have as many paragraphs, sentences and "not"-sentences (caveats: "Vi känner inte
till …", "We do not know …") as the Swedish, and state the same numbers (years, phone numbers,
law numbers). A caveat dropped from the English, or a year changed, is found.

Used by the content test (tests/test_content_parity.py: Umeå's file has no such problem) and by
/innehall, which warns an administrator about the texts of an uploaded file that are new or
changed and do not match, before they press Använd.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from bot.content import Council, LText
from bot.content_admin import line_of

_NUMBER = re.compile(r"\d+")
_ABBREVIATION = re.compile(r"\b(t\.ex\.|bl\.a\.|m\.m\.|e\.g\.|i\.e\.|etc\.)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
#: Words that make a sentence a caveat or a "no": "Vi känner inte till …", "We do not know …".
NEGATION = {
    "sv": re.compile(r"\b(inte|ingen|inget|inga|ingenting|aldrig|okänd|okänt)\b", re.IGNORECASE),
    "en": re.compile(
        r"\b(not|no|never|none|nothing|unknown|cannot|unless|rather than)\b|n't\b", re.IGNORECASE
    ),
}

Aspect = Literal["lines", "sentences", "caveats", "numbers"]
ASPECTS: tuple[Aspect, ...] = ("lines", "sentences", "caveats", "numbers")
Shape = tuple[int, list[int], list[int], Counter[str]]


@dataclass(frozen=True)
class Text:
    """One two-language text: its path by ids ("knowledge.fokus.answer") and by position in
    the file ("knowledge", "12", "answer"), to find its line."""

    path: str
    where: tuple[str, ...]
    text: LText


def texts(item: Any, path: str = "", where: tuple[str, ...] = ()) -> Iterator[Text]:
    """Every two-language text in the content (list items named by id)."""
    if isinstance(item, LText):
        yield Text(path, where, item)
    elif isinstance(item, BaseModel):
        for name in type(item).model_fields:
            yield from texts(
                getattr(item, name), f"{path}.{name}" if path else name, (*where, name)
            )
    elif isinstance(item, (list, tuple)):
        for i, inner in enumerate(item):
            yield from texts(inner, f"{path}.{getattr(inner, 'id', i)}", (*where, str(i)))


def shape(text: str, lang: str) -> Shape:
    """Paragraphs; sentences per paragraph; caveat words per paragraph; the numbers stated."""
    lines = [line for line in text.split("\n") if line.strip()]
    return (
        len(lines),
        [len(_SENTENCE_END.findall(_ABBREVIATION.sub("x", line))) for line in lines],
        [len(NEGATION[lang].findall(line)) for line in lines],
        Counter(_NUMBER.findall(text)),
    )


@dataclass(frozen=True)
class ParityProblem:
    """One way a text's English differs from its Swedish."""

    path: str
    aspect: Aspect
    sv: Any  # the Swedish text's figure (see shape)
    en: Any
    where: tuple[str, ...] = ()
    line: int | None = None  # in the uploaded file, when known

    def __str__(self) -> str:
        return f"{self.path}: {self.aspect} sv {self.sv} ≠ en {self.en}"


def text_problems(text: Text) -> list[ParityProblem]:
    sv, en = shape(text.text.sv, "sv"), shape(text.text.en, "en")
    return [
        ParityProblem(text.path, aspect, a, b, text.where)
        for aspect, a, b in zip(ASPECTS, sv, en, strict=True)
        if a != b
    ]


def parity_problems(council: Council) -> list[ParityProblem]:
    """What the English lacks compared with the Swedish, in every text of the content."""
    return [problem for text in texts(council) for problem in text_problems(text)]


def upload_problems(old: Council, new: Council, yaml_text: str) -> list[ParityProblem]:
    """The problems of the texts an uploaded file adds or changes (a mismatch the live content
    already has is not news), each with its line in the file."""
    before = {text.path: text.text for text in texts(old)}
    found = [
        problem
        for text in texts(new)
        if before.get(text.path) != text.text
        for problem in text_problems(text)
    ]
    if not found:
        return []
    try:
        root = yaml.compose(yaml_text)
    except yaml.YAMLError:  # parse_content read it already; no lines rather than no warning
        root = None
    return [
        ParityProblem(p.path, p.aspect, p.sv, p.en, p.where, line_of(root, list(p.where)))
        for p in found
    ]


Gettext = Callable[[str], str]


def _describe(problem: ParityProblem, _: Gettext) -> str:
    """What differs, in words an administrator can act on."""
    if problem.aspect == "numbers":
        only_sv = sorted((problem.sv - problem.en).elements(), key=_number_key)
        only_en = sorted((problem.en - problem.sv).elements(), key=_number_key)
        parts = []
        if only_sv:
            parts.append(
                _("{numbers} står bara i den svenska texten").format(numbers=", ".join(only_sv))
            )
        if only_en:
            parts.append(
                _("{numbers} står bara i den engelska texten").format(numbers=", ".join(only_en))
            )
        return "; ".join(parts)
    if problem.aspect == "lines":
        return _("den svenska texten har {sv} stycken, den engelska {en}").format(
            sv=problem.sv, en=problem.en
        )
    sv, en = sum(problem.sv), sum(problem.en)
    if problem.aspect == "caveats":
        if en < sv:
            return _("ett förbehåll (”inte”, ”ingen” …) i den svenska texten saknas i den engelska")
        if en > sv:
            return _("den engelska texten har fler förbehåll (”not”, ”no” …) än den svenska")
        return _("förbehållen (”inte”, ”ingen” …) står i olika stycken")
    if sv != en:
        return _("den svenska texten har {sv} meningar, den engelska {en}").format(sv=sv, en=en)
    return _("meningarna står i olika stycken")


def _number_key(number: str) -> tuple[int, str]:
    return int(number), number


def render_warnings(problems: list[ParityProblem], _: Gettext, limit: int = 8) -> list[str]:
    """One line per text (plain text; the caller escapes it): where, then what differs."""
    by_text: dict[str, list[ParityProblem]] = {}
    for problem in problems:
        by_text.setdefault(problem.path, []).append(problem)
    lines = []
    for path, found in list(by_text.items())[:limit]:
        # Numbers and caveats first: they change what the text says.
        found.sort(key=lambda p: ("numbers", "caveats", "sentences", "lines").index(p.aspect))
        what = "; ".join(_describe(p, _) for p in found)
        line = found[0].line
        lines.append(
            _("Rad {line}, {path}: {what}").format(line=line, path=path, what=what)
            if line
            else f"{path}: {what}"
        )
    if len(by_text) > limit:
        lines.append(_("… och {n} texter till").format(n=len(by_text) - limit))
    return lines
