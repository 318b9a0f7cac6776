"""kill -9 in the middle of a load: nothing confirmed is lost, dialogues in progress continue.

The bot runs as an operator runs it (``python -m bot`` in a subprocess) against the offline Bot
API in this process. Residents do the whole feedback dialogue concurrently; once some have been
thanked and others are mid-dialogue, the bot is killed with SIGKILL and started again on the same
database. The residents never repeat anything: each just waits for the bot's next question.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from devkit.offline import OfflineBotApi, SentMessage, SimUser
from tests.helpers.bot import TEST_TOKEN

RESIDENTS = 40
KILL_AFTER_CONFIRMED = 12
STEP_TIMEOUT = 60.0  # covers a restart (start-up learns the knowledge base)


@dataclass
class BotProcess:
    """``python -m bot`` with the environment an operator would set."""

    api: OfflineBotApi
    workdir: Path
    proc: asyncio.subprocess.Process | None = None
    starts: int = 0
    logs: list[Path] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.workdir / "bot.sqlite3"

    async def start(self) -> None:
        env = {
            **os.environ,
            "BOT_TOKEN": TEST_TOKEN,
            "TELEGRAM_API_URL": self.api.base_url,
            "TELEGRAM_FILE_URL": self.api.base_file_url,
            "DATABASE_PATH": str(self.database),
            "PSEUDONYM_KEY": "crash-test-pseudonym-key-0123456789",
            "FEEDBACK_PER_DAY": "1000",
            "LOG_LEVEL": "INFO",
            "PTB_TIMEDELTA": "true",
        }
        self.starts += 1
        log = self.workdir / f"bot-{self.starts}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                env=env,
                cwd=self.workdir,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )
        await self.wait_ready()

    async def wait_ready(self, timeout: float = 180.0) -> None:  # noqa: ASYNC109
        """Until the bot logs that it runs: start-up learns the knowledge base and the guard
        (seconds, more on a busy machine), and the tests' step timeouts should time the bot's
        answers, not its start. The log file is the only signal a separate process gives."""
        assert self.proc is not None
        log = self.logs[-1]
        deadline = asyncio.get_running_loop().time() + timeout
        while b"Bot is running" not in log.read_bytes():
            if self.proc.returncode is not None:
                raise AssertionError(f"the bot exited with {self.proc.returncode}: {log}")
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"the bot did not start within {timeout:.0f}s: {log}")
            await asyncio.sleep(0.1)

    async def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> int | None:
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), 20)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            return None

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())


@pytest.fixture
async def bot_process(api: OfflineBotApi, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(api, tmp_path)
    yield process
    await process.stop()


async def wait_message(
    api: OfflineBotApi, user: SimUser, predicate: Callable[[SentMessage], bool]
) -> SentMessage:
    """The next new bot message in the chat that satisfies ``predicate`` (others are skipped)."""
    while True:
        msg = await api.next_message(user, timeout=STEP_TIMEOUT)
        if predicate(msg):
            return msg


@dataclass
class Resident:
    user: SimUser
    text: str
    step: str = "not started"
    ref: str | None = None


async def dialogue(api: OfflineBotApi, r: Resident) -> None:
    """/tyck → Centrum → Narkotika → 4 → text → Skicka; each step waits for the bot's question."""
    user = r.user
    r.step = "district"
    await api.send_text(user, "/tyck")
    intro = await wait_message(api, user, lambda m: "Centrum" in " ".join(m.button_texts))
    r.step = "topic"
    await api.press(user, intro, intro.callback_for("Centrum"))
    topic = await wait_message(api, user, lambda m: "Narkotika" in " ".join(m.button_texts))
    r.step = "rating"
    await api.press(user, topic, topic.callback_for("Narkotika"))
    rating = await wait_message(api, user, lambda m: "Hoppa över" in m.button_texts)
    r.step = "text"
    await api.press(user, rating, rating.callback_for("4 –"))
    await wait_message(api, user, lambda m: "egna ord" in m.plain_text)
    r.step = "review"
    await api.send_text(user, r.text)
    review = await wait_message(api, user, lambda m: "Skicka" in " ".join(m.button_texts))
    r.step = "submit"
    await api.press(user, review, review.callback_for("✅"))
    thanks = await wait_message(api, user, lambda m: "sparad (ref " in m.plain_text)
    r.ref = thanks.plain_text.split("ref ")[1].split(")")[0]
    r.step = "done"


def stored(database: Path) -> dict[str, str]:
    conn = sqlite3.connect(database)
    try:
        return {ref: text for ref, text in conn.execute("SELECT ref, text FROM feedback")}
    finally:
        conn.close()


async def test_kill_9_mid_load_loses_nothing_confirmed_and_dialogues_continue(
    api: OfflineBotApi, bot_process: BotProcess
) -> None:
    await bot_process.start()
    residents = [
        Resident(api.user(50_000 + i), f"Otryggt vid hållplatsen, invånare {i}.")
        for i in range(RESIDENTS)
    ]
    tasks = [asyncio.create_task(dialogue(api, r)) for r in residents]
    try:
        await api.wait_for(
            lambda: sum(r.step == "done" for r in residents) >= KILL_AFTER_CONFIRMED,
            timeout=60,
        )
        await bot_process.kill9()
        confirmed_before = {r.ref: r.text for r in residents if r.ref}
        in_progress = [r for r in residents if r.step not in ("done", "not started")]
        # Every confirmation sent so far is on disk, read by another process after the kill.
        on_disk = stored(bot_process.database)
        assert confirmed_before.items() <= on_disk.items()
        assert in_progress, "the kill should hit residents in the middle of a dialogue"

        await bot_process.start()
        done, pending = await asyncio.wait(tasks, timeout=90)
        assert not pending, [(r.user.id, r.step) for r in residents if r.step != "done"]
        for task in done:
            task.result()  # re-raise a resident's failure (a reply that never came)
    finally:
        for task in tasks:
            task.cancel()
    assert await bot_process.stop() == 0, bot_process.log_text()[-3000:]

    rows = stored(bot_process.database)
    confirmed = {r.ref: r.text for r in residents if r.ref}
    assert len(confirmed) == RESIDENTS  # everyone was thanked, including those cut off
    assert rows == confirmed  # and exactly those rows: nothing lost, nothing twice
    assert "Traceback" not in bot_process.log_text()
    assert TEST_TOKEN not in bot_process.log_text()
