"""The art. 10 guard on unseen kinds of text (issue 12): an identifiable person (any cue) plus a
wrong told in everyday words is never stored as it is; plain texts with the same surface pass.

The texts here are written for the tests (not taken from any blind set). The structural cues
(bot/privacy/identifiable.py) only feed the learned model; the verdict is assess()'s.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.privacy import accusation, guard_model
from bot.privacy.accusation import OK, assess
from bot.privacy.identifiable import features, person_cues, wrong_cues

DATA = Path(__file__).parent / "fixtures" / "accusation_examples.yaml"


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("S-O K. parkerar alltid vid skolan", "initials"),
        ("B-Å J i Holmsund har en ny hund", "initials"),
        ("The one everybody calls Spider at Teg has a new bike", "nickname"),
        ("a grey Volvo, xkl 34d, stands by the school", "plate"),
        ("Bilen med regnummer PLK 11C står vid skolan", "plate"),
        ("The bloke at Skolgatan 14 has a big dog", "address"),
        ("They live in flat 1204", "door"),
        ("The night porter at the hostel by the station was there", "role"),
        ("Kassörskan på Coop Ersboda var där", "role"),
        ("My brother-in-law lives in Sävar", "relation"),
        ("The guy with the green cap who sits by Ica every day", "description"),
        ("Snapchat user ume_kalle99 posted it", "handle"),
    ],
)
def test_identifiability_cues(text: str, cue: str) -> None:
    assert cue in person_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        "Utkast som aldrig skickas",
        "Anteckning som jag skriver till mig själv",
        "Det har varit många inbrott i förråden i höst.",
        "Why are the street lights on the bridge off again?",
    ],
)
def test_no_person_no_cue(text: str) -> None:
    assert not {"name", "initials", "nickname", "plate", "address", "door"} & set(person_cues(text))


def test_features_cross_person_and_wrong_per_language() -> None:
    f = features("The night porter at the hostel by the station takes cash from guests' bags.")
    assert f["p*w"] == 1.0 and f["en:p*w"] == 1.0 and f["lang=en"] == 1.0
    plain = features("The night porter at the hostel by the station was friendly.")
    assert plain["p*w"] == 0.0
    assert wrong_cues("Hon tände eld på soptunnorna") > 0


# --- the new kinds, in fresh texts: never stored as they are ---------------------------------
@pytest.mark.parametrize(
    "text",
    [
        # English role at a place or a time
        "The ticket seller at the ferry on Sunday mornings keeps the cash and gives no tickets.",
        "The night receptionist at the youth hostel steals from the guests' lockers.",
        "The manager of the petrol station on Backen road sells beer to 15-year-olds.",
        "The driver of the 5 bus at seven in the morning drives with his phone and shouts at kids.",
        # English nickname
        "The guy everyone calls Lefty at Mariehem is the one who sets the cars on fire.",
        # Swedish initials, hyphenated or dotted
        "S-O K. från Teg kör berusad hem från puben varje lördag.",
        "A.L. på Ålidhem har tagit pengarna från klassresan.",
        # plates of every format, with a deed in everyday words
        "Föraren av den svarta pickupen LKM 22X har dumpat gamla däck i skogen vid Stöcksjö.",
        "The red van xyz 12b empties oil into the stream by the allotments.",
        # relation, address, description, without crime words
        "My stepmum locks my little brother in his room all weekend without food.",
        "The man at Skolgatan 14 keeps his dog on the balcony in the cold for days.",
        "The guy with the green cap who sits by Ica every day grabs old ladies' bags.",
    ],
)
def test_new_kinds_are_never_stored_as_they_are(text: str) -> None:
    assert not assess(text).stored


# --- tricky but fine: crimes with no one identifiable, people without wrongdoing, services, the
# writer's own experience, odd drafts -------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Utkast som aldrig skickas",
        "Anteckning som jag skriver för att komma ihåg belysningen vid Gammlia.",
        "Someone set fire to three bins behind the school last night, more patrols please.",
        "Det säljs snus till barn vid kiosken, vi vet inte av vem.",
        "The bus driver on the 5 at seven always waits for my dad who walks slowly.",
        "Kassörskan på Coop Ersboda ringde ambulans när en man föll.",
        "My brother-in-law thinks the tunnel by Ålidhem needs better lights.",
        "The man at Skolgatan 14 shovels the whole pavement every morning.",
        "My car, plate LKM 22X, was scratched in the car park.",
        "I was robbed at the bus stop last winter and still feel scared there.",
        "Jag har själv kört för fort här och skäms, sätt upp farthinder.",
        "Why does the youth centre close at 8 on Fridays?",
        "P-O on our street runs the Saturday litter pick.",
        "Min kompis pappa skjutsar oss hem efter träningen, annars går vi genom skogen.",
        "The lad everyone calls Tiny teaches the small kids to skate at the rink.",
        "I'm a football coach in Ersboda and I see kids vaping more and more, what can we do?",
        "Det säljs tabletter i källaren på vårt hus, vem ska få veta det?",
    ],
)
def test_tricky_plain_texts_pass(text: str) -> None:
    assert assess(text).verdict == OK


def test_model_is_not_asked_without_a_person_cue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an identifiable person there is nothing art. 10 protects: however sure the model
    is about wrongdoing, a text with no person cue is stored."""
    monkeypatch.setattr(guard_model, "probability", lambda text: 1.0)
    assert accusation._second_opinion("Det har varit inbrott i källarförråden i höst.") is None
    asked = accusation._second_opinion("Min svåger har varit i källarförråden i höst.")
    assert asked is not None and asked.verdict == "unsure"


@pytest.mark.parametrize(
    "text",
    [
        "Bilen med regnummer PLK 11C står vid skolan.",
        "Someone keeps dumping sofas at number 8, it looks awful.",
        "Någon langar vid nummer 12.",
    ],
)
def test_a_cue_alone_or_an_unknown_doer_is_not_an_accusation(text: str) -> None:
    """A plate with nothing wrong told, or 'someone' as the doer: stored."""
    assert assess(text).stored


def test_held_out_batches_are_not_trained_on_and_hold_up() -> None:
    """dev6b and dev6d (written fresh, never in the training file) keep their figures."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    training = yaml.safe_load(guard_model.TRAINING_FILE.read_text(encoding="utf-8"))
    trained = set(training["accuse"]) | set(training["ok"])
    accusing = [ex["text"] for b in ("dev6b", "dev6d") for ex in data[f"{b}_accusing"]]
    ordinary = [ex["text"] for b in ("dev6b", "dev6d") for ex in data[f"{b}_ordinary"]]
    assert not (set(accusing) | set(ordinary)) & trained
    caught = sum(not assess(t).stored for t in accusing)
    alarms = [t for t in ordinary if not assess(t).stored]
    assert caught >= 0.85 * len(accusing), caught
    assert len(alarms) <= 2, alarms


@pytest.mark.parametrize(
    "text",
    [
        # Written for these tests: relation, role, name + street, nickname, plate, phone, handle.
        "Min styvfar tar pengar ur min mammas plånbok varje gång han är där.",
        "My sister's boyfriend helps himself to our food money and shoved my brother.",
        "Grannens dotter på andra våningen har sprejat hela cykelrummet.",
        "The weekend janitor at Ålidhem school lets older boys into the sports hall to smoke.",
        "Nils Bergsten på Lärkvägen kör mopeden över fotbollsplanen när barnen tränar.",
        "Han som kallas Räven, han med pizzerian i Obbola, säljer cyklar som inte är hans.",
        "en röd golf med regnr hlk 72c delar ut påsar till sjätteklassare vid skolan",
        "The person with the number 076-301 44 20 sends threats to girls in year 8.",
    ],
)
def test_someone_pointed_at_and_a_clear_wrong_is_never_stored(text: str) -> None:
    assert not assess(text).stored, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "Min styvfar fick sin plånbok stulen på bussen, kan ni sätta upp kameror?",
        "Someone smashed my sister's boyfriend's car window in the car park.",
        "Grannens dotter har börjat på fritidsgården och trivs jättebra.",
        "I'm the weekend janitor at Ålidhem school and I lock the sports hall at nine.",
        "Vi som bor på Lärkvägen 4 vill ha ett farthinder, det körs för fort.",
        "Någon har sprejat hela tunneln vid Tomtebo, det ser förfärligt ut.",
        "Ring fritidsgården på 076-301 44 20 om lampan vid entrén är trasig.",
    ],
)
def test_victims_the_writer_and_unknown_doers_with_the_same_words_pass(text: str) -> None:
    assert assess(text).stored, assess(text)


def test_fresh_held_out_round8_batch_holds_up() -> None:
    """dev8a (written fresh for the kinds round 7 missed, never trained on)."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    training = yaml.safe_load(guard_model.TRAINING_FILE.read_text(encoding="utf-8"))
    accusing = [ex["text"] for ex in data["dev8a_accusing"]]
    ordinary = [ex["text"] for ex in data["dev8a_ordinary"]]
    assert not (set(accusing) | set(ordinary)) & (set(training["accuse"]) | set(training["ok"]))
    assert sum(not assess(t).stored for t in accusing) >= 0.9 * len(accusing)
    assert sum(not assess(t).stored for t in ordinary) <= 2


@pytest.mark.parametrize(
    "text",
    [
        # Written for these tests: someone singled out by a relation or a role at a place, doing
        # an everyday wrong (at the door at night, letting themselves in, going through things,
        # fire, drunk driving, selling to minors, paying others to scare, initials in English).
        "min exkille bultar på min dörr sent på kvällarna trots att jag sagt att han ska gå",
        "kusinens kompis säljer saker till tolvåringar vid fritidsgården",
        "my sister's fiance goes through my drawers when I'm at work and my watch has gone",
        "the upstairs neighbour's son set the recycling shed on fire last night",
        "my landlady keeps letting herself into the flat when I'm not home",
        "min hyresvärd låser upp och går in i min lägenhet när jag inte är hemma",
        "the caretaker at the youth centre in Teg lets his friends in at night, tools go missing",
        "the owner of the pizza place by the roundabout pays teenagers to threaten the competition",
        "J.K. from the hockey team sends horrible pictures to the younger girls",
        "my brother-in-law drives after drinking with the kids in the back",
    ],
)
def test_a_relation_or_role_doing_an_everyday_wrong_is_never_stored(text: str) -> None:
    assert not assess(text).stored, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "min granne hjälpte mig när någon bankade på dörren mitt i natten",
        "someone set the bins on fire at Ålidhem last night, what should we do",
        "grannens son säljer kakor till förmån för klassresan",
        "my sister's boyfriend called the police when the shed was set on fire",
        "kusinens kompis hjälper till med läxhjälpen på biblioteket",
        "our caretaker lets the plumber in when something breaks",
        "my partner's brother is a firefighter and says to never drive after drinking",
        "jag bultade på dörren men ingen öppnade, vem ska jag ringa",
    ],
)
def test_relations_helping_or_unknown_doers_with_those_words_pass(text: str) -> None:
    assert assess(text).stored, assess(text)
