"""Residents' questions get the right sourced answer, a hedge or an honest "vet inte"; danger → 112.

The knowledge base learns from the content file's examples (bot.ranker, bot.knowledge); the
development sets of tests/fixtures/qa_eval.yaml measure it at floors below today's figures
(benchmarks/bench_knowledge.py prints the figures). The former BM25 engine lives on as one
feature (bot.ranker_bm25); its own behaviour is tested at the end.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import yaml

from bot.content import DEFAULT_COUNCIL_FILE, Council, load_council
from bot.emergency import is_close_violence, is_emergency
from bot.knowledge import KnowledgeBase, _sentences, choose_thresholds
from bot.ranker_bm25 import MIN_COVERAGE, Bm25Index
from bot.textnorm import (
    TypoIndex,
    build_synonym_map,
    damerau_levenshtein,
    fold,
    stem_sv,
    tokens,
    words,
)

EVAL = yaml.safe_load((Path(__file__).parent / "fixtures" / "qa_eval.yaml").read_text("utf-8"))
QUESTIONS: list[dict[str, Any]] = EVAL["questions"]


@pytest.fixture(scope="module")
def council() -> Council:
    return load_council(DEFAULT_COUNCIL_FILE)


@pytest.fixture(scope="module")
def kb(council: Council) -> KnowledgeBase:
    return KnowledgeBase.from_council(council)


def right(kb: KnowledgeBase, item: dict[str, Any]) -> bool:
    """Answered or hedged with an acceptable entry whose answer holds the facts."""
    ans = kb.answer(item["q"], item["lang"])
    if ans.band not in ("answer", "hedge") or ans.entry is None:
        return False
    if ans.entry.id not in {item["expect"], *item.get("accept", [])}:
        return False
    return all(fact in ans.entry.answer.get(item["lang"]) for fact in item.get("facts", []))


def share_right(kb: KnowledgeBase, items: list[dict[str, Any]]) -> tuple[float, list[str]]:
    wrong = [item["q"] for item in items if not right(kb, item)]
    return 1 - len(wrong) / len(items), wrong


# ----------------------------------------------------------------- evaluation sets


def test_eval_set_is_big_enough() -> None:
    assert len(QUESTIONS) >= 100
    assert {q["lang"] for q in QUESTIONS} == {"sv", "en"}
    assert len(EVAL["out_of_scope"]) >= 20
    assert len(EVAL["emergency"]) >= 15


def test_eval_ids_exist(kb: KnowledgeBase) -> None:
    for item in QUESTIONS + EVAL["holdout"] + EVAL["blind2"] + EVAL["blind3"] + EVAL["blind4"]:
        for entry_id in (item["expect"], *item.get("accept", [])):
            assert kb.entry(entry_id) is not None, item


@pytest.mark.parametrize(
    ("section", "floor"),
    # Today: main 98 %, holdout 90 %, blind2 99 %, blind3 90 % (bench_knowledge.py).
    [("questions", 0.93), ("holdout", 0.85), ("blind2", 0.93), ("blind3", 0.85)],
)
def test_development_sets_are_answered_with_the_right_facts(
    kb: KnowledgeBase, section: str, floor: float
) -> None:
    accuracy, wrong = share_right(kb, EVAL[section])
    assert accuracy >= floor, f"{section}: {accuracy:.1%}; wrong: {wrong}"


def test_english_is_close_to_swedish(kb: KnowledgeBase) -> None:
    items = [i for s in ("questions", "holdout", "blind2", "blind3") for i in EVAL[s]]
    sv, _ = share_right(kb, [i for i in items if i["lang"] == "sv"])
    en, _ = share_right(kb, [i for i in items if i["lang"] == "en"])
    assert en >= sv - 0.07, (sv, en)


OUT_OF_SCOPE = [
    q
    for key in (
        "out_of_scope",
        "holdout_out_of_scope",
        "blind2_out_of_scope",
        "blind3_out_of_scope",
    )
    for q in EVAL.get(key, [])
]


def test_out_of_scope_is_refused(kb: KnowledgeBase) -> None:
    """Refused = "vet inte" (a hedge would state an answer). Today 87 %; nearmiss (questions
    for figures and dates sharing the topics' words) is reported by the benchmark only."""
    leaked = [q for q in OUT_OF_SCOPE if kb.answer(q, "sv").band != "dont_know"]
    assert 1 - len(leaked) / len(OUT_OF_SCOPE) >= 0.8, leaked


@pytest.mark.parametrize("message", EVAL["emergency"])
def test_emergency_detected(kb: KnowledgeBase, message: str) -> None:
    assert kb.emergency.is_emergency(message)
    assert kb.answer(message, "sv").emergency


# ----------------------------------------------------------------- bands


def test_confident_answer_shape_and_related(kb: KnowledgeBase) -> None:
    ans = kb.answer("vad är ett medborgarlöfte", "sv")
    assert ans.band == "answer" and ans.answered and ans.entry is not None
    assert ans.entry.id == "lofte-vad"
    assert kb.thresholds.high <= ans.confidence <= 1.0
    assert ans.in_scope >= kb.thresholds.low
    assert not ans.emergency
    assert all(a.id != ans.entry.id for a in ans.alternatives)
    assert [e.id for e in kb.related(ans.entry)] == ["lofte-2023-2024", "lofte-2025-2027"]


def test_bands_follow_the_thresholds(kb: KnowledgeBase) -> None:
    """Every development question lands in the band its probabilities say (P(in scope) for
    "vet inte", P(right) for answer vs hedge), and a hedge always names its guess and offers
    at most two other entries."""
    low, high = kb.thresholds.low, kb.thresholds.high
    assert 0 < low <= 1 and 0 < high <= 1
    seen = set()
    for item in QUESTIONS + EVAL["blind2"] + [{"q": q} for q in OUT_OF_SCOPE]:
        ans = kb.answer(item["q"], "sv")
        seen.add(ans.band)
        if ans.band == "answer":
            assert ans.confidence >= high and ans.in_scope >= low and ans.entry is not None
        elif ans.band == "hedge":
            assert ans.confidence < high and ans.in_scope >= low and ans.entry is not None
            assert len(ans.alternatives) <= 2 and ans.entry not in ans.alternatives
        elif ans.band == "dont_know":
            assert ans.entry is None and ans.in_scope < low
    assert {"answer", "hedge", "dont_know"} <= seen


def test_threshold_procedure() -> None:
    """low keeps 90 % of the reject examples below it on P(in scope); high is the first
    P(right) where the answers of the examples past low are right ≥ 98 % of the time."""
    scope = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.97])
    p_right = np.array([0.9, 0.9, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.5])
    right = np.array([False, False, False, True, False, True, True, True, True, False])
    reject = np.array([True, True, True, False, False, False, False, False, False, False])
    t = choose_thresholds(scope, p_right, right, reject)
    assert 0.27 <= t.low <= 0.3
    assert t.high == 0.8
    assert t.hint <= t.low


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("hej", "greeting"),
        ("tack så mycket", "thanks"),
        ("hej då", "goodbye"),
        ("är du en människa?", "who-are-you"),
        ("are you a bot or a real person?", "who-are-you"),
        ("thanks!", "thanks"),
    ],
)
def test_small_talk(kb: KnowledgeBase, message: str, intent: str) -> None:
    ans = kb.answer(message, "sv")
    assert ans.band == "small_talk" and ans.small_talk is not None
    assert ans.small_talk.id == intent


def test_a_council_adds_an_example_and_it_works(council: Council) -> None:
    """Recall is content: a new phrasing in the file is understood after a rebuild."""
    question = "zxqv-kortet, var hämtar jag det"
    before = KnowledgeBase.from_council(council).answer(question, "sv")
    assert before.band == "dont_know"
    entries = list(council.knowledge)
    i = next(n for n, e in enumerate(entries) if e.id == "kontakt-kommunen")
    examples = entries[i].examples.model_copy(
        update={"sv": [*entries[i].examples.sv, *[question] * 3, "zxqv-kort", "zxqv kortet"]}
    )
    entries[i] = entries[i].model_copy(update={"examples": examples})
    changed = council.model_copy(update={"knowledge": entries})
    after = KnowledgeBase.from_council(changed).answer(question, "sv")
    assert after.entry is not None and after.entry.id == "kontakt-kommunen"


def test_entry_lookup(kb: KnowledgeBase) -> None:
    assert kb.entry("tyck") is not None
    assert kb.entry("no-such-id") is None
    assert len(kb.entries) >= 45


def test_current_promises_answer_is_honest(kb: KnowledgeBase) -> None:
    ans = kb.answer("vilka medborgarlöften gäller nu", "sv")
    assert ans.entry is not None and ans.entry.id == "lofte-2025-2027"
    assert "känner inte till" in ans.entry.answer.sv
    assert "2023–2024" in ans.entry.answer.sv


def test_bot_is_not_a_tip_channel(kb: KnowledgeBase) -> None:
    ans = kb.answer("kan jag tipsa polisen här i boten", "sv")
    assert ans.entry is not None and ans.entry.id == "tipsa-polisen"
    assert "ingen tipskanal" in ans.entry.answer.sv


def test_emergency_flag_even_without_an_entry(kb: KnowledgeBase) -> None:
    ans = kb.answer("someone is attacking me", "en")
    assert ans.emergency


@pytest.mark.parametrize(
    "message",
    [
        "hör grannen slå sin fru genom väggen",
        "my neighbour is beating his wife, I can hear it through the wall",
        "a man keeps following me home from the bus",
        "min kompis har tagit en massa tabletter och svarar inte",
    ],
)
def test_everyday_emergencies_without_alarm_words(kb: KnowledgeBase, message: str) -> None:
    assert kb.answer(message, "sv").emergency, message


def test_violence_by_someone_close_is_marked(kb: KnowledgeBase) -> None:
    assert kb.answer("mitt ex står utanför dörren och säger att han ska döda mig").close_violence
    assert kb.answer("my husband is hitting me").close_violence
    assert not kb.answer("det brinner i köket").close_violence
    assert is_close_violence("hör grannen slå sin fru genom väggen")


def test_the_classifier_is_installed_for_dialogues(kb: KnowledgeBase) -> None:
    """handlers/questions installs the KB's detector; is_emergency (used inside dialogues)
    then catches what the patterns alone miss."""
    from bot.emergency import use_detector

    message = "hör grannen slå sin fru genom väggen"
    use_detector(None)
    assert not is_emergency(message)
    use_detector(kb.emergency)
    try:
        assert is_emergency(message)
    finally:
        use_detector(None)


class Bm25Answers:
    """The former engine's decision (top entry if its coverage ≥ MIN_COVERAGE), for its tests."""

    def __init__(self, index: Bm25Index) -> None:
        self.index = index

    def answer(self, text: str, locale: str = "sv") -> Any:
        ranked = self.index.rank(text)
        entry = ranked[0][0] if ranked and ranked[0][2] >= MIN_COVERAGE else None
        return SimpleNamespace(entry=entry)


@pytest.fixture(scope="module")
def bm25(council: Council) -> Bm25Answers:
    return Bm25Answers(Bm25Index.from_council(council))


# ----------------------------------------------------------------- emergency false alarms


@pytest.mark.parametrize(
    "message",
    [
        "hur anmäler jag ett inbrott som hänt",
        "det känns otryggt",
        "vad gör ni mot knivvåld bland unga",
        "det var ett inbrott i vårt förråd förra veckan",
        "what should I do if someone breaks into my car",
        "brandvarnare, behöver jag en?",
    ],
)
def test_ordinary_messages_are_not_emergencies(message: str) -> None:
    assert not is_emergency(message)


def test_ordinary_messages_are_not_emergencies_for_the_classifier(kb: KnowledgeBase) -> None:
    for message in (
        "hur anmäler jag ett inbrott som hänt",
        "det var ett inbrott i vårt förråd förra veckan",
        "what should I do if someone breaks into my car",
        "vad är ett medborgarlöfte",
    ):
        assert not kb.emergency.is_emergency(message), message


def test_few_false_alarms_on_normal_questions(kb: KnowledgeBase) -> None:
    """Recall first, but the 112 block must not open ordinary answers (≤ 2 % of them)."""
    normal = [q["q"] for s in ("questions", "holdout", "blind2", "blind3") for q in EVAL[s]]
    alarms = [q for q in normal if kb.emergency.is_emergency(q)]
    assert len(alarms) <= len(normal) * 0.02, alarms


# ----------------------------------------------------------------- normalisation


def test_fold_and_tokens() -> None:
    assert fold("Överenskommelsen ÅÄÖ é") == "overenskommelsen aao e"
    assert tokens("Vad gör snuten åt knarket?!") == ["vad", "gor", "snuten", "at", "knarket"]
    assert tokens("114 14, polisen.se") == ["114", "14", "polisen", "se"]


def test_swedish_stemming_merges_inflections() -> None:
    assert stem_sv("avtalet") == stem_sv("avtal")
    assert stem_sv("knarket") == stem_sv("knark")
    assert stem_sv(fold("medborgarlöftena")) == stem_sv(fold("medborgarlöfte"))
    assert stem_sv(fold("överenskommelsen")) == stem_sv(fold("överenskommelse"))
    assert stem_sv("stadsdelar") == stem_sv("stadsdelen")


def test_synonyms_map_slang_to_canonical() -> None:
    syn = build_synonym_map({"narkotika": ["knark", "droger"], "polis": ["snuten", "aina"]})
    assert stem_sv("narkotika") in syn[stem_sv("knarket")]
    assert stem_sv("narkotika") in syn[stem_sv("droger")]
    assert stem_sv("polis") in syn[stem_sv("snutarna")]
    assert stem_sv("polis") in syn["aina"]


def test_typo_distance_and_index() -> None:
    assert damerau_levenshtein("grannsamvekan", "grannsamverkan") == 1
    assert damerau_levenshtein("trygghetsvandrnig", "trygghetsvandring") == 1  # transposition
    assert damerau_levenshtein("abc", "xyzxyz", limit=2) == 3
    index = TypoIndex(["grannsamverkan", "trygghetsvandring", "narkotika"])
    assert index.correct("grannsamvekan") == "grannsamverkan"
    assert index.correct("trygghetsvandrnig") == "trygghetsvandring"
    assert index.correct("narkotiak") == "narkotika"
    assert index.correct("polis") is None  # short words are not "corrected"
    assert index.correct("parkering") is None


def test_retrieval_understands_residents(bm25: Bm25Answers) -> None:
    cases = {
        "vad gor snuten mot knarkhandeln": "fokus-narkotika",  # slang, no å/ä/ö, compound
        "grannsamvekan": "lofte-granne",  # typo
        "vem undertecknade överenskommelsen": "avtal-underskrift",
        "who signed the agreement": "avtal-underskrift",
        "vilka är ni?": "radet",  # only function words: matched as a phrase
    }
    for question, expected in cases.items():
        ans = bm25.answer(question, "sv")
        assert ans.entry is not None and ans.entry.id == expected, question


def test_place_names_alone_do_not_answer(bm25: Bm25Answers) -> None:
    assert bm25.answer("Holmsund", "sv").entry is None
    assert bm25.answer("när öppnar ICA på Ålidhem", "sv").entry is None


def test_spoken_forms_and_strong_verbs_are_normalised() -> None:
    assert (
        words("vem har skrivit under")
        == words("vem har skrev under")
        == ["vem", "har", "skriva", "under"]
    )
    assert words("sen när") == ["sedan", "nar"]
    assert words("hur får jag tag på polisen") == ["hur", "fa", "jag", "kontakta", "polisen"]


def test_word_order_and_verb_forms_do_not_hide_the_topic(bm25: Bm25Answers) -> None:
    cases = {
        "när gick avtalet ut": "avtal-giltighet",  # particle verb split by its object
        "vem har skrivit under avtalet": "avtal-underskrift",  # was: the general agreement
        "vad lovade polisen 2023": "lofte-2023-2024",  # a year names the period asked about
        "ser aldrig nån polis här ute": "lofte-polis",  # "nån" is "någon", a function word
        "vad menas med utsatt område": "utsatt-omrade",  # "menas" is not the word "men"
    }
    for question, expected in cases.items():
        ans = bm25.answer(question, "sv")
        assert ans.entry is not None and ans.entry.id == expected, (question, ans.entry)


def test_off_topic_compounds_and_prices_are_not_answered(bm25: Bm25Answers) -> None:
    for question in (
        "hur söker jag förskoleplats",
        "när börjar skolan efter sommarlovet",
        "vad kostar en moped",
    ):
        assert bm25.answer(question, "sv").entry is None, question


def test_questions_for_figures_dates_and_incidents_are_not_answered(bm25: Bm25Answers) -> None:
    """Topic words alone do not make a question answerable: the file holds no statistics."""
    for question in (
        "hur många anmälningar om narkotika kom in 2023",
        "när kommer polisen och pratar på fritidsgården",
        "blev det fler våldsbrott i år",
        "varför blev min son stoppad av polisen igår",
    ):
        assert bm25.answer(question, "sv").entry is None, question
    # ... unless an entry states the figure and says so in its keywords
    ans = bm25.answer("hur många lokala förebyggande råd finns det", "sv")
    assert ans.entry is not None and ans.entry.id == "lokala-rad"


def test_phrasal_questions_and_place_compounds(bm25: Bm25Answers) -> None:
    assert words("kan man tipsa utan att säga sitt namn") == ["kan", "man", "tipsa", "anonymt"]
    cases = {
        "kan man tipsa utan att säga sitt namn": "tipsa-polisen",
        "how do I reach the municipality": "kontakt-kommunen",
        "when does the agreement end": "avtal-giltighet",
        "hur jobbar ni mot narkotika i umeå": "fokus-narkotika",  # the topic, not "hur jobbar ni"
    }
    for question, expected in cases.items():
        ans = bm25.answer(question, "en" if question.startswith(("how", "when")) else "sv")
        assert ans.entry is not None and ans.entry.id == expected, (question, ans.entry)
    # "ersboda|skolan" is a school, not the district's priority; "rekomm|endera" is no "end"
    assert bm25.answer("vem är rektor på ersbodaskolan", "sv").entry is None
    assert bm25.answer("kan du rekommendera en bra frisör", "sv").entry is None


@pytest.mark.parametrize(
    "message",
    [
        "Hi, I moved to Ersboda last month for my studies and I don't know how things work "
        "here. Right now my neighbour's boyfriend is hitting her, I can hear it through the wall.",
        "Hej, jag är ny i Umeå och vet inte riktigt vart man vänder sig. Just nu står en kille "
        "utanför min dörr och säger att han ska slå ihjäl mig.",
    ],
)
def test_danger_told_after_context_is_an_emergency(kb: KnowledgeBase, message: str) -> None:
    assert kb.answer(message, "en").emergency


def test_a_long_question_with_context_first_is_answered_not_alarmed(kb: KnowledgeBase) -> None:
    """Context first, question last: the question decides, and telling who you are (a
    student, twenty years in Teg) is no emergency."""
    ans = kb.answer(
        "Hi! I'm a master's student from Spain living in Ålidhem and I'm writing an essay about "
        "Swedish local government. Who signed the cooperation agreement for the police?",
        "en",
    )
    assert ans.band in ("answer", "hedge") and ans.entry is not None
    assert ans.entry.id == "avtal-underskrift" and not ans.emergency
    ans = kb.answer(
        "Hej! Jag har bott på Teg i tjugo år och undrar en sak inför ett möte i föreningen. "
        "Vad är EST för något?",
        "sv",
    )
    assert ans.entry is not None and ans.entry.id == "metod-est" and not ans.emergency


def test_a_question_that_reads_like_small_talk_is_not_answered_with_small_talk(
    kb: KnowledgeBase,
) -> None:
    """Small talk needs P(right) ≥ SMALL_TALK_MIN; otherwise the best entry, as a guess."""
    ans = kb.answer(
        "how are you doing with all the questions about the citizen promises, what are they?",
        "en",
    )
    assert ans.band != "small_talk" and ans.small_talk is None
    assert ans.entry is not None and ans.entry.id == "lofte-vad"


def test_each_reject_kind_keeps_its_own_bar() -> None:
    """Many easy out-of-scope examples must not lower the bar for the harder unknown ones:
    low keeps ≤ 10 % of EACH kind below it."""
    easy = np.linspace(0.0, 0.1, 200)  # many plainly out-of-scope examples
    hard = np.linspace(0.5, 0.9, 10)  # ten in-domain questions the content cannot answer
    inside = np.linspace(0.6, 1.0, 40)
    scope = np.concatenate([easy, hard, inside])
    reject = np.array([True] * 210 + [False] * 40)
    kinds = np.array(["~out-of-scope"] * 200 + ["~unknown"] * 10 + ["entry"] * 40)
    p_right = np.full(250, 0.99)
    right = ~reject
    pooled = choose_thresholds(scope, p_right, right, reject)
    per_kind = choose_thresholds(scope, p_right, right, reject, kinds)
    assert pooled.low < 0.5  # the easy ones set the pooled bar
    assert per_kind.low >= np.quantile(hard, 0.9)


def test_a_specific_the_content_does_not_hold_gets_dont_know(kb: KnowledgeBase) -> None:
    """A named person's e-mail, one district's survey figures, a count for one year: the
    topic is the council's, the fact is not in the content; the general question is."""
    for question in (
        "vad har Karin Berg i rådet för mejladress",
        "what's the phone number of Erik Holm at the municipality",
        "hur många trygghetsvandringar blev det på Teg förra året",
        "how many people answered the safety survey in Holmsund",
    ):
        assert kb.answer(question).band == "dont_know", question
    for question, entry in (
        ("hur många får vara med på en trygghetsvandring", "metod-tv"),
        ("vem skrev under överenskommelsen", "avtal-underskrift"),
    ):
        got = kb.answer(question)
        assert got.band == "answer" and got.entry is not None and got.entry.id == entry, question


@pytest.mark.parametrize(
    "message",
    [
        "it smells like rotten eggs in the whole building, we think its gas",
        "bilen åkte ner i ån o det sitter folk i den",
        "pappa pratar sluddrigt o ena sidan av ansiktet hänger",
        "a toddler climbed onto the balcony railing on the fifth floor",
        "det kommer svart rök ur ventilationen i tvättstugan",
    ],
)
def test_danger_beyond_violence_in_unseen_words(kb: KnowledgeBase, message: str) -> None:
    """Phrasings no example has (a stroke, a car in the water, gas as rotten eggs)."""
    assert kb.answer(message).emergency, message


@pytest.mark.parametrize(
    "message",
    [
        "the bbq smelled of gas last summer, how do I check the hose",
        "min pappa fick en stroke förra året, finns det stöd för anhöriga",
    ],
)
def test_danger_told_as_the_past_is_no_emergency(kb: KnowledgeBase, message: str) -> None:
    """'förra året', 'last summer': background, not danger now."""
    assert not kb.answer(message).emergency, message


def test_a_short_tail_after_a_question_stays_part_of_it(kb: KnowledgeBase) -> None:
    """ "… på ersboda? datum o tid" is one question: read without its tail it asks about the
    method, which the content answers; with it, a date the content does not hold."""
    assert _sentences("när e nästa trygghetsvandring på teg? datum o tid") == []
    assert _sentences("jag bor på teg. hur tipsar jag polisen? tack") == [
        "jag bor på teg.",
        "hur tipsar jag polisen? tack",
    ]
    ans = kb.answer("när e nästa trygghetsvandring på mariehem? datum o tid")
    assert ans.band == "dont_know" and ans.entry is None
