"""QA findings from walking the resident flows in the local chat, end to end."""

from __future__ import annotations

from tests.conftest import RunningBot
from tests.test_feedback_support import tap


async def test_focus_area_page_does_not_repeat_its_title(bot: RunningBot) -> None:
    """The page for "Öka förtroendet …" (no description beyond its title) printed it twice."""
    for lang, command, label in (
        ("sv", "/fokus", "Öka förtroendet"),
        ("en", "/focus", "Increase trust"),
    ):
        user = bot.api.user(7201 if lang == "sv" else 7202, language_code=lang)
        await bot.api.send_text(user, command)
        listing = await bot.api.next_message(user.id)
        await tap(bot.api, user, listing, label)
        detail = await bot.api.next_message(user.id)
        body = [line for line in detail.plain_text.splitlines() if line.strip()]
        assert body[0].startswith(label)
        assert sum(line.rstrip(".") == body[0] for line in body) == 1, detail.plain_text
