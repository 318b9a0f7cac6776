"""BM25 retrieval over the entries' titles, keywords and answers: one feature of the ranker.

This was the whole answer engine until issue #11 (hand-set weights and thresholds);
bot.knowledge now uses its ranking and "coverage" confidence (the share of the question the
entry explains) as one signal among several, next to the learned ranker (bot.ranker).
Normalisation is Swedish-aware (bot.textnorm): diacritic folding, Snowball stems, slang
synonyms, compound splitting and typo correction. Everything is precomputed in
``from_council``; a question costs a few dictionary look-ups.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.content import Council, KnowledgeEntry
from bot.textnorm import (
    OFF_TOPIC_FORMS,
    OFF_TOPIC_STEMS,
    STOPWORDS,
    SYNONYMS,
    TypoIndex,
    build_synonym_map,
    stem_sv,
    stems,
    words,
)

# Field weights: titles and curated keywords say what an entry is about; answer text only hints.
W_TITLE = 3.0
W_KEYWORDS = 3.0
W_ANSWER = 1.0
K1 = 1.2
B = 0.5

# How much a non-exact reading of a word counts.
W_COMPOUND = 0.9
W_COMPOUND_PART = 0.5
W_PLACE = 0.5
W_TYPO = 0.8
PHRASE_BONUS = 0.5
# A keyword phrase made of function words ("går ut", "skrev under") also counts when its words
# occur within this many extra positions of each other, in any order ("när går avtalet ut").
LOOSE_SLACK = 2
# A year in the question names what it asks about: entries without that year in their title or
# keywords are ranked down (their answers may still mention it in passing).
YEAR = re.compile(r"^(19|20)\d\d$")
YEAR_MISS = 0.6
EXACT_BONUS = 1.0
W_PHRASE_WORD = 1.0
DEFINITION_BOOST = 1.3
DEFINITION_CUE = re.compile(
    r"^ (vad (ar|e|betyder|innebar)|what (is|s|does|are)|whats|define|definition|forklara)\b"
    r"|\b(vad (ar|e) det|vad betyder|what does \w+ mean|menas med|mean by)\b"
)
MIN_PART = 4
# Questions asking for figures, trends, the date of a coming event or the story of an incident
# ("hur många inbrott…", "har brotten ökat", "när kommer polisen…", "varför blev han stoppad")
# want facts a content file rarely holds. Each such
# cue counts as an unexplained word, unless an entry's keyword phrase contains it (an entry
# that does state a number, e.g. "hur många lokala råd", says so in its keywords).
OOV_WEIGHT = 1.0
CUE_WEIGHT = 1.5  # times the weight of an unknown word
INTENT_CUE = re.compile(
    r"\b(hur (manga|mycket|ofta)|how (many|much|often)|antal(et)?|statisti\w*|siffr\w*|figures"
    r"|procent\w*|percent\w*|number of|(ok|minsk)(at|ade)|increased|decreased|went (up|down)"
    r"|(blev|blivit) (det )?(fler|farre)|nar (kommer|ar nasta)|nasta gang|when (will|is the next)"
    r"|what time|vem (tid|dag)|(vad|what) (hande|happened)|varfor (blev|fick)|why (was|were|did))\b"
)

# Decision thresholds (see benchmarks/bench_knowledge.py for their effect).
MIN_COVERAGE = 0.45
MIN_STRONG_COVERAGE = 0.3
MIN_SCORE = 1.5
ALTERNATIVE_RATIO = 0.35
MAX_ALTERNATIVES = 3


@dataclass(frozen=True, slots=True)
class _QueryToken:
    """One content word of a question with the index terms it may stand for."""

    text: str
    variants: Mapping[str, float]  # term -> how much a match counts (1.0 exact)
    weight: float  # importance (idf) of the word in the question
    scale: float = 1.0  # place names count less towards the score


@dataclass(slots=True)
class _Hit:
    score: float = 0.0
    covered: float = 0.0
    strong: float = 0.0
    matched: set[str] = field(default_factory=set)


class Bm25Index:
    """Bilingual retrieval over knowledge entries; build once, query many times."""

    def __init__(
        self,
        entries: Sequence[KnowledgeEntry],
        place_words: Iterable[str] = (),
        synonyms: Mapping[str, Iterable[str]] = SYNONYMS,
    ) -> None:
        """Index ``entries``.

        ``place_words`` (district names) are mentioned in all kinds of questions, so they weigh
        less, and an unknown place name never counts against a question.
        """
        self._entries = tuple(entries)
        self._by_id = {e.id: e for e in self._entries}
        self._synonyms = build_synonym_map(synonyms)
        n = len(self._entries)

        tfs: list[dict[str, float]] = []
        strong_sets: list[set[str]] = []
        self._phrases: list[list[frozenset[str]]] = []
        self._exact: list[tuple[str, int, int]] = []  # (" folded phrase ", entry, length)
        self._loose: list[tuple[tuple[str, ...], int]] = []  # function-word phrases, entry
        surface: set[str] = set()
        field_terms: list[list[tuple[set[str], float]]] = []
        for i, entry in enumerate(self._entries):
            fields: list[tuple[set[str], float]] = []
            phrases: list[frozenset[str]] = []
            for lang in ("sv", "en"):
                title = words(entry.title.get(lang))
                keywords = [words(k) for k in getattr(entry.keywords, lang)]
                answer = words(entry.answer.get(lang))
                for source, weight in (
                    ([title], W_TITLE),
                    (keywords, W_KEYWORDS),
                    ([answer], W_ANSWER),
                ):
                    terms: set[str] = set()
                    for phrase in source:
                        content = [w for w in phrase if w not in STOPWORDS]
                        surface.update(content)
                        for word in content:
                            terms |= stems(word)
                        if weight != W_ANSWER and len(phrase) >= 2:
                            self._exact.append((f" {' '.join(phrase)} ", i, len(phrase)))
                            if len(content) < 2 and len(set(phrase)) == len(phrase):
                                self._loose.append((tuple(phrase), i))
                        if weight == W_KEYWORDS and len(content) >= 2:
                            phrases.append(frozenset(stem_sv(w) for w in content))
                    fields.append((terms, weight))
            field_terms.append(fields)
            self._phrases.append(phrases)

        # Split compounds in the entries too ("cykelstöld" → cykel + stöld), at half weight.
        vocabulary = {t for fields in field_terms for terms, _ in fields for t in terms}
        for fields in field_terms:
            for terms, weight in list(fields):
                parts: set[str] = set()
                for term in terms:
                    for part in self._index_parts(term, vocabulary):
                        parts |= stems(part)
                fields.append((parts - terms, weight * W_COMPOUND_PART))

        # Term frequency = sum of the weights of the fields a term occurs in (so repeating a
        # word in many keywords does not inflate it).
        for fields in field_terms:
            tf: dict[str, float] = {}
            strong: set[str] = set()
            for terms, weight in fields:
                for term in terms:
                    tf[term] = tf.get(term, 0.0) + weight
                if weight >= W_KEYWORDS * W_COMPOUND_PART and weight != W_ANSWER:
                    strong |= terms
            tfs.append(tf)
            strong_sets.append(strong)
        self._strong = [frozenset(s) for s in strong_sets]
        self._definitions = frozenset(
            i
            for i, e in enumerate(self._entries)
            if e.title.sv.startswith("Vad är") or e.title.en.startswith("What is")
        )

        df: dict[str, int] = {}
        for tf in tfs:
            for term in tf:
                df[term] = df.get(term, 0) + 1
        self._idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        # An unknown word weighs like the rarest indexed word: it says the question is about
        # something the entries do not cover (1.0 rather than 0.8 widened the gap between the
        # most confident out-of-scope question and the threshold from 0.01 to 0.06).
        self._oov_idf = OOV_WEIGHT * math.log(1 + (n - 0.5) / 1.5)
        lengths = [sum(tf.values()) for tf in tfs]
        avgdl = sum(lengths) / max(1, n)
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for i, tf in enumerate(tfs):
            norm = K1 * (1 - B + B * lengths[i] / avgdl)
            for term, freq in tf.items():
                weight = self._idf[term] * freq * (K1 + 1) / (freq + norm)
                self._postings.setdefault(term, []).append((i, weight))

        for variants in synonyms.values():
            surface.update(t for v in variants for t in words(v))
        surface.update(t for canonical in synonyms for t in words(canonical))
        self._typos = TypoIndex(surface - STOPWORDS)
        self._places = frozenset(t for w in place_words for t in words(w)) - STOPWORDS
        self._token_cache: dict[str, _QueryToken | None] = {}

    @staticmethod
    def _index_parts(word: str, vocabulary: set[str]) -> list[str]:
        """Two known parts of a compound word in the entries, or nothing."""
        if len(word) < 2 * MIN_PART or word in STOPWORDS:
            return []
        for i in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            left, right = word[:i], word[i:]
            if left.endswith("s") and stem_sv(left) not in vocabulary:
                left = left[:-1]
            if len(left) >= MIN_PART and stem_sv(left) in vocabulary and stems(right) & vocabulary:
                return [left, right]
        return []

    @classmethod
    def from_council(cls, council: Council) -> Bm25Index:
        """Index a council's knowledge entries; district names are neutral words."""
        names: list[str] = []
        for d in council.districts:
            names += [d.name.sv, d.name.en]
            if d.group:
                names += [d.group.sv, d.group.en]
        return cls(council.knowledge, place_words=names)

    @property
    def entries(self) -> tuple[KnowledgeEntry, ...]:
        """All entries in file order (e.g. for a topic menu)."""
        return self._entries

    def entry(self, entry_id: str) -> KnowledgeEntry | None:
        """The entry with this id (ids come back from callback data), or None."""
        return self._by_id.get(entry_id)

    def related(self, entry: KnowledgeEntry) -> tuple[KnowledgeEntry, ...]:
        """The entries an entry links to, for "läs också" buttons."""
        return tuple(self._by_id[r] for r in entry.related if r in self._by_id)

    # ------------------------------------------------------------------ query side

    def _known(self, token: str, swedish: bool = False) -> dict[str, float]:
        """Index terms for a token via its stems or synonyms (exact readings only).

        ``swedish``: only a Swedish stem of at least ``MIN_PART`` letters, for parts of
        compounds (a short stem such as "rekomm|endera" → "end" invents a match).
        """
        found: dict[str, float] = {}
        keys = {token, stem_sv(token)} if swedish else {token, *stems(token)}
        for key in keys:
            if swedish and len(key) < MIN_PART:
                continue
            for term in (key, *self._synonyms.get(key, ())):
                if term in self._idf:
                    found[term] = 1.0
        return found

    def _split(self, token: str) -> list[tuple[str, dict[str, float]]] | None:
        """Split a compound ("knarkproblemen") into two parts, at least one of them known."""
        best: tuple[int, list[tuple[str, dict[str, float]]]] | None = None
        for i in range(MIN_PART, len(token) - MIN_PART + 1):
            left, right = token[:i], token[i:]
            left_terms = self._known(left, swedish=True)
            if not left_terms and left.endswith("s") and len(left) > MIN_PART:
                left = left[:-1]  # linking s: "trygghets|vandring"
                left_terms = self._known(left, swedish=True)
            if left in self._places:
                left_terms = {left: 0.0}  # "ersboda|skolan": the place is neutral, as alone
            right_terms = self._known(right, swedish=True)
            known = (len(left) if left_terms else 0) + (len(right) if right_terms else 0)
            if known and (best is None or known > best[0]):
                best = (known, [(left, left_terms), (right, right_terms)])
        return best[1] if best else None

    def _token(self, token: str) -> _QueryToken | None:
        """Analyse one question word (cached); None for words that carry no topic."""
        if token in self._token_cache:
            return self._token_cache[token]
        result: _QueryToken | None
        variants = self._known(token)
        if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
            result = None
        elif token in OFF_TOPIC_FORMS or (not variants and stems(token) & OFF_TOPIC_STEMS):
            result = _QueryToken(token, {}, 2 * self._oov_idf)
        elif variants:
            scale = W_PLACE if token in self._places else 1.0
            weight = scale * max(self._idf[t] for t in variants)
            result = _QueryToken(token, variants, weight, scale)
        elif token in self._places:
            result = None
        else:
            result = self._fallback(token)
        self._token_cache[token] = result
        return result

    def _fallback(self, token: str) -> _QueryToken:
        """Typo correction, then compound split; otherwise an unknown word."""
        variants: dict[str, float] = {}
        corrected = self._typos.correct(token)
        if corrected is not None:
            variants = {t: W_TYPO for t in self._known(corrected)}
            if variants:
                return _QueryToken(token, variants, max(self._idf[t] for t in variants))
        parts = self._split(token) if 2 * MIN_PART <= len(token) <= 64 else None
        if parts:
            unknown = 0.0
            for part, terms in parts:
                if part in OFF_TOPIC_FORMS or (not terms and stems(part) & OFF_TOPIC_STEMS):
                    # "förskoleplats": an off-topic compound, whatever its other part means.
                    return _QueryToken(token, {}, 2 * self._oov_idf)
                if part in self._places:
                    continue
                if not terms:
                    unknown += self._oov_idf / 2
                for term in terms:
                    variants[term] = W_COMPOUND
            if not variants:  # a place plus an unknown word: the unknown word decides
                return _QueryToken(token, {}, self._oov_idf)
            weight = max(self._idf[t] for t in variants) + unknown
            return _QueryToken(token, variants, weight)
        return _QueryToken(token, {}, self._oov_idf)

    def analyse(self, text: str) -> list[_QueryToken]:
        """The content words of a question (exposed for tests and the benchmark)."""
        seen: set[str] = set()
        result = []
        for tok in words(text):
            if tok in seen:
                continue
            seen.add(tok)
            qt = self._token(tok)
            if qt is not None:
                result.append(qt)
        return result

    def rank(self, text: str) -> list[tuple[KnowledgeEntry, float, float]]:
        """All matching entries as (entry, score, confidence), best first."""
        query = self.analyse(text)
        question = words(text)
        folded = f" {' '.join(question)} "
        exact = [(doc, length, p) for p, doc, length in self._exact if p in folded]
        exact += self._loose_matches(question, {(d, p) for d, _, p in exact})
        cues = {m.group(0) for m in INTENT_CUE.finditer(folded)}
        cue_weight = CUE_WEIGHT * self._oov_idf * len(cues)
        base = sum(q.weight for q in query) + cue_weight
        if base <= 0 and not exact:
            return []
        hits: dict[int, _Hit] = {}
        query_terms: set[str] = set()
        for q in query:
            query_terms.update(q.variants)
            best: dict[int, tuple[float, float, bool]] = {}
            for term, factor in q.variants.items():
                for doc, weight in self._postings.get(term, ()):
                    strong = term in self._strong[doc]
                    old = best.get(doc, (0.0, 0.0, False))
                    best[doc] = (
                        max(old[0], q.scale * factor * weight),
                        max(old[1], factor),
                        old[2] or strong,
                    )
            for doc, (score, factor, strong) in best.items():
                hit = hits.setdefault(doc, _Hit())
                hit.score += score
                hit.covered += q.weight * factor
                if strong:
                    hit.strong += q.weight * factor
        for doc, hit in hits.items():
            for phrase in self._phrases[doc]:
                if phrase <= query_terms:
                    hit.score += PHRASE_BONUS * sum(self._idf.get(t, 0.0) for t in phrase)
        # Function words inside an entry's matched phrase ("vilka är ni") count as part of the
        # question for that entry only: they neither help nor hurt entries without the phrase.
        totals: dict[int, float] = {}
        for doc in {d for d, _, _ in exact}:
            hit = hits.setdefault(doc, _Hit())
            longest = max(length for d, length, _ in exact if d == doc)
            hit.score += EXACT_BONUS * longest
            glue = {w for d, _, p in exact if d == doc for w in p.split() if w in STOPWORDS}
            explained = sum(
                CUE_WEIGHT * self._oov_idf
                for c in cues
                if any(c in p for d, _, p in exact if d == doc)
            )
            hit.covered += W_PHRASE_WORD * len(glue) + explained
            hit.strong += W_PHRASE_WORD * len(glue) + explained
            totals[doc] = base + W_PHRASE_WORD * len(glue)
        years = {w for w in question if YEAR.match(w)}
        if years and any(years <= self._strong[doc] for doc in hits):
            for doc, hit in hits.items():
                if not years <= self._strong[doc]:
                    hit.score *= YEAR_MISS
        if DEFINITION_CUE.search(folded):
            for doc in self._definitions:
                if doc in hits:
                    hits[doc].score *= DEFINITION_BOOST
        # Rank by score times the share of the question explained (like Lucene's "coord"; matches
        # in titles/keywords count double), so an entry matching every word of the question beats
        # one matching a single word very well.
        scored = [
            (
                self._entries[doc],
                hit.score * min(1.0, (hit.covered + hit.strong) / (2 * totals.get(doc, base))),
                self._confidence(hit, totals.get(doc, base)),
            )
            for doc, hit in hits.items()
            if totals.get(doc, base) > 0
        ]
        scored.sort(key=lambda item: -item[1])
        return scored

    def _loose_matches(
        self, question: list[str], seen: set[tuple[int, str]]
    ) -> list[tuple[int, int, str]]:
        """Function-word phrases whose words are all near each other in the question."""
        positions: dict[str, list[int]] = {}
        for i, word in enumerate(question):
            positions.setdefault(word, []).append(i)
        found = []
        for phrase, doc in self._loose:
            if not all(w in positions for w in phrase):
                continue
            key = f" {' '.join(phrase)} "
            if (doc, key) in seen:
                continue
            # The phrase's words must sit within len(phrase) + slack positions of each other.
            first = phrase[0]
            for start in positions[first]:
                window = range(start - len(phrase) - LOOSE_SLACK, start + len(phrase) + LOOSE_SLACK)
                spots = [start] + [
                    min(
                        (p for p in positions[w] if p in window),
                        default=-1,
                        key=lambda p: abs(p - start),
                    )
                    for w in phrase[1:]
                ]
                if -1 not in spots and max(spots) - min(spots) < len(phrase) + LOOSE_SLACK:
                    found.append((doc, len(phrase), key))
                    seen.add((doc, key))
                    break
        return found

    @staticmethod
    def _confidence(hit: _Hit, total: float) -> float:
        """Share of the question explained by the entry; 0 if titles/keywords don't match."""
        coverage = hit.covered / total
        if hit.strong / total < MIN_STRONG_COVERAGE or hit.score < MIN_SCORE:
            return min(coverage, MIN_COVERAGE - 0.01) * 0.5
        return min(1.0, coverage)
