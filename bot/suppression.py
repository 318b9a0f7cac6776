"""The small-group rules: no resident can be singled out by the council's figures.

Privacy rules (from the agreement's promise that no resident can be singled out), the same for
the summary, the chart, the export, the report and the digest:

- a group (district, topic, district × topic) with 1–4 feedback is never shown by itself;
- complementary suppression: when a group is hidden, the next smallest is hidden too, until the
  hidden groups together hold at least 5, so "total − the visible groups" never gives a small
  number (:func:`protect`);
- the districts hidden in the whole municipality's table are hidden in every narrower view of the
  same period too (a district's own summary, an area, a filtered export), and a narrower view
  shows its total only when that total cannot be subtracted down to a hidden group;
- an average includes the hidden groups only when their ratings together number at least 5
  (or none), so it cannot be traced back to one or two people;
- only whole calendar periods (bot.periods), so overlapping windows cannot be subtracted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from babel.support import NullTranslations

from storage.summary import GroupRow

SMALL_GROUP = 5


def protect(counts: Mapping[str, int]) -> frozenset[str]:
    """The keys to hide among groups that add up to a shown total.

    Primary: every group with 1–4. Complementary: while the hidden groups together hold fewer
    than 5, also hide the smallest visible group (ties by key, so every output agrees). Then
    "total − visible" is either 0 or at least 5 and never one small group.
    """
    hidden = {key for key, count in counts.items() if 0 < count < SMALL_GROUP}
    if not hidden:
        return frozenset()
    visible = sorted((count, key) for key, count in counts.items() if count >= SMALL_GROUP)
    while sum(counts[key] for key in hidden) < SMALL_GROUP and visible:
        hidden.add(visible.pop(0)[1])
    return frozenset(hidden)


@dataclass(frozen=True)
class Protection:
    """What may be shown for one period, decided on the whole municipality's table so that
    every scope and every output (summary, export, report) hides the same groups."""

    districts: frozenset[str] = frozenset()  # hidden districts
    cells: frozenset[tuple[str, str]] = frozenset()  # hidden (district, topic) in visible ones

    @classmethod
    def from_rows(
        cls, rows: Iterable[GroupRow], districts: Mapping[str, int] | None = None
    ) -> Protection:
        """From the (district, topic) counts of some districts; ``districts`` are the whole
        municipality's counts per district when ``rows`` cover only part of it (a narrower
        view), otherwise they are summed from ``rows``."""
        rows = list(rows)
        by_district: dict[str, int] = defaultdict(int)
        by_cell: dict[str, dict[str, int]] = defaultdict(dict)
        for row in rows:
            by_district[row.district] += row.count
            by_cell[row.district][row.topic] = row.count
        hidden = protect(districts if districts is not None else by_district)
        cells = {
            (district, topic)
            for district, topics in by_cell.items()
            if district not in hidden
            for topic in protect(topics)
        }
        return cls(hidden, frozenset(cells))

    def row_hidden(self, district: str, topic: str) -> bool:
        """A row from this district and topic must lose its district and text."""
        return district in self.districts or (district, topic) in self.cells

    def total_shown(self, districts: Sequence[str] | None) -> bool:
        """A scope's total may be shown when it holds none or all of the hidden districts:
        otherwise "scope total − its visible districts" would be a hidden group."""
        if districts is None or not self.districts:
            return True
        inside = self.districts & set(districts)
        return not inside or inside == self.districts


def small_group_rules(t: NullTranslations) -> str:
    """The rules above in plain words, for /integritet (HTML, no dynamic text)."""
    return t.gettext(
        "<b>Rådets siffror pekar inte ut någon.</b> Ett område, ett ämne eller ett område och "
        "ämne med färre än 5 synpunkter visas aldrig för sig: det blir ”övriga områden” eller "
        "”dolt”, utan text. När en grupp döljs, döljs också den näst minsta, så att den inte "
        "kan räknas fram ur summan, och snittet tar bara med små grupper när de inte kan "
        "räknas fram. Siffror finns bara för hela veckor, månader, kvartal och år, och "
        "exporten har bara datum, inga klockslag. Rådets sammanfattningar, exporter och "
        "rapporter visas bara i en privat chatt, aldrig i en grupp."
    )
