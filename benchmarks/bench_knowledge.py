"""Benchmark the knowledge base directly (no Telegram), set by set, kind by kind, per language.

Scores the decision of ``KnowledgeBase.answer`` on the development sets of
tests/fixtures/qa_eval.yaml (benchmarks/evalsets.py): in-scope → answered or hedged with an
acceptable entry whose answer holds the facts; out-of-scope → "vet inte"; emergency → flagged
(112 first). Also prints the build (start-up) time and what cross-validation chose, the hedge
band's share, false alarms on ordinary questions and the latency per question (p50/p99, median
of several runs). Sealed sets (blind4) print aggregates only. For the real bot's replies (and
the blind files) use bench_questions.py.

    .venv/bin/python benchmarks/bench_knowledge.py [--runs 5] [--set main] [--verbose]
    .venv/bin/python benchmarks/bench_knowledge.py --stability 3   # thresholds vs content edits

``--stability N``: N rebuilds, each without a random 5 % of the entries' example questions (a
content edit), printing the thresholds and the development sets' in-scope and refusal figures
of each: how much a council's edit moves the bands.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict
from typing import Any

import evalsets  # benchmarks/evalsets.py (this folder is on sys.path)

from bot.content import DEFAULT_COUNCIL_FILE, Council, load_council
from bot.knowledge import Answer, KnowledgeBase


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def _ratio(ok: int, n: int) -> str:
    return f"{ok}/{n} = {100 * ok / n:.1f} %" if n else "–"


def is_right(item: dict[str, Any], ans: Answer) -> bool:
    """The decision a resident needs for this item."""
    kind = item["kind"]
    if kind == "emergency":
        return ans.emergency
    if kind == "out_of_scope":
        return ans.band == "dont_know"
    if ans.band not in ("answer", "hedge") or ans.entry is None:
        return False
    if ans.entry.id not in {item["expect"], *item.get("accept", [])}:
        return False
    return evalsets.has_facts(ans.entry.answer.get(item["lang"]), item["facts"])


def without_some_examples(council: Council, seed: int, share: float = 0.05) -> Council:
    """The council with a random ``share`` of its entries' example questions left out."""
    rnd = random.Random(seed)
    entries = []
    for entry in council.knowledge:
        kept = {
            lang: [t for t in getattr(entry.examples, lang) if rnd.random() >= share]
            for lang in ("sv", "en")
        }
        examples = entry.examples.model_copy(update=kept)
        entries.append(entry.model_copy(update={"examples": examples}))
    return council.model_copy(update={"knowledge": entries})


def stability(council: Council, runs: int) -> None:
    """Thresholds and development figures of the full file and of ``runs`` edited copies.

    Also the scored blind rounds (now development sets), judged by the reply's facts as the
    blind protocol does (bench_questions.py's in-process reply): the figure a bar's move flips.
    """
    from bench_questions import in_process_reply, key_facts_of  # the bot's rendering

    from bot.i18n import compile_catalogs

    compile_catalogs()
    items = [
        item
        for name, its in evalsets.dev_sets().items()
        if name not in evalsets.SEALED and name != "emergency"
        for item in its
    ]
    rounds = [
        item
        for name in evalsets.BLIND
        if name not in evalsets.SEALED
        for item in evalsets.blind_set(name)
    ]
    for seed in [None, *range(1, runs + 1)]:
        kb = KnowledgeBase(council if seed is None else without_some_examples(council, seed))
        inside = [i for i in items if i["kind"] != "out_of_scope"]
        outside = [i for i in items if i["kind"] == "out_of_scope"]
        right = sum(is_right(i, kb.answer(i["q"], i["lang"])) for i in inside)
        refused = sum(is_right(i, kb.answer(i["q"], i["lang"])) for i in outside)
        verdicts = {
            kind: [
                evalsets.score(i, in_process_reply(kb, i["q"], i["lang"]), key_facts_of(kb, i))
                for i in rounds
                if i["kind"] in kinds
            ]
            for kind, kinds in (("in", ("fact", "list", "howto")), ("out", ("out_of_scope",)))
        }
        label = "the file" if seed is None else f"edit {seed}"
        print(
            f"{label:>8}: low {kb.thresholds.low:.3f}, high {kb.thresholds.high:.3f}; "
            f"in scope {_ratio(right, len(inside))}, out of scope refused "
            f"{_ratio(refused, len(outside))}; scored rounds: in scope "
            f"{_ratio(sum(verdicts['in']), len(verdicts['in']))}, out of scope refused "
            f"{_ratio(sum(verdicts['out']), len(verdicts['out']))}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timing runs (median is reported)")
    parser.add_argument("--set", action="append", help="only this development set (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="list failures of open sets")
    parser.add_argument(
        "--stability", type=int, metavar="N", help="N rebuilds without 5 %% of the examples"
    )
    args = parser.parse_args()
    if args.stability:
        stability(load_council(DEFAULT_COUNCIL_FILE), args.stability)
        return

    sets = evalsets.dev_sets()
    if args.set:
        sets = {name: sets[name] for name in args.set}
    council = load_council(DEFAULT_COUNCIL_FILE)
    start = time.perf_counter()
    cpu_start = time.process_time()
    kb = KnowledgeBase(council)  # not from_council: no cache, the real start-up cost
    build_s = time.perf_counter() - start
    r = kb.report
    cpu_s = time.process_time() - cpu_start
    print(
        f"built in {build_s:.1f} s ({cpu_s:.1f} s CPU): {r.examples} training texts, "
        f"{r.labels} labels; bands: P(in scope) < {kb.thresholds.low:.2f}: vet inte; else "
        f"P(right) ≥ {kb.thresholds.high:.2f}: answer, below: hedge"
    )
    print(
        f"  cross-validated on the file's own examples: top-1 {r.oof_top1:.1%}, confident "
        f"answers right {r.oof_answer_precision:.1%}, out-of-scope refused {r.oof_oos_refused:.1%}"
    )
    for lang, (top1, passed, both) in r.oof_by_language.items():
        print(
            f"  cross-validated, {lang} examples: top-1 {top1:.1%}, past 'vet inte' {passed:.1%}, "
            f"both {both:.1%}"
        )
    print(
        f"  emergency detector: recall {r.emergency_oof_recall:.1%}, false alarms "
        f"{r.emergency_oof_false_alarms:.1%} (out-of-fold, patterns included)"
    )
    everything: list[tuple[str, str]] = []
    normal: list[tuple[str, dict[str, Any]]] = []
    for name, items in sets.items():
        sealed = name in evalsets.SEALED
        cells: dict[tuple[str, str], list[bool]] = defaultdict(list)
        hedges = answered = 0
        failures = []
        for item in items:
            ans = kb.answer(item["q"], item["lang"])
            ok = is_right(item, ans)
            cells[(item["kind"], item["lang"])].append(ok)
            if item["kind"] not in ("out_of_scope", "emergency"):
                answered += 1
                hedges += ans.band == "hedge"
                normal.append((name, item))
            if not ok:
                got = ans.entry.id if ans.entry else (ans.small_talk.id if ans.small_talk else "")
                failures.append(
                    f"    ✗ [{item['kind']}/{item['lang']}] {item['q']!r}: {ans.band} {got} "
                    f"p={ans.confidence:.2f}"
                    + (f" (want {item['expect']})" if "expect" in item else "")
                )
            everything.append((item["q"], item["lang"]))
        total = [ok for oks in cells.values() for ok in oks]
        print(
            f"\n{name}{' (sealed)' if sealed else ''}: {_ratio(sum(total), len(total))}"
            + (f"; hedge band {_ratio(hedges, answered)} of in-scope" if answered else "")
        )
        for kind in evalsets.KINDS:
            parts = [
                f"{lang} {_ratio(sum(cells[(kind, lang)]), len(cells[(kind, lang)]))}"
                for lang in ("sv", "en")
                if cells.get((kind, lang))
            ]
            if parts:
                print(f"  {kind:<13} " + "   ".join(parts))
        if failures:
            print(f"  failures: {len(failures)}")
            if args.verbose and not sealed:
                print("\n".join(failures))

    alarms = [(n, i) for n, i in normal if kb.emergency.is_emergency(i["q"])]
    print(f"\nfalse alarms on in-scope questions: {_ratio(len(alarms), len(normal))}")
    if args.verbose:
        for name, item in alarms:
            if name not in evalsets.SEALED:
                print(f"    ! {item['q']!r}")
    per_question: list[list[float]] = [[] for _ in everything]
    for _ in range(args.runs):
        for i, (q, lang) in enumerate(everything):
            t0 = time.perf_counter()
            kb.answer(q, lang)
            per_question[i].append((time.perf_counter() - t0) * 1000)
    medians = [statistics.median(times) for times in per_question]
    print(
        f"latency per question: p50 {_percentile(medians, 50):.2f} ms, "
        f"p99 {_percentile(medians, 99):.2f} ms, max {max(medians):.2f} ms "
        f"(median of {args.runs} runs, {len(everything)} messages)"
    )


if __name__ == "__main__":
    main()
