"""Quality and speed of the privacy filters on the evaluation sets in tests/fixtures.

Run: .venv/bin/python benchmarks/bench_privacy.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.privacy.accusation import detect_accusation  # noqa: E402
from bot.privacy.redact import find_personal_data, redact  # noqa: E402

DATA = ROOT / "tests" / "fixtures"


def _load(name: str) -> dict[str, Any]:
    with (DATA / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def redaction_quality(data: dict[str, Any]) -> None:
    keep_numbers = data["keep_numbers"]
    per_kind: dict[str, list[int]] = {}
    over = keep_total = 0
    for ex in data["examples"]:
        text = ex["text"]
        hits = find_personal_data(text, keep_numbers=keep_numbers)
        for item in ex.get("pii") or []:
            start = text.index(item["text"])
            end = start + len(item["text"])
            counts = per_kind.setdefault(item["kind"], [0, 0])
            counts[0] += any(h.start <= start and end <= h.end for h in hits)
            counts[1] += 1
        for keep in ex.get("keep") or []:
            start = text.index(keep)
            end = start + len(keep)
            keep_total += 1
            over += any(h.start < end and start < h.end for h in hits)
    found = sum(c[0] for c in per_kind.values())
    total = sum(c[1] for c in per_kind.values())
    print(
        f"redaction: {len(data['examples'])} texts, {total} personal-data items, {keep_total} keep"
    )
    print(f"  recall          {found / total:6.1%}  ({found}/{total})")
    print(f"  over-redaction  {over / keep_total:6.1%}  ({over}/{keep_total})")
    for kind, (ok, n) in sorted(per_kind.items()):
        print(f"  recall {kind:<13} {ok / n:6.1%}  ({ok}/{n})")


def accusation_quality(data: dict[str, Any]) -> None:
    for label, acc_key, ord_key in (
        ("main", "accusing", "ordinary"),
        ("holdout", "holdout_accusing", "holdout_ordinary"),
    ):
        accusing, ordinary = data[acc_key], data[ord_key]
        hits = sum(detect_accusation(t) is not None for t in accusing)
        alarms = sum(detect_accusation(t) is not None for t in ordinary)
        print(
            f"accusation [{label}]: recall {hits / len(accusing):6.1%} ({hits}/{len(accusing)}), "
            f"false alarms {alarms / len(ordinary):6.1%} ({alarms}/{len(ordinary)})"
        )


def median_us(fn: Callable[[str], object], texts: list[str], rounds: int = 20) -> float:
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
    red = _load("redaction_examples.yaml")
    acc = _load("accusation_examples.yaml")
    redaction_quality(red)
    accusation_quality(acc)
    texts = [ex["text"] for ex in red["examples"]] + [
        t
        for key in ("accusing", "ordinary", "holdout_accusing", "holdout_ordinary")
        for t in acc[key]
    ]
    keep = tuple(red["keep_numbers"])
    print(f"speed over {len(texts)} texts (median of per-text means):")
    print(
        f"  redact()            {median_us(lambda t: redact(t, keep_numbers=keep), texts):8.1f} µs"
    )
    print(f"  detect_accusation() {median_us(detect_accusation, texts):8.1f} µs")


if __name__ == "__main__":
    main()
