"""Feedback rows for a period as a file: CSV for machines, .xlsx (openpyxl) for people.

The same small-group rules as every other output (bot.suppression): a row from a district, or
from a district × topic, hidden in the row's own month (fewer than 5 feedback, or hidden so
that a small group cannot be worked out by subtraction) loses its district ("övriga
områden"), its topic ("övriga ämnen": the topics of generalised rows would add up to a small
topic), its id, its language and its text. Every time is a whole local date. Rejected
feedback is not exported (it is not counted anywhere either). Text is included only for
approved feedback (a moderator has read it); pseudonyms never leave the database. Cells that
a spreadsheet would run as a formula get a leading apostrophe.

The CSV's columns are stable (see :data:`COLUMNS` and docs/reports.md):
``id`` (empty when generalised), ``created_at`` (local date, YYYY-MM-DD), ``district`` (slug,
or "övriga områden"), ``topic`` (slug — an older row's id as the topic it counts as today,
bot.labels.topic_aliases — or "övriga ämnen"), ``rating`` (1–5 or empty),
``status`` (pending/approved), ``language`` (sv/en, empty when generalised), ``text``
(approved and not generalised only), ``generalised`` (empty, or "district topic id language
text": what this row lost).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.support import NullTranslations
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from bot.content import Council
from bot.i18n import N_, TIMEZONE
from bot.labels import district_name, topic_name
from bot.summary import OTHER_DISTRICTS, OTHER_TOPICS, Stat, Summary, count_text
from bot.suppression import Protection
from storage.summary import ExportRow

COLUMNS = (
    "id",
    "created_at",
    "district",
    "topic",
    "rating",
    "status",
    "language",
    "text",
    "generalised",
)
OTHER = "övriga områden"  # the CSV's stable value for a generalised district
OTHER_TOPIC = "övriga ämnen"  # … and for its topic
GENERALISED = "district topic id language text"
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Column names of the spreadsheet (people read it, so names, not slugs).
HEADERS = (
    N_("Datum"),
    N_("Område"),
    N_("Ämne"),
    N_("Trygghet (1–5)"),
    N_("Status"),
    N_("Text"),
)
STATUS = {"pending": N_("väntar på granskning"), "approved": N_("godkänd")}


@dataclass(frozen=True)
class Line:
    """One exported row after the small-group rules."""

    id: int | None
    day: date  # local date
    district: str | None  # None: "övriga områden"
    topic: str | None  # None: "övriga ämnen" (a generalised row loses its topic too)
    rating: int | None
    status: str
    language: str
    text: str

    @property
    def generalised(self) -> bool:
        return self.district is None


def local_day(created_at: str) -> date:
    """A stored UTC time as the local (Swedish) date it was sent."""
    moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    return moment.astimezone(TIMEZONE).date()


def generalise(
    rows: Sequence[ExportRow], protection: Protection, *, drop_hidden: bool = False
) -> list[Line]:
    """Apply the small-group rules, row by row in the row's own month (bot.suppression), so a
    row looks the same in every export. ``drop_hidden`` (a file filtered to some districts,
    where "övriga områden" would not hide the district) leaves hidden rows out instead. Rows
    from a month whose whole-municipality figure is hidden are left out: their number and
    dates would give that figure."""
    lines: list[Line] = []
    for row in rows:
        if row.status == "rejected" or protection.row_dropped_at(row.created_at):
            continue
        hidden = protection.row_hidden_at(row.district, row.topic, row.created_at)
        if hidden and drop_hidden:
            continue
        lines.append(
            Line(
                None if hidden else row.id,
                local_day(row.created_at),
                None if hidden else row.district,
                None if hidden else row.topic,
                row.rating,
                row.status,
                "" if hidden else row.language,
                "" if hidden or row.status != "approved" else row.text,
            )
        )
    # Generalised rows carry no order of arrival: date, then topic and rating.
    lines.sort(
        key=lambda x: (x.day, x.generalised, x.id or 0, x.topic or "", x.rating or 0, x.status)
    )
    return lines


def _safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in free text."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(lines: Sequence[Line]) -> bytes:
    """The CSV file as bytes (BOM + header + one line per row, CRLF line ends as Excel expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow(
            [
                "" if line.id is None else line.id,
                line.day.isoformat(),
                OTHER if line.district is None else line.district,
                OTHER_TOPIC if line.topic is None else line.topic,
                "" if line.rating is None else line.rating,
                line.status,
                line.language,
                _safe_cell(line.text),
                GENERALISED if line.generalised else "",
            ]
        )
    return (BOM + buffer.getvalue()).encode("utf-8")


def notes(
    t: NullTranslations,
    generalised: int,
    dropped: bool,
    left_out: bool = False,
    *,
    csv_file: bool = False,
) -> list[str]:
    """What the file generalised, in words (the caption and the spreadsheet say it). A CSV
    file holds the stable values "övriga områden" and "övriga ämnen" in every language (for
    programs, docs/reports.md); ``csv_file`` says so where the reader's words differ."""
    _ = t.gettext
    out = [
        _("Tider visas som hela datum (svensk tid), utan klockslag."),
        _("Avvisade synpunkter är inte med. Text finns bara för godkända synpunkter."),
    ]
    if generalised:
        out.append(
            _(
                "Rader från områden, eller område och ämne, med färre än 5 synpunkter under "
                "sin månad (och ibland en grupp till, så att ingen kan räknas fram) visas som "
                "”övriga områden” och ”övriga ämnen”, utan text, språk och id."
            )
        )
        if csv_file and (_(OTHER_DISTRICTS), _(OTHER_TOPICS)) != (OTHER, OTHER_TOPIC):
            out.append(
                _(
                    "I CSV-filen står de som ”{districts}” och ”{topics}” i kolumnerna "
                    "district och topic, på alla språk, så att program kan läsa filen."
                ).format(districts=OTHER, topics=OTHER_TOPIC)
            )
    if dropped:
        out.append(_("Rader från små grupper är inte med, eftersom filen gäller ett visst område."))
    if left_out:
        out.append(
            _(
                "Rader från månader med för få synpunkter i hela kommunen är inte med, så att "
                "ingen månad kan räknas fram ur året eller kvartalet."
            )
        )
    return out


def to_xlsx(
    lines: Sequence[Line],
    summary: Summary,
    council: Council,
    t: NullTranslations,
    locale: str,
    about: Sequence[str],
) -> bytes:
    """Two sheets: the rows (names, local dates) and the totals (the summary's figures, so the
    spreadsheet hides exactly what the chat summary hides), plus what was generalised."""
    _ = t.gettext
    # Write-only: rows stream to the file, so a year of rows stays quick and small in memory.
    book = Workbook(write_only=True)
    rows_sheet = book.create_sheet(_("Synpunkter")[:31])
    for column, width in zip("ABCDEF", (12, 30, 34, 14, 22, 60), strict=True):
        rows_sheet.column_dimensions[column].width = width
    rows_sheet.append([_bold(rows_sheet, _(h)) for h in HEADERS])
    places = {d.id: district_name(council, d.id, locale, _) for d in council.districts}
    topics: dict[str, str] = {}
    statuses = {key: _(value) for key, value in STATUS.items()}
    other = _(OTHER_DISTRICTS)
    other_topic = _(OTHER_TOPICS)
    for line in lines:
        day = WriteOnlyCell(rows_sheet, value=line.day)
        day.number_format = "yyyy-mm-dd"
        if line.topic is not None and line.topic not in topics:
            topics[line.topic] = topic_name(council, line.topic, locale, _, with_area=True)
        place = other if line.district is None else places.get(line.district)
        rows_sheet.append(
            [
                day,
                place or district_name(council, line.district, locale, _),
                other_topic if line.topic is None else topics[line.topic],
                line.rating,
                statuses.get(line.status, line.status),
                _safe_cell(line.text),
            ]
        )

    totals = book.create_sheet(_("Summor")[:31])
    totals.column_dimensions["A"].width = 40
    totals.column_dimensions["B"].width = 40
    totals.append([_("Period"), summary.period.title(t, locale)])
    total: int | str = (
        _count(summary.total, t, locale)
        if summary.total_shown
        else count_text(summary.total, t, locale, shown=False)
    )
    totals.append([_("Antal synpunkter"), total])
    totals.append([])
    totals.append([_("Område"), _("Antal synpunkter")])
    for district_id, stat in summary.by_district if summary.figures_shown else []:
        totals.append([district_name(council, district_id, locale, _), _count(stat, t, locale)])
    if summary.figures_shown and summary.other_districts.count:
        totals.append([_(OTHER_DISTRICTS), _count(summary.other_districts, t, locale)])
    totals.append([])
    totals.append([_("Ämne"), _("Antal synpunkter")])
    for topic_id, stat in summary.by_topic if summary.figures_shown else []:
        totals.append(
            [topic_name(council, topic_id, locale, _, with_area=True), _count(stat, t, locale)]
        )
    if summary.figures_shown and summary.other_topics.count:
        totals.append([_(OTHER_TOPICS), _count(summary.other_topics, t, locale)])
    totals.append([])
    totals.append([_("Om filen")])
    for line_text in about:
        totals.append([line_text])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bold(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def _count(stat: Stat, t: NullTranslations, locale: str) -> int | str:
    """A number cell when it may be shown, otherwise the words ("färre än 5")."""
    return stat.count if stat.count_shown else count_text(stat, t, locale)


def filename(label: str, t: NullTranslations, extension: str = "csv") -> str:
    """A file name safe on every OS, in the reader's language, from a period label
    ("kvartal 3 2024" → "synpunkter_kvartal_3_2024.csv", "feedback_…" in English)."""
    clean = "".join(c if c.isalnum() or c in "-_" else "_" for c in label).strip("_")
    return t.gettext("synpunkter_{label}.csv").format(label=clean or "export")[:-3] + extension
