"""CSV export of feedback for a period: UTF-8 with BOM so Excel shows å/ä/ö, one header row.

Text is included only for approved feedback (a moderator has read it); pseudonyms never leave
the database. Cells that a spreadsheet would run as a formula get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from babel.support import NullTranslations

from storage.summary import ExportRow

COLUMNS = ("id", "created_at", "district", "topic", "rating", "status", "language", "text")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in free text."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(rows: Sequence[ExportRow]) -> bytes:
    """The CSV file as bytes (BOM + header + one line per row, CRLF line ends as Excel expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.id,
                row.created_at,
                row.district,
                row.topic,
                "" if row.rating is None else row.rating,
                row.status,
                row.language,
                _safe_cell(row.text) if row.status == "approved" else "",
            ]
        )
    return (BOM + buffer.getvalue()).encode("utf-8")


def filename(label: str, t: NullTranslations) -> str:
    """A file name safe on every OS, in the reader's language, from a period label
    ("2024-Q3" → "synpunkter_2024-Q3.csv", "feedback_2024-Q3.csv" in English)."""
    clean = "".join(c if c.isalnum() or c in "-_" else "_" for c in label).strip("_")
    return t.gettext("synpunkter_{label}.csv").format(label=clean or "export")
