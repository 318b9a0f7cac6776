"""Benchmark the knowledge base on tests/data/qa_eval.yaml.

Prints accuracy (right entry and the answer contains the expected facts), out-of-scope
rejection, emergency recall, false alarms on ordinary questions, and per-question latency
(p50/p99 in ms, median over several runs). Targets: accuracy ≥ 95 %, p99 < 20 ms.

    .venv/bin/python benchmarks/bench_knowledge.py [--runs 5] [--verbose]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

import yaml

from bot.content import DEFAULT_COUNCIL_FILE, load_council
from bot.knowledge import KnowledgeBase

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "qa_eval.yaml"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timing runs (median is reported)")
    parser.add_argument("--verbose", action="store_true", help="list every failure")
    args = parser.parse_args()

    data: dict[str, Any] = yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))
    council = load_council(DEFAULT_COUNCIL_FILE)
    start = time.perf_counter()
    kb = KnowledgeBase.from_council(council)
    build_ms = (time.perf_counter() - start) * 1000

    questions = data["questions"]
    failures: list[str] = []
    correct = 0
    false_alarms: list[str] = []
    for item in questions:
        ans = kb.answer(item["q"], item["lang"])
        text = ans.entry.answer.get(item["lang"]) if ans.entry else ""
        got = ans.entry.id if ans.entry else None
        missing = [f for f in item["facts"] if f not in text]
        if got == item["expect"] and not missing:
            correct += 1
        else:
            alts = ",".join(a.id for a in ans.alternatives)
            failures.append(
                f"  {item['q']!r}: expected {item['expect']}, got {got} "
                f"(conf {ans.confidence:.2f}, score {ans.score:.1f}, alts {alts})"
                + (f" missing {missing}" if got == item["expect"] else "")
            )
        if ans.emergency:
            false_alarms.append(item["q"])

    oos = data["out_of_scope"]
    leaked = []
    for q in oos:
        ans = kb.answer(q, "sv")
        if ans.entry is not None:
            leaked.append(f"  {q!r} -> {ans.entry.id} (conf {ans.confidence:.2f})")

    emergencies = data["emergency"]
    missed = [q for q in emergencies if not kb.answer(q, "sv").emergency]

    everything = [(item["q"], item["lang"]) for item in questions] + [(q, "sv") for q in oos]
    everything += [(q, "sv") for q in emergencies]
    per_question: list[list[float]] = [[] for _ in everything]
    for _ in range(args.runs):
        for i, (q, lang) in enumerate(everything):
            t0 = time.perf_counter()
            kb.answer(q, lang)
            per_question[i].append((time.perf_counter() - t0) * 1000)
    medians = [statistics.median(times) for times in per_question]

    n = len(questions)
    print(f"knowledge entries:      {len(kb.entries)} (index built in {build_ms:.0f} ms)")
    print(f"accuracy:               {correct}/{n} = {100 * correct / n:.1f} %")
    print(
        f"out-of-scope rejected:  {len(oos) - len(leaked)}/{len(oos)} = "
        f"{100 * (len(oos) - len(leaked)) / len(oos):.1f} %"
    )
    print(
        f"emergency recall:       {len(emergencies) - len(missed)}/{len(emergencies)} = "
        f"{100 * (len(emergencies) - len(missed)) / len(emergencies):.1f} %"
    )
    print(f"false alarms (normal):  {len(false_alarms)}/{n} = {100 * len(false_alarms) / n:.1f} %")
    print(
        f"latency per question:   p50 {_percentile(medians, 50):.2f} ms, "
        f"p99 {_percentile(medians, 99):.2f} ms, max {max(medians):.2f} ms "
        f"(median of {args.runs} runs, {len(everything)} messages)"
    )
    held = data.get("holdout", [])
    held_ok = 0
    held_fail = []
    for item in held:
        ans = kb.answer(item["q"], item["lang"])
        text = ans.entry.answer.get(item["lang"]) if ans.entry else ""
        if ans.entry and ans.entry.id == item["expect"] and all(f in text for f in item["facts"]):
            held_ok += 1
        else:
            got = ans.entry.id if ans.entry else None
            held_fail.append(f"  {item['q']!r}: expected {item['expect']}, got {got}")
    held_oos = data.get("holdout_out_of_scope", [])
    for q in held_oos:
        ans = kb.answer(q, "sv")
        if ans.entry is not None:
            held_fail.append(f"  out of scope {q!r} -> {ans.entry.id}")
    if held:
        print(
            f"held-out:               {held_ok}/{len(held)} answered right, "
            f"{len(held_oos) - sum(1 for f in held_fail if 'out of scope' in f)}/{len(held_oos)}"
            " out-of-scope rejected"
        )
    if args.verbose or failures or leaked or missed or false_alarms or held_fail:
        for title, rows in (
            ("wrong answers", failures),
            ("out-of-scope answered", leaked),
            ("emergencies missed", [f"  {q!r}" for q in missed]),
            ("false alarms", [f"  {q!r}" for q in false_alarms]),
            ("held-out misses", held_fail),
        ):
            if rows:
                print(f"{title}:")
                print("\n".join(rows))


if __name__ == "__main__":
    main()
