"""`make run` without a token: the terminal chat drives the real bot through the offline server."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.settings import Settings
from devkit.localchat import LocalChat, run_local_chat
from devkit.offline import OfflineBotApi


def _settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=None,
        database_path=tmp_path / "data" / "bot.sqlite3",
        admin_ids=(),
        pseudonym_key="local-chat-test-key-123456",
    )


async def test_local_chat_start_buttons_and_persona_switch(tmp_path: Path) -> None:
    out = io.StringIO()

    async def typed() -> AsyncIterator[str]:
        for line in ["1", ":vem resident", "/start", ":vem nobody", ":sluta", "never read"]:
            yield line + "\n"

    await run_local_chat(_settings(tmp_path), lines=typed, out=out)
    text = out.getvalue()
    # /start in Swedish with numbered menu buttons
    assert "Hej! Jag är trygghetsboten" in text
    assert "[1] ❓ Ställ en fråga" in text
    # pressing button 1 reached the bot and it answered
    assert "Skriv din fråga med egna ord" in text
    # switching persona: an English-speaking resident gets English
    assert "Du är nu John" in text
    assert "Hi! I am the safety bot" in text
    # an unknown persona shows the help instead of failing
    assert text.count(":vem NAMN") >= 2


async def test_local_chat_staff_personas_have_roles(tmp_path: Path) -> None:
    out = io.StringIO()

    async def typed() -> AsyncIterator[str]:
        for line in [":vem moderator", "/granska", ":vem invanare", "/granska"]:
            yield line + "\n"

    await run_local_chat(_settings(tmp_path), lines=typed, out=out)
    text = out.getvalue()
    segments = text.split("Du är nu ")
    moderator_part = next(s for s in segments if s.startswith("Maja"))
    resident_part = segments[-1]
    assert resident_part.startswith("Anna")
    assert "bara för moderatorer" not in moderator_part
    assert "bara för moderatorer" in resident_part


async def test_message_pushed_to_another_persona_is_announced_and_shown_on_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A council note or digest for someone else: its name at once, the message on :vem."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    out = io.StringIO()
    async with OfflineBotApi() as api, Bot("123:ABC", base_url=api.base_url) as bot:
        chat = LocalChat(api, out, "sv", tmp_path / "files")  # you are Anna (invånare)
        await bot.send_message(1001, "Hej Anna")
        await bot.send_message(
            1004,
            "<b>Veckans sammanfattning</b>\nTre nya synpunkter från Ålidhem",
            parse_mode=ParseMode.HTML,
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Visa", callback_data="d:1")]]
            ),
        )
        gone = await bot.send_message(1002, "A note that is taken back")
        await bot.delete_message(1002, gone.message_id)
        shown = out.getvalue()
        assert "Hej Anna" in shown
        assert (
            "📬 Till Rolf (rådsmedlem): Veckans sammanfattning · skriv :vem rad för att se det"
            in shown
        )
        assert "Tre nya synpunkter" not in shown  # not in Anna's chat

        await chat.handle(":vem rad")
        switched = out.getvalue()[len(shown) :]
        assert "Du är nu Rolf" in switched
        assert "── Boten, medan du var borta ──" in switched
        assert "Tre nya synpunkter från Ålidhem" in switched
        assert "[1] Visa" in switched
        await chat.handle("1")  # its button works, as Rolf
        (update,) = await bot.get_updates(timeout=timedelta(0))
        assert update.callback_query is not None
        assert update.callback_query.from_user.id == 1004
        assert update.callback_query.data == "d:1"

        await chat.handle(":vem resident")  # a message deleted before John looked: nothing
        await chat.handle(":vem rad")  # and Rolf's note is not shown twice
    text = out.getvalue()
    assert "A note that is taken back" not in text.split("Du är nu John", 1)[1]
    assert text.count("Tre nya synpunkter från Ålidhem") == 1


async def test_outside_a_checkout_python_m_bot_says_the_local_chat_needs_one(
    tmp_path: Path,
) -> None:
    """The installed product has no devkit/: without BOT_TOKEN it says so in one line."""
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "PYTHONPATH")}
    env["DATABASE_PATH"] = str(tmp_path / "data" / "bot.sqlite3")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,  # not the repository root: devkit is not importable
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)
    lines = stderr.decode().strip().splitlines()
    assert proc.returncode == 2
    assert lines[-1].startswith("trygghetsbot: BOT_TOKEN is not set")
    assert "devkit/" in lines[-1] and "Traceback" not in stderr.decode()
