"""The bot must refuse to store texts that accuse an identifiable person of a crime (GDPR art. 10),
and must accept ordinary feedback about crime, places and organisations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.privacy.accusation import detect_accusation

DATA = Path(__file__).parent / "fixtures" / "accusation_examples.yaml"


@pytest.fixture(scope="module")
def dataset() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def rates(accusing: list[str], ordinary: list[str]) -> tuple[float, float, list[str], list[str]]:
    misses = [t for t in accusing if detect_accusation(t) is None]
    alarms = [t for t in ordinary if detect_accusation(t) is not None]
    return 1 - len(misses) / len(accusing), len(alarms) / len(ordinary), misses, alarms


def test_dataset_size(dataset: dict[str, Any]) -> None:
    assert len(dataset["accusing"]) + len(dataset["holdout_accusing"]) >= 60
    assert len(dataset["ordinary"]) + len(dataset["holdout_ordinary"]) >= 120
    assert len(dataset["accusing"]) >= 60 and len(dataset["ordinary"]) >= 120


@pytest.mark.parametrize("part", ["main", "holdout", "all"])
def test_recall_and_false_alarms(dataset: dict[str, Any], part: str) -> None:
    main = (dataset["accusing"], dataset["ordinary"])
    holdout = (dataset["holdout_accusing"], dataset["holdout_ordinary"])
    parts = {"main": main, "holdout": holdout, "all": (main[0] + holdout[0], main[1] + holdout[1])}
    accusing, ordinary = parts[part]
    recall, false_alarm, misses, alarms = rates(accusing, ordinary)
    print(
        f"\naccusation [{part}]: recall {recall:.1%} ({len(accusing)} accusing), "
        f"false alarms {false_alarm:.1%} ({len(ordinary)} ordinary)"
    )
    assert recall >= 0.90, f"recall {recall:.1%}; missed: {misses}"
    assert false_alarm <= 0.03, f"false alarms {false_alarm:.1%}: {alarms}"


@pytest.mark.parametrize(
    "text",
    [
        "Kalle på Ersboda säljer knark",
        "grannen i nr 12 langar hasch",
        "Ahmed Svensson slog sin fru",
        "killen som bor på Ålidhemsgatan 5 stjäl cyklar",
        "min granne Peter kör rattfull",
        "Lisa i trappuppgång B deals drugs",
        "@kalle_umea säljer stulna cyklar",
        "Min granne heter Peter. Han säljer knark.",
        "Vet ni vem som bränner bilar? Det är Simon Forsberg.",
    ],
)
def test_accusations_are_refused(text: str) -> None:
    result = detect_accusation(text)
    assert result is not None
    assert result.reason and result.crime
    assert "Kalle" not in repr(result) and "Peter" not in repr(result)  # safe to log


@pytest.mark.parametrize(
    "text",
    [
        "det säljs knark vid busshållplatsen",
        "ungdomar langar i parken",
        "någon stal min cykel",
        "polisen borde synas mer",
        "grannsamverkan funkar bra",
        "Kalle Anka-tidningen stals ur brevlådan",
        "Ersboda centrum är otryggt, det langas där",
        "Mariehem behöver mer belysning",
        "Kommunen och polisen samarbetar bra",
        "Umeå Energi har lagat lamporna",
        "Min granne Anna blev rånad igår",
        "Jag heter Lisa och någon stal min cykel",
        "Rektorn sa att elever klottrar på toaletterna",
        "My neighbour was robbed last night",
    ],
)
def test_ordinary_feedback_is_accepted(text: str) -> None:
    assert detect_accusation(text) is None


# --- round 5: identifiable person + any wrongdoing, three verdicts ----------------------------

from bot.privacy.accusation import ACCUSE, OK, UNSURE, assess  # noqa: E402


def test_round5_development_sets(dataset: dict[str, Any]) -> None:
    """Written before the round-5 rules; accuse and unsure both count as caught (never stored)."""
    batches = ("dev5", "dev5b", "dev5c", "dev5d", "dev5e", "dev5f")
    accusing = [ex for b in batches for ex in dataset[f"{b}_accusing"]]
    ordinary = [ex for b in batches for ex in dataset[f"{b}_ordinary"]]
    missed = [ex["text"] for ex in accusing if assess(ex["text"]).stored]
    alarms = [ex["text"] for ex in ordinary if not assess(ex["text"]).stored]
    assert len(missed) <= 4, missed
    assert not alarms, alarms


@pytest.mark.parametrize(
    "text",
    [
        "Mitt ex har slagit sönder dörren två gånger.",
        "Min svåger tar pengarna från mammas konto.",
        "Dom i nr 14 säljer tabletter genom fönstret.",
        "A.S. på Ersbodavägen 3 deals drugs",
        "My ex keeps hitting me.",
        "Ägaren till bilen ABC 123 kör full varje fredag.",
    ],
)
def test_identifiable_person_and_everyday_wrongdoing_is_refused(text: str) -> None:
    assert assess(text).verdict == ACCUSE


@pytest.mark.parametrize(
    "text",
    [
        "Chauffören på 17.05-bussen från Vasaplan kör som en galning.",
        "The manager of the ICA on Storgatan takes money from the till.",
        "Mannen i röd jacka som alltid sitter på bänken vid torget tafsar på tjejer.",
    ],
)
def test_role_or_description_is_never_stored_as_it_is(text: str) -> None:
    assert assess(text).verdict in (ACCUSE, UNSURE)
    assert not assess(text).stored


@pytest.mark.parametrize(
    "text",
    [
        "Chauffören på 17.05-bussen var jättesnäll och väntade på min mamma.",
        "Mitt ex blev rånad vid Vasaplan förra veckan.",
        "Lampan på Storgatan 12 har slagits sönder igen.",
        "Någon slog sönder busskuren vid Vasaplan.",
        "Min pappa tog mina barn till parken.",
        "Killen på Ersbodavägen 3 hjälpte mig med snöskottningen.",
    ],
)
def test_ordinary_texts_pass(text: str) -> None:
    result = assess(text)
    assert result.verdict == OK and result.stored


def test_assessment_holds_no_text_from_the_message() -> None:
    result = assess("Min svåger Niklas tar pengarna från mammas konto.")
    assert "Niklas" not in repr(result) and "pengarna" not in repr(result)


def test_unsure_prompt_in_both_languages() -> None:
    from bot.i18n import translations
    from bot.privacy.notice import unsure_buttons, unsure_text

    sv = unsure_text(translations("sv"), "Tipsa polisen på 114 14 <eller polisen.se>")
    assert sv.startswith("Kan texten peka ut en viss person?") and "&lt;eller" in sv
    assert unsure_buttons(translations("sv")) == ("✏️ Skriv om", "Avbryt")
    en = unsure_text(translations("en"), "114 14")
    assert en.startswith("Could the text point to a particular person?")


@pytest.mark.parametrize(
    "text",
    ["[användarnamn] säljer hasch vid skolan.", "Ägaren till bilen [regnr] kör full varje fredag."],
)
def test_already_redacted_text_still_points_at_someone(text: str) -> None:
    """The moderator's edit is redacted before it is checked: a placeholder is still a person."""
    assert assess(text).verdict == ACCUSE


@pytest.mark.parametrize(
    "text",
    [
        "min kompis pappa slår henne och hon vågar inte gå hem",
        "there's a guy in the flat above us (number 34) who screams at his kids every night",
        "J.B. at the youth centre has been selling vapes to the 12 year olds.",
    ],
)
def test_wide_net_asks_before_storing(text: str) -> None:
    assert not assess(text).stored


@pytest.mark.parametrize(
    "text",
    [
        "Our neighbour told us someone is dealing drugs behind the school.",
        "Tränaren sa att några killar har slagit sönder målen.",
        "Vaktmästaren har äntligen lagat lampan som någon slagit sönder.",
        "The teachers say kids are selling vapes at school.",
    ],
)
def test_wide_net_lets_reports_about_others_through(text: str) -> None:
    assert assess(text).stored


def test_guard_model_is_trained_on_the_development_sets_only() -> None:
    """accusation_training.yaml is exactly the export of the fixture file (dev5g held out)."""
    from bot.privacy import guard_model

    data = yaml.safe_load(guard_model.TRAINING_FILE.read_text(encoding="utf-8"))
    assert data == guard_model.export(DATA)
    held_out = yaml.safe_load(DATA.read_text(encoding="utf-8"))["dev5g_accusing"]
    assert not {ex["text"] for ex in held_out} & set(data["accuse"])


def test_guard_model_asks_when_a_named_person_does_something_new() -> None:
    """A misdeed no rule lists ('posting nude pictures') with a relation: asked, not stored."""
    text = "My daughter's ex-boyfriend keeps posting nude pictures of her online."
    assert assess(text).verdict == UNSURE
    assert assess("My daughter's ex-boyfriend helped us paint the fence.").stored


# Issue 12, round 5 kinds, in texts written for the test (not the round-5 ones): identifiability
# that is likely but not certain plus wrongdoing is sent back for rewriting, never stored.
@pytest.mark.parametrize(
    "text",
    [
        "Kassören på kvällspasset på Willys Ersboda i fredags tog pengar ur kassan",
        "The bouncer at the Rex door on Saturday night kicked a guy who was lying down",
        "TJ som bor på Mariehem langar hasch till tonåringar",
        "Alla vet att 'Plåten' från Teg är den som gör inbrotten i förråden",
        "The woman with the red scooter who lives above the bakery stole parcels from us",
        "The people in 4C are running a brothel",
        "sofia lindqvist har sparkat sönder dörren till tvättstugan",
        "Föraren av reg XKR 771 körde på en cyklist och smet",
        "@tunnel_boss på snap lägger upp klipp när han slår yngre killar",
        "The manager of the kiosk on Kungsgatan is pocketing the money from the lottery",
        "Kassörskan på Coop Teg i söndags stoppade pengar i egen ficka",
        "The lady with the three dogs on Gammliavägen poisons the cats",
        "The night guard at Umeå Energi on Fridays lets his mates take copper",
        "The ginger guy from the 7th floor of our building deals weed in the laundry room",
        "The guy who drives the 9 bus in the mornings smokes weed at the end stop",
        "The old man in the brown coat at the Vasaplan bench shouts racist stuff at kids",
        "Bartendern på Rex i fredags serverade sprit till 15-åringar",
        "Mopedkillen med den svarta hjälmen från Ålidhem rycker väskor från tanter",
        "Damen i lägenheten under oss stjäl våra paket i entrén",
    ],
)
def test_likely_identifiable_person_with_wrongdoing_is_not_stored(text: str) -> None:
    assert not assess(text).stored


@pytest.mark.parametrize(
    "text",
    [
        "The security guard at Avion last night caught a shoplifter",
        "The guy with the dog who lives next to the school found my stolen bike",
        "SD på Ersboda vill stoppa knarkhandeln",
        "Kampanjen 'Nattvandring' handlar om inbrott i Ersboda",
        "Chefen på ICA Ersboda har anmält snatteriet till polisen",
        "Vi i 3B har haft inbrott två gånger",
        "Vakterna på Avion i lördags fick ta hand om en full kille som slog folk",
        "Vakten vid entrén på Avion sa till en kille som rökte hasch",
        "Mannen med hunden vid Nydalasjön ringde polisen när ungdomar slog sönder bänkarna",
        "The guy who drives the 9 bus is always friendly, but people smoke weed at the end stop",
        "I spoke to a woman who works at Coop about the racist graffiti in the tunnel",
        "The family from the 3rd floor had their car broken into again",
        "Han som bor i gula huset vid kyrkan skottar snö åt alla grannar",
        "The student who lives in corridor B at Vildmannen organises a walk against drug dealing",
        "Bartendern på Rex i fredags ringde vakten när en full kille bråkade",
        "The school lets kids take the bus alone even though there are drug dealers at Vasaplan",
        "Vaktmästaren i vårt hus på Ålidhem svarar aldrig, det har varit inbrott i förråden",
    ],
)
def test_helpers_organisations_and_victims_pass(text: str) -> None:
    assert assess(text).verdict == OK
