"""Pure logic of the "tyck till" dialogue: the draft, checks, paging and the review text.

No Telegram and no database here, so every rule can be tested directly. The draft lives in
``user_data`` (persisted as JSON) and therefore holds only plain values — and never the
resident's coordinates or unredacted text.
"""

from __future__ import annotations

import difflib
import re
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, TypeVar

from bot.content import Council
from bot.escape import esc
from bot.i18n import N_, Gettext
from bot.labels import NAME_PARTS, district_name, topic_name
from bot.textnorm import tokens

T = TypeVar("T")

MAX_TEXT_CHARS = 1000
DISTRICTS_PER_PAGE = 8
NEAR_RATIO = 0.8  # how alike a typed name must be to a district's to be proposed
SKIP = 0  # callback value for "Hoppa över" at the rating step

RATING_LABELS: dict[int, str] = {
    1: N_("Mycket otrygg"),
    2: N_("Ganska otrygg"),
    3: N_("Varken trygg eller otrygg"),
    4: N_("Ganska trygg"),
    5: N_("Mycket trygg"),
}

# Steps of the dialogue (also the ConversationHandler states; plain ints persist as JSON).
DISTRICT, CONFIRM_PLACE, TOPIC, RATING, TEXT, REVIEW, EDIT = range(7)
EDITABLE = {"d": DISTRICT, "t": TOPIC, "r": RATING, "x": TEXT}


@dataclass
class Draft:
    """One resident's answers so far. ``sid`` ties buttons to this very dialogue."""

    sid: str
    language: str
    district: str | None = None
    topic: str | None = None
    rating: int | None = None
    rating_done: bool = False
    text: str | None = None  # already redacted
    redactions: int = 0
    candidate: str | None = None  # district proposed from a shared location (not the location)
    submission_key: str | None = None
    back_to_review: bool = False
    location_keyboard: bool = False  # the "share location" reply keyboard is up
    step: int | None = None  # the question last asked (where typed input belongs)
    boot: str = ""  # Services.boot_id when last saved: differs after a restart
    touched: float = 0.0  # when last answered, on the bot's clock (bot.context.now), epoch s

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> Draft | None:
        """Rebuild a stored draft; None when missing or not ours (never trust stored shapes)."""
        if not isinstance(data, dict) or not isinstance(data.get("sid"), str):
            return None
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError:
            return None

    @property
    def complete(self) -> bool:
        return bool(self.district and self.topic and self.rating_done and self.text)

    def touch(self, now: float) -> None:
        self.touched = now


def new_draft(language: str, now: float = 0.0) -> Draft:
    """A fresh draft; the dialogue stamps it with the bot's clock when it saves it."""
    draft = Draft(sid=secrets.token_hex(3), language=language)
    draft.touch(now)
    return draft


def new_submission_key() -> str:
    return secrets.token_hex(16)


def too_long(text: str) -> int | None:
    """The text's length when it is over the limit (to tell the resident), else None."""
    length = len(text.strip())
    return length if length > MAX_TEXT_CHARS else None


def parse_rating(text: str) -> int | None:
    """A typed 1–5 is accepted as a rating, so a resident who types instead of tapping is fine."""
    value = text.strip().rstrip(".")
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


def parse_ref(text: str) -> str | None:
    """A feedback reference as a resident may type it ("k7qw3m", "K7Q W3M", "ref K7QW3M"),
    upper-cased; None when the text cannot be one (six letters and digits)."""
    cleaned = re.sub(r"[\s\-#():]", "", text).upper()
    if len(cleaned) > 6 and cleaned.startswith("REF"):  # a reference may itself begin "REF"
        cleaned = cleaned[3:]
    return cleaned if re.fullmatch(r"[A-Z0-9]{6}", cleaned) else None


def _norm(text: str) -> str:
    return " ".join(tokens(text))


def district_names(council: Council) -> dict[str, set[str]]:
    """Normalised names a resident may type for each district id.

    The full name, the name without its parenthesis ("Ersboda"), and each place a combined
    name lists ("Ålidhem och Ålidbacken" → "ålidhem", "ålidbacken"), in both languages.
    """
    names: dict[str, set[str]] = {}
    for district in council.districts:
        forms = names.setdefault(district.id, set())
        for name in (district.name.sv, district.name.en):
            base = name.split("(")[0]
            forms.update({_norm(name), _norm(base)})
            forms.update(_norm(part) for part in NAME_PARTS.split(base))
        forms.discard("")
    return names


def match_district(council: Council, text: str) -> str | None:
    """The id of the one district whose name the resident typed (case and å/ä/ö don't matter).

    None when nothing or more than one district matches: then the buttons decide.
    """
    typed = _norm(text)
    if not typed:
        return None
    hits = [d for d, forms in district_names(council).items() if typed in forms]
    return hits[0] if len(hits) == 1 else None


def near_district(council: Council, text: str) -> str | None:
    """The one district whose name the resident nearly typed ("ersbod", "holmsnd"), to propose.

    None when the text is close to no name, or about equally close to names of two districts.
    """
    typed = _norm(text)
    if len(typed) < 4:
        return None
    best: dict[str, float] = {}
    for district_id, forms in district_names(council).items():
        for form in forms:
            ratio = difflib.SequenceMatcher(None, typed, form).ratio()
            if ratio >= NEAR_RATIO and ratio > best.get(district_id, 0.0):
                best[district_id] = ratio
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 0.05):
        return None
    return ranked[0][0]


@dataclass(frozen=True)
class Page:
    items: tuple[Any, ...]
    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page < self.pages - 1


def paginate(items: Sequence[T], page: int, per_page: int = DISTRICTS_PER_PAGE) -> Page:
    """One page of ``items``; an out-of-range page (an old or forged button) is clamped."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 0), pages - 1)
    start = page * per_page
    return Page(tuple(items[start : start + per_page]), page, pages)


def rating_text(rating: int | None, _: Gettext) -> str:
    if rating is None:
        return _("Hoppade över")
    return f"{rating} – {_(RATING_LABELS[rating])}"


def review_text(draft: Draft, council: Council, locale: str, _: Gettext) -> str:
    """The summary the resident checks before sending (HTML, every dynamic part escaped)."""
    e = esc
    lines = [
        _("<b>Så här ser din synpunkt ut</b>"),
        "",
        _("<b>Område:</b> {value}").format(
            value=e(district_name(council, draft.district, locale, _))
        ),
        _("<b>Ämne:</b> {value}").format(value=e(topic_name(council, draft.topic, locale, _))),
        _("<b>Trygghet:</b> {value}").format(value=e(rating_text(draft.rating, _))),
        _("<b>Din text:</b>"),
        e(draft.text or ""),
        "",
        _("Stämmer det? Tryck på <b>Skicka</b> för att spara."),
    ]
    return "\n".join(lines)
