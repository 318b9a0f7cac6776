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


def busy_quarter(year: int = 2025, quarter: int = 3, text: str = "") -> list[FeedbackSeed]:
    """A quarter with enough feedback that nothing is hidden, not even in a month: Ersboda
    and Ålidhem, 6 rows each per month, each all one topic. Ersboda's last row is approved
    with ``text`` (so it may be quoted); the rest are pending."""
    rows: list[FeedbackSeed] = []
    for month in range(3 * quarter - 2, 3 * quarter + 1):
        for district, topic in (("ersboda", "trygga-platser"), ("alidhem", "narkotika")):
            for day in range(6):
                last = district == "ersboda" and month == 3 * quarter and day == 5
                rows.append(
                    FeedbackSeed(
                        ref=f"B{district[0]}{month:02d}{day}",
                        created_at=f"{year}-{month:02d}-{10 + day:02d}T12:00:00.000Z",
                        district=district,
                        topic=topic,
                        rating=3 + day % 2,
                        text=text if last else f"{district} {month} {day}",
                        status="approved" if last else "pending",
                        pseudonym=f"b{district}{month}{day}",
                    )
                )
    return rows
