"""Spot messages about ongoing danger so the bot answers "ring 112" before anything else.

Two detectors, either one is enough (a missed emergency is far worse than a false alarm):

- ``EmergencyDetector``, a classifier learned from the council file's ``emergency_examples``
  (everyday phrasings of violence, threats, fire, overdose, being followed, a child in danger,
  in both languages) against every other example in the file. Its threshold is chosen for
  recall first: out-of-fold, at least ``RECALL_TARGET`` of the emergency examples reach it;
- the patterns below, which look for danger happening now and skip plainly hypothetical or
  past-tense questions ("hur anmäler jag ett inbrott som hänt"). Text is diacritic-folded.

``is_emergency(text)`` (used inside dialogues, e.g. handlers/feedback.py) uses the detector the
knowledge base installed with ``use_detector`` (at start-up and on every content reload) and
falls back to the patterns alone before that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from bot.textnorm import fold, tokens

if TYPE_CHECKING:
    from scipy import sparse

    from bot.ranker import Features, Scores

#: Out-of-fold share of the emergency examples the classifier's threshold must catch (with
#: the patterns): for free-text questions, and for texts written inside a dialogue (feedback
#: about unsafe places sounds alarming; measured false alarms on it are the reason).
RECALL_TARGET = 0.98
DIALOGUE_RECALL_TARGET = 0.9
EMERGENCY = "emergency"
OTHER = "other"

# Patterns run on folded, lower-case text with single spaces.
_DANGER_SV = [
    r"inbrott (pagar|just nu|nu\b)",
    r"pagaende (inbrott|brand|misshandel|ran|brott)",
    r"(bryter|brot|tar) sig in (hos|i|pa|genom|just|nu)",
    r"(forsoker|forsok) (ta sig|bryta sig|komma) in",
    r"(nagon|han|hon|de|dom|dem|en kille|en man|nan) (bryter sig in|forsoker ta sig in)",
    r"\bblir (slagen|misshandlad|knivhuggen|hotad|ranad|nedslagen|attackerad|"
    r"forfoljd|overfallen|valdtagen|skjuten|strypt)",
    r"\b(slar|sparkar|misshandlar|knivhugger|stryper|attackerar|skjuter|ranar) "
    r"(henne|honom|mig|oss|dem|dom|nagon|en|ett|min|mitt|mina|barnet|barnen|ihjal)",
    r"\bdet brinner\b",
    r"\bbrinner (i|pa|det)\b",
    r"\b(har|med|viftar med|drog|drar) (en |ett )?(kniv|pistol|vapen|gevar|yxa|machete)",
    r"\bskottlossning\b",
    r"\b(skjuter|skjuts|skott) (nu|just nu|har|utanfor|vid|pa)\b",
    r"\bhot mot liv",
    r"\b(hotar|ska|kommer|vill|tanker) (att )?(doda|morda|skjuta|knivhugga) "
    r"(mig|oss|henne|honom|dig|barnen)",
    r"\bhotar (mig|oss|henne|honom) med",
    r"\b(andas inte|medvetslos|bloder)\b",
    r"\b(ta livet av mig|tar livet av mig|vill do|vill inte leva)\b",
    r"\b(forfoljd|forfoljer mig|foljer efter mig)\b",
    r"\b(jag|vi) (ar|blir) (i fara|hotad|hotade|instangd)",
    r"\bknivhuggen|knivhuggit|blivit skjuten\b",
    r"\b(ranar) (mig|oss|butiken|affaren)",
    r"\bjag blir ranad\b",
    r"\bkom fort\b",
    r"\bhjalp (han|hon|de|dom|nagon|mig)\b",
    # Danger that is not violence: gas, smoke, water, a body that does not respond, a crash
    # with injured, someone about to jump.
    r"\b(luktar|lukt av|stinker|stank av|osar) (\w+ ){0,2}(gas|gasol)\b",
    r"\bgas(lukt|lacka|lackage|en lacker)\b|\blacker (det )?gas\b|\bpyser (ur|fran) en gas",
    r"\b(drunknar|drunknat|hall(er)? pa att drunkna|(gatt|gick|gar|ramlat) (genom|igenom) isen)\b",
    r"\b(ska|tanker|hotar (med )?att|vill|kommer att) hoppa (fran|ner|ut|framfor)",
    r"\b(roken|rok) (tranger|valler|kommer|sprider)|\bfull(t)? (av|med) rok\b|\bdet ryker\b",
    r"\b(ligger livlos|ror sig inte|kollapsat|kollapsade|gar inte att vacka|svarar inte och andas)",
    r"\b(har fatt |far )?kramper\b|\bhjartstopp\b|\bkan inte andas\b",
    r"\b(krock|krockat|krockade|olycka|pakord|pakorda|kort pa|kort over)\b.*"
    r"\b(skadad|skadade|bloder|ligger|fast|medvetslos|ror sig inte)\b",
]
_DANGER_EN = [
    r"\b(is|are|s|re) (attacking|hitting|beating|stabbing|shooting|strangling|choking|"
    r"raping|robbing|following|chasing|threatening) (me|her|him|us|them|someone|my|a|the)",
    r"\b(attacking|hitting|beating|stabbing) (me|her|him|us)\b",
    r"\b(there s|there is|theres) (a )?fire\b",
    r"\b(on fire|is burning|are burning|house fire|building is burning)\b",
    r"\bfire in (my|the|our)\b",
    r"\b(has|have|with|holding|waving) (a )?(knife|gun|pistol|weapon|rifle|machete|axe)",
    r"\b(man|guy|someone|person|people) with (a )?(knife|gun|pistol|weapon)",
    r"\b(shots fired|shooting|gunshots?|being shot)\b",
    r"\b(breaking|broke|trying to get|trying to break) in(to)?\b.*\b(now|right now)\b",
    r"\b(is|are|s|re) breaking in(to)?\b",
    r"\bbreak ?in in progress\b",
    r"\b(going to|gonna|will|wants to|threatening to) (kill|shoot|stab|hurt) (me|us|her|him|you)",
    r"\b(stabbed|been shot|is bleeding|bleeding badly|not breathing|unconscious)\b",
    r"\b(kill myself|end my life|suicide)\b",
    r"\bhelp (he|she|they|someone|me)\b",
    r"\b(i am|i m|im|we are|we re) (in danger|being (attacked|followed|robbed|threatened))",
    r"\bi m being\b|\bim being\b",
    r"\b(smells?|smelling|stinks?|reeks?) (of|like) gas\b|\bgas (smell|leak)|\bleaking gas\b",
    r"\bgas is (hissing|leaking|coming)",
    r"\b(drowning|drowned|(fell|went|gone) through the ice)\b",
    r"\b(going to|gonna|about to|wants to|threatening to|will|ll) jump (off|from|in front)",
    r"\bsmoke (is )?(coming|pouring|everywhere|filling)|\bfull of smoke\b",
    r"\b(collapsed|passed out|unresponsive|not responding|not moving|out cold|lifeless)\b",
    r"\b(won t|wont|can t|cant|cannot) wake (him|her|them)\b",
    r"\b(heart attack|having a seizure|cardiac arrest|can t breathe|cant breathe|choking)\b",
    r"\b(crash|crashed|accident|hit by a car|run over|hit and run|hit a)\b.*"
    r"\b(injured|hurt|bleeding|trapped|lying|unconscious|not moving|getting up)\b",
]
_DANGER = re.compile("|".join(f"(?:{p})" for p in _DANGER_SV + _DANGER_EN))

# Past, habitual or hypothetical framing, unless the message also says it is happening now.
_NOT_NOW = re.compile(
    r"\b(hur anmaler|anmala|anmalan|igar|forra veckan|i somras|har hant|som hant|"
    r"vad gor man om|vad ska man gora om|vad gor jag om|om nagon|ibland|brukar|"
    r"what should i do if|what do i do if|if someone|how do i report|yesterday|last week|"
    r"sometimes|used to|i morse|forra helgen|i helgen|igar kvall|last night|this morning|"
    r"last weekend|over the weekend|forra aret|i fjol|forra manaden|forra sommaren|i vintras|"
    r"i varas|i hostas|last year|last summer|last month|last winter|years ago|ar sedan|ar sen)\b"
)
_NOW = re.compile(r"\b(nu|just nu|pagar|hjalp|now|right now|help|happening)\b|!")


def _normalise(text: str) -> str:
    folded = fold(text).replace("'", " ").replace("’", " ")
    return re.sub(r"[^\w!]+", " ", folded).strip()


def _hypothetical(text: str) -> bool:
    """Past, habitual or hypothetical framing, and nothing saying it happens now."""
    norm = _normalise(text)
    return bool(_NOT_NOW.search(norm)) and not _NOW.search(norm)


def matches_patterns(text: str) -> bool:
    """True when the patterns see danger happening now."""
    norm = _normalise(text)
    if not _DANGER.search(norm):
        return False
    return not (_NOT_NOW.search(norm) and not _NOW.search(norm))


class EmergencyDetector:
    """Learned emergency triage (recall first), or the patterns alone without examples."""

    def __init__(
        self,
        features: Features,
        rows: sparse.csr_matrix,
        texts: Sequence[str],
        positive: Sequence[bool],
    ) -> None:
        """Fit on ``rows`` (``features`` rows of ``texts``); ``positive`` marks emergencies."""
        from bot.ranker import Ranker  # scikit-learn is loaded only when a detector is built

        self.threshold = float("inf")
        self.dialogue_threshold = float("inf")
        self.oof_recall = 0.0
        self.oof_false_alarms = 0.0
        self._ranker: Ranker | None = None
        self._col = 0
        is_positive = np.asarray(positive, dtype=bool)
        if is_positive.sum() < 5 or is_positive.all():
            return
        labels = [EMERGENCY if p else OTHER for p in is_positive]
        self._ranker = Ranker(features, rows, texts, labels, balanced=True)
        self._col = self._ranker.labels.index(EMERGENCY)
        _labels, oof = Ranker.cross_validated(features, rows, texts, labels, balanced=True)
        score = self._combine(oof)
        # Recall first: the highest threshold at which the patterns or the classifier catch
        # at least RECALL_TARGET of the held-out emergency examples (false alarms are measured,
        # not traded against recall).
        patterns = np.array([matches_patterns(t) for t in texts])
        score = np.where([_hypothetical(t) for t in texts], -np.inf, score)
        pos_scores = np.sort(score[is_positive])[::-1]

        def threshold_for(target: float) -> float:
            for t in pos_scores:
                if (patterns[is_positive] | (score[is_positive] >= t)).mean() >= target:
                    return float(t)
            return float(pos_scores[-1])

        self.threshold = threshold_for(RECALL_TARGET)
        self.dialogue_threshold = threshold_for(DIALOGUE_RECALL_TARGET)
        flagged = patterns | (score >= self.threshold)
        self.oof_recall = float(flagged[is_positive].mean())
        self.oof_false_alarms = float(flagged[~is_positive].mean())

    def _combine(self, scores: Scores) -> np.ndarray:
        """Decision value plus how much closer the nearest emergency example is than the
        nearest other one: together they separate better (out-of-fold, at equal recall, about
        half the false alarms of either alone)."""
        other = 1 - self._col
        margin = scores.nearest[:, self._col] - scores.nearest[:, other]
        return np.asarray(scores.decision[:, self._col] + margin)

    def score(self, text: str, row: sparse.csr_matrix | None = None) -> float:
        """The classifier's score (higher: more like an emergency); ``row``: the text's
        features when the caller has them already."""
        if self._ranker is None:
            return float("-inf")
        return float(self._combine(self._ranker.scores([text], row))[0])

    def any_emergency(self, texts: Sequence[str], rows: sparse.csr_matrix) -> bool:
        """Whether any of ``texts`` (a question and its sentences; ``rows`` their features) is
        an emergency, as ``is_emergency`` judges a question, in one batch."""
        if any(matches_patterns(t) for t in texts):
            return True
        if self._ranker is None:
            return False
        scores = self._combine(self._ranker.scores(texts, rows))
        return any(
            score >= self.threshold and not _hypothetical(t)
            for t, score in zip(texts, scores, strict=True)
        )

    def is_emergency(
        self, text: str, row: sparse.csr_matrix | None = None, in_dialogue: bool = False
    ) -> bool:
        """Danger now, by the patterns or by the classifier (unless plainly hypothetical or
        past: "vad gör man om …", "förra veckan", without "nu"/"hjälp").

        ``in_dialogue``: the text answers a dialogue's question (feedback describes unsafe
        places in alarm-like words, which the examples do not cover), so the classifier uses
        its ``DIALOGUE_RECALL_TARGET`` operating point and only judges texts whose words are
        mostly known to it; the patterns apply unchanged.
        """
        if matches_patterns(text):
            return True
        if in_dialogue and (self._ranker is None or self._ranker.unknown_share(text) > 0.5):
            return False  # mostly words no example has ("Efter omstart."): not the model's call
        limit = self.dialogue_threshold if in_dialogue else self.threshold
        return self.score(text, row) >= limit and not _hypothetical(text)


_active: EmergencyDetector | None = None


def use_detector(detector: EmergencyDetector | None) -> None:
    """Make ``detector`` the one ``is_emergency`` uses (the knowledge base calls this)."""
    global _active
    _active = detector


def is_emergency(text: str) -> bool:
    """True when a message inside a dialogue describes danger happening now (112 first)."""
    if _active is not None:
        return _active.is_emergency(text, in_dialogue=True)
    return matches_patterns(text)


# Someone close: partners, exes, family (folded words). Threats and violence from them also get
# the support lines (Kvinnofridslinjen, Brottsofferjouren) under the 112 block.
_CLOSE_WORDS = (
    "sambo sambon sambos pojkvan pojkvannen flickvan flickvannen partner partnern ex exet "
    "expojkvan exflickvan exman exmannen exfru exsambo exkille extjej exkillen extjejen "
    "karlek karleken make maken fru frun man mannen kille killen killar tjej tjejen pappa "
    "pappan mamma mamman styvpappa styvpappan styvmamma foraldrar foraldrarna bror brorsan "
    "syster syrran brorsa granne grannen grannarna grannar vaggen vaggarna lagenheten "
    "boyfriend girlfriend husband wife exboyfriend exgirlfriend exhusband exwife dad father "
    "mum mom mother stepdad stepfather stepmother brother sister family neighbour neighbor "
    "neighbours neighbors wall walls flat apartment "
)
_CLOSE = frozenset(_CLOSE_WORDS.split())


def is_close_violence(text: str) -> bool:
    """A message about danger that names someone close (partner, ex, family, next door)."""
    return bool(_CLOSE.intersection(tokens(text)))
