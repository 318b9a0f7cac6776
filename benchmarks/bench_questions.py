"""Residents' questions end to end: message in → the real bot's reply out, via the offline Bot API.

Every question of a set goes through the whole application (polling, handlers, the learned
ranker, rendering, HTML validation) from a user with the question's language, and the reply is
scored as a resident sees it (benchmarks/evalsets.py, the blind protocol's rules):
fact/list/howto → an answer or a hedge showing every fact (development items: also the expected
entry's key fact); unknown → "vet inte" or the facts; smalltalk → not "vet inte", facts shown;
out_of_scope → "vet inte"; emergency → 112 on the first line.

Prints per set and per kind × language: accuracy, the hedge band's share, out-of-scope refusal,
emergency recall; round-trip latency p50/p99. Sealed sets (blind4, the blind files) print only
these aggregates and failure counts per kind, never a question.

    .venv/bin/python benchmarks/bench_questions.py                 # all development sets
    .venv/bin/python benchmarks/bench_questions.py --set main      # one set
    .venv/bin/python benchmarks/bench_questions.py --set round5    # the sealed blind file (lead)
    .venv/bin/python benchmarks/bench_questions.py --verbose       # failures of open sets
    .venv/bin/python benchmarks/bench_questions.py --in-process    # same scoring, no HTTP

``--in-process`` renders each reply with the handler's own steps (language guess, the
knowledge base, ``render_answer``) without polling the offline server, for development: on
rounds 5–9 the same right/wrong verdict for every question as over HTTP (the hedge count once
one apart), in a fraction of the time; the round trip is not measured.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from inspect import signature
from pathlib import Path
from typing import Any

import evalsets  # benchmarks/evalsets.py (this folder is on sys.path)

os.environ.setdefault("PTB_TIMEDELTA", "true")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # devkit/ is at the repo root

from bot import answers
from bot.app import build_application, running
from bot.content import DEFAULT_COUNCIL_FILE, load_council
from bot.i18n import compile_catalogs, translations
from bot.knowledge import KnowledgeBase
from bot.services import create_services
from bot.settings import Settings
from devkit.offline import OfflineBotApi


def _pct(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _ratio(ok: int, n: int) -> str:
    return f"{ok}/{n} = {100 * ok / n:.1f} %" if n else "–"


def report(name: str, rows: list[tuple[dict[str, Any], bool, bool]], verbose: bool) -> None:
    """Print one set's figures: (item, right, hedged) rows."""
    sealed = name in evalsets.SEALED
    in_scope = [r for r in rows if r[0]["kind"] not in ("out_of_scope", "emergency")]
    right = sum(r[1] for r in rows)
    print(f"\n{name}{' (sealed: aggregates only)' if sealed else ''}: {_ratio(right, len(rows))}")
    answered = [r for r in in_scope if r[0]["kind"] not in ("unknown", "smalltalk")]
    if answered:
        print(
            f"  answered with the right facts: {_ratio(sum(r[1] for r in answered), len(answered))}"
            f"; hedge band: {_ratio(sum(r[2] for r in answered), len(answered))} of them"
        )
    cells: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for item, ok, _hedged in rows:
        cells[(item["kind"], item["lang"])].append(ok)
    for kind in evalsets.KINDS:
        parts = []
        for lang in ("sv", "en"):
            got = cells.get((kind, lang))
            if got:
                parts.append(f"{lang} {_ratio(sum(got), len(got))}")
        if parts:
            label = {"out_of_scope": "out_of_scope refused", "emergency": "emergency 112 first"}
            print(f"  {label.get(kind, kind):<22} " + "   ".join(parts))
    for lang in ("sv", "en"):
        got = [r[1] for r in answered if r[0]["lang"] == lang]
        if got:
            print(f"  in-scope {lang}: {_ratio(sum(got), len(got))}")
    failures: dict[str, int] = defaultdict(int)
    for item, ok, _hedged in rows:
        if not ok:
            failures[item["kind"]] += 1
    if failures:
        print("  failures per kind: " + ", ".join(f"{k} {n}" for k, n in sorted(failures.items())))
    if verbose and not sealed:
        for item, ok, _hedged in rows:
            if not ok:
                print(f"    ✗ [{item['kind']}/{item['lang']}] {item['q']!r}")


_TAG = re.compile(r"<[^>]+>")


def key_facts_of(kb: KnowledgeBase, item: dict[str, Any]) -> list[str] | None:
    """The first lines of the acceptable entries' answers (development items only)."""
    if "expect" not in item:
        return None
    facts = []
    for entry_id in (item["expect"], *item.get("accept", [])):
        entry = kb.entry(entry_id)
        if entry is not None:
            facts.append(entry.answer.get(item["lang"]).strip().split("\n")[0])
    return facts


def in_process_reply(kb: KnowledgeBase, text: str, lang: str) -> str:
    """The reply's plain text as handlers/questions.py builds it, without Telegram."""
    locale = kb.language.of(text) or lang
    result = kb.answer(text, locale)
    related = kb.related(result.entry) if result.answered and result.entry is not None else ()
    # The handler passes the message too when render_answer takes it (an answer after 112
    # only when the message asks something).
    extra = {"question": text} if "question" in signature(answers.render_answer).parameters else {}
    reply = answers.render_answer(
        result, kb.council, locale, translations(locale).gettext, related, **extra
    )
    return html.unescape(_TAG.sub("", reply.text))


def in_process(sets: dict[str, list[dict[str, Any]]], verbose: bool) -> None:
    """Score the sets with ``in_process_reply`` (see the module docstring)."""
    started = time.perf_counter()
    kb = KnowledgeBase(load_council(DEFAULT_COUNCIL_FILE))
    build_s = time.perf_counter() - started
    print(
        f"knowledge base: {kb.report.examples} training texts, {kb.report.labels} labels, "
        f"built in {build_s:.1f} s (in process); bands: P(in scope) < {kb.thresholds.low:.2f}: "
        f"vet inte; else P(right) ≥ {kb.thresholds.high:.2f}: answer, below: hedge"
    )
    for name, items in sets.items():
        rows = []
        for item in items:
            reply = in_process_reply(kb, item["q"], item["lang"])
            ok = evalsets.score(item, reply, key_facts_of(kb, item))
            rows.append((item, ok, evalsets.is_hedge(reply)))
        report(name, rows, verbose)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        action="append",
        help="score only this set (repeatable): a development set "
        f"({', '.join(s[0] for s in evalsets.SECTIONS)}, emergency) or a blind file "
        f"({', '.join(evalsets.BLIND)})",
    )
    parser.add_argument("--verbose", action="store_true", help="list failures of open sets")
    parser.add_argument(
        "--in-process", action="store_true", help="render replies in process, without HTTP"
    )
    args = parser.parse_args()
    compile_catalogs()
    dev = evalsets.dev_sets()
    names = args.set or list(dev)
    sets: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        if name in dev:
            sets[name] = dev[name]
        elif name in evalsets.BLIND:
            sets[name] = evalsets.blind_set(name)
        else:
            parser.error(f"unknown set {name!r}")
    if args.in_process:
        in_process(sets, args.verbose)
        return
    with tempfile.TemporaryDirectory() as tmp:
        async with OfflineBotApi() as api:
            settings = Settings(
                _env_file=None,
                bot_token="123456:BENCH-token",
                telegram_api_url=api.base_url,
                telegram_file_url=api.base_file_url,
                database_path=Path(tmp) / "bench.sqlite3",
                pseudonym_key="bench-pseudonym-key-0123456789",
                log_level="WARNING",
            )
            services = await create_services(settings)
            started = time.perf_counter()
            kb = KnowledgeBase.from_council(services.council)  # start-up cost, measured here
            build_s = time.perf_counter() - started
            app = build_application(services)
            async with running(app):
                users = {
                    "sv": api.user(1, language_code="sv"),
                    "en": api.user(2, language_code="en"),
                }
                times: list[float] = []

                async def ask(lang: str, text: str) -> str:
                    user = users[lang]
                    start = time.perf_counter()
                    await api.send_text(user, text)
                    msg = await api.next_message(user)
                    times.append((time.perf_counter() - start) * 1000)
                    return msg.plain_text

                results: dict[str, list[tuple[dict[str, Any], bool, bool]]] = {}
                for name, items in sets.items():
                    rows = []
                    for item in items:
                        reply = await ask(item["lang"], item["q"])
                        ok = evalsets.score(item, reply, key_facts_of(kb, item))
                        rows.append((item, ok, evalsets.is_hedge(reply)))
                    results[name] = rows
            await services.close()
    print(
        f"knowledge base: {kb.report.examples} training texts, {kb.report.labels} labels, "
        f"built in {build_s:.1f} s; bands: P(in scope) < {kb.thresholds.low:.2f}: vet inte; "
        f"else P(right) ≥ {kb.thresholds.high:.2f}: answer, below: hedge"
    )
    for name, rows in results.items():
        report(name, rows, args.verbose)
    print(
        f"\nround trip over HTTP, {len(times)} messages: p50 {statistics.median(times):.1f} ms, "
        f"p99 {_pct(times, 99):.1f} ms, max {max(times):.1f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
