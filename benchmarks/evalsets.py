"""Evaluation sets and their scoring, shared by the question benchmarks (issue #11).

Sets:
- the sections of tests/fixtures/qa_eval.yaml (development sets: ``SECTIONS``; blind4 is
  sealed: only aggregate figures are ever printed for it);
- blind files under benchmarks/blind/ (``BLIND``), sealed: loaded only when asked for by name
  (``--set``), scored once by the lead, never printed question by question. Their format:
  ``questions: [{q, lang: sv|en, kind: fact|list|howto|unknown|smalltalk|out_of_scope|
  emergency, facts: [str | [alternatives…]]}]``.

Every item becomes ``{q, lang, kind, facts, expect?, accept?}``; ``score`` judges one reply as
a resident would see it (the plain text of the bot's message).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL_FILE = ROOT / "tests" / "fixtures" / "qa_eval.yaml"

#: (label, in-scope section, its out-of-scope section) of qa_eval.yaml.
SECTIONS = (
    ("main", "questions", "out_of_scope"),
    ("holdout", "holdout", "holdout_out_of_scope"),
    ("blind2", "blind2", "blind2_out_of_scope"),
    ("blind3", "blind3", "blind3_out_of_scope"),
    ("blind4", "blind4", "blind4_out_of_scope"),
    ("nearmiss", "", "nearmiss_out_of_scope"),
)
#: Sealed blind files, by set name (never opened unless that set is asked for).
BLIND = {
    "round5": ROOT / "benchmarks" / "blind" / "questions-round5.yaml",
    "round6": ROOT / "benchmarks" / "blind" / "questions-round6.yaml",
    "round7": ROOT / "benchmarks" / "blind" / "questions-round7.yaml",
    "round8": ROOT / "benchmarks" / "blind" / "questions-round8.yaml",
    "round9": ROOT / "benchmarks" / "blind" / "questions-round9.yaml",
    "round10": ROOT / "benchmarks" / "blind" / "questions-round10.yaml",
}
#: Sets whose questions are never printed.
SCORED = ("round5", "round6", "round7", "round8", "round9", "round10")
SEALED = frozenset({"blind4", *(n for n in BLIND if n not in SCORED)})
KINDS = ("fact", "list", "howto", "unknown", "smalltalk", "out_of_scope", "emergency")

DONT_KNOW = ("det vet jag tyvarr inte", "i'm sorry, i don't know", "im sorry, i dont know")
HEDGE = ("jag tror att du undrar over", "i think you are asking about")
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "is",
        "are",
        "my",
        "me",
        "i",
        "you",
        "someone",
        "he",
        "she",
        "they",
        "it",
        "in",
        "on",
        "at",
        "of",
        "to",
        "and",
        "help",
        "now",
        "there",
    ]
)


def load() -> dict[str, Any]:
    """The raw qa_eval.yaml."""
    data: dict[str, Any] = yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))
    return data


def _lang(text: str) -> str:
    """A rough guess for unlabelled messages (qa_eval's emergencies): English words → en."""
    tokens = re.findall(r"[a-z']+", text.lower())
    return "en" if sum(t in _ENGLISH for t in tokens) >= 2 else "sv"


def dev_sets() -> dict[str, list[dict[str, Any]]]:
    """qa_eval.yaml as named sets of uniform items (in-scope, out-of-scope, emergencies)."""
    data = load()
    sets: dict[str, list[dict[str, Any]]] = {}
    for label, in_key, oos_key in SECTIONS:
        items = [
            {
                "q": item["q"],
                "lang": item["lang"],
                "kind": item.get("kind", "fact"),
                "facts": item.get("facts", []),
                "expect": item["expect"],
                "accept": item.get("accept", []),
            }
            for item in data.get(in_key, [])
            if in_key
        ]
        items += [
            {"q": q, "lang": "sv", "kind": "out_of_scope", "facts": []}
            for q in data.get(oos_key, [])
        ]
        sets[label] = items
    sets["emergency"] = [
        {"q": q, "lang": _lang(q), "kind": "emergency", "facts": []} for q in data["emergency"]
    ]
    return sets


def blind_set(name: str) -> list[dict[str, Any]]:
    """A sealed blind file's questions (only call this when that set is asked for)."""
    raw = yaml.safe_load(BLIND[name].read_text(encoding="utf-8"))
    return [
        {"q": i["q"], "lang": i["lang"], "kind": i["kind"], "facts": i.get("facts") or []}
        for i in raw["questions"]
    ]


def fold(text: str) -> str:
    """Case-insensitive, å/ä/ö → a/a/o (all diacritics), whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("’", "'").split())


def has_facts(reply: str, facts: list[Any]) -> bool:
    """Every fact appears in the reply; a list item is satisfied by any of its alternatives."""
    shown = fold(reply)
    for fact in facts:
        options = fact if isinstance(fact, list) else [fact]
        if not any(fold(str(option)) in shown for option in options):
            return False
    return True


def says_dont_know(reply: str) -> bool:
    """The reply is the honest "vet inte" (possibly after the 112 block)."""
    shown = fold(reply)
    return any(marker in shown for marker in DONT_KNOW)


def is_hedge(reply: str) -> bool:
    """The reply is "Jag tror att du undrar över …"."""
    shown = fold(reply)
    return any(marker in shown for marker in HEDGE)


def score(item: dict[str, Any], reply: str, key_facts: list[str] | None = None) -> bool:
    """Whether ``reply`` is right for ``item`` (the rules of the blind protocol).

    ``key_facts``: for development items with an expected entry, the first lines of the
    acceptable entries' answers; one of them must be shown too (the right entry, not just
    words that happen to match).
    """
    kind = item["kind"]
    facts = item.get("facts", [])
    if kind == "emergency":
        first = reply.strip().splitlines()[0] if reply.strip() else ""
        return "112" in first
    if kind == "out_of_scope":
        return says_dont_know(reply)
    if kind == "unknown":
        return says_dont_know(reply) or (bool(facts) and has_facts(reply, facts))
    if says_dont_know(reply):
        return False
    if not has_facts(reply, facts):
        return False
    if key_facts is not None:
        return any(fold(k[:60]) in fold(reply) for k in key_facts if k)
    return True
