"""Answer residents' questions from the council's content (issues #3 and #11).

Everything here is learned from the council file at start-up; nothing is tuned by hand:

1. ``bot.ranker.Ranker`` scores every label (knowledge entries, small-talk intents, and the two
   reject classes "out of scope" and "unknown": questions about the council's field that the
   content cannot answer) from the examples in the content file (plus entry titles and
   keywords);
2. ``bot.ranker_bm25.Bm25Index`` (the former engine) adds its coverage confidence for the
   ranker's best entry as one more feature;
3. two small logistic regressions (the *decision model*) turn these features into
   probabilities: P(in scope), that the question is one the content answers at all, and
   P(right), that the best entry is the right one. They are fitted on out-of-fold scores of the
   residents' examples (5-fold cross-validation, ``CV_REPEATS`` shuffled splits pooled: each
   example scored by a ranker that never saw it), so they are calibrated on phrasings the
   ranker has not memorised. Keeping the two apart matters: a question whose best entry has
   a close neighbour ("which promises apply" vs "what is a promise") is plainly in scope,
   only its entry is uncertain, so it deserves a hedge, not "vet inte";
4. two thresholds make three bands, chosen on the same out-of-fold data by a fixed procedure
   (``choose_thresholds``): ``low`` on P(in scope) lets at most ``MAX_OOS_ANSWERED`` of the
   reject examples (out of scope and unknown) past "vet inte", and ``high`` on P(right) is
   where answers given without a hedge are right at least ``ANSWER_PRECISION`` of the time.
   A small-talk reply needs P(right) ≥ ``SMALL_TALK_MIN``: a question that merely reads like
   small talk gets its best entry as a hedge, never a greeting.

A long message with context first ("I'm a student at Ålidhem writing a paper. When was …?") is
also judged sentence by sentence; the reading most likely to be answered right wins.

Bands: ``answer`` (confident), ``hedge`` ("Jag tror att du undrar över …" with the answer and
other buttons), ``dont_know`` (contacts and perhaps buttons), ``small_talk``. A confident wrong
answer is worse than a hedge, a hedge worse than an honest "vet inte" when nothing fits.

``KnowledgeBase.from_council`` is the one function that builds all of it (a content reload
calls it again); emergencies are checked separately (bot.emergency) before anything else.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from bot.content import Council, KnowledgeEntry, SmallTalk
from bot.emergency import EmergencyDetector, is_close_violence
from bot.language import LanguageGuess
from bot.ranker import Features, Ranker, Scores
from bot.ranker_bm25 import Bm25Index
from bot.textnorm import STOPWORDS, stem_sv, words

#: Label of the out-of-scope examples; small-talk labels are "~" + intent id (ids never
#: start with "~", so they cannot clash with an entry).
OUT_OF_SCOPE = "~out-of-scope"
UNKNOWN = "~unknown"
REJECT = frozenset({OUT_OF_SCOPE, UNKNOWN})
REJECT_ORDER = (OUT_OF_SCOPE, UNKNOWN)
SMALL_TALK = "~"

#: Threshold procedure (see ``choose_thresholds``): share of the reject examples (out of scope
#: and unknown) allowed past "vet inte" (out-of-fold), and the precision asked of confident
#: answers. 10 % is the service's own target (at least 90 % of out-of-scope questions
#: refused), not a value searched for; it holds for each reject kind on its own, so adding
#: easy out-of-scope examples to the file cannot lower the bar for in-domain questions it
#: cannot answer.
MAX_OOS_ANSWERED = 0.10
ANSWER_PRECISION = 0.98
#: Without reject examples there is nothing to choose the lower threshold from.
DEFAULT_LOW = 0.5
#: "vet inte" offers the closest entries as buttons only when P(in scope) is above what this
#: share of the reject examples get (so a question about parking gets no random buttons).
HINT_QUANTILE = 0.5
#: Sentences of a long message are judged on their own too when they have at least this many
#: words (a lone "Hi!" or "thanks" is no reading of the question).
MIN_SENTENCE_WORDS = 3
#: A piece of at most this many words right after a question is part of that question.
MAX_TAIL_WORDS = 3
_SENTENCE = re.compile(r"(?<=[.?!])\s+|\n+")
MAX_ALTERNATIVES = 3
HEDGE_ALTERNATIVES = 2
#: The decision models have a dozen features: Newton's method converges in a few steps where
#: lbfgs took hundreds (same optimum, a tenth of the time).
SOLVER = "newton-cholesky"
#: Small talk is the reply only when the decision model thinks it more likely right than not.
SMALL_TALK_MIN = 0.5
#: Fold splits of the ranker's cross-validation pooled for the decision model and its bars
#: (each costs one more cross-validation at start-up, 3-5 s here), and the decision model's
#: folds.
CV_REPEATS = 2
DECISION_FOLDS = 5

Band = Literal["answer", "hedge", "dont_know", "small_talk"]

CACHE_SIZE = 4
_CACHE: dict[str, KnowledgeBase] = {}
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Answer:
    """Result of one question.

    ``band`` says what to show. ``entry`` is the answer (band ``answer``) or the best guess
    (band ``hedge``), else None; ``alternatives`` are other entries for buttons;
    ``small_talk`` is the intent for band ``small_talk``; ``confidence`` the decision model's
    probability that the best guess is right, ``in_scope`` its probability that the question
    is one the content answers at all. ``emergency``: show 112 first, whatever else;
    ``close_violence``: also the support lines for violence by someone close.
    """

    entry: KnowledgeEntry | None
    confidence: float
    band: Band = "dont_know"
    alternatives: tuple[KnowledgeEntry, ...] = ()
    emergency: bool = False
    close_violence: bool = False
    small_talk: SmallTalk | None = None
    in_scope: float = 0.0

    @property
    def answered(self) -> bool:
        """True for a confident answer."""
        return self.band == "answer"

    @property
    def hedged(self) -> bool:
        """True for "Jag tror att du undrar över …"."""
        return self.band == "hedge"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The band limits: ``low`` on P(in scope), ``high`` on P(right)."""

    low: float  # P(in scope) below: "vet inte"
    high: float  # P(right) at or above (and in scope): a confident answer; else a hedge
    hint: float = 0.0  # P(in scope) below: "vet inte" without topic buttons


@dataclass(slots=True)
class BuildReport:
    """What building the knowledge base measured (for benchmarks and the start-up log)."""

    examples: int = 0
    labels: int = 0
    seconds: float = 0.0
    oof_answer_precision: float = 0.0
    oof_top1: float = 0.0
    oof_oos_refused: float = 0.0
    oof_in_scope_accepted: float = 0.0
    #: per language: (top-1 right, past "vet inte", both) share of the in-scope examples
    oof_by_language: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    emergency_threshold: float = 0.0
    emergency_oof_recall: float = 0.0
    emergency_oof_false_alarms: float = 0.0
    notes: list[str] = field(default_factory=list)


def _training_data(
    council: Council,
) -> tuple[list[str], list[str], list[bool]]:
    """(texts, labels, is_resident_example): examples, plus titles and keywords of entries."""
    texts: list[str] = []
    labels: list[str] = []
    resident: list[bool] = []

    def add(items: Sequence[str], label: str, from_residents: bool) -> None:
        for text in items:
            texts.append(text)
            labels.append(label)
            resident.append(from_residents)

    for entry in council.knowledge:
        add([t for _, t in entry.examples.all()], entry.id, True)
        add([entry.title.sv, entry.title.en], entry.id, False)
        add([*entry.keywords.sv, *entry.keywords.en], entry.id, False)
    for intent in council.small_talk:
        add([t for _, t in intent.examples.all()], SMALL_TALK + intent.id, True)
    add([t for _, t in council.out_of_scope_examples.all()], OUT_OF_SCOPE, True)
    add([t for _, t in council.unknown_examples.all()], UNKNOWN, True)
    return texts, labels, resident


@dataclass(frozen=True, slots=True)
class DecisionModel:
    """P(in scope) and P(right) from the decision features (one scaler for both)."""

    scaler: StandardScaler
    scope: LogisticRegression
    right: LogisticRegression

    def probabilities(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P(in scope), P(best guess right)) per row."""
        x = self.scaler.transform(features)
        return self.scope.predict_proba(x)[:, 1], self.right.predict_proba(x)[:, 1]


class KnowledgeBase:
    """Learned, bilingual question answering over one council's content; build once per load."""

    def __init__(self, council: Council) -> None:
        """Fit the ranker, the decision model and the emergency detector on ``council``."""
        started = time.perf_counter()
        self.report = BuildReport()
        self._council = council
        self._entries = tuple(council.knowledge)
        self._by_id = {e.id: e for e in self._entries}
        self._small_talk = {SMALL_TALK + s.id: s for s in council.small_talk}
        self._bm25_index = Bm25Index.from_council(council)
        # The question's own language (an English question from a Telegram set to Swedish).
        self.language = LanguageGuess.from_council(council)
        texts, labels, resident = _training_data(council)
        self._domain: Counter[str] = Counter(
            w
            for t, label in zip(texts, labels, strict=True)
            if label not in REJECT
            for w in _content_stems(t)
        )
        # Each entry's own words (its examples, title, keywords: counted; its answer: a set),
        # to ask whether the best guess covers what the question is about.
        self._vocab: dict[str, Counter[str]] = {}
        for t, label in zip(texts, labels, strict=True):
            if label not in REJECT:
                self._vocab.setdefault(label, Counter()).update(_content_stems(t))
        self._answer_words: dict[str, frozenset[str]] = {
            e.id: _content_stems(f"{e.answer.sv} {e.answer.en}") for e in self._entries
        }
        alarms = [t for _, t in council.emergency_examples.all()]
        calm = [t for _, t in council.non_emergency_examples.all()]
        self._features = Features([*texts, *alarms, *calm])
        everything = self._features.matrix
        rows = everything[: len(texts)]
        self._ranker = Ranker(self._features, rows, texts, labels)
        self._labels = self._ranker.labels
        self._column = {label: i for i, label in enumerate(self._labels)}
        # Columns the best guess may come from: entries and small talk, never a reject class.
        self._candidate = np.array([label not in REJECT for label in self._labels])
        self._decision_model, self.thresholds = self._fit_decision(rows, texts, labels, resident)
        self.emergency = EmergencyDetector(
            self._features,
            everything,
            [*texts, *alarms, *calm],
            [False] * len(texts) + [True] * len(alarms) + [False] * len(calm),
        )
        self.report.examples = len(texts)
        self.report.labels = len(self._labels)
        self.report.emergency_threshold = self.emergency.threshold
        self.report.emergency_oof_recall = self.emergency.oof_recall
        self.report.emergency_oof_false_alarms = self.emergency.oof_false_alarms
        self.report.seconds = time.perf_counter() - started

    @classmethod
    def from_council(cls, council: Council) -> KnowledgeBase:
        """Build everything from a council's content (start-up, and again on a reload).

        Learning takes seconds, so a process keeps the last few builds by content: the same
        content (another test's bot, a reload that changes nothing the KB reads) is not
        learned twice; changed content always is.
        """
        key = hashlib.sha256(council.model_dump_json().encode()).hexdigest()
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
        if cached is not None:
            return cached
        kb = cls(council)
        with _CACHE_LOCK:
            _CACHE[key] = kb
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
        return kb

    # ------------------------------------------------------------------ features

    def _decision_features(
        self,
        scores: Scores,
        bm25: list[dict[str, float]],
        foreign: np.ndarray,
        uncovered: Callable[[int, str], float],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Decision-model features per question, and the candidate column of each."""
        decision = np.where(self._candidate, scores.decision, -np.inf)
        order = np.argsort(-decision, axis=1)
        best, second = order[:, 0], order[:, 1] if decision.shape[1] > 1 else order[:, 0]
        rows = np.arange(len(best))
        d_best = scores.decision[rows, best]
        d_second = scores.decision[rows, second]
        nearest = np.where(self._candidate, scores.nearest, -np.inf)
        nn_best = scores.nearest[rows, best]
        nn_other = np.where(
            np.arange(nearest.shape[1])[None, :] == best[:, None], -np.inf, nearest
        ).max(axis=1)
        # Each reject class on its own: "out of scope" and "unknown" (in the council's field,
        # so close to entries) say different things about a question.
        reject_feats = []
        for label in REJECT_ORDER:
            col = self._column.get(label)
            if col is None:
                reject_feats += [np.full(len(best), -1.0), d_best + 1.0, np.zeros(len(best))]
            else:
                d_r = scores.decision[:, col]
                reject_feats += [d_r, d_best - d_r, scores.nearest[:, col]]
        bm25_conf = np.array([b.get(self._labels[c], 0.0) for b, c in zip(bm25, best, strict=True)])
        bm25_top = np.array(
            [
                float(bool(b) and max(b, key=b.__getitem__) == self._labels[c])
                for b, c in zip(bm25, best, strict=True)
            ]
        )
        features = np.column_stack(
            [
                d_best,
                d_best - d_second,
                nn_best,
                nn_best - nn_other,
                *reject_feats,
                bm25_conf,
                bm25_top,
                scores.unknown,
                foreign,
                [uncovered(i, self._labels[c]) for i, c in enumerate(best)],
            ]
        )
        return features, best

    def _foreign(self, text: str, own: bool = False) -> float:
        """Share of the question's content words that no entry or small-talk text has (the
        reject examples' words do not count: "parkering" is known to the file, not to its
        answers). ``own``: the text is one of those texts; its own words do not count."""
        content = _content_stems(text)
        if not content:
            return 0.0
        seen = self._domain
        unseen = sum(1 for w in content if seen.get(w, 0) - (own and w in content) <= 0)
        return unseen / len(content)

    def _uncovered(self, text: str, label: str, own: bool = False) -> float:
        """Share of the question's content words that the entry ``label`` never uses (in its
        examples, title, keywords or answer): "hans lindberg's email" may find the entry that
        names the signatories, which says nothing about e-mail. ``own``: the text is one of
        the entry's examples; its own words do not count."""
        content = _content_stems(text)
        if not content:
            return 0.0
        vocab = self._vocab.get(label, Counter())
        answer = self._answer_words.get(label, frozenset())
        unseen = sum(1 for w in content if vocab.get(w, 0) - own <= 0 and w not in answer)
        return unseen / len(content)

    def _bm25(self, text: str) -> dict[str, float]:
        """BM25 coverage confidence per entry id (the former engine's judgement)."""
        return {e.id: conf for e, _score, conf in self._bm25_index.rank(text)}

    def _fit_decision(
        self, rows: sparse.csr_matrix, texts: list[str], labels: list[str], resident: list[bool]
    ) -> tuple[DecisionModel | None, Thresholds]:
        """Fit P(in scope) and P(right) on out-of-fold scores of the residents' examples."""
        picked = [i for i, r in enumerate(resident) if r]
        truth = np.array([labels[i] for i in picked])
        reject = np.isin(truth, list(REJECT))
        if len(picked) < 20 or len(set(truth[~reject])) < 2 or reject.all():
            self.report.notes.append("too few examples: no decision model, ranker top-1 only")
            return None, Thresholds(DEFAULT_LOW, DEFAULT_LOW)
        foreign = np.array([self._foreign(texts[i], labels[i] not in REJECT) for i in picked])
        bm25 = [self._bm25(texts[i]) for i in picked]

        def uncovered(row: int, label: str) -> float:
            i = picked[row]
            return self._uncovered(texts[i], label, own=labels[i] == label)

        # Several shuffled fold splits, pooled: each example is a row once per split. One
        # split's bar moved 0.81-0.92 with the split alone (the reject kinds' top tail is a
        # handful of examples); pooled, the models and the bars average over the splits.
        runs = []
        for seed in range(CV_REPEATS):
            oof_labels, oof = Ranker.cross_validated(self._features, rows, texts, labels, seed=seed)
            if oof_labels != self._labels:  # cannot happen (same labels), but stay honest
                raise RuntimeError("cross-validation saw different labels")
            sub = Scores(oof.decision[picked], oof.nearest[picked], oof.unknown[picked])
            runs.append(self._decision_features(sub, bm25, foreign, uncovered))
        feats = np.vstack([f for f, _ in runs])
        best = np.concatenate([b for _, b in runs])
        truth = np.tile(truth, CV_REPEATS)
        reject = np.tile(reject, CV_REPEATS)
        groups = np.tile(np.arange(len(picked)), CV_REPEATS)  # one example's rows stay together
        right = np.array(self._labels)[best] == truth
        scaler = StandardScaler().fit(feats)
        x = scaler.transform(feats)
        if reject.any():
            scope = LogisticRegression(C=1.0, max_iter=1000, solver=SOLVER).fit(x, ~reject)
            p_scope = _oof_proba(x, ~reject, groups)
        else:  # nothing to learn "in scope" from: everything is
            scope = _constant(x, 1.0)
            p_scope = np.ones(len(right))
        inside = ~reject
        right_model = LogisticRegression(C=1.0, max_iter=1000, solver=SOLVER)
        right_model.fit(x[inside], right[inside])
        # Probabilities for the threshold choice come from a second cross-validation of the
        # decision model itself, so the thresholds are not fitted on its own training rows
        # (reject rows never train P(right): theirs comes from the full model).
        p_right = right_model.predict_proba(x)[:, 1]
        p_right[inside] = _oof_proba(x[inside], right[inside], groups[inside])
        thresholds = choose_thresholds(p_scope, p_right, right, reject, truth)
        self.report.oof_top1 = float(right[inside].mean())
        confident = (p_scope >= thresholds.low) & (p_right >= thresholds.high)
        self.report.oof_answer_precision = float(right[confident].mean()) if confident.any() else 0
        oos = truth == OUT_OF_SCOPE
        if oos.any():
            self.report.oof_oos_refused = float((p_scope[oos] < thresholds.low).mean())
        self.report.oof_in_scope_accepted = float((p_scope[inside] >= thresholds.low).mean())
        language = _languages(self._council)
        langs = np.tile([language.get(texts[i], "") for i in picked], CV_REPEATS)
        for lang in ("sv", "en"):
            mine = inside & (langs == lang)
            if mine.any():
                self.report.oof_by_language[lang] = (
                    float(right[mine].mean()),
                    float((p_scope[mine] >= thresholds.low).mean()),
                    float((right & (p_scope >= thresholds.low))[mine].mean()),
                )
        return DecisionModel(scaler, scope, right_model), thresholds

    # ------------------------------------------------------------------ queries

    @property
    def entries(self) -> tuple[KnowledgeEntry, ...]:
        """All entries in file order (e.g. for a topic menu)."""
        return self._entries

    @property
    def council(self) -> Council:
        """The content this knowledge base was built from."""
        return self._council

    def entry(self, entry_id: str) -> KnowledgeEntry | None:
        """The entry with this id (ids come back from callback data), or None."""
        return self._by_id.get(entry_id)

    def related(self, entry: KnowledgeEntry) -> tuple[KnowledgeEntry, ...]:
        """The entries an entry links to, for "läs också" buttons."""
        return tuple(self._by_id[r] for r in entry.related if r in self._by_id)

    def _readings(
        self, texts: Sequence[str], rows: sparse.csr_matrix
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, Scores]:
        """(best column, P(in scope), P(right), scores) of each reading of a question, in one
        batch (a long message's sentences cost one call, not one each)."""
        scores = self._ranker.scores(texts, rows)
        foreign = np.array([self._foreign(t) for t in texts])
        feats, best = self._decision_features(
            scores,
            [self._bm25(t) for t in texts],
            foreign,
            lambda row, label: self._uncovered(texts[row], label),
        )
        if self._decision_model is None:
            return best, np.ones(len(texts)), np.ones(len(texts)), scores
        p_scope, p_right = self._decision_model.probabilities(feats)
        return best, p_scope, p_right, scores

    def probability(
        self, text: str, rows: sparse.csr_matrix | None = None
    ) -> tuple[str, float, float, list[str]]:
        """(best label, P(in scope), P(it is right), other labels best first) for a question.

        A message of several sentences is also read sentence by sentence (context first,
        question last, or the other way round); the reading most likely to be answered right,
        P(in scope) · P(right), counts. ``rows``: the features of ``[text, *sentences]`` when
        the caller has them already.
        """
        texts = [text, *_sentences(text)]
        if rows is None:
            rows = self._features.transform(texts)
        keep = [0, *(i + 1 for i in _question_sentences(texts[1:]))]
        texts = [texts[i] for i in keep]
        best, p_scope, p_right, scores = self._readings(texts, rows[keep])
        pick = int(np.argmax(p_scope * p_right))  # the first best: ties go to the whole text
        label = self._labels[int(best[pick])]
        decision = np.where(self._candidate, scores.decision[pick], -np.inf)
        order = [self._labels[i] for i in np.argsort(-decision) if self._candidate[i]]
        others = [lab for lab in order if lab != label]
        return label, float(p_scope[pick]), float(p_right[pick]), others

    def answer(self, text: str, locale: str = "sv") -> Answer:
        """The band, entry and alternatives for a resident's question.

        Retrieval is bilingual whatever ``locale`` is (people mix languages); the handler uses
        ``locale`` to pick ``entry.answer.get(locale)``.
        """
        texts = [text, *_sentences(text)]
        rows = self._features.transform(texts)
        # Recall first: a danger told after a paragraph of context is judged on its own too.
        emergency = self.emergency.any_emergency(texts, rows)
        close = emergency and is_close_violence(text)
        if not text.strip():
            return Answer(None, 0.0, emergency=emergency, close_violence=close)
        label, p_scope, p, others = self.probability(text, rows)
        other_entries = [self._by_id[o] for o in others if o in self._by_id]
        low, high = self.thresholds.low, self.thresholds.high

        def reply(
            entry: KnowledgeEntry | None,
            band: Band,
            alternatives: Sequence[KnowledgeEntry] = (),
            small_talk: SmallTalk | None = None,
        ) -> Answer:
            return Answer(
                entry, p, band, tuple(alternatives), emergency, close, small_talk, p_scope
            )

        if label in self._small_talk and p_scope >= low:
            if p >= SMALL_TALK_MIN:
                return reply(None, "small_talk", small_talk=self._small_talk[label])
            # A real question that merely reads like small talk ("… ok to use that?"): never
            # a greeting; the best entry, as a guess.
            if other_entries:
                return reply(other_entries[0], "hedge", other_entries[1 : 1 + HEDGE_ALTERNATIVES])
        entry = self._by_id.get(label)
        if entry is not None and p_scope >= low and p >= high:
            return reply(entry, "answer", other_entries[:MAX_ALTERNATIVES])
        if entry is not None and p_scope >= low:
            return reply(entry, "hedge", other_entries[:HEDGE_ALTERNATIVES])
        hints: list[KnowledgeEntry] = []
        if p_scope >= self.thresholds.hint:
            hints = ([entry] if entry else []) + other_entries
        return reply(None, "dont_know", hints[:MAX_ALTERNATIVES])


def _sentences(text: str) -> list[str]:
    """The sentences of a message of several (none for a one-sentence message), each of at
    least ``MIN_SENTENCE_WORDS`` words: each is a reading of its own."""
    pieces: list[str] = []
    for piece in _SENTENCE.split(text.strip()):
        # A short tail after a question qualifies it ("… på ersboda? datum o tid", "…? tack"):
        # read alone, the question would lose what it asks for.
        if pieces and pieces[-1].rstrip().endswith("?") and len(piece.split()) <= MAX_TAIL_WORDS:
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    sentences = [s for s in pieces if len(s.split()) >= MIN_SENTENCE_WORDS]
    return sentences if len(sentences) > 1 else []


def _question_sentences(sentences: Sequence[str]) -> list[int]:
    """Indexes of the sentences that are readings of the question: those that ask (end in
    "?") when the message asks anything, else all. A sentence of context ("just moved here
    for work") is no question of its own: read alone it may look like one the content
    answers while the question asked ("how do I get a personnummer?") is not."""
    asking = [i for i, s in enumerate(sentences) if s.rstrip().endswith("?")]
    return asking if asking else list(range(len(sentences)))


def _languages(council: Council) -> dict[str, str]:
    """The language each example question of the file is listed under."""
    sections = [e.examples for e in council.knowledge] + [s.examples for s in council.small_talk]
    return {text: lang for examples in sections for lang, text in examples.all()}


def _content_stems(text: str) -> frozenset[str]:
    """Swedish stems of a text's content words (no function words)."""
    return frozenset(stem_sv(w) for w in words(text) if w not in STOPWORDS)


def _constant(features: np.ndarray, value: float) -> LogisticRegression:
    """A 'model' that always says ``value`` (fitted on two made-up rows, so sklearn's API holds)."""
    model = LogisticRegression()
    x = np.zeros((2, features.shape[1]))
    model.fit(x, np.array([False, True]))
    model.coef_[:] = 0.0
    model.intercept_[:] = np.log(value / (1 - value)) if 0 < value < 1 else 30.0
    return model


def _oof_proba(features: np.ndarray, right: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Out-of-fold probabilities of the decision model (for choosing thresholds); the rows
    of one example (``groups``: one row per pooled fold split) are held out together."""
    from sklearn.model_selection import StratifiedKFold

    proba = np.zeros(len(right))
    _, first = np.unique(groups, return_index=True)  # each example's first row
    label = right[first]
    n_splits = min(DECISION_FOLDS, int(min(label.sum(), (~label).sum())))
    if n_splits < 2:
        return np.full(len(right), float(right.mean()))
    splitter = StratifiedKFold(n_splits, shuffle=True, random_state=0)
    for _, held in splitter.split(first, label):
        test = np.isin(groups, groups[first[held]])
        model = LogisticRegression(C=1.0, max_iter=1000, solver=SOLVER)
        model.fit(features[~test], right[~test])
        proba[test] = model.predict_proba(features[test])[:, 1]
    return proba


def choose_thresholds(
    p_scope: np.ndarray,
    p_right: np.ndarray,
    right: np.ndarray,
    reject: np.ndarray,
    kinds: np.ndarray | None = None,
) -> Thresholds:
    """The documented band procedure, on out-of-fold probabilities.

    ``low`` (on P(in scope)): the smallest value that keeps all but ``MAX_OOS_ANSWERED`` of
    each kind of reject example (``kinds``, the label per row: out of scope, unknown; they
    must get "vet inte", never a hedge) below it, so the hardest kind sets the bar: pooled, a
    batch of easy out-of-scope examples added to the file lowered it (0.88 -> 0.81) and let
    more in-domain questions the content cannot answer through. ``DEFAULT_LOW`` without any.
    ``high`` (on P(right)): among the examples that pass
    ``low`` (a reject example that passes counts as a wrong answer), the smallest value at
    which the answers given without a hedge are right at least ``ANSWER_PRECISION`` of the
    time (everything between is hedged). ``hint``: the P(in scope) that ``HINT_QUANTILE`` of
    the reject examples stay below (no topic buttons under it).
    """
    if reject.any():
        masks = [reject] if kinds is None else [reject & (kinds == k) for k in set(kinds[reject])]
        low = max(float(np.quantile(p_scope[m], 1 - MAX_OOS_ANSWERED)) for m in masks)
        hint = float(np.quantile(p_scope[reject], HINT_QUANTILE))
    else:
        low = hint = DEFAULT_LOW
    passed = p_scope >= low
    high = 1.0
    for t in np.unique(p_right[passed]):
        chosen = passed & (p_right >= t)
        if chosen.any() and right[chosen].mean() >= ANSWER_PRECISION:
            high = float(t)
            break
    return Thresholds(low, high, min(hint, low))
