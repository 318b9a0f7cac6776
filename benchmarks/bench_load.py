"""Load benchmark: N residents each ask a question and give feedback, against ``python -m bot``.

The bot runs as a subprocess (so its RSS and CPU can be measured) against the offline Bot API in
this process; so does a bare python-telegram-bot echo bot (benchmarks/echo_bot.py) given the
same number and kinds of updates. Printed:

* updates/s for both, and their ratio (target ≥ 0.7);
* reply latency p50/p95/p99, measured in the server from the moment getUpdates hands an update
  out to the bot's first answer in that chat (message, edit or button answer) — and, for
  honesty, also from the moment the resident sent it (includes the wait in Telegram's queue);
* peak RSS of the bot (target < 200 MB) and its CPU time per update;
* feedback rows stored vs "sparad" confirmations seen (must be equal);
* a paced run at a fixed rate (default 200 updates/s) with its p99 (target < 100 ms).

    .venv/bin/python benchmarks/bench_load.py            # 500 residents, paced 200/s for 10 s
    .venv/bin/python benchmarks/bench_load.py --residents 100 --paced-seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # devkit/ lives at the repo root, outside the installed package

from devkit.offline import OfflineBotApi, SentMessage, SimUser  # noqa: E402

TOKEN = "4242:BENCHMARK-token"
STEP_TIMEOUT = 60.0
QUESTION = "Vad gör ni mot narkotikan på Ersboda?"
UPDATES_PER_RESIDENT = 7


class TimedApi(OfflineBotApi):
    """The offline server, noting when each chat's update is handed out and first answered."""

    def __init__(self) -> None:
        super().__init__(record_calls=True)
        self.handed_out: dict[int, float] = {}  # chat id -> when its pending update went out
        self.sent_at: dict[int, float] = {}  # chat id -> when the resident sent it
        self.latency_handout: list[float] = []
        self.latency_sent: list[float] = []
        self.query_chat: dict[str, int] = {}
        self.on_message.append(lambda msg: self._answered(msg.chat_id))
        self.on_callback_answer.append(lambda qid, _: self._answered(self.query_chat.get(qid)))

    def sent(self, chat_id: int) -> None:
        self.sent_at[chat_id] = time.perf_counter()

    async def _get_updates(self, params: dict[str, Any], uploads: dict[str, Any]) -> Any:
        result = await super()._get_updates(params, uploads)
        now = time.perf_counter()
        for update in result:
            chat = _chat_of(update)
            if chat is not None and chat in self.sent_at and chat not in self.handed_out:
                self.handed_out[chat] = now
        return result

    def _answered(self, chat_id: int | None) -> None:
        if chat_id is None or chat_id not in self.handed_out:
            return
        now = time.perf_counter()
        self.latency_handout.append(now - self.handed_out.pop(chat_id))
        self.latency_sent.append(now - self.sent_at.pop(chat_id))

    def reset_stats(self) -> None:
        self.calls.clear()
        self.latency_handout.clear()
        self.latency_sent.clear()
        self.handed_out.clear()
        self.sent_at.clear()


def _chat_of(update: dict[str, Any]) -> int | None:
    for key in ("message", "edited_message"):
        if key in update:
            return int(update[key]["chat"]["id"])
    if "callback_query" in update:
        msg = update["callback_query"].get("message") or {}
        return int(msg.get("chat", {}).get("id", update["callback_query"]["from"]["id"]))
    return None


class Pacer:
    """Hands out send slots at a fixed rate (None = as fast as the residents go)."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._next: float | None = None

    async def slot(self) -> None:
        if not self.interval:
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._next is None or self._next < now - 0.05:
            self._next = now
        at, self._next = self._next, self._next + self.interval
        if at > now:
            await asyncio.sleep(at - now)


@dataclass
class Process:
    """A bot subprocess with RSS/CPU sampling."""

    argv: list[str]
    env: dict[str, str]
    log: Path
    proc: asyncio.subprocess.Process | None = None
    peak_rss: int = 0
    _sampler: asyncio.Task[None] | None = None
    _ps: psutil.Process | None = None

    async def start(self) -> None:
        with self.log.open("wb") as out:
            self.proc = await asyncio.create_subprocess_exec(
                *self.argv,
                env=self.env,
                cwd=self.log.parent,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )
        self._ps = psutil.Process(self.proc.pid)
        self._sampler = asyncio.create_task(self._sample())

    async def _sample(self) -> None:
        assert self._ps is not None
        while True:
            try:
                self.peak_rss = max(self.peak_rss, self._ps.memory_info().rss)
            except psutil.Error:
                return
            await asyncio.sleep(0.02)

    def cpu_seconds(self) -> float:
        assert self._ps is not None
        times = self._ps.cpu_times()
        return float(times.user + times.system)

    async def stop(self) -> None:
        if self._sampler:
            self._sampler.cancel()
        if self.proc and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 30)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


@dataclass
class RunResult:
    name: str
    updates: int
    seconds: float
    latency_handout: list[float]
    latency_sent: list[float]
    peak_rss: int
    cpu_seconds: float
    server_cpu_seconds: float = 0.0
    api_calls: dict[str, int] = field(default_factory=dict)
    confirmations: int = 0
    rows: int = 0
    answered_questions: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k] * 1000


async def next_where(
    api: OfflineBotApi, user: SimUser, ok: Callable[[SentMessage], bool]
) -> SentMessage:
    while True:
        msg = await api.next_message(user, timeout=STEP_TIMEOUT)
        if ok(msg):
            return msg


class Driver:
    """Closed-loop residents: each waits for the bot's answer before the next step."""

    def __init__(self, api: TimedApi, pacer: Pacer) -> None:
        self.api = api
        self.pacer = pacer
        self.updates = 0
        self.confirmations = 0
        self.answered = 0

    async def text(self, user: SimUser, text: str) -> None:
        await self.pacer.slot()
        self.api.sent(user.id)
        await self.api.send_text(user, text)
        self.updates += 1

    async def press(self, user: SimUser, msg: SentMessage | int, data: str) -> None:
        await self.pacer.slot()
        self.api.sent(user.id)
        qid = await self.api.press(user, msg, data)
        self.api.query_chat[qid] = user.id
        self.updates += 1

    async def resident(self, user: SimUser, n: int) -> None:
        """A question, then /tyck → Centrum → narkotika → 4 → text → Skicka."""
        api = self.api
        await self.text(user, QUESTION)
        answer = await api.next_message(user, timeout=STEP_TIMEOUT)
        if answer.plain_text:
            self.answered += 1
        await self.text(user, "/tyck")
        intro = await next_where(api, user, lambda m: "Centrum" in " ".join(m.button_texts))
        await self.press(user, intro, intro.callback_for("Centrum"))
        topic = await next_where(api, user, lambda m: "narkotika" in " ".join(m.button_texts))
        await self.press(user, topic, topic.callback_for("narkotika"))
        rating = await next_where(api, user, lambda m: "Hoppa över" in m.button_texts)
        await self.press(user, rating, rating.callback_for("4 –"))
        await next_where(api, user, lambda m: "egna ord" in m.plain_text)
        await self.text(user, f"Mörkt och otryggt vid busshållplatsen, invånare {n}.")
        review = await next_where(api, user, lambda m: "Skicka" in " ".join(m.button_texts))
        await self.press(user, review, review.callback_for("✅"))
        await next_where(api, user, lambda m: "sparad (ref " in m.plain_text)
        self.confirmations += 1

    async def echo_resident(self, user: SimUser, n: int) -> None:
        """The same number and kinds of updates, for the echo bot."""
        api = self.api
        last: SentMessage | None = None
        for kind in ("text", "text", "press", "press", "press", "text", "press"):
            if kind == "text":
                await self.text(user, QUESTION if last is None else f"text {n}")
            else:
                assert last is not None
                await self.press(user, last, f"echo:{n}")
            last = await api.next_message(user, timeout=STEP_TIMEOUT)


def bot_env(api: OfflineBotApi, database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.base_url,
        "TELEGRAM_FILE_URL": api.base_file_url,
        "DATABASE_PATH": str(database),
        "PSEUDONYM_KEY": "benchmark-pseudonym-key-0123456789",
        "FEEDBACK_PER_DAY": "1000000",
        "LOG_LEVEL": "INFO",
        "PTB_TIMEDELTA": "true",
    }


async def run(
    api: TimedApi,
    name: str,
    argv: list[str],
    workdir: Path,
    residents: int,
    first_id: int,
    *,
    echo: bool,
    rate: float | None = None,
) -> RunResult:
    slug = "".join(c if c.isalnum() else "-" for c in name)
    database = workdir / f"{slug}.sqlite3"
    process = Process(argv, bot_env(api, database), workdir / f"{slug}.log")
    await process.start()
    try:
        await api.wait_for(lambda: api.long_polls_waiting > 0, timeout=60)
        api.reset_stats()
        driver = Driver(api, Pacer(rate))
        users = [api.user(first_id + i) for i in range(residents)]
        cpu0 = process.cpu_seconds()
        server_cpu0 = time.process_time()
        started = time.perf_counter()
        play = driver.echo_resident if echo else driver.resident
        results = await asyncio.gather(
            *(play(u, i) for i, u in enumerate(users)), return_exceptions=True
        )
        seconds = time.perf_counter() - started
        cpu = process.cpu_seconds() - cpu0
        server_cpu = time.process_time() - server_cpu0
        failures = [
            f"{type(r).__name__}: {str(r)[:300]}" for r in results if isinstance(r, BaseException)
        ]
        result = RunResult(
            name,
            driver.updates,
            seconds,
            list(api.latency_handout),
            list(api.latency_sent),
            process.peak_rss,
            cpu,
            confirmations=driver.confirmations,
            answered_questions=driver.answered,
            server_cpu_seconds=server_cpu,
            api_calls=dict(Counter(name for name, _ in api.calls if name != "getUpdates")),
            failures=failures,
        )
    finally:
        await process.stop()
    if not echo:
        conn = sqlite3.connect(database)
        try:
            result.rows = int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])
        finally:
            conn.close()
    return result


def report(r: RunResult) -> None:
    print(f"\n== {r.name}")
    print(f"  updates           {r.updates} in {r.seconds:.2f} s = {r.rate:.1f} updates/s")
    for label, values in (("handout→reply", r.latency_handout), ("sent→reply   ", r.latency_sent)):
        p50, p95, p99 = (pct(values, p) for p in (50, 95, 99))
        print(
            f"  latency {label}  p50 {p50:.1f} ms  p95 {p95:.1f} ms  p99 {p99:.1f} ms"
            f"  (n={len(values)})"
        )
    sends = sum(r.api_calls.values())
    detail = ", ".join(f"{k} {v}" for k, v in sorted(r.api_calls.items(), key=lambda kv: -kv[1]))
    print(f"  Bot API calls     {sends / max(1, r.updates):.2f} per update ({detail})")
    print(f"  peak RSS          {r.peak_rss / 2**20:.1f} MB")
    print(
        f"  bot CPU           {r.cpu_seconds:.2f} s"
        f" = {1000 * r.cpu_seconds / max(1, r.updates):.2f} ms/update"
    )
    print(
        f"  server+driver CPU {r.server_cpu_seconds:.2f} s"
        f" ({100 * r.server_cpu_seconds / max(r.seconds, 1e-9):.0f} % of one core)"
    )
    if r.name != "echo":
        print(f"  questions answered {r.answered_questions}")
        print(
            f"  rows stored {r.rows} vs confirmations {r.confirmations}: "
            f"{'EQUAL' if r.rows == r.confirmations else 'MISMATCH'}"
        )
    if r.failures:
        print(f"  FAILURES {len(r.failures)}: {r.failures[:3]}")


async def main_async(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    bot_argv = [sys.executable, "-m", "bot"]
    if args.profile:
        bot_argv = [sys.executable, "-m", "cProfile", "-o", str(workdir / "bot.prof"), "-m", "bot"]
    echo_argv = [sys.executable, str(ROOT / "benchmarks" / "echo_bot.py")]
    api = TimedApi()
    async with api:
        results: list[RunResult] = []
        if not args.skip_echo:
            results.append(
                await run(api, "echo", echo_argv, workdir, args.residents, 10_000_000, echo=True)
            )
        results.append(
            await run(
                api, "trygghetsbot", bot_argv, workdir, args.residents, 20_000_000, echo=False
            )
        )
        paced_residents = max(
            1, math.ceil(args.paced_rate * args.paced_seconds / UPDATES_PER_RESIDENT)
        )
        if args.paced_seconds > 0:
            results.append(
                await run(
                    api,
                    f"trygghetsbot paced {args.paced_rate:g}/s",
                    bot_argv,
                    workdir,
                    paced_residents,
                    30_000_000,
                    echo=False,
                    rate=args.paced_rate,
                )
            )
    for r in results:
        report(r)
    by_name = {r.name: r for r in results}
    ok = True
    print("\n== verdict")
    bot = by_name["trygghetsbot"]
    if "echo" in by_name:
        ratio = bot.rate / by_name["echo"].rate
        ok &= ratio >= 0.7
        print(f"  throughput ratio bot/echo  {ratio:.2f}  (target ≥ 0.70)")
        print(
            "  note: trygghetsbot talks to the Bot API through aiohttp (bot/http_aiohttp.py); the "
            "echo bot uses python-telegram-bot's default httpx transport"
        )
    for r in results:
        if r.name.startswith("trygghetsbot paced"):
            p99 = pct(r.latency_handout, 99)
            ok &= p99 < 100
            print(
                f"  p99 at {r.rate:.0f} updates/s  {p99:.1f} ms handout→reply, "
                f"{pct(r.latency_sent, 99):.1f} ms sent→reply  (target < 100 ms)"
            )
    peak = max(r.peak_rss for r in results if r.name != "echo")
    ok &= peak < 200 * 2**20
    print(f"  peak RSS  {peak / 2**20:.1f} MB  (target < 200 MB)")
    equal = all(r.rows == r.confirmations for r in results if r.name != "echo")
    ok &= equal and not any(r.failures for r in results)
    print(f"  rows == confirmations in every run: {equal}")
    print(f"  logs in {workdir}")
    if args.profile:
        import pstats

        stats = pstats.Stats(str(workdir / "bot.prof"))
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=500)
    parser.add_argument("--paced-rate", type=float, default=200.0)
    parser.add_argument("--paced-seconds", type=float, default=10.0)
    parser.add_argument("--skip-echo", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="run the bot under cProfile (bot.prof in the logs)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
