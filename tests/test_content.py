"""The bundled council file loads, says only sourced things, and bad files fail clearly."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.content import (
    DEFAULT_COUNCIL_FILE,
    MAX_ANSWER_CHARS,
    ContentError,
    Council,
    LText,
    haversine_km,
    load_council,
)


@pytest.fixture(scope="module")
def council() -> Council:
    return load_council(DEFAULT_COUNCIL_FILE)


def _raw() -> dict:
    return yaml.safe_load(DEFAULT_COUNCIL_FILE.read_text(encoding="utf-8"))


def _write(tmp_path: Path, raw: dict) -> Path:
    path = tmp_path / "council.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_bundled_file_loads_with_contacts(council: Council) -> None:
    assert council.id == "umea"
    assert council.contacts.municipality.phone == "090-16 10 00"
    assert council.contacts.police.phone == "114 14"
    assert council.contacts.emergency.number == "112"
    assert council.contacts.crisis_info.number == "113 13"
    assert council.contacts.healthcare_advice.number == "1177"
    assert "Skolgatan 31A" in council.contacts.municipality.visiting_address


def test_agreement_facts(council: Council) -> None:
    a = council.agreement
    assert a.signed == date(2021, 2, 9)
    assert (a.valid_from, a.valid_to) == (date(2021, 1, 1), date(2024, 12, 31))
    assert a.first_agreement_year == 2008
    assert a.council_founded_year == 1985
    assert "tillsvidare" in a.prolongation.sv
    assert {s.name for s in a.signatories} == {
        "Hans Lindberg",
        "Margaretha Alfredsson",
        "Michael Rystedt",
    }
    assert len(a.attachments) == 3


def test_ltext_get_falls_back_to_swedish() -> None:
    text = LText(sv="Hej", en="Hello")
    assert text.get("en") == "Hello"
    assert text.get("en_GB") == "Hello"
    assert text.get("sv") == "Hej"
    assert text.get("fi") == "Hej"


def test_districts_are_valid_callback_slugs_and_marked(council: Council) -> None:
    assert 25 <= len(council.districts) <= 32
    for d in council.districts:
        assert re.fullmatch(r"[a-z0-9_-]{1,20}", d.id)
        assert len(f"district:{d.id}".encode()) <= 64
    priority = {d.id for d in council.districts if d.priority}
    assert priority == {"ersboda", "mariehem", "alidhem", "tomtebo"}
    sourced = {d.id for d in council.districts if not d.approximate}
    assert sourced == {"alidhem", "centrum"}
    alidhem = council.district("alidhem")
    assert alidhem is not None and (alidhem.lat, alidhem.lon) == (63.8097, 20.3153)
    for locality in ("holmsund", "obbola", "savar", "hornefors", "tavelsjo"):
        assert council.district(locality) is not None
    assert council.district("nope") is None


def test_nearest_district(council: Council) -> None:
    assert council.nearest_district(63.8097, 20.3153).id == "alidhem"
    assert council.nearest_district(63.8256, 20.2636).id == "centrum"
    assert council.nearest_district(63.71, 20.36).id == "holmsund"  # harbour town in the south
    assert council.nearest_district(63.90, 20.55).id == "savar"
    # Somewhere far north of everything still gets the closest district, never an error.
    assert council.nearest_district(64.5, 20.0).id == "tavelsjo"


def test_haversine_known_distance() -> None:
    # Umeå centrum to Ålidhem is roughly 3 km.
    assert 2.5 < haversine_km(63.8256, 20.2636, 63.8097, 20.3153) < 3.5
    assert haversine_km(1, 1, 1, 1) == 0


def test_focus_areas_are_topics(council: Council) -> None:
    ids = [f.id for f in council.focus_areas]
    assert ids == ["narkotika", "fortroende", "trygga-platser", "segregation"]
    area = council.focus_area("narkotika")
    assert area is not None and area.title.sv == "Krafttag mot narkotika"
    assert council.focus_area("annat") is None


def test_current_promises_when_current_period_unknown(council: Council) -> None:
    status = council.current_promises(date(2026, 11, 28))
    assert status.period is not None and status.period.label == "2025–2027"
    assert not status.period_known
    assert all(not p.text_available for p in status.promises)
    assert status.latest_known_period is not None
    assert status.latest_known_period.label == "2023–2024"
    titles = {p.title.sv for p in status.latest_known}
    assert "Grannsamverkan" in titles
    assert "Motorintresserade unga" in titles


def test_current_promises_in_known_period(council: Council) -> None:
    status = council.current_promises(date(2024, 5, 1))
    assert status.period_known
    assert status.period == status.latest_known_period
    assert len([p for p in status.promises if p.text_available]) >= 7


def test_current_promises_2021_text_not_available(council: Council) -> None:
    status = council.current_promises(date(2021, 6, 1))
    assert status.period is not None and status.period.status == "not_available"
    assert status.latest_known_period is None
    assert status.latest_known == ()


def test_knowledge_answers_short_and_sourced(council: Council) -> None:
    assert len(council.knowledge) >= 45
    for e in council.knowledge:
        assert e.source
        assert len(e.answer.sv) <= MAX_ANSWER_CHARS and len(e.answer.en) <= MAX_ANSWER_CHARS
        assert e.keywords.sv and e.keywords.en, e.id


def test_every_entry_has_residents_example_questions(council: Council) -> None:
    """The ranker learns from these: ≥ 20 Swedish and ≥ 10 English phrasings per entry."""
    for e in council.knowledge:
        assert len(e.examples.sv) >= 20 and len(e.examples.en) >= 10, e.id
    assert {s.id for s in council.small_talk} >= {"greeting", "thanks", "goodbye", "who-are-you"}
    for intent in council.small_talk:
        assert intent.examples.sv and intent.examples.en, intent.id
    who = next(s for s in council.small_talk if s.id == "who-are-you")
    assert "inte en människa" in who.answer.sv and "inte polisen" in who.answer.sv
    assert "not a person" in who.answer.en and "not the police" in who.answer.en
    assert len(council.out_of_scope_examples.sv) >= 20 and council.out_of_scope_examples.en
    assert len(council.emergency_examples.sv) >= 20 and len(council.emergency_examples.en) >= 10


def test_support_lines_for_violence_by_someone_close_are_cited(council: Council) -> None:
    lines = {line.name.sv: line for line in council.contacts.close_violence_support}
    assert lines["Kvinnofridslinjen"].number == "020-50 50 50"
    assert lines["Brottsofferjouren"].number == "116 006"
    assert all("nck.uu.se" in lines["Kvinnofridslinjen"].source.get(lang) for lang in ("sv", "en"))
    assert all(
        "brottsofferjouren.se" in lines["Brottsofferjouren"].source.get(lang)
        for lang in ("sv", "en")
    )


def test_examples_are_optional_and_typos_in_their_keys_are_rejected(tmp_path: Path) -> None:
    raw = _raw()
    for key in ("small_talk", "out_of_scope_examples", "emergency_examples"):
        del raw[key]
    del raw["knowledge"][0]["examples"]
    assert load_council(_write(tmp_path, raw)).knowledge[0].examples.sv == []
    raw["knowledge"][0]["examples"] = {"sw": ["hej"]}
    with pytest.raises(ContentError, match=r"knowledge\.0\.examples\.sw"):
        load_council(_write(tmp_path, raw))


def test_bad_number_names_field_path_and_file(tmp_path: Path) -> None:
    raw = _raw()
    raw["districts"][3]["lat"] = "north-ish"
    path = _write(tmp_path, raw)
    with pytest.raises(ContentError) as info:
        load_council(path)
    message = str(info.value)
    assert "districts.3.lat" in message
    assert "valid number" in message
    assert str(path) in message
    assert "\n" not in message


def test_missing_translation_is_rejected(tmp_path: Path) -> None:
    raw = _raw()
    del raw["knowledge"][0]["answer"]["en"]
    with pytest.raises(ContentError, match=r"knowledge\.0\.answer\.en: Field required"):
        load_council(_write(tmp_path, raw))


def test_bad_slug_duplicate_and_dangling_reference(tmp_path: Path) -> None:
    raw = _raw()
    raw["districts"][0]["id"] = "Umeå Centrum"
    with pytest.raises(ContentError, match=r"districts\.0\.id"):
        load_council(_write(tmp_path, raw))
    raw = _raw()
    raw["districts"][1]["id"] = raw["districts"][0]["id"]
    with pytest.raises(ContentError, match="duplicate id"):
        load_council(_write(tmp_path, raw))
    raw = _raw()
    raw["knowledge"][0]["related"] = ["does-not-exist"]
    with pytest.raises(ContentError, match="unknown entry 'does-not-exist'"):
        load_council(_write(tmp_path, raw))


def test_too_long_answer_rejected(tmp_path: Path) -> None:
    raw = _raw()
    raw["knowledge"][2]["answer"]["sv"] = "x" * (MAX_ANSWER_CHARS + 1)
    with pytest.raises(ContentError, match=r"knowledge\.2\.answer"):
        load_council(_write(tmp_path, raw))


def test_unreadable_and_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="cannot read"):
        load_council(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid YAML"):
        load_council(broken)
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ContentError, match="mapping"):
        load_council(listing)
