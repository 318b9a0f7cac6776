"""Pure rules of the dialogue: paging, limits, drafts, review text, callback sizes, retention."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import feedback as fb
from bot.callback import MAX_BYTES, pack
from bot.content import load_council
from bot.i18n import translations
from bot.labels import OTHER
from storage.feedback import months_before
from storage.timestamps import utc_iso as iso

COUNCIL = load_council()


def test_paginate_covers_every_district_once_and_clamps() -> None:
    items = list(range(31))
    pages = [fb.paginate(items, p, 8) for p in range(4)]
    assert [len(p.items) for p in pages] == [8, 8, 8, 7]
    assert [x for p in pages for x in p.items] == items
    assert not pages[0].has_prev and pages[0].has_next and not pages[3].has_next
    assert fb.paginate(items, 99, 8).page == 3 and fb.paginate(items, -5, 8).page == 0
    assert fb.paginate([], 0, 8).pages == 1


def test_every_button_fits_in_callback_data() -> None:
    sid = fb.new_draft("sv").sid
    longest = max([d.id for d in COUNCIL.districts] + [f.id for f in COUNCIL.focus_areas], key=len)
    assert len(pack("fb", sid, "d", longest).encode()) <= MAX_BYTES
    assert len(pack("fbu", "ABCDEF", "y").encode()) <= MAX_BYTES


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a" * 1000, None), (" " + "a" * 1000 + "\n", None), ("a" * 1001, 1001), ("å" * 1500, 1500)],
)
def test_too_long_reports_the_length(text: str, expected: int | None) -> None:
    assert fb.too_long(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("3", 3), (" 5. ", 5), ("0", None), ("6", None), ("tre", None)]
)
def test_typed_rating(text: str, expected: int | None) -> None:
    assert fb.parse_rating(text) == expected


def test_draft_round_trips_and_rejects_garbage() -> None:
    draft = fb.new_draft("en")
    draft.district, draft.rating, draft.rating_done = "haga", None, True
    assert fb.Draft.from_dict(draft.to_dict()) == draft
    for bad in (None, "x", {}, {"sid": 5}, 7):
        assert fb.Draft.from_dict(bad) is None
    assert fb.Draft.from_dict({"sid": "a", "language": "sv", "unknown": 1}) is not None
    assert fb.Draft.from_dict({"sid": "a"}) is None  # language missing


def test_review_text_escapes_and_translates() -> None:
    draft = fb.Draft(
        sid="abc",
        language="sv",
        district="ersboda",
        topic=OTHER,
        rating=None,
        rating_done=True,
        text="<script> & co",
    )
    sv = fb.review_text(draft, COUNCIL, "sv", translations("sv").gettext)
    assert "&lt;script&gt; &amp; co" in sv and "Ersboda (Västra och Östra)" in sv
    assert "Hoppade över" in sv and "Annat" in sv
    en = fb.review_text(draft, COUNCIL, "en", translations("en").gettext)
    assert "Ersboda (West and East)" in en and "Skipped" in en and "Other" in en


def test_months_before_clamps_the_day() -> None:
    assert months_before(datetime(2026, 5, 31, tzinfo=UTC), 3) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)
    assert months_before(datetime(2024, 3, 31, tzinfo=UTC), 1) == datetime(2024, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2026, 12, 1, tzinfo=UTC), 12) == datetime(2025, 12, 1, tzinfo=UTC)


def test_iso_is_sortable_utc() -> None:
    assert iso(datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)) == "2026-01-02T03:04:05.678Z"
