"""English content says what the Swedish says: the same caveats, numbers and sources (#13).

The check itself is bot.content_parity (/innehall warns with it too). A mechanical check, not
a translation review: for every text in the council file (knowledge answers, medborgarlöften,
their periods, focus areas, goals, methods, contacts, sources …) the English has as many
lines, sentences and "not"-sentences as the Swedish, and the same numbers
(years, phone numbers, law numbers). A caveat dropped from the English ("We do not know their
content"), or a year changed, makes it fail. And every source in Umeå's file is written in both
languages, so an English answer never cites "sidan …" or "avsnittet …".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import content_parity
from bot.content import DEFAULT_COUNCIL_FILE, ContentError, Council, LText, load_council
from bot.content_admin import ContentProblem, parse_content
from bot.content_parity import shape

#: Swedish left in an English text outside quotes and parentheses (a Swedish title in quotes
#: with an English gloss is fine: “Medborgarlöften” (citizen promises)). A citation word is
#: always wrong; ordinary small words only when two different ones remain (a Swedish sentence,
#: not a proper name such as “Gator och parker”).
_SWEDISH_CITATION = re.compile(
    r"\b(sidan|avsnittet|avsnitten|källa|undertecknad|kontaktuppgifter|enligt)\b", re.IGNORECASE
)
_SWEDISH_WORD = re.compile(
    r"\b(och|är|för|på|om|inte|med|till|det|den|som|har|vid|eller|av)\b", re.IGNORECASE
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|”[^”]*”|\([^()]*\)")


@pytest.fixture(scope="module")
def council() -> Council:
    return load_council(DEFAULT_COUNCIL_FILE)


def texts(council: Council) -> Iterator[tuple[str, LText]]:
    """Every two-language text in the content, with its dotted path (list items by id)."""
    for text in content_parity.texts(council):
        yield text.path, text.text


def parity_problems(council: Council) -> list[str]:
    """What the English lacks compared with the Swedish, one line per difference (the check
    /innehall warns with, bot.content_parity)."""
    return [str(problem) for problem in content_parity.parity_problems(council)]


def _with_english(council: Council, entry_id: str, english: str) -> Council:
    """The council with one knowledge answer's English replaced (the Swedish kept)."""
    knowledge = [
        e.model_copy(update={"answer": LText(sv=e.answer.sv, en=english)})
        if e.id == entry_id
        else e
        for e in council.knowledge
    ]
    return council.model_copy(update={"knowledge": knowledge})


def test_every_english_text_has_the_swedish_caveats_and_numbers(council: Council) -> None:
    checked = list(texts(council))
    assert len(checked) > 300  # knowledge, promises, periods, focus areas, sources, contacts …
    assert {p.split(".")[0] for p, _ in checked} >= {
        "knowledge",
        "promises",
        "promise_periods",
        "focus_areas",
        "goals",
        "methods",
        "contacts",
        "agreement",
    }
    assert parity_problems(council) == []


def test_the_parity_check_catches_a_missing_caveat_or_a_changed_year(council: Council) -> None:
    entry = council.knowledge_entry("lofte-2025-2027")
    assert entry is not None
    assert "We do not know their content" in entry.answer.en
    # Drop the caveat sentence from the English only.
    without = entry.answer.en.replace(
        " We do not know their content, so we cannot say what they promise.", ""
    )
    assert without != entry.answer.en
    found = parity_problems(_with_english(council, entry.id, without))
    assert any(p.startswith("knowledge.lofte-2025-2027.answer: sentences") for p in found)
    assert any(p.startswith("knowledge.lofte-2025-2027.answer: caveats") for p in found)
    # A different year in the English.
    wrong_year = entry.answer.en.replace("2025–2027", "2025–2026", 1)
    found = parity_problems(_with_english(council, entry.id, wrong_year))
    assert found == [
        "knowledge.lofte-2025-2027.answer: numbers sv "
        + str(shape(entry.answer.sv, "sv")[3])
        + " ≠ en "
        + str(shape(wrong_year, "en")[3])
    ]
    # A missing paragraph (the first line, with the caveat).
    _caveat_line, _, rest = entry.answer.en.partition("\n")
    found = parity_problems(_with_english(council, entry.id, rest))
    assert any(p.startswith("knowledge.lofte-2025-2027.answer: lines") for p in found)


def test_the_2025_2027_caveat_is_in_both_languages(council: Council) -> None:
    period = council.promise_period("2025-2027")
    assert period is not None and period.status == "being_drafted"
    assert "känner vi inte till" in period.summary.sv and "do not know" in period.summary.en
    promise = next(p for p in council.promises if p.period == "2025-2027")
    assert "inte känt" in promise.text.sv and "not known" in promise.text.en
    entry = council.knowledge_entry("lofte-2025-2027")
    assert entry is not None
    assert "känner inte till" in entry.answer.sv and "do not know" in entry.answer.en


def _sources(raw: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every ``source`` / ``…_source`` value in the raw file, anchors resolved."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            if str(key).endswith("source"):
                yield ".".join((*path, str(key))), value
            else:
                yield from _sources(value, (*path, str(key)))
    elif isinstance(raw, list):
        for i, value in enumerate(raw):
            yield from _sources(value, (*path, str(i)))


def swedish_left(english: str) -> list[str]:
    """Swedish words an English text says outside quotes and parentheses ([] when none)."""
    previous = None
    text = english
    while previous != text:
        previous, text = text, _QUOTED.sub(" ", text)
    words = {w.casefold() for w in _SWEDISH_WORD.findall(text)}
    return _SWEDISH_CITATION.findall(text) + (sorted(words) if len(words) >= 2 else [])


def test_every_source_in_umeas_file_is_in_swedish_and_english() -> None:
    raw = yaml.safe_load(DEFAULT_COUNCIL_FILE.read_text(encoding="utf-8"))
    raw = {k: v for k, v in raw.items() if not str(k).startswith("x-")}
    sources = list(_sources(raw))
    assert len(sources) > 100  # every district, entry, promise …
    plain = [path for path, value in sources if not isinstance(value, dict)]
    assert plain == [], "sources without an English text"
    for path, value in sources:
        assert set(value) == {"sv", "en"}, path
        assert value["en"] != value["sv"], path
        assert swedish_left(value["en"]) == [], f"{path}: Swedish in English: {value['en']}"


def test_english_answers_have_no_swedish_outside_quotes(council: Council) -> None:
    """Swedish names stay (in quotes or with a gloss in parentheses), Swedish sentences don't."""
    assert swedish_left("umea.se, sidan “Medborgarlöften”") == ["sidan"]
    assert swedish_left("Löftena är inte kända.") == ["inte", "är"]
    assert swedish_left("The page “Medborgarlöften” (citizen promises) on umea.se") == []
    english = [(f"knowledge.{e.id}", e.answer.en) for e in council.knowledge]
    english += [(f"promises.{p.id}", p.text.en) for p in council.promises]
    english += [(f"promise_periods.{p.id}", p.summary.en) for p in council.promise_periods]
    english += [(f"focus_areas.{f.id}", f.description.en) for f in council.focus_areas]
    for path, text in english:
        assert swedish_left(text) == [], f"{path}: {text}"


def _write(tmp_path: Path, raw: dict[str, Any]) -> Path:
    path = tmp_path / "council.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _raw() -> dict[str, Any]:
    raw = yaml.safe_load(DEFAULT_COUNCIL_FILE.read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not str(k).startswith("x-")}


def test_a_plain_string_source_still_works_in_both_languages(tmp_path: Path) -> None:
    """A council's simple file (or an older version) keeps working: one text for both."""
    raw = _raw()
    raw["knowledge"][0]["source"] = "Rådets protokoll 2026-11-30"
    raw["focus_areas"][0]["source"] = {"sv": "Rådets protokoll", "en": "The council's minutes"}
    council = load_council(_write(tmp_path, raw))
    assert council.knowledge[0].source == LText(
        sv="Rådets protokoll 2026-11-30", en="Rådets protokoll 2026-11-30"
    )
    assert council.focus_areas[0].source.get("en") == "The council's minutes"
    assert council.focus_areas[0].source.get("sv") == "Rådets protokoll"


@pytest.mark.parametrize(
    ("source", "field", "message"),
    [
        (["a", "b"], r"knowledge\.1\.source", "a source is a text, or sv: and en:"),
        (42, r"knowledge\.1\.source", "a source is a text, or sv: and en:"),
        ({"sv": "Rådets protokoll"}, r"knowledge\.1\.source\.en", "Field required"),
        ({"sv": "x", "en": "y", "de": "z"}, r"knowledge\.1\.source\.de", "Extra inputs"),
    ],
)
def test_a_bad_source_stops_the_start_naming_its_field(
    tmp_path: Path, source: Any, field: str, message: str
) -> None:
    raw = _raw()
    raw["knowledge"][1]["source"] = source
    with pytest.raises(ContentError, match=f"{field}: {message}"):
        load_council(_write(tmp_path, raw))


@pytest.mark.parametrize(
    ("source", "field", "message"),
    [
        (
            ["a", "b"],
            "knowledge.1.source",
            "ska vara en text, eller sv: och en: med en text för varje språk",
        ),
        (None, "knowledge.1.source", "ska vara en text, eller sv: och en:"),
        ({"sv": "Rådets protokoll"}, "knowledge.1.source.en", "fältet saknas"),
        ({"sv": "Rådets protokoll", "en": "  "}, "knowledge.1.source.en", "källan får inte"),
        ({"sv": " ", "en": "Minutes"}, "knowledge.1.source.sv", "källan får inte"),
        ("   ", "knowledge.1.source", "källan får inte vara tom"),
    ],
)
def test_the_content_upload_names_a_bad_source_with_line_and_field(
    source: Any, field: str, message: str
) -> None:
    """What /innehall answers (bot.content_admin): the line and field an editor can find."""
    raw = _raw()
    raw["knowledge"][1]["source"] = source
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    with pytest.raises(ContentProblem) as info:
        parse_content(text)
    problem = info.value
    assert problem.field == field
    assert problem.message.startswith(message)
    assert problem.line is not None
    line = text.splitlines()[problem.line - 1]
    assert "source" in line or line.strip().startswith(("sv:", "en:")), line


def test_the_content_upload_accepts_both_forms_of_source() -> None:
    raw = _raw()
    raw["knowledge"][1]["source"] = "Rådets protokoll 2026-11-30"
    raw["knowledge"][2]["source"] = {"sv": "Rådets protokoll", "en": "The council's minutes"}
    council = parse_content(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False))
    assert council.knowledge[1].source.get("en") == "Rådets protokoll 2026-11-30"
    assert council.knowledge[2].source.get("en") == "The council's minutes"
