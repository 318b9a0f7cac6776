"""A learned ranker over residents' example questions (issue #11).

Instead of hand-set weights, the bot learns from the content file: every knowledge entry,
small-talk intent and the out-of-scope list carry example questions in residents' own words.
Features are character n-grams (2–5, on diacritic-folded text: robust to typos, missing å/ä/ö
and compounds) plus words and their Swedish/English Snowball stems (bot.textnorm). Two learners
read them:

- a linear support vector machine over all labels (one-vs-rest; its decision values are the
  main signal; liblinear fits the ~2 000 examples in a third of a second, where a logistic
  regression took 8–11 s for the same accuracy on the development sets);
- the nearest example of each label (cosine similarity), which keeps a rare phrasing that only
  one example shares from being drowned by the label's other examples.

``Ranker.cross_validated`` gives the out-of-fold scores of every example, from which
bot.knowledge fits its decision model and chooses its thresholds, so nothing is tuned by hand.
Everything is pure scikit-learn/numpy; a question costs about a millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from bot.textnorm import STOPWORDS, fold, stem_en, stem_sv, words

#: Regularisation of the classifier: liblinear's default, not tuned to any evaluation set; the
#: decision model and its thresholds (bot.knowledge) are what adapt to the data.
C = 1.0
FOLDS = 5
SEED = 0


def _chars(text: str) -> str:
    """Folded text with single spaces, for character n-grams."""
    return " ".join(fold(text).split())


def word_features(text: str) -> list[str]:
    """Normalised words, their Swedish and English stems, and stem bigrams."""
    tokens = words(text)
    out: list[str] = []
    previous = ""
    for tok in tokens:
        sv = stem_sv(tok)
        out.append(tok)
        out.append("s:" + sv)
        out.append("e:" + stem_en(tok))
        if previous:
            out.append(f"b:{previous}_{sv}")
        previous = sv
    return out


class Features:
    """Char n-gram and word TF-IDF over one content file's texts (fitted once, shared).

    Fitted on every text of the file (the emergency detector's too), so the classifiers and
    their cross-validation reuse one feature matrix instead of re-tokenising per fold; the only
    thing a held-out example shares with training this way is the unsupervised idf weights.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self._chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            preprocessor=_chars,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self._words = TfidfVectorizer(analyzer=word_features, sublinear_tf=True, dtype=np.float32)
        a = self._chars.fit_transform(texts)
        b = self._words.fit_transform(texts)
        self.matrix = _normalise(sparse.hstack([a, b]).tocsr())

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The texts' (l2-normalised) feature rows."""
        a = self._chars.transform(texts)
        b = self._words.transform(texts)
        return _normalise(sparse.hstack([a, b]).tocsr())

    def unknown_share(self, text: str, known: frozenset[str]) -> float:
        """Share of the content words (not function words) whose stem is not in ``known``.

        A question about something the content never mentions ("opening hours of the mall")
        is mostly unknown words, however well its few known words match.
        """
        content = [w for w in words(text) if w not in STOPWORDS]
        if not content:
            return 0.0
        return sum(1 for w in content if stem_sv(w) not in known) / len(content)


def known_stems(texts: Sequence[str]) -> frozenset[str]:
    """Swedish stems of every word of ``texts`` (for ``Features.unknown_share``)."""
    return frozenset(stem_sv(w) for t in texts for w in words(t))


@dataclass(frozen=True, slots=True)
class Scores:
    """Questions' scores per label (columns in the order of ``Ranker.labels``), one row each."""

    decision: np.ndarray  # classifier decision value (higher: more like the label's examples)
    nearest: np.ndarray  # best cosine similarity to one of the label's examples
    unknown: np.ndarray  # per question: share of its content words no training text has


class Ranker:
    """A linear SVM and nearest examples over ``Features`` rows; fit once, query often."""

    def __init__(
        self,
        features: Features,
        rows: sparse.csr_matrix,
        texts: Sequence[str],
        labels: Sequence[str],
        balanced: bool = False,
    ) -> None:
        """Fit on ``rows`` (``features`` rows of ``texts``) labelled ``labels``; ``balanced``
        weighs each label's examples by the inverse of its share (for a rare label)."""
        if rows.shape[0] != len(labels) or not labels:
            raise ValueError("need as many labels as rows, and at least one")
        self.features = features
        self.labels: tuple[str, ...] = tuple(sorted(set(labels)))
        index = {label: i for i, label in enumerate(self.labels)}
        y = np.array([index[label] for label in labels])
        order = np.argsort(y, kind="stable")  # examples grouped by label, for reduceat
        self._examples = rows[order].T.tocsr()  # features × examples
        self._starts = np.searchsorted(y[order], np.arange(len(self.labels)))
        self._known = known_stems(texts)
        self._clf: LinearSVC | None = None
        if len(self.labels) > 1:
            # A fixed seed: liblinear shuffles its coordinates, and an unseeded build of the same
            # content moved the bands (P(right) bar 0.937 vs 0.943 between two start-ups).
            self._clf = LinearSVC(
                C=C, class_weight="balanced" if balanced else None, random_state=SEED
            )
            self._clf.fit(rows, y)

    def unknown_share(self, text: str) -> float:
        """Share of the text's content words that no training text of this ranker has."""
        return self.features.unknown_share(text, self._known)

    def scores(self, texts: Sequence[str], rows: sparse.csr_matrix | None = None) -> Scores:
        """Decision value and nearest-example similarity of every label, per question."""
        if rows is None:
            rows = self.features.transform(texts)
        decision = np.ones((len(texts), 1))
        if self._clf is not None:
            decision = np.asarray(self._clf.decision_function(rows), dtype=float)
            if decision.ndim == 1:  # two labels: one column, for the second label
                decision = np.column_stack([-decision, decision])
        sims = (rows @ self._examples).toarray()
        nearest = np.maximum.reduceat(sims, self._starts, axis=1)
        unknown = np.array([self.features.unknown_share(t, self._known) for t in texts])
        return Scores(decision, nearest, unknown)

    @staticmethod
    def cross_validated(
        features: Features,
        rows: sparse.csr_matrix,
        texts: Sequence[str],
        labels: Sequence[str],
        folds: int = FOLDS,
        balanced: bool = False,
        seed: int = SEED,
    ) -> tuple[tuple[str, ...], Scores]:
        """Out-of-fold scores for every row (each scored by a model that never saw it).

        Labels with fewer examples than folds stay in every training part (they cannot be
        stratified) and get the lowest scores themselves. ``seed`` shuffles the split.
        """
        all_labels = tuple(sorted(set(labels)))
        column = {label: i for i, label in enumerate(all_labels)}
        y = np.array([column[label] for label in labels])
        counts = np.bincount(y, minlength=len(all_labels))
        n_splits = max(2, min(folds, int(counts.max())))
        common = counts[y] >= n_splits
        idx_common = np.flatnonzero(common)
        idx_rare = np.flatnonzero(~common)
        decision = np.full((len(texts), len(all_labels)), -1.0)
        nearest = np.zeros((len(texts), len(all_labels)))
        unknown = np.zeros(len(texts))
        splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        for train_c, test_c in splitter.split(idx_common, y[idx_common]):
            train = np.concatenate([idx_common[train_c], idx_rare])
            test = idx_common[test_c]
            model = Ranker(
                features,
                rows[train],
                [texts[i] for i in train],
                [labels[i] for i in train],
                balanced,
            )
            cols = [column[label] for label in model.labels]
            s = model.scores([texts[i] for i in test], rows[test])
            decision[np.ix_(test, cols)] = s.decision
            nearest[np.ix_(test, cols)] = s.nearest
            unknown[test] = s.unknown
        return all_labels, Scores(decision, nearest, unknown)


def _normalise(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
