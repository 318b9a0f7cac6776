"""/obesvarade and "Fick du svar?": what residents ask that the bot cannot answer, end to end
through the offline Bot API (stored redacted and without who asked, grouped, voted on)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import retention
from bot.context import BotContext
from devkit.offline.models import SentMessage
from storage import questions_log
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.staff import command, make_staff, press

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
MEMBER = 7301
PHONE_QUESTION = "Kan du ringa mig på 070-123 45 67 om när simhallen öppnar?"
ACCUSING = "Kalle Andersson på Ålidhem har stulit min cykel, vad gör ni åt det?"


def _votes(message: SentMessage) -> list[tuple[str, str | None]]:
    return [b for row in message.buttons for b in row if (b[1] or "").startswith("svar:")]


async def _ask(bot: RunningBot, user_id: int, text: str) -> SentMessage:
    return await command(bot.api, bot.api.user(user_id), text)


async def test_unanswered_questions_are_redacted_grouped_and_counted(bot: RunningBot) -> None:
    bot.services.clock = lambda: NOW
    await make_staff(bot.db, MEMBER, "council", "Rita Rådsmedlem")

    phone = await _ask(bot, 7401, PHONE_QUESTION)
    assert [label for label, _ in _votes(phone)] == ["👍 Fick svar", "👎 Fick inte svar"]
    await _ask(bot, 7402, "när öppnar simhallen?")
    await _ask(bot, 7403, "När öppnar simhallen")
    bus = await _ask(bot, 7404, "Hur mycket kostar ett busskort?")
    await _ask(bot, 7405, ACCUSING)
    answered = await _ask(bot, 7406, "vad är ett medborgarlöfte?")
    assert len(_votes(answered)) == 2

    # Stored redacted, never the accusing text, and nothing about who asked.
    rows = await bot.db.fetchall("SELECT * FROM question_log ORDER BY id")
    texts = [r["text"] for r in rows]
    assert "Kan du ringa mig på [telefonnummer] om när simhallen öppnar?" in texts
    assert not any("070" in t or "Kalle" in t for t in texts)
    assert set(rows[0].keys()) == {"id", "created_at", "band", "language", "text", "entry"}
    assert len(rows) == 4

    # One tap, once: the row goes away and the vote counts.
    down = _votes(bus)[1][1]
    assert down is not None
    answer = await press(bot.api, bot.api.user(7404), bus, down)
    assert "Tack" in answer.get("text", "")
    # A second tap (before the row went away) is thanked but not counted again.
    again = await press(bot.api, bot.api.user(7404), bus, down)
    assert "Tack" in again.get("text", "")
    await bot.api.wait_for(lambda: not _votes(bus) or None)
    up = _votes(answered)[0][1]
    assert up is not None
    await press(bot.api, bot.api.user(7406), answered, up)
    await bot.api.wait_for(lambda: not _votes(answered) or None)

    report = (await command(bot.api, bot.api.user(MEMBER), "/obesvarade")).plain_text
    assert "Frågor jag inte kunde svara på: december 2026" in report
    assert "Vem som frågade sparas aldrig" in report
    lines = report.splitlines()
    simhall = next(i for i, line in enumerate(lines) if "”När öppnar simhallen”" in line)
    assert "2 gånger" in lines[simhall + 1]
    bus_line = next(i for i, line in enumerate(lines) if "busskort" in line)
    assert "1 gång" in lines[bus_line + 1] and "👍 0 👎 1" in lines[bus_line + 1]
    # Newest first: the bus question was asked after the swimming-pool ones.
    assert bus_line < simhall
    assert "[telefonnummer]" in report and "070" not in report and "Kalle" not in report
    assert "Vad är ett medborgarlöfte?" in report or "medborgarlöfte" in report.split("Fick du")[-1]
    assert "👍 1 👎 0" in report.split("Fick du svar?")[-1]

    # A period people write works, and an empty one says so.
    older = (await command(bot.api, bot.api.user(MEMBER), "/obesvarade förra månaden")).plain_text
    assert "Inga obesvarade frågor under perioden" in older


async def test_who_may_see_unanswered_questions(bot: RunningBot) -> None:
    refused = await _ask(bot, 7501, "/obesvarade")
    assert "bara för rådets medlemmar" in refused.plain_text
    admin = await command(bot.api, bot.api.user(ADMIN_ID), "/unanswered")
    assert "Frågor jag inte kunde svara på" in admin.plain_text or "Questions" in admin.plain_text
    await make_staff(bot.db, 7502, "moderator")
    moderator = await _ask(bot, 7502, "/obesvarade")
    assert "bara för rådets medlemmar" in moderator.plain_text


async def test_retention_removes_old_question_text(bot: RunningBot) -> None:
    months = bot.services.settings.retention_months
    old = NOW - timedelta(days=31 * months + 5)
    await questions_log.log_question(
        bot.db, band="dont_know", language="sv", text="gammal fråga", entry=None, now=old
    )
    await questions_log.log_question(
        bot.db, band="dont_know", language="sv", text="ny fråga", entry=None, now=NOW
    )
    bot.services.clock = lambda: NOW
    await retention.purge(BotContext(bot.app), "no-drafts-here", timedelta(hours=1))
    rows = await bot.db.fetchall("SELECT text FROM question_log ORDER BY id")
    assert [r["text"] for r in rows] == [None, "ny fråga"]
