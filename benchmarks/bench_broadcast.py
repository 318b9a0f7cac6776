"""Broadcast benchmark: a council note to 10,000 residents through the outbox, under flood limits.

The bot runs as an operator runs it (``python -m bot`` in a subprocess) against the offline Bot
API, which enforces Telegram's flood limits scaled by ``--scale`` (default 10: 300 messages a
second over all chats instead of 30, still about one a second per chat) so a run takes seconds,
not minutes; the bot is told the same scale (OUTBOX_PER_SECOND). Prints time to drain, sends
per second (and as a share of the limit), 429s met, the bot's CPU per send, and what the
drain would take at Telegram's real limits. Not a test: figures only.

    .venv/bin/python benchmarks/bench_broadcast.py [--recipients 10000] [--scale 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.outbox import DEFAULT_PACE  # noqa: E402
from devkit.offline import FloodLimits, OfflineBotApi, SentMessage  # noqa: E402
from storage import roles  # noqa: E402
from storage.db import Database  # noqa: E402

TOKEN = "123456:BENCH-token_abc"
MEMBER = 4242
NOTE = "Trygghetsvandring i Ersboda i tisdags: belysningen vid gångtunneln lagas nästa vecka."
TELEGRAM_PER_SECOND = 30.0


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def finished(msg: SentMessage) -> bool:
    return "Skickat till" in msg.plain_text and "hittills" not in msg.plain_text


async def run(recipients: int, scale: float) -> None:
    limits = FloodLimits(
        per_second=TELEGRAM_PER_SECOND * scale,
        burst=int(TELEGRAM_PER_SECOND * scale / 10) or 1,
        chat_per_second=1.0,
        chat_burst=3,
    )
    bot_rate = DEFAULT_PACE.per_second * scale
    async with OfflineBotApi(flood_limits=limits, record_calls=False) as api:
        work = Path(tempfile.mkdtemp(prefix="bench-broadcast-"))
        database = work / "bot.sqlite3"
        db = await Database.open(database)
        await roles.grant(db, MEMBER, "council", granted_by=None)
        ids = range(1_000_000, 1_000_000 + recipients)
        await db.executemany(
            "INSERT INTO update_subscribers (pseudonym, district, chat_id, language) "
            "VALUES (?, 'ersboda', ?, ?)",
            [(f"alias-{i}", i, "en" if i % 5 == 0 else "sv") for i in ids],
        )
        await db.close()
        api.user(MEMBER)
        for i in ids:
            api.user(i)
        env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api.base_url,
            "TELEGRAM_FILE_URL": api.base_file_url,
            "DATABASE_PATH": str(database),
            "PSEUDONYM_KEY": "bench-pseudonym-key-0123456789abcdef",
            "LOG_LEVEL": "WARNING",
            "PTB_TIMEDELTA": "true",
            "OUTBOX_PER_SECOND": f"{bot_rate:g}",
            "PYTHONPATH": str(ROOT),
        }
        with (work / "bot.log").open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", env=env, cwd=work, stdout=out, stderr=out
            )
        try:
            await api.send_text(MEMBER, f"/aterkoppla Ersboda {NOTE}")
            preview = await api.next_message(MEMBER, timeout=60)
            cpu0 = cpu_seconds(proc.pid)
            t0 = time.perf_counter()
            await api.press(MEMBER, preview, preview.callback_for("Publicera"))
            progress = await api.next_message(MEMBER, timeout=30)
            await api.wait_for(lambda: finished(progress), timeout=recipients / bot_rate * 5 + 60)
            elapsed = time.perf_counter() - t0
            cpu = cpu_seconds(proc.pid) - cpu0
        finally:
            proc.terminate()
            await proc.wait()
        counts = api.delivery_counts(NOTE)
        delivered = sum(n for chat, n in counts.items() if chat != MEMBER)
        twice = sum(1 for chat, n in counts.items() if chat != MEMBER and n > 1)
        refused = len(api.flood_log)
        match = re.search(r"Skickat till ([\d\s\u00a0]+)", progress.plain_text)
        reported = re.sub(r"\D", "", match.group(1)) if match else "?"
        rate = delivered / elapsed
        print(f"recipients                 {recipients}")
        print(
            f"flood limits (x{scale:g})       {limits.per_second:g}/s overall, "
            f"{limits.chat_per_second:g}/s per chat; bot paced at {bot_rate:g}/s"
        )
        print(f"time to drain              {elapsed:.2f} s")
        print(
            f"sends per second           {rate:.1f} ({rate / limits.per_second:.0%} of the limit)"
        )
        print(f"429s met                   {refused}")
        print(f"delivered / twice          {delivered} / {twice}  (author's report: {reported})")
        print(
            f"bot CPU                    {cpu:.2f} s = {cpu / max(1, delivered) * 1e3:.3f} ms/send"
        )
        print(
            f"progress edits             {progress.edit_count} "
            "(one message to the author, edited in place)"
        )
        real = recipients / DEFAULT_PACE.per_second
        print(
            f"at Telegram's real limits  ≈ {real:.0f} s ({real / 60:.1f} min) "
            f"at the default pace of {DEFAULT_PACE.per_second:g}/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--scale", type=float, default=10.0)
    args = parser.parse_args()
    asyncio.run(run(args.recipients, args.scale))


if __name__ == "__main__":
    main()
