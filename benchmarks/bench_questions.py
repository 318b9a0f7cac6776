"""End-to-end question latency: resident's message in → bot's answer out, via the offline Bot API.

Runs the whole evaluation set (tests/fixtures/qa_eval.yaml: every section listed in
benchmarks/evalsets.py with its out-of-scope list, and the emergencies) through the real
application (polling, handlers, rendering, HTML validation) and prints per section the share
answered right (the expected entry's key fact and the facts shown; out-of-scope → "vet inte";
emergency → 112 first) and the round-trip latency p50/p99 in ms.

    .venv/bin/python benchmarks/bench_questions.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import evalsets  # benchmarks/evalsets.py (this folder is on sys.path)

os.environ.setdefault("PTB_TIMEDELTA", "true")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # devkit/ is at the repo root

from bot.app import build_application, running
from bot.i18n import compile_catalogs
from bot.knowledge import KnowledgeBase
from bot.services import create_services
from bot.settings import Settings
from devkit.offline import OfflineBotApi


def _pct(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def main() -> None:
    compile_catalogs()
    data = evalsets.load()
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
            kb = KnowledgeBase.from_council(services.council)  # only to look up expected entries
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

                def right_entry(item: dict[str, Any], shown: str) -> bool:
                    """Sourced, every fact shown, and the key fact of an acceptable entry."""
                    if not ("Källa:" in shown or "Source:" in shown):
                        return False
                    if not all(f in shown for f in item["facts"]):
                        return False
                    for entry_id in (item["expect"], *item.get("accept", [])):
                        entry = kb.entry(entry_id)
                        first = (
                            entry.answer.get(item["lang"]).strip().split("\n")[0] if entry else ""
                        )
                        if first and first[:60] in shown:
                            return True
                    return False

                results: list[tuple[str, int, int, int, int]] = []
                for label, in_key, oos_key in evalsets.SECTIONS:
                    right = 0
                    for item in data.get(in_key, []):
                        right += right_entry(item, await ask(item["lang"], item["q"]))
                    oos_ok = 0
                    for q in data.get(oos_key, []):
                        shown = await ask("sv", q)
                        oos_ok += shown.startswith("Det vet jag tyvärr inte")
                    results.append(
                        (
                            label,
                            right,
                            len(data.get(in_key, [])),
                            oos_ok,
                            len(data.get(oos_key, [])),
                        )
                    )
                em_ok = 0
                for q in data["emergency"]:
                    shown = await ask("sv", q)
                    em_ok += "112" in shown.splitlines()[0]
            await services.close()
    print("right entry's key fact, sourced, with its facts shown (a don't-know never counts):")
    for label, right, n, oos_ok, o in results:
        accuracy = f"{right}/{n} = {right / n:.1%}" if n else "–"
        rejected = f"{oos_ok}/{o} = {oos_ok / o:.1%}"
        print(f"  {label + ':':<9} {accuracy:<17} out-of-scope → don't know {rejected}")
    e = len(data["emergency"])
    print(f"emergency → 112 on the first line: {em_ok}/{e} = {em_ok / e:.1%}")
    print(
        f"round trip over HTTP, {len(times)} messages: p50 {statistics.median(times):.1f} ms, "
        f"p99 {_pct(times, 99):.1f} ms, max {max(times):.1f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
