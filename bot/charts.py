"""Charts as PNG bytes, sized to be read on a phone and printed in the annual report.

matplotlib's object API with the Agg canvas is used (never pyplot): no global state, no GUI,
safe to call from a worker thread (``asyncio.to_thread``) so the event loop keeps serving.
Suppressed groups (fewer than 5) get no bar and no value, only the words "färre än 5" (or
"dolt"); hidden districts appear only together, as "övriga områden", as in the text summary.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from babel.support import NullTranslations
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.content import Council
from bot.i18n import format_number
from bot.labels import district_name
from bot.summary import FEWER_THAN, HIDDEN, OTHER_DISTRICTS, Stat, Summary

DPI = 150
COUNT_COLOUR = "#1f5f99"
SAFETY_COLOUR = "#2e8b57"
MUTED = "#666666"


@dataclass(frozen=True)
class Bar:
    label: str
    stat: Stat


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def bars_chart(
    bars: Sequence[Bar], title: str, t: NullTranslations, locale: str, subtitle: str = ""
) -> bytes:
    """Two panels sharing the labels: feedback count and average perceived safety (1–5)."""
    _ = t.gettext
    n = max(len(bars), 1)
    fig = Figure(figsize=(8, 1.6 + 0.42 * n))
    ax_count, ax_safe = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    positions = list(range(len(bars)))[::-1]  # first bar on top
    labels = [b.label for b in bars]
    max_count = max((b.stat.count for b in bars if b.stat.shown), default=0) or 1
    for y, bar in zip(positions, bars, strict=True):
        if bar.stat.count_shown:
            ax_count.barh(y, bar.stat.count, color=COUNT_COLOUR)
            ax_count.text(
                bar.stat.count + max_count * 0.02,
                y,
                format_number(bar.stat.count, locale),
                va="center",
                fontsize=10,
            )
        else:
            ax_count.text(max_count * 0.02, y, _(FEWER_THAN), va="center", fontsize=10, color=MUTED)
        average = bar.stat.average
        if average is not None:
            ax_safe.barh(y, average, color=SAFETY_COLOUR)
            ax_safe.text(
                average + 0.08, y, format_number(average, locale, 1), va="center", fontsize=10
            )
        else:
            ax_safe.text(0.08, y, "–", va="center", fontsize=10, color=MUTED)
    ax_count.set_yticks(positions, labels, fontsize=11)
    ax_count.set_ylim(-0.6, n - 0.4)
    ax_count.set_xlim(0, max_count * 1.3)
    ax_count.set_title(_("Antal synpunkter"), fontsize=12)
    ax_safe.set_xlim(0, 5.9)
    ax_safe.set_xticks([1, 2, 3, 4, 5])
    ax_safe.set_title(_("Upplevd trygghet (1–5)"), fontsize=12)
    for ax in (ax_count, ax_safe):
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=9)
    if not bars:
        ax_count.text(0.5, 0.5, _("Inga synpunkter"), transform=ax_count.transAxes, ha="center")
    fig.suptitle(title, fontsize=14, fontweight="bold")
    if subtitle:
        fig.text(0.5, 0.005, subtitle, ha="center", fontsize=9, color=MUTED)
    fig.tight_layout()
    return _png(fig)


def summary_chart(summary: Summary, council: Council, t: NullTranslations, locale: str) -> bytes:
    """Per district of the summary: count and average safety."""
    bars = [
        Bar(district_name(council, district_id, locale, t.gettext), stat)
        for district_id, stat in summary.by_district
    ]
    if summary.other_districts.count:
        # Hidden districts together, without a rating (as in the text summary).
        other = t.gettext(OTHER_DISTRICTS)
        bars.append(Bar(other[:1].upper() + other[1:], Stat(summary.other_districts.count)))
    title = f"{summary.scope.label(council, t, locale)} · {summary.period.label(t, locale)}"
    title = title[:1].upper() + title[1:]  # "hela kommunen" opens the title: capitalise it
    subtitle = t.gettext("Områden med färre än 5 svar ingår i ”övriga områden”.")
    return bars_chart(bars, title, t, locale, subtitle)


def trend_chart(
    points: Sequence[tuple[str, Stat]],
    title: str,
    t: NullTranslations,
    locale: str,
    hidden: Collection[str] = (),
) -> bytes:
    """Count and average safety over time (e.g. quarter by quarter); points whose label is in
    ``hidden`` (complementary suppression, bot.summary.protect) get no bar and say "dolt"."""
    _ = t.gettext
    fig = Figure(figsize=(8, 4.2))
    ax = fig.subplots()
    xs = list(range(len(points)))
    counts = [p[1].count if p[1].shown and p[0] not in hidden else 0 for p in points]
    ax.bar(xs, counts, color=COUNT_COLOUR, width=0.6)
    for x, (label, stat), count in zip(xs, points, counts, strict=True):
        text = format_number(stat.count, locale) if stat.count_shown else _(FEWER_THAN)
        if label in hidden:
            text = _(HIDDEN)
        y = max(counts or [0]) * 0.02 + count
        ax.text(x, y, text, ha="center", va="bottom", fontsize=10)
    ax.set_xticks(xs, [p[0] for p in points], fontsize=11)
    ax.set_ylabel(_("Antal synpunkter"))
    ax.set_ylim(0, (max(counts or [0]) or 1) * 1.25)
    ax2 = ax.twinx()
    # NaN breaks the line where a quarter is suppressed instead of drawing across it.
    averages = [
        p[1].average if p[1].average is not None and p[0] not in hidden else float("nan")
        for p in points
    ]
    ax2.plot(xs, averages, color=SAFETY_COLOUR, marker="o", linewidth=2.5)
    ax2.set_ylim(1, 5)
    ax2.set_yticks([1, 2, 3, 4, 5])
    ax2.set_ylabel(_("Upplevd trygghet (1–5)"), color=SAFETY_COLOUR)
    ax.spines[["top"]].set_visible(False)
    ax2.spines[["top"]].set_visible(False)
    fig.suptitle(title, fontsize=14, fontweight="bold")
    fig.tight_layout()
    return _png(fig)
