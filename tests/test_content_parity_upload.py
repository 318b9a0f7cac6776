"""/innehall warns when an uploaded file's English drops a caveat or changes a year that the
Swedish has (bot.content_parity), through the offline Bot API. The file is still accepted: the
administrator reads the warning and decides with Använd / Avbryt."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import yaml

from devkit.offline.models import SentMessage
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.staff import command, press

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CAVEAT = " We do not know their content, so we cannot say what they promise."
WARNING = "Obs: på de här ställena säger den engelska texten kanske inte samma sak"


async def _live(bot: RunningBot) -> dict[str, Any]:
    bot.services.clock = lambda: NOW
    doc = await command(bot.api, bot.api.user(ADMIN_ID, first_name="Alva"), "/innehall")
    data = yaml.safe_load((doc.file_bytes or b"").decode("utf-8"))
    return copy.deepcopy({k: v for k, v in data.items() if not str(k).startswith("x-")})


def _entry(data: dict[str, Any], entry_id: str) -> dict[str, Any]:
    return next(e for e in data["knowledge"] if e["id"] == entry_id)


async def _upload(bot: RunningBot, text: str, user: int = ADMIN_ID) -> SentMessage:
    await bot.api.send_document(
        user, filename="innehall.yaml", data=text.encode("utf-8"), mime_type="application/x-yaml"
    )
    return await bot.api.next_message(user, timeout=30)


async def test_a_dropped_caveat_and_a_changed_year_are_warned_about(bot: RunningBot) -> None:
    data = await _live(bot)
    promises = _entry(data, "lofte-2025-2027")
    assert CAVEAT in promises["answer"]["en"]
    promises["answer"]["en"] = promises["answer"]["en"].replace(CAVEAT, "")
    older = _entry(data, "lofte-2021-2022")
    older["answer"]["en"] = older["answer"]["en"].replace("2021–2022", "2021–2023", 1)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    reply = await _upload(bot, text)
    shown = reply.plain_text
    assert "Kunskapsbanken: ändrade lofte-2025-2027, lofte-2021-2022" in shown
    assert WARNING in shown
    lines = {line.split(": ", 1)[0]: line for line in shown.splitlines() if "knowledge." in line}
    caveat = next(v for k, v in lines.items() if k.endswith("knowledge.lofte-2025-2027.answer"))
    assert "ett förbehåll (”inte”, ”ingen” …) i den svenska texten saknas i den engelska" in caveat
    assert "den svenska texten har 4 meningar, den engelska 3" in caveat
    year = next(v for k, v in lines.items() if k.endswith("knowledge.lofte-2021-2022.answer"))
    assert "2022 står bara i den svenska texten; 2023 står bara i den engelska texten" in year
    # Each warning names the line of the text in the file the administrator sent.
    number = int(caveat.split(",", 1)[0].removeprefix("• Rad "))
    assert text.splitlines()[number - 1].strip() == "answer:"
    # Still accepted: the administrator decides.
    assert [label for row in reply.buttons for label, _ in row] == ["✅ Använd", "Avbryt"]
    await press(bot.api, bot.api.user(ADMIN_ID), reply, reply.callback_for("Avbryt"))

    # In English for an English-speaking administrator.
    bot.api.user(ADMIN_ID, first_name="Alva", language_code="en")
    shown = (await _upload(bot, text)).plain_text
    assert "the English text may not say the same as the Swedish" in shown
    assert "a caveat (“inte”, “ingen” …) in the Swedish text is missing from the English" in shown
    assert "2022 is only in the Swedish text; 2023 is only in the English text" in shown


async def test_a_consistent_change_gets_no_warning(bot: RunningBot) -> None:
    data = await _live(bot)
    promises = _entry(data, "lofte-2025-2027")
    promises["answer"]["sv"] += " Fråga gärna rådet."
    promises["answer"]["en"] += " Feel free to ask the council."
    reply = await _upload(bot, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert "Kunskapsbanken: ändrade lofte-2025-2027" in reply.plain_text
    assert WARNING not in reply.plain_text and "⚠️" not in reply.plain_text
