"""The foundation end to end: the real bot against the offline Bot API, as users see it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from devkit.offline import OfflineBotApi
from tests.helpers.bot import TEST_TOKEN, BotRunner, RunningBot

PROJECT_ROOT = Path(__file__).resolve().parent.parent


async def test_start_in_swedish(bot: RunningBot) -> None:
    api = bot.api
    anna = api.user(1001, first_name="Anna", language_code="sv")
    await api.send_text(anna, "/start")
    reply = await api.next_message(anna.id)
    text = reply.plain_text
    assert "trygghetsboten" in text
    assert "112" in text and "114 14" in text
    assert "inte" in text and "anmäla brott" in text
    assert "utan ditt namn" in text
    assert "Tyck till" in " ".join(reply.button_texts)


async def test_start_in_english_for_english_telegram_user(bot: RunningBot) -> None:
    api = bot.api
    john = api.user(1002, first_name="John", language_code="en-GB")
    await api.send_text(john, "/start")
    reply = await api.next_message(john.id)
    assert "safety bot" in reply.plain_text
    assert "not" in reply.plain_text and "112" in reply.plain_text
    assert "Give feedback" in " ".join(reply.button_texts)


async def test_two_users_at_once_each_get_their_language(bot: RunningBot) -> None:
    api = bot.api
    users = [api.user(2000 + i, language_code="en" if i % 2 else "sv") for i in range(10)]
    await asyncio.gather(
        *(api.send_text(u, "/hjalp" if u.language_code == "sv" else "/help") for u in users)
    )
    for user in users:
        reply = await api.next_message(user.id)
        if user.language_code == "en":
            assert "How to use the bot" in reply.plain_text
            assert "/privacy" in reply.plain_text
        else:
            assert "Så använder du boten" in reply.plain_text
            assert "/integritet" in reply.plain_text


async def test_language_choice_is_remembered_across_restart(runner: BotRunner) -> None:
    bot = await runner.start()
    api = bot.api
    eva = api.user(1003, language_code="sv")
    await api.send_text(eva, "/sprak")
    choice = await api.next_message(eva.id)
    await api.press(eva, choice, choice.callback_for("English"))
    confirmation = await api.next_message(eva.id)
    assert "English" in confirmation.plain_text or "safety bot" in confirmation.plain_text
    api.drain(eva.id)
    await runner.restart()
    await api.send_text(eva, "/start")
    reply = await api.next_message(eva.id)
    assert "safety bot" in reply.plain_text


async def test_cancel_outside_a_dialogue(bot: RunningBot) -> None:
    api = bot.api
    user = api.user(1004)
    await api.send_text(user, "/avbryt")
    reply = await api.next_message(user.id)
    assert "inget att avbryta" in reply.plain_text


async def test_command_menus_registered_per_language(bot: RunningBot) -> None:
    sv = bot.api.commands_for(language_code="sv")
    en = bot.api.commands_for(language_code="en")
    assert "tyck" in [c["command"] for c in sv]
    assert "feedback" in [c["command"] for c in en]
    assert all(c["command"].isascii() for c in sv)


async def test_unknown_button_is_answered_harmlessly(bot: RunningBot) -> None:
    api = bot.api
    user = api.user(1005)
    await api.send_text(user, "/start")
    menu = await api.next_message(user.id)
    query_id = await api.press(user, menu, "nonsense:that:bot:never:issued")
    answer = await api.wait_callback_answer(query_id)
    assert "inte längre aktiv" in (answer.get("text") or "")


def _env(api: OfflineBotApi, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "ADMIN_IDS")}
    env.update(
        BOT_TOKEN=TEST_TOKEN,
        TELEGRAM_API_URL=api.base_url,
        TELEGRAM_FILE_URL=api.base_file_url,
        DATABASE_PATH=str(tmp_path / "sub" / "bot.sqlite3"),
        PSEUDONYM_KEY="subprocess-test-key-123456",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


async def test_python_m_bot_subprocess_answers_start_and_stops_cleanly(
    api: OfflineBotApi, tmp_path: Path
) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=_env(api, tmp_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        user = api.user(1006, language_code="sv")
        await api.send_text(user, "/start")
        reply = await api.next_message(user.id, timeout=30)
        assert "trygghetsboten" in reply.plain_text
        assert (tmp_path / "sub" / "bot.sqlite3").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
    log = stderr.decode()
    assert proc.returncode == 0, log
    assert "Stopped cleanly" in log
    assert TEST_TOKEN.split(":")[1] not in log  # the token never reaches the log
    assert "Traceback" not in log


async def test_invalid_admin_ids_stops_startup_with_one_clear_line(
    api: OfflineBotApi, tmp_path: Path
) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=_env(api, tmp_path, ADMIN_IDS="abc"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
    lines = stderr.decode().strip().splitlines()
    assert proc.returncode == 2
    assert len(lines) == 1, lines
    assert "ADMIN_IDS" in lines[0] and "comma-separated" in lines[0]
    assert api.pending_updates == 0 and not any(m == "getUpdates" for m, _ in api.calls)


async def _one_line_failure(env: dict[str, str], cwd: Path) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 2
    last = stderr.decode().strip().splitlines()[-1]
    assert "Traceback" not in stderr.decode()
    return last


async def test_unusable_database_path_is_one_clear_line(api: OfflineBotApi, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    env = _env(api, tmp_path, DATABASE_PATH=str(blocker / "bot.sqlite3"))
    line = await _one_line_failure(env, tmp_path)
    assert line.startswith("trygghetsbot: Cannot open DATABASE_PATH")


async def test_unreachable_bot_api_is_one_clear_line(api: OfflineBotApi, tmp_path: Path) -> None:
    env = _env(api, tmp_path, TELEGRAM_API_URL="http://127.0.0.1:9/bot")
    line = await _one_line_failure(env, tmp_path)
    assert "Cannot reach the Bot API at 127.0.0.1:9" in line
    assert TEST_TOKEN not in line
