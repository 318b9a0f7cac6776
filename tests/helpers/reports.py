"""Shared data for the report tests: extra rows that make some cells big enough to show."""

from __future__ import annotations

from storage.summary import FeedbackSeed


def extra_ersboda() -> list[FeedbackSeed]:
    """Two more pending Ersboda × trygga platser rows in 2024-Q3: with them both Ersboda cells
    hold 5, so Ersboda's approved texts (HTML_QUOTE among them) may be quoted."""
    return [
        FeedbackSeed(
            ref=f"X{i:05d}",
            created_at=f"2024-09-1{i}T12:00:00.000Z",
            district="ersboda",
            topic="trygga-platser",
            rating=3,
            text="extra",
            pseudonym="extra",
        )
        for i in range(2)
    ]


def seven_and_two(year: int = 2026) -> list[FeedbackSeed]:
    """The issue's case: 7 items in Ersboda and 2 in Ålidhem in October (Q4) of ``year``.

    The Ålidhem texts and its English row must never show; all approved."""
    rows = [
        FeedbackSeed(
            ref=f"E{i:05d}",
            created_at=f"{year}-10-{10 + i:02d}T09:15:00.000Z",
            district="ersboda",
            topic="narkotika",
            rating=2 + i % 3,
            text=f"Ersboda synpunkt {i}",
            status="approved",
            pseudonym=f"e{i}",
        )
        for i in range(7)
    ]
    rows += [
        FeedbackSeed(
            ref=f"A{i:05d}",
            created_at=f"{year}-10-2{i}T17:42:13.123Z",
            district="alidhem",
            topic="narkotika",
            rating=1,
            text=f"Ålidhem hemlig {i}",
            language="en" if i else "sv",
            status="approved",
            pseudonym=f"a{i}",
        )
        for i in range(2)
    ]
    return rows
