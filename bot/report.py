"""The annual follow-up ("ska årligen följas upp och redovisas") as one self-contained HTML file.

Charts are embedded as base64 PNG so the file can be mailed, opened offline and printed. The
same small-group rule as the chat summary applies: groups under 5 show "färre än 5", and ratings
from a suppressed district never enter any average. Every text from data or content is escaped.
"""

from __future__ import annotations

import base64
import html
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from babel.support import NullTranslations

from bot import charts
from bot.content import Council
from bot.i18n import TIMEZONE, format_date
from bot.labels import area_groups, district_name, most_first, topic_name
from bot.periods import Period, quarter_period, year_period
from bot.summary import (
    OTHER_DISTRICTS,
    OTHER_TOPICS,
    Stat,
    change_text,
    count_text,
    rating_text,
    safe_average,
)
from bot.suppression import SMALL_GROUP, Protection, period_view, protect
from storage.db import Database
from storage.summary import NO_ALIASES, GroupRow


@dataclass(frozen=True)
class Figures:
    """Counts per group plus what the small-group rules (bot.summary) let the report show."""

    total: Stat
    by_district: dict[str, Stat]
    by_topic: dict[str, Stat]
    hidden_districts: frozenset[str] = frozenset()
    hidden_topics: frozenset[str] = frozenset()
    average: float | None = None
    total_hidden: bool = False

    @classmethod
    def from_rows(cls, rows: list[GroupRow], protection: Protection | None = None) -> Figures:
        """``protection`` comes from the year's plan (bot.suppression); alone, the rows'
        own table decides."""
        districts: dict[str, Stat] = defaultdict(Stat)
        topics: dict[str, Stat] = defaultdict(Stat)
        protection = protection or Protection.from_rows(rows)
        for row in rows:
            districts[row.district] += Stat(row.count, row.rated, row.rating_sum)
            if not protection.row_hidden(row.district, row.topic):
                # Topics count only rows that keep their district (see bot.summary).
                topics[row.topic] += Stat(row.count, row.rated, row.rating_sum)
        for row in rows:
            topics.setdefault(row.topic, Stat())  # a topic whose rows are all hidden
        total = sum(districts.values(), Stat())
        hidden = protection.districts
        hidden_topics = protect({k: v.count for k, v in topics.items()}) | {
            k for k, v in topics.items() if not v.count
        }
        average = (
            safe_average(
                [s for d, s in districts.items() if d not in hidden],
                [s for d, s in districts.items() if d in hidden],
            )
            if total.shown
            else None
        )
        return cls(
            total,
            dict(districts),
            dict(topics),
            hidden,
            hidden_topics,
            average if not protection.total_hidden else None,
            protection.total_hidden or 0 < total.count < SMALL_GROUP,
        )

    @property
    def other_districts(self) -> Stat:
        return sum((self.by_district[d] for d in self.hidden_districts), Stat())


@dataclass(frozen=True)
class AnnualReport:
    year: int
    period: Period
    current: Figures
    previous: Figures
    quarters: list[tuple[int, Figures]]
    hidden_quarters: frozenset[str] = frozenset()  # the year's plan hides these quarters


async def compute_report(
    db: Database, year: int, aliases: Mapping[str, str] = NO_ALIASES
) -> AnnualReport:
    """The year, the previous year and the four quarters, all from the years' plans, so the
    report hides exactly what the summaries of the same periods hide (older topic ids in
    ``aliases``, bot.labels.topic_aliases, counted as their current topic, as there)."""
    period = year_period(year)
    current = await period_view(db, period, aliases)
    previous = await period_view(db, year_period(year - 1), aliases)
    quarters = []
    for q in range(1, 5):
        view = await period_view(db, quarter_period(year, q), aliases)
        quarters.append((q, Figures.from_rows(view.rows, view.protection)))
    return AnnualReport(
        year,
        period,
        Figures.from_rows(current.rows, current.protection),
        Figures.from_rows(previous.rows, previous.protection),
        quarters,
        frozenset(str(q) for q, f in quarters if f.total_hidden),
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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


def _hidden(t: NullTranslations, locale: str) -> str:
    return count_text(Stat(), t, locale, shown=False)


def _figure(value: float | None, locale: str) -> str:
    return rating_text(value, locale) if value is not None else "–"


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
    h_area = _e(_("Fokusområde och ämne"))
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
        change_text(cur.average - prev.average, locale)
        if cur.average is not None and prev.average is not None
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
        f"{_e(_figure(cur.average, locale))}</strong>"
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
    # Focus areas beside the figures: each area's figure is the sum of the topic rows under it.
    parts += [
        f"<h2>{h_areas}</h2>",
        "<table><thead><tr>",
        f"<th>{h_area}</th><th>{h_says}</th>",
        f"<th class='num'>{h_feedback}</th>",
        f"<th class='num'>{h_safe}</th>",
        f"<th class='num'>{h_prev}</th>",
        "</tr></thead><tbody>",
    ]

    def topic_cells(figures: Figures, topic_id: str) -> tuple[str, str]:
        """A topic's count and average as shown ("dolt" and "–" when hidden)."""
        if topic_id in figures.hidden_topics:
            return _hidden(t, locale), "–"
        stat = figures.by_topic.get(topic_id, Stat())
        return _count(stat, t, locale), _avg(stat, locale)

    def area_cells(figures: Figures, members: list[str]) -> tuple[str, str]:
        """The sum of the shown topic figures under an area, so it adds nothing a reader could
        not add up from the rows below it (hidden rows stay in "övriga ämnen")."""
        shown = [figures.by_topic.get(m, Stat()) for m in members if m not in figures.hidden_topics]
        stat = sum(shown, Stat())
        if not stat.count and any(m in figures.hidden_topics for m in members):
            return _hidden(t, locale), "–"
        return _count(stat, t, locale), _figure(safe_average(shown), locale)

    for area, members in area_groups(council, [*cur.by_topic, *prev.by_topic]):
        if area is not None:
            count, average = area_cells(cur, members)
            parts.append(
                "<tr class='area'>"
                f"<th scope='row'>{_e(area.title.get(locale))}</th>"
                f"<td>{_e(area.description.get(locale))}</td>"
                f"<td class='num' data-area='{_e(area.id)}'>{_e(count)}</td>"
                f"<td class='num'>{_e(average)}</td>"
                f"<td class='num'>{_e(area_cells(prev, members)[0])}</td>"
                "</tr>"
            )
        # An area without resident topics is its own (older) rows: no line below it.
        for topic_id in members if area is None or members != [area.id] else ():
            count, average = topic_cells(cur, topic_id)
            label = (
                _("Äldre synpunkter om hela fokusområdet")
                if area is not None and topic_id == area.id
                else topic_name(council, topic_id, locale, t.gettext)
            )
            indent = "– " if area is not None else ""
            parts.append(
                f"<tr><td>{_e(indent + label)}</td><td></td>"
                f"<td class='num' data-topic='{_e(topic_id)}'>{_e(count)}</td>"
                f"<td class='num'>{_e(average)}</td>"
                f"<td class='num'>{_e(topic_cells(prev, topic_id)[0])}</td>"
                "</tr>"
            )
    other_topics = cur.total.count - sum(
        s.count for k, s in cur.by_topic.items() if k not in cur.hidden_topics
    )
    if other_topics and cur.total.shown:
        parts.append(
            f"<tr><td>{_e(_capital(_(OTHER_TOPICS)))}</td><td></td>"
            f"<td class='num' data-topic='ovriga'>{other_topics}</td>"
            "<td class='num'>–</td><td class='num'>–</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append(
        "<p class='note'>"
        + _e(
            _(
                "Ett fokusområdes siffra är summan av ämnena under det. Synpunkter från "
                "grupper med färre än 5 räknas inte under sitt ämne utan under ”övriga ämnen”."
            )
        )
        + "</p>"
    )
    # Quarter by quarter.
    points = []
    parts += [
        f"<h2>{h_trend}</h2>",
        "<table><thead><tr>",
        f"<th>{h_quarter}</th><th class='num'>{h_feedback}</th>",
        f"<th class='num'>{h_safe}</th></tr></thead><tbody>",
    ]
    # The quarters add up to the year: the year's plan hides one more when one is small.
    hidden_quarters = report.hidden_quarters
    hidden_labels: set[str] = set()
    for q, figures in report.quarters:
        label = _("K{quarter}").format(quarter=q)
        points.append((label, figures.total))
        shown = str(q) not in hidden_quarters
        if not shown:
            hidden_labels.add(label)
        parts.append(
            f"<tr><td>{_e(label)}</td>"
            f"<td class='num' data-quarter='{q}'>"
            f"{_e(_count(figures.total, t, locale) if shown else _hidden(t, locale))}</td>"
            f"<td class='num'>{_e(_figure(figures.average, locale) if shown else '–')}</td></tr>"
        )
    parts.append("</tbody></table>")
    trend_title = _("Synpunkter och trygghet per kvartal {year}").format(year=report.year)
    parts.append(
        _img(charts.trend_chart(points, trend_title, t, locale, hidden_labels), trend_title)
    )
    # Per district.
    districts = sorted(
        ((d, s) for d, s in cur.by_district.items() if d not in cur.hidden_districts),
        key=lambda kv: most_first(council, kv[0], kv[1].count),
    )
    parts += [
        f"<h2>{h_by_district}</h2>",
        "<table><thead><tr>",
        f"<th>{h_district}</th><th class='num'>{h_feedback}</th>",
        f"<th class='num'>{h_safe}</th>",
        f"<th class='num'>{h_prev}</th></tr></thead><tbody>",
    ]

    def prev_district(district_id: str) -> str:
        if district_id in prev.hidden_districts:
            return _hidden(t, locale)
        return _count(prev.by_district.get(district_id, Stat()), t, locale)

    for district_id, stat in districts:
        parts.append(
            f"<tr><td>{_e(district_name(council, district_id, locale, t.gettext))}</td>"
            f"<td class='num' data-district='{_e(district_id)}'>"
            f"{_e(_count(stat, t, locale))}</td>"
            f"<td class='num'>{_e(_avg(stat, locale))}</td>"
            f"<td class='num'>{_e(prev_district(district_id))}</td></tr>"
        )
    other = cur.other_districts
    if other.count:
        parts.append(
            f"<tr><td>{_e(_capital(_(OTHER_DISTRICTS)))}</td>"
            f"<td class='num' data-district='ovriga'>{_e(_count(other, t, locale))}</td>"
            "<td class='num'>–</td><td class='num'>–</td></tr>"
        )
    if not districts and not other.count:
        parts.append(f"<tr><td colspan='4'>{h_none}</td></tr>")
    parts.append("</tbody></table>")
    bars = [charts.Bar(district_name(council, d, locale, t.gettext), stat) for d, stat in districts]
    if other.count:
        bars.append(charts.Bar(_capital(_(OTHER_DISTRICTS)), Stat(other.count)))
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
                "Områden med färre än 5 synpunkter visas inte för sig utan som ”övriga "
                "områden”; ämnen och kvartal med färre än 5 visas som ”dolt”. När en grupp "
                "döljs, döljs också den näst minsta, så att ingen liten grupp kan räknas fram "
                "ur summan. Snitten tar med de dolda grupperna bara när de tillsammans har "
                "minst 5 svar, så att ingen enskild invånare kan pekas ut."
            )
        )
        + "</p>",
        "</body></html>",
    ]
    return "\n".join(parts)
