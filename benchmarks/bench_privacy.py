"""Quality and speed of the privacy filters: redaction and the art. 10 (accusation) guard.

Run: .venv/bin/python benchmarks/bench_privacy.py              # development sets (tests/fixtures)
     .venv/bin/python benchmarks/bench_privacy.py --set blind5 # scored set, aggregates only
     .venv/bin/python benchmarks/bench_privacy.py --set blind5 --verbose  # and its misses
     .venv/bin/python benchmarks/bench_privacy.py --set plain  # guard alarms on plain questions
     .venv/bin/python benchmarks/bench_privacy.py --set cv     # guard, out-of-fold on its training

A blind set is sealed until it has been scored once; after that (see benchmarks/blind/RESULTS.md) it
is a development set and --verbose prints its misses. Sets named in SEALED never print texts.

Scoring is the same for every set and works on what would be stored: a secret counts as removed
when its substring (also compared with all whitespace removed) no longer appears in ``redact()``'s
output; a keep item must still appear. The accusation guard counts "accuse" and "unsure" as caught
(neither is stored without a rewrite); a false alarm is an ordinary text that gets either.
A sealed set is never printed: only counts per kind, category and language.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.privacy.accusation import assess  # noqa: E402
from bot.privacy.redact import redact  # noqa: E402

DATA = ROOT / "tests" / "fixtures"
BLIND = {
    "blind5": ROOT / "benchmarks" / "blind" / "privacy-round5.yaml",
    "blind6": ROOT / "benchmarks" / "blind" / "privacy-round6.yaml",
    "blind7": ROOT / "benchmarks" / "blind" / "privacy-round7.yaml",
    "blind8": ROOT / "benchmarks" / "blind" / "privacy-round8.yaml",
    "blind9": ROOT / "benchmarks" / "blind" / "privacy-round9.yaml",
    "blind10": ROOT / "benchmarks" / "blind" / "privacy-round10.yaml",
}
# Sets whose texts are never printed. blind5-10 are scored (RESULTS.md): development sets.
SEALED: frozenset[str] = frozenset()
KEEP_NUMBERS = ("090-16 10 00", "114 14")
HELD_OUT = frozenset(
    {"dev5g", "dev6b", "dev6d", "dev6i", "dev8a"}
)  # never in the guard model's training data
_EN_HINT = re.compile(r"\b(?:the|and|my|is|you|me|i'm|please|call|he|she|at)\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _guess_lang(text: str) -> str:
    return "en" if len(_EN_HINT.findall(text)) >= 2 else "sv"


def dev_redaction() -> list[dict[str, Any]]:
    """The development file in the blind format: one item per text with secrets/keep/kinds."""
    data = _load(DATA / "redaction_examples.yaml")
    items = []
    for ex in data["examples"]:
        pii = ex.get("pii") or []
        items.append(
            {
                "text": ex["text"],
                "lang": ex.get("lang") or _guess_lang(ex["text"]),
                "secrets": [p["text"] for p in pii],
                "kinds": [p["kind"] for p in pii],
                "keep": list(ex.get("keep") or []),
            }
        )
    return items


def dev_accusation() -> list[dict[str, Any]]:
    data = _load(DATA / "accusation_examples.yaml")
    items: list[dict[str, Any]] = []
    for key, label, category in (
        ("accusing", "accuse", "main"),
        ("holdout_accusing", "accuse", "holdout"),
        ("ordinary", "ok", "main"),
        ("holdout_ordinary", "ok", "holdout"),
    ):
        items += [
            {"text": t, "lang": _guess_lang(t), "label": label, "category": category, "batch": key}
            for t in data[key]
        ]
    for key, label in (
        ("dev5_accusing", "accuse"),
        ("dev5_ordinary", "ok"),
        ("dev5b_accusing", "accuse"),
        ("dev5b_ordinary", "ok"),
        ("dev5c_accusing", "accuse"),
        ("dev5c_ordinary", "ok"),
        ("dev5d_accusing", "accuse"),
        ("dev5d_ordinary", "ok"),
        ("dev5e_accusing", "accuse"),
        ("dev5e_ordinary", "ok"),
        ("dev5f_accusing", "accuse"),
        ("dev5f_ordinary", "ok"),
        ("dev5g_accusing", "accuse"),
        ("dev5g_ordinary", "ok"),
        ("dev5h_ordinary", "ok"),
        ("dev6a_accusing", "accuse"),
        ("dev6a_ordinary", "ok"),
        ("dev6b_accusing", "accuse"),
        ("dev6b_ordinary", "ok"),
        ("dev6c_accusing", "accuse"),
        ("dev6c_ordinary", "ok"),
        ("dev6d_accusing", "accuse"),
        ("dev6d_ordinary", "ok"),
        ("dev6e_accusing", "accuse"),
        ("dev6e_ordinary", "ok"),
        ("dev6f_accusing", "accuse"),
        ("dev6f_ordinary", "ok"),
        ("dev6g_accusing", "accuse"),
        ("dev6g_ordinary", "ok"),
        ("dev6i_accusing", "accuse"),
        ("dev6i_ordinary", "ok"),
        ("dev6j_accusing", "accuse"),
        ("dev6j_ordinary", "ok"),
        ("dev8a_accusing", "accuse"),
        ("dev8a_ordinary", "ok"),
        ("dev10w_accusing", "accuse"),
        ("dev10w_ordinary", "ok"),
        ("dev10x_accusing", "accuse"),
        ("dev10x_ordinary", "ok"),
    ):
        items += [{**ex, "label": label, "batch": key.rsplit("_", 1)[0]} for ex in data[key]]
    return items


def plain_texts() -> dict[str, list[str]]:
    """Ordinary language that is no accusation: the content's example questions (knowledge, small
    talk, out of scope; not the emergency ones) — for the guard's false-alarm rate on plain text.
    Some knowledge examples do describe a relative's violence ("min sambo slår mig"): those count
    as flagged here, but the guard is right to keep them out of stored feedback."""
    council = _load(ROOT / "bot" / "councils" / "umea.yaml")

    def strings(node: Any) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, list):
            return [s for x in node for s in strings(x)]
        if isinstance(node, dict):
            return [s for x in node.values() for s in strings(x)]
        return []

    return {
        "knowledge": [s for k in council["knowledge"] for s in strings(k.get("examples", {}))],
        "small_talk": [s for k in council["small_talk"] for s in strings(k.get("examples", {}))],
        "out_of_scope": strings(council["out_of_scope_examples"]),
        "non_emergency": strings(council["non_emergency_examples"]),
    }


def plain_quality(groups: dict[str, list[str]], *, verbose: bool) -> None:
    total = flagged = 0
    print("plain texts (content examples): flagged by the guard")
    for name, texts in groups.items():
        hits = [t for t in texts if not assess(t).stored]
        total += len(texts)
        flagged += len(hits)
        print(f"  {name:<14} {_pct(len(hits), len(texts))}")
        if verbose:
            for text in hits:
                print(f"    FLAGGED {assess(text).reason}/{assess(text).wrong}: {text}")
    print(f"  all            {_pct(flagged, total)}")


def cross_validation(folds: int = 5) -> None:
    """Out-of-fold figures for the guard on its own training texts: the rules' verdict plus the
    gated model trained without the fold (the THRESHOLD in guard_model.py was chosen on these)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from bot.privacy import accusation, guard_model
    from bot.privacy.identifiable import model_may_judge

    texts, labels = guard_model.training_data()
    original = accusation._second_opinion
    accusation._second_opinion = lambda text: None  # the rules alone
    try:
        rules = [not assess(t).stored for t in texts]
    finally:
        accusation._second_opinion = original
    bars = [
        None
        if (bar := model_may_judge(t)) is None
        or (accusation._PRAISE.search(t) and not accusation._valence_done(t))
        else bar
        for t in texts
    ]
    oof = np.zeros(len(texts))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, labels):
        model = guard_model.build()
        model.fit([texts[i] for i in train], [labels[i] for i in train])
        oof[test] = model.predict_proba([texts[i] for i in test])[:, 1]
    flagged = [
        bool(r or (b is not None and float(p) >= b))
        for r, b, p in zip(rules, bars, oof, strict=True)
    ]
    hit = sum(int(f) for f, y in zip(flagged, labels, strict=True) if y)
    alarms = sum(int(f) for f, y in zip(flagged, labels, strict=True) if not y)
    print(f"guard, {folds}-fold cross-validation on accusation_training.yaml (rules + gated model)")
    print(f"  recall        {_pct(hit, sum(labels))}")
    print(f"  false alarms  {_pct(alarms, len(labels) - sum(labels))}")


def _removed(secret: str, output: str) -> bool:
    return secret not in output and _SPACE.sub("", secret) not in _SPACE.sub("", output)


def redaction_quality(items: list[dict[str, Any]], *, sealed: bool) -> None:
    per: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    kept = keep_total = 0
    misses: list[str] = []
    overs: list[str] = []
    for item in items:
        text, lang = item["text"], item.get("lang") or "sv"
        out = redact(text, keep_numbers=KEEP_NUMBERS, locale=lang).text
        secrets = item.get("secrets") or []
        kinds = item.get("kinds") or []
        for i, secret in enumerate(secrets):
            kind = kinds[i] if i < len(kinds) else (kinds[0] if kinds else "?")
            ok = int(_removed(secret, out))
            for key in ((kind, lang), (kind, "*"), ("*", lang), ("*", "*")):
                per[key][0] += ok
                per[key][1] += 1
            if not ok:
                misses.append(f"{kind}: {secret!r} in {out!r}")
        for keep in item.get("keep") or []:
            keep_total += 1
            if keep in out:
                kept += 1
            else:
                overs.append(f"{keep!r} -> {out!r}")
    found, total = per["*", "*"]
    print(f"redaction: {len(items)} texts, {total} secrets, {keep_total} keep items")
    print(f"  recall          {_pct(found, total)}")
    print(f"  over-redaction  {_pct(keep_total - kept, keep_total)}")
    for (kind, lang), (ok, n) in sorted(per.items()):
        if (kind, lang) != ("*", "*"):
            print(f"  recall {kind:<13} {lang:<3} {_pct(ok, n)}")
    if not sealed:
        for line in misses:
            print(f"  MISS {line}")
        for line in overs:
            print(f"  OVER {line}")


def accusation_quality(items: list[dict[str, Any]], *, sealed: bool) -> None:
    caught: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    wrong: list[str] = []
    for item in items:
        text, lang, label = item["text"], item.get("lang") or "sv", item["label"]
        category = str(item.get("category") or "-")
        verdict = assess(text).verdict
        flagged = verdict in ("accuse", "unsure")
        for key in ((label, category, lang), (label, "*", lang), (label, "*", "*")):
            caught[key][0] += int(flagged)
            caught[key][1] += 1
        if flagged != (label == "accuse"):
            wrong.append(f"{label}->{verdict} [{category}/{lang}] {text}")
    acc, ok = caught["accuse", "*", "*"], caught["ok", "*", "*"]
    print(f"accusation: {acc[1]} accusing, {ok[1]} ordinary texts")
    print(f"  recall (accuse or unsure)  {_pct(*acc)}")
    print(f"  false alarms               {_pct(*ok)}")
    for (label, category, lang), (hit, n) in sorted(caught.items()):
        if category == "*" and lang == "*":
            continue
        name = "recall" if label == "accuse" else "false alarms"
        print(f"  {name:<12} {category:<20} {lang:<3} {_pct(hit, n)}")
    if not sealed:
        # dev5g, dev6b, dev6d and dev6i are not in the guard model's training data: the closest
        # thing to unseen text.
        batches: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for item in items:
            flagged = not assess(item["text"]).stored
            b = batches[str(item.get("batch", "-"))]
            if item["label"] == "accuse":
                b[0] += int(flagged)
                b[1] += 1
            else:
                b[2] += int(flagged)
                b[3] += 1
        for name, (hit, n, alarms, m) in batches.items():
            note = "  (held out from the model)" if name in HELD_OUT else ""
            print(f"  batch {name:<18} recall {_pct(hit, n)}  false alarms {_pct(alarms, m)}{note}")
        for line in wrong:
            print(f"  WRONG {line}")


def _pct(hit: int, n: int) -> str:
    return f"{hit / n:6.1%}  ({hit}/{n})" if n else "     -  (0/0)"


def median_us(fn: Callable[[str], object], texts: Iterable[str], rounds: int = 20) -> float:
    """Median over texts of the per-text mean time across rounds, in microseconds."""
    per_text = []
    for text in texts:
        fn(text)  # warm caches
        start = time.perf_counter()
        for _ in range(rounds):
            fn(text)
        per_text.append((time.perf_counter() - start) / rounds * 1e6)
    return statistics.median(per_text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["dev", "plain", "cv", *BLIND], default="dev")
    parser.add_argument(
        "--verbose", action="store_true", help="print misses of a scored (no longer sealed) set"
    )
    args = parser.parse_args()
    if args.set == "cv":
        cross_validation()
        return
    if args.set == "plain":
        plain_quality(plain_texts(), verbose=args.verbose)
        return
    if args.set == "dev":
        red, acc = dev_redaction(), dev_accusation()
        sealed = False
    else:
        if not BLIND[args.set].exists():
            sys.exit(f"{BLIND[args.set].relative_to(ROOT)} is not here (the lead holds it).")
        blind = _load(BLIND[args.set])  # sealed: read by this script only, never printed
        red, acc = blind.get("redaction") or [], blind.get("accusation") or []
        sealed = args.set in SEALED or not args.verbose
    print(f"set: {args.set}")
    redaction_quality(red, sealed=sealed)
    accusation_quality(acc, sealed=sealed)
    if sealed:
        return
    texts = [i["text"] for i in red] + [i["text"] for i in acc]
    print(f"speed over {len(texts)} texts (median of per-text means):")
    print(
        f"  redact()   {median_us(lambda t: redact(t, keep_numbers=KEEP_NUMBERS), texts):8.1f} µs"
    )
    print(f"  assess()   {median_us(assess, texts):8.1f} µs")


if __name__ == "__main__":
    main()
