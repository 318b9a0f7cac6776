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

from bot.textnorm import fold

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

# Someone close: partners, exes, family, next door. "man", "kille", "tjej" and "guy" count only
# with a possessive ("min man", "hennes kille"): "en man med kniv" is a stranger.
_CLOSE_PERSON = (
    r"(sambo|sambon|pojkvan|pojkvannen|flickvan|flickvannen|partner|partnern|ex|exet|"
    r"expojkvan|expojkvannen|exflickvan|exman|exmannen|exmake|exmaken|exfru|exfrun|exsambo|"
    r"exsambon|exkille|exkillen|extjej|extjejen|make|maken|fru|frun|hustru|hustrun|pappa|"
    r"pappan|mamma|mamman|farsan|morsan|styvpappa|styvpappan|styvmamma|styvmamman|foraldrar|"
    r"foraldrarna|bror|brorsan|brodern|syster|systern|syrran|sonen|dottern|granne|grannen|"
    r"boyfriend|girlfriend|husband|wife|partner|ex|exboyfriend|exgirlfriend|exhusband|exwife|"
    r"ex boyfriend|ex girlfriend|ex husband|ex wife|ex partner|fiance|fiancee|spouse|dad|"
    r"father|mum|mom|mother|stepdad|stepfather|stepmother|stepmom|brother|sister|son|"
    r"daughter|parents|uncle|neighbour|neighbor|roommate|flatmate)"
)
_POSSESSIVE = r"(min|mitt|mina|hennes|hans|sin|sitt|sina|din|my|her|his|our|their|your)"
_CLOSE_REF = (
    rf"(?:\b(?:{_POSSESSIVE} )?{_CLOSE_PERSON}\b|\b{_POSSESSIVE} (?:man|mannen|kille|killen|"
    r"tjej|tjejen|guy|bf|gf)\b)"
)
# Hurting or threatening in the present tense, and whom.
_HURTS_SV = (
    r"(slar|sparkar|stryper|hotar|misshandlar|knuffar|valdtar|attackerar|knivhugger|"
    r"skadar|nyper|biter|kvaver|tar strypgrepp pa|haller fast|slar ihjal)"
)
_VICTIM_SV = (
    r"(mig|oss|henne|honom|dem|dom|mamma|pappa|min|mitt|mina|sin|sitt|sina|barnen|barnet|"
    r"syrran|brorsan|lillebror|lillasyster)\b"
)
_HURTS_EN = (
    r"(hits|beats|kicks|punches|slaps|chokes|strangles|threatens|hurts|abuses|attacks|rapes|"
    r"pushes|shoves|stabs|batters|assaults|bites|keeps hitting|keeps beating|won t stop hitting|"
    r"hurting|abusing|punching|slapping|kicking|choking|strangling|hitting|beating|threatening)"
)
_VICTIM_EN = r"(me|us|her|him|them|my|our|his|the kids|mum|mom|mother|dad)\b(?! out\b)"

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
    # Someone close hurting or threatening, told in the present ("min man slår mig", "pappa
    # slår mamma", "exet hotar mig", "han stryper mig").
    rf"{_CLOSE_REF}( \w+){{0,2}} {_HURTS_SV} {_VICTIM_SV}",
    rf"\b(han|hon)( \w+){{0,2}} {_HURTS_SV} (mig|oss)\b",
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
    r"\b(going to|gonna|will|wants to|threatening to|threatens to|says he ll|says she ll) "
    r"(kill|shoot|stab|hurt) (me|us|her|him|you)",
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
    # Someone close hurting or threatening, told in the present ("my husband hits me", "my dad
    # beats my mum", "he chokes me", "I am being abused").
    rf"{_CLOSE_REF}( \w+){{0,2}} {_HURTS_EN} {_VICTIM_EN}",
    rf"\b(he|she)( \w+){{0,2}} {_HURTS_EN} (me|us)\b",
    r"\b(i am|i m|im|we are|we re) being (abused|beaten|hit|hurt|strangled|choked|stalked|"
    r"raped|held|locked in|kept)\b",
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
# Said outright that nothing is going on ("inget händer nu", "not urgent"): background, and its
# "nu"/"now" is no sign of danger now.
_CALM = re.compile(
    r"\b((det )?(hander|pagar) inget( nu)?|inget (hander|pagar)( nu)?|(e|ar|det e|det ar) inte "
    r"akut( nu)?|inte akut|ej akut|nothing (is )?(happening|going on)( now)?|not happening "
    r"(now|anymore)|(it s|its|is) not (urgent|an emergency)( now)?|not urgent|(it s|its|it is) "
    r"over( now)?|(det )?(e|ar) over( nu)?)\b"
)
# Asking what to do about something already found ("kom hem från semestern o nån har brutit sig
# in"): for the classifier only, which reads "nu" in "vad gör vi nu" as a sign of danger. The
# patterns are precise and keep their own reading.
_AFTER_THE_FACT = re.compile(
    r"\b(kom hem|kommit hem|kom tillbaka|came home|come home|got home|got back|came back|"
    r"upptackte|upptackt|discovered|found out)\b"
)
# Asking what the rules are ("is it legal to fly a drone over the lake", "får man bada i älven"):
# for the classifier, no alarm; a danger in the same message still meets the patterns.
_RULES_QUESTION = re.compile(
    r"\b((is|are) (it|they|we|you) (legal|illegal|allowed|ok|okay|permitted) to|am i allowed "
    r"to|are we allowed to|(ar|e) (det|de) (lagligt|olagligt|tillatet|forbjudet|ok) att|"
    r"far man)\b"
)
_ADVICE_NOW = re.compile(
    r"\b(vad (gor|ska|bor) (jag|vi|man|hon|han)( gora)? nu|what (do|should|can) (i|we|they) "
    r"do now)\b"
)
# Asking the bot for help with something ("can you help me with", "hjälp mig förstå"): not a
# cry for help.
_NOT_A_CRY = re.compile(
    r"\b((can|could|will|would|do) (you|u) help (me|us)|(you|u) (can )?help (me|us)|"
    r"help (me|us) (with|to|understand|find|write|fix|figure|get|know|out|choose|read|learn)|"
    r"hjalp (mig|oss) (med|att|forsta|hitta|skriva|fa|veta|valja|lasa|formulera)|"
    # and figures of speech: "det slår mig att …" (it strikes me), "it beats me", "hit me up"
    r"(det|som) (slar|slog) mig|(slar|slog) mig (att|som)|(it|that|this) beats me|"
    r"beats me (why|how|what)|hits? me up|(this|that|it) (is|s) killing me)\b"
)
# Ways to be reached ("Ring mig på 070-…", "mejla mig på …"): addresses and numbers carry no
# sign of danger, but the classifier reads digits and "ring" as alarm (a false 112 before a
# question about the council).
_CONTACT_DETAILS = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://\S+|www\.\S+|"
    r"(\+46|\b0)[\d\s-]{6,}\d|\b\d{2,4}[-\s]\d{2,3}\s?\d{2}\s?\d{2}\b"
)
_CONTACT_REQUEST = re.compile(
    r"\b((ring|ringa|sms a|smsa|messa|mejla|maila|mejl|mail|kontakta|na|svara) (mig|oss|tillbaka)"
    r"( garna| snalla)?( pa| via| till| pa nummer)?|(call|text|email|e mail|mail|phone|contact|"
    r"reach|message) (me|us)( back)?( please)?( at| on| via)?|(mitt )?(nummer|telefonnummer|"
    r"mejl|mejladress|mail|e post)( ar| e)?|(my )?(number|phone number|email|e mail)( is)?)\b"
)


def _normalise(text: str) -> str:
    folded = fold(text).replace("'", " ").replace("’", " ")
    return re.sub(r"[^\w!]+", " ", folded).strip()


def _says_now(norm: str) -> bool:
    """Whether a normalised text says the danger is now (not in a calm statement)."""
    return bool(_NOW.search(_CALM.sub(" ", norm)))


def _hypothetical(text: str) -> bool:
    """Past, habitual, hypothetical or calm framing, and nothing saying it happens now."""
    norm = _normalise(text)
    return bool(_NOT_NOW.search(norm) or _CALM.search(norm)) and not _says_now(norm)


def _background(text: str) -> bool:
    """What the classifier must not alarm on: ``_hypothetical``, a question about the rules, or
    something found after the fact that asks what to do now."""
    if _hypothetical(text):
        return True
    norm = _normalise(text)
    if _RULES_QUESTION.search(norm) and not _says_now(norm):
        return True
    return bool(_AFTER_THE_FACT.search(norm)) and not _says_now(_ADVICE_NOW.sub(" ", norm))


def for_classifier(text: str) -> str:
    """``text`` without ways to reach the writer (numbers, e-mail and web addresses, "ring mig
    på") and without requests and figures of speech that are no cry for help ("can you help me
    with", "det slår mig att"), which the classifier would read as alarm; the rest is judged."""
    kept = _normalise(_CONTACT_DETAILS.sub(" ", fold(text)))
    return " ".join(_NOT_A_CRY.sub(" ", _CONTACT_REQUEST.sub(" ", kept)).split())


def _judged(text: str) -> str:
    """What the classifier reads: ``text`` itself, or ``for_classifier(text)`` when that took
    contact details out ("" when nothing is left)."""
    judged = for_classifier(text)
    return text if judged == _normalise(text) else judged


def matches_patterns(text: str) -> bool:
    """True when the patterns see danger happening now."""
    norm = _NOT_A_CRY.sub(" ", _normalise(text))
    if not _DANGER.search(norm):
        return False
    return not ((_NOT_NOW.search(norm) or _CALM.search(norm)) and not _says_now(norm))


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
        score = np.where([_background(t) for t in texts], -np.inf, score)
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
        features when the caller has them already. Ways to reach the writer are not judged
        (``for_classifier``): then ``row`` is recomputed."""
        if self._ranker is None:
            return float("-inf")
        judged = _judged(text)
        if not judged:
            return float("-inf")
        if judged != text:
            row = None
        return float(self._combine(self._ranker.scores([judged], row))[0])

    def any_emergency(self, texts: Sequence[str], rows: sparse.csr_matrix) -> bool:
        """Whether any of ``texts`` (a message, then its sentences; ``rows`` their features) is
        an emergency, as ``is_emergency`` judges a question, in one batch. A sentence of a
        message that is calm, past or hypothetical as a whole ("inget händer nu. ska hon ringa
        112?") is judged by the patterns alone."""
        if any(matches_patterns(t) for t in texts):
            return True
        if self._ranker is None:
            return False
        judged = [_judged(t) for t in texts]
        keep = [i for i, j in enumerate(judged) if j]
        if not keep:
            return False
        inputs = [judged[i] for i in keep]
        changed = any(j != t for j, t in zip(judged, texts, strict=True))
        # Contact details taken out: the features are computed afresh.
        scores = self._combine(self._ranker.scores(inputs, None if changed else rows[keep]))
        if _background(texts[0]):  # the whole message is calm, past or hypothetical
            return False
        return any(
            score >= self.threshold and not _background(texts[i])
            for i, score in zip(keep, scores, strict=True)
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
        return self.score(text, row) >= limit and not _background(text)


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


# Hurting or threatening, any tense (a past one still gets the support lines): with someone close
# as ``_CLOSE_REF``, or heard through a wall (only blows: "a knife in the flat" is no sign of
# violence by someone close). Falls and heart attacks are not violence.
_VIOLENCE = re.compile(
    r"\b(sla|slar|slog|slagit|slagen|slagna|misshandl\w*|hotar|hotade|hotat|hotet|hoten|hotfull\w*|"
    r"hot mot|stryp\w*|sparka\w*|knuffa\w*|vald|valdet|valdsam\w*|valdt\w*|doda|dodar|morda|"
    r"kniv\w*|yxa|pistol|vapen|hits?|hitting|beats?|beating|beaten|kick(s|ed|ing)?|punch\w*|"
    r"slap\w*|chok(e|es|ed|ing)|strangl\w*|threat\w*|hurt(s|ing)? (me|us|her|him)|abus\w*|"
    r"violen\w*|rap(e|es|ed|ing)|kill|stab\w*|assault\w*|attack(s|ed|ing)|knife|gun|axe)\b"
)
_BLOWS = re.compile(
    r"\b(sla|slar|slog|slagit|slagen|slag|misshandl\w*|hits?|hitting|beats?|beating|beaten|"
    r"thuds?)\b"
)
_THROUGH_WALL = re.compile(
    r"\b(vaggen|vaggarna|genom vaggen|lagenheten bredvid|grannarna|grannen|wall|walls|"
    r"next door|neighbours|neighbors)\b"
)
_NOT_VIOLENCE = re.compile(
    r"\b(slog i|slagit i|slar i|hit (his|her|my|their) head|hit by a|heart attack|panic attack|"
    r"(ta|tar|tog) livet av (sig|mig)|kill (himself|herself|myself|themselves)|slag i)\b"
)
_CLOSE = re.compile(_CLOSE_REF)
# "he hits me", "han slår mig": a habit in the present, told of someone the writer knows.
_HE_HURTS_ME = re.compile(
    rf"\b(han|hon)( \w+){{0,2}} {_HURTS_SV} (mig|oss)\b|"
    rf"\b(he|she)( \w+){{0,2}} {_HURTS_EN} (me|us)\b"
)


def is_close_violence(text: str) -> bool:
    """Threats or violence by someone close (partner, ex, family, next door), now or in the
    past: such a message also gets the support lines (Kvinnofridslinjen, Brottsofferjouren)."""
    norm = _NOT_VIOLENCE.sub(" ", _normalise(text))
    if (_CLOSE.search(norm) and _VIOLENCE.search(norm)) or _HE_HURTS_ME.search(norm):
        return True
    return bool(_THROUGH_WALL.search(norm) and _BLOWS.search(norm))


_QUESTION_START = re.compile(
    r"^(vad|vem|vems|vilka|vilken|vilket|hur|var|vart|varfor|nar|kan|far|ska|finns|gor|har|ar|"
    r"what|who|whose|which|how|where|when|why|can|could|do|does|did|is|are|will|should|would)\b"
)


def asks_question(text: str) -> bool:
    """Whether a message asks something (a sentence ending in "?" or opening with a question
    word): after the 112 block only such a message may get an ordinary answer."""
    if "?" in text:
        return True
    return any(
        _QUESTION_START.search(_normalise(sentence))
        for sentence in re.split(r"[.!\n]+|,", text)
        if sentence.strip()
    )
