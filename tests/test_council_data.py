"""A feedback dataset whose answers the council tests know by heart.

2024-Q3 (1 July – 30 September, Swedish time):
- ersboda: 8 counted (ratings 2,3,3,4,2,3,–,4 → 7 rated, sum 21, average 3,0), 2 rejected.
- alidhem: 6 counted (4,4,5,4,4,5 → average 4,33 → "4,3").
- tomtebo: 3 counted (1,1,1) → "färre än 5", left out of averages.
Total counted 17; overall average (47/13) 3,6 — it would be 3,1 if tomtebo were included.
Topics: narkotika 7, trygga-platser 7, fortroende 3 ("färre än 5").
2024-Q2: ersboda 5 × rating 2, alidhem 5 × rating 4 → average 3,0, so the change is +0,6.
One ersboda row falls at 00:30 on 1 October Swedish time (Q4) and one at 00:30 on 1 July (Q3).
"""

from __future__ import annotations

from storage.summary import FeedbackSeed

Q3_TOTAL = 17
Q2_TOTAL = 10
YEAR_2024_TOTAL = Q3_TOTAL + Q2_TOTAL + 1  # + the Q4 row
HTML_QUOTE = "Mörkt vid <b>busshållplatsen</b> & ingen belysning"


def dataset() -> list[FeedbackSeed]:
    rows: list[FeedbackSeed] = []

    def add(
        created: str,
        district: str,
        topic: str,
        rating: int | None,
        status: str = "pending",
        text: str | None = "en synpunkt",
        language: str = "sv",
    ) -> None:
        n = len(rows) + 1
        rows.append(
            FeedbackSeed(
                ref=f"T{n:05d}",
                created_at=created,
                district=district,
                topic=topic,
                rating=rating,
                text=text,
                language=language,
                status=status,
                pseudonym=f"p{n % 4}",
            )
        )

    # Q3: ersboda, first row just after local midnight on 1 July (22:30 UTC on 30 June).
    ersboda = [2, 3, 3, 4, 2, 3, None, 4]
    days = ["06-30T22:30", "07-01T09:00", "07-02T09:00", "07-03T09:00", "07-04T09:00"]
    days += ["08-10T12:00", "09-01T12:00", "09-20T12:00"]
    for i, (rating, day) in enumerate(zip(ersboda, days, strict=True)):
        topic = "narkotika" if i < 5 else "trygga-platser"
        status = "approved" if i in (5, 7) else "pending"
        text = HTML_QUOTE if i == 7 else f"Ersboda text {i}"
        add(f"2024-{day}:00.000Z", "ersboda", topic, rating, status, text)
    add("2024-07-02T10:00:00.000Z", "ersboda", "narkotika", 1, "rejected", "avvisad text")
    add("2024-08-02T10:00:00.000Z", "ersboda", "narkotika", 1, "rejected", "avvisad text 2")
    # Q3: alidhem
    for i, rating in enumerate([4, 4, 5, 4, 4, 5]):
        topic = "narkotika" if i < 2 else "trygga-platser"
        status = "approved" if i == 0 else "pending"
        add(
            f"2024-08-{10 + i:02d}T08:00:00.000Z",
            "alidhem",
            topic,
            rating,
            status,
            f"Ålidhem text {i}",
            "en" if i == 1 else "sv",
        )
    # Q3: tomtebo (a small group), one approved text that must never be quoted.
    for i in range(3):
        status = "approved" if i == 0 else "pending"
        add(f"2024-09-0{i + 2}T08:00:00.000Z", "tomtebo", "fortroende", 1, status, "Tomtebo hemlis")
    # Q4 by Swedish time (00:30 on 1 October).
    add("2024-09-30T22:30:00.000Z", "ersboda", "narkotika", 5, "approved", "Q4 text")
    # Q2: previous equal period for the quarter.
    for i in range(5):
        add(f"2024-05-{10 + i:02d}T08:00:00.000Z", "ersboda", "narkotika", 2)
        add(f"2024-05-{10 + i:02d}T09:00:00.000Z", "alidhem", "narkotika", 4)
    return rows


def test_dataset_matches_its_description() -> None:
    rows = dataset()
    counted = [r for r in rows if r.status != "rejected"]
    assert len(counted) == Q3_TOTAL + Q2_TOTAL + 1
    assert len({r.ref for r in rows}) == len(rows)
