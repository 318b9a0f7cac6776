"""The art. 10 guard, round 10 (issue 12): identifiability cues that reach more ways residents point
at someone, wrongs in any inflection, and victims who are not accused by what happened to them.

The texts here are written for the tests (not taken from W-10's texts or any blind set).
"""

from __future__ import annotations

import json

import pytest
import yaml

from bot.privacy import guard_model
from bot.privacy.accusation import assess
from bot.privacy.identifiable import active_wrongs, features, person_cues, wrong_cues


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Hedberg on the fourth floor has a new car", "name"),
        ('"Big T" at the skate park has a new board', "nickname"),
        ("Kniv-Kalle i Holmsund har en ny bil", "nickname"),
        ("han kallar sig ume.king_99 på snap", "nickname"),
        ("Skräcken på Ålidhem har flyttat", "capital_place"),
        ("snap name teg.boss2 posted the video", "handle"),
        ("someone called ersboda_runner wrote it", "handle"),
        ("The family in building 12 have a cat", "door"),
        ("gula huset närmast skolan har en stor gran", "house"),
        ("the white cottage by the lake, the guy there has a boat", "located"),
        ("scooter KLT 42 stod vid torget", "plate"),
        ("whoever runs the kiosk by the station was there", "role_activity"),
        ("svärmor i Obbola har en katt", "relation"),
        ("g.h. in our stairwell has a dog", "initials"),
        ("KB säljer sin gamla soffa", "initials"),
    ],
)
def test_round10_identifiability_cues(text: str, cue: str) -> None:
    assert cue in person_cues(text), person_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        "Fritidsledaren sa att det är e.g. bra med fler vuxna ute",
        "Killen på fritidsgården spelar pingis med barnen varje fredag",
        "Gropen i vägen vid skolan är djup, kan den lagas?",
        "There is a bit of litter at the high school gate",
    ],
)
def test_ordinary_words_are_not_wrongs(text: str) -> None:
    """English stems once matched Swedish words ('kill*' in 'killen', 'grop*' in 'gropen')."""
    assert wrong_cues(text) == 0


@pytest.mark.parametrize(
    "text",
    [
        # A wrong in an inflection the old lists did not have, by someone pointed at.
        "Holmgren på tredje våningen has been keying the cars in the car park every week",
        "the receptionist at the gym in Teg pickpockets people's jackets in the changing room",
        "svärfar i Obbola snattar på Ica och skryter om det",
        'the guy they call "Mouse" at Haga steals petrol from the cars at night',
        "Lill-Olle på Ersboda hackar folks Swish och tar pengarna",
        "the red house nearest the school, the man there fires rockets at the neighbours' windows",
    ],
)
def test_new_kinds_of_pointing_and_wrong_are_never_stored(text: str) -> None:
    assert not assess(text).stored, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "min systers bil, regnr KLP 12A, blev vandaliserad vid Ålidhem i natt",
        "my brother-in-law's car got vandalised outside the gym in Sävar",
        "tjejen med gul jacka vid busshållplatsen blev misshandlad av ett gäng i går",
        "the owner of the pizzeria in Teg was robbed last night, can the police patrol more",
    ],
)
def test_a_victim_pointed_at_is_not_accused(text: str) -> None:
    """What someone suffered, with no definite doer, is no wrong by the person pointed at."""
    assert active_wrongs(text) == 0, text
    assert assess(text).stored, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vår granne blev lurad av falska hantverkare i somras, varna andra",
        "my neighbour's son got bullied by people at the bus stop",
        "the youth club in Teg has rules against bullying that the schools could copy",
        "the caretaker in our building comes quickly when something breaks",
    ],
)
def test_indefinite_doers_and_what_is_opposed_are_no_wrong_by_the_person(text: str) -> None:
    assert assess(text).stored, assess(text)


def test_a_definite_doer_after_the_passive_is_still_pointed_at() -> None:
    text = "min systers bil blev vandaliserad av grannen på nummer 5 i natt"
    assert active_wrongs(text) > 0
    assert not assess(text).stored, assess(text)


def test_perfect_tense_is_not_a_victim() -> None:
    """'has taken money' is done by the subject; 'had his bag taken' happened to him."""
    assert active_wrongs("my lodger has taken money from my purse") > 0
    assert active_wrongs("my lodger had his bag taken at the station") == 0


def test_feature_cache_is_current_so_start_up_does_not_recompute() -> None:
    """The precomputed features cover every training text and match the code (after editing a
    feature source run ``python -m bot.privacy.guard_model features``): without them the bot's
    start-up training takes several seconds more."""
    texts, _ = guard_model.training_data()
    cached = guard_model._cached_features()
    assert cached, "guard_features.yaml is stale: run python -m bot.privacy.guard_model features"
    assert set(texts) <= set(cached)
    for text in texts[:: max(1, len(texts) // 25)]:
        assert cached[text] == features(text)


def test_the_cache_is_refused_when_a_feature_changed(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(guard_model.FEATURES_FILE.read_text(encoding="utf-8"))
    first = sorted(data["features"])[0]
    data["features"][first] = {"p": 42.0}
    stale = tmp_path / "guard_features.yaml"
    stale.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(guard_model, "FEATURES_FILE", stale)
    guard_model._cached_features.cache_clear()
    try:
        assert guard_model._cached_features() == {}
    finally:
        guard_model._cached_features.cache_clear()


def test_w10_texts_train_the_model_and_none_are_from_blind_sets() -> None:
    """W-10's texts are development data: in the training file, labelled as written."""
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures" / "accusation_examples.yaml"
    data = yaml.safe_load(fixtures.read_text(encoding="utf-8"))
    training = yaml.safe_load(guard_model.TRAINING_FILE.read_text(encoding="utf-8"))
    accuse, ok = set(training["accuse"]), set(training["ok"])
    for batch in ("dev10w", "dev10x"):
        assert {x["text"] for x in data[f"{batch}_accusing"]} <= accuse
        assert {x["text"] for x in data[f"{batch}_ordinary"]} <= ok
