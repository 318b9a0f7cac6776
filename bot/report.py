"""The annual follow-up ("ska årligen följas upp och redovisas") as one self-contained HTML file.

Charts are embedded as base64 PNG so the file can be mailed, opened offline and printed. The
same small-group rule as the chat summary applies: groups under 5 show "färre än 5", and ratings
from a suppressed district never enter any average. Every text from data or content is escaped.
"""

from __future__ import annotations

import base64
import html
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from babel.support import NullTranslations

from bot import charts
from bot.content import Council
from bot.i18n import TIMEZONE, format_date
from bot.labels import district_name, topic_name
from bot.periods import Period, quarter_period, year_period
from bot.summary import (
    Stat,
    change_text,
    count_text,
    rating_text,
)
from storage import summary as repo
from storage.db import Database
from storage.summary import GroupRow


@dataclass(frozen=True)
class Figures:
    """Counts per group plus the averages allowed by the small-group rule."""

    total: Stat
    by_district: dict[str, Stat]
    by_topic: dict[str, Stat]

    @classmethod
    def from_rows(cls, rows: list[GroupRow]) -> Figures:
        districts: dict[str, Stat] = defaultdict(Stat)
        for row in rows:
            districts[row.district] += Stat(row.count, row.rated, row.rating_sum)
        usable = {d for d, stat in districts.items() if stat.average is not None}
        # Counts come from every row; ratings only from districts large enough to be shown.
        topics: dict[str, Stat] = defaultdict(Stat)
        rated_total = Stat()
        for row in rows:
            keep = row.district in usable
            part = Stat(row.count, row.rated if keep else 0, row.rating_sum if keep else 0)
            topics[row.topic] += part
            rated_total += part
        count = sum(s.count for s in districts.values())
        return cls(
            Stat(count, rated_total.rated, rated_total.rating_sum), dict(districts), dict(topics)
        )


@dataclass(frozen=True)
class AnnualReport:
    year: int
    period: Period
    current: Figures
    previous: Figures
    quarters: list[tuple[int, Figures]]


async def compute_report(db: Database, year: int) -> AnnualReport:
    period = year_period(year)
    previous = year_period(year - 1)
    current_rows = await repo.group_counts(db, period.start_iso, period.end_iso)
    previous_rows = await repo.group_counts(db, previous.start_iso, previous.end_iso)
    quarters = []
    for q in range(1, 5):
        qp = quarter_period(year, q)
        quarters.append(
            (q, Figures.from_rows(await repo.group_counts(db, qp.start_iso, qp.end_iso)))
        )
    return AnnualReport(
        year, period, Figures.from_rows(current_rows), Figures.from_rows(previous_rows), quarters
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}">'


CSS = """
body { font-family: "Segoe UI", Arial, sans-serif; color: #1a1a1a; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1f5f99; padding-bottom: .2rem;
     margin-top: 2rem; }
.meta { color: #555; }
.keys { display: flex; gap: 1rem; flex-wrap: wrap; }
.key { border: 1px solid #ccc; border-radius: 6px; padding: .6rem 1rem; min-width: 12rem; }
.key strong { display: block; font-size: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
td.num, th.num { text-align: right; white-space: nowrap; }
img { max-width: 100%; height: auto; }
.note { color: #555; font-size: .9rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  table, img, .key { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _count(stat: Stat, t: NullTranslations, locale: str) -> str:
    return count_text(stat, t, locale)


def _avg(stat: Stat, locale: str) -> str:
    return rating_text(stat.average, locale) if stat.average is not None else "–"


def render_report(
    report: AnnualReport,
    council: Council,
    t: NullTranslations,
    locale: str,
    generated: datetime,
) -> str:
    """The whole HTML document."""
    _ = t.gettext
    cur, prev = report.current, report.previous
    # Headings and column names (gettext calls kept outside f-strings so they are extracted).
    h_year = _e(_("Året i siffror"))
    h_feedback = _e(_("Synpunkter"))
    h_safety = _e(_("Upplevd trygghet (1–5)"))
    h_goals = _e(_("Överenskommelsens mål"))
    h_areas = _e(_("Fokusområden"))
    h_area = _e(_("Fokusområde"))
    h_says = _e(_("Vad överenskommelsen säger"))
    h_safe = _e(_("Trygghet"))
    h_prev = _e(_("Föregående år"))
    h_trend = _e(_("Kvartal för kvartal"))
    h_quarter = _e(_("Kvartal"))
    h_by_district = _e(_("Per område"))
    h_district = _e(_("Område"))
    h_none = _e(_("Inga synpunkter under året."))
    h_about = _e(_("Om siffrorna"))
    name = council.name.get(locale)
    title = _("Årlig uppföljning {year}").format(year=report.year)
    parts: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(locale)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)} – {_e(name)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(name)} · {_e(report.period.range_text(locale))} · '
        + _e(_("skapad {date}").format(date=format_date(generated, locale)))
        + "</p>",
        f"<p>{_e(council.agreement.follow_up.get(locale))}</p>",
    ]
    if report.year == generated.astimezone(TIMEZONE).year:
        # A report for the running year must not read like a whole year's figures.
        parts.append(
            "<p class='note' id='incomplete'>"
            + _e(
                _("Året är inte slut: siffrorna gäller till och med {date}.").format(
                    date=format_date(generated, locale)
                )
            )
            + "</p>"
        )
    # Key figures.
    change = (
        change_text(cur.total.average - prev.total.average, locale)
        if cur.total.average is not None and prev.total.average is not None
        else "–"
    )
    parts += [
        f"<h2>{h_year}</h2>",
        '<div class="keys">',
        f'<div class="key">{h_feedback}<strong id="total">'
        f"{_e(_count(cur.total, t, locale))}</strong>"
        + _e(_("föregående år: {n}").format(n=_count(prev.total, t, locale)))
        + "</div>",
        f'<div class="key">{h_safety}<strong id="average">'
        f"{_e(_avg(cur.total, locale))}</strong>"
        + _e(_("förändring mot föregående år: {change}").format(change=change))
        + "</div>",
        "</div>",
    ]
    # Goals of the agreement.
    parts += [
        f"<h2>{h_goals}</h2>",
        f"<p class='note'>{_e(council.agreement.title.get(locale))}. "
        # The 2021–2024 agreement runs on until a new one is signed (from the content file).
        f"<span id='prolongation'>{_e(council.agreement.prolongation.get(locale))}</span></p><ul>",
        *[f"<li>{_e(goal.text.get(locale))}</li>" for goal in council.goals],
        "</ul>",
    ]
    # Focus areas beside the figures.
    parts += [
        f"<h2>{h_areas}</h2>",
        "<table><thead><tr>",
        f"<th>{h_area}</th><th>{h_says}</th>",
        f"<th class='num'>{h_feedback}</th>",
        f"<th class='num'>{h_safe}</th>",
        f"<th class='num'>{h_prev}</th>",
        "</tr></thead><tbody>",
    ]
    topic_ids = [f.id for f in council.focus_areas] + sorted(
        k for k in cur.by_topic if council.focus_area(k) is None
    )
    for topic_id in topic_ids:
        stat = cur.by_topic.get(topic_id, Stat())
        area = council.focus_area(topic_id)
        parts.append(
            "<tr>"
            f"<td>{_e(topic_name(council, topic_id, locale, t.gettext))}</td>"
            f"<td>{_e(area.description.get(locale) if area else '')}</td>"
            f"<td class='num' data-topic='{_e(topic_id)}'>{_e(_count(stat, t, locale))}</td>"
            f"<td class='num'>{_e(_avg(stat, locale))}</td>"
            f"<td class='num'>{_e(_count(prev.by_topic.get(topic_id, Stat()), t, locale))}</td>"
            "</tr>"
        )
    parts.append("</tbody></table>")
    # Quarter by quarter.
    points = []
    parts += [
        f"<h2>{h_trend}</h2>",
        "<table><thead><tr>",
        f"<th>{h_quarter}</th><th class='num'>{h_feedback}</th>",
        f"<th class='num'>{h_safe}</th></tr></thead><tbody>",
    ]
    for q, figures in report.quarters:
        label = _("K{quarter}").format(quarter=q)
        points.append((label, figures.total))
        parts.append(
            f"<tr><td>{_e(label)}</td>"
            f"<td class='num' data-quarter='{q}'>{_e(_count(figures.total, t, locale))}</td>"
            f"<td class='num'>{_e(_avg(figures.total, locale))}</td></tr>"
        )
    parts.append("</tbody></table>")
    trend_title = _("Synpunkter och trygghet per kvartal {year}").format(year=report.year)
    parts.append(_img(charts.trend_chart(points, trend_title, t, locale), trend_title))
    # Per district.
    order = {d.id: i for i, d in enumerate(council.districts)}
    districts = sorted(cur.by_district.items(), key=lambda kv: order.get(kv[0], len(order)))
    parts += [
        f"<h2>{h_by_district}</h2>",
        "<table><thead><tr>",
        f"<th>{h_district}</th><th class='num'>{h_feedback}</th>",
        f"<th class='num'>{h_safe}</th>",
        f"<th class='num'>{h_prev}</th></tr></thead><tbody>",
    ]
    for district_id, stat in districts:
        parts.append(
            f"<tr><td>{_e(district_name(council, district_id, locale, t.gettext))}</td>"
            f"<td class='num' data-district='{_e(district_id)}'>"
            f"{_e(_count(stat, t, locale))}</td>"
            f"<td class='num'>{_e(_avg(stat, locale))}</td>"
            f"<td class='num'>{_e(_count(prev.by_district.get(district_id, Stat()), t, locale))}"
            "</td></tr>"
        )
    if not districts:
        parts.append(f"<tr><td colspan='4'>{h_none}</td></tr>")
    parts.append("</tbody></table>")
    bars = [
        charts.Bar(district_name(council, d, locale, t.gettext), stat)
        for d, stat in sorted(districts, key=lambda kv: -kv[1].count)
    ]
    district_title = _("Per område {year}").format(year=report.year)
    parts.append(_img(charts.bars_chart(bars, district_title, t, locale), district_title))
    parts += [
        f"<h2>{h_about}</h2>",
        "<p class='note'>"
        + _e(
            _(
                "Siffrorna bygger på synpunkter som invånare har lämnat via trygghetsboten: "
                "de som väntar på granskning och de som är godkända. Avvisade synpunkter räknas "
                "inte. Upplevd trygghet är invånarnas egen bedömning på en skala från 1 (mycket "
                "otryggt) till 5 (mycket tryggt). Det är inte en statistisk undersökning."
            )
        )
        + "</p>",
        "<p class='note'>"
        + _e(
            _(
                "Grupper med färre än 5 synpunkter visas som ”färre än 5” och räknas inte in i "
                "något snitt, så att ingen enskild invånare kan pekas ut."
            )
        )
        + "</p>",
        "</body></html>",
    ]
    return "\n".join(parts)
