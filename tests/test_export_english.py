"""An English-speaking council member's exports (QA round): the spreadsheet says "other
districts" in English, and the CSV, whose values are the same in every language for programs,
has a caption that explains its "övriga områden" in English, with English quotation marks."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl

from storage import roles
from storage import summary as summary_repo
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.reports import seven_and_two

MEMBER = 4347
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def english_quotes(text: str) -> bool:
    """Every ” closes a “ (English “…”), none opens a quote as in Swedish ”…”."""
    depth = 0
    for char in text:
        depth += {"“": 1, "”": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


async def test_english_exports_explain_the_csv_values_in_english(bot: RunningBot) -> None:
    bot.services.clock = lambda: NOW
    await roles.grant(bot.db, MEMBER, "council", granted_by=ADMIN_ID)
    api = bot.api
    api.user(MEMBER, language_code="en")
    await summary_repo.insert_feedback(bot.db, seven_and_two())

    await api.send_text(MEMBER, "/export 2026-Q4")
    doc = await api.next_message(MEMBER)
    caption = doc.caption or ""
    rows = list(csv.DictReader(io.StringIO((doc.file_bytes or b"").decode("utf-8-sig"))))
    # The CSV's stable value, the same as for a Swedish member …
    assert {r["district"] for r in rows} == {"övriga områden"}
    assert {r["topic"] for r in rows} == {"övriga ämnen"}
    # … which the English caption names and explains.
    assert "“other districts” and “other topics”" in caption
    assert "In the CSV file they read “övriga områden” (other districts)" in caption
    assert english_quotes(caption)

    await api.send_text(MEMBER, "/export excel 2026-Q4")
    doc = await api.next_message(MEMBER)
    book = openpyxl.load_workbook(io.BytesIO(doc.file_bytes or b""))
    cells = [
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert "other districts" in cells and "other topics" in cells
    assert not [cell for cell in cells if "övriga" in cell]
    assert "In the CSV file" not in (doc.caption or "")  # the spreadsheet has no such values
    assert bot.errors == []
