"""`make run` without a token: the terminal chat drives the real bot through the offline server."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

from bot.settings import Settings
from devkit.localchat import run_local_chat


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
