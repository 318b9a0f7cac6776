"""Council content: the validated, sourced facts the bot may state.

Everything the bot says about the council comes from one YAML file per council (Umeå's is
bundled as ``bot/councils/umea.yaml``), so another council can swap in its own file without code
changes. The file is validated strictly at start-up: a bad file must stop the bot with one
clear message instead of producing a wrong answer later.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

DEFAULT_COUNCIL_FILE: Path = Path(__file__).resolve().parent / "councils" / "umea.yaml"

SLUG_PATTERN = r"^[a-z0-9_-]{1,20}$"
"""Ids are short ASCII slugs so they fit in Telegram callback_data (64 bytes) with room to spare."""

MAX_ANSWER_CHARS = 700
EARTH_RADIUS_KM = 6371.0088

Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
NonEmpty = Annotated[str, Field(min_length=1)]


class ContentError(Exception):
    """The council file is missing, is not YAML, or does not match the content model."""


class _Model(BaseModel):
    """Strict base: unknown keys are typos, and content is read-only once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LText(_Model):
    """A text in Swedish and English; both are required so no user ever sees a gap."""

    sv: NonEmpty
    en: NonEmpty

    def get(self, locale: str) -> str:
        """Text for ``locale`` ("en", "en_GB", "sv" …); anything not English gets Swedish."""
        return self.en if locale.lower().startswith("en") else self.sv


def _same_in_both(value: Any) -> Any:
    """Place names are usually the same in both languages: allow a plain string."""
    if isinstance(value, str):
        return {"sv": value, "en": value}
    return value


PlaceName = Annotated[LText, BeforeValidator(_same_in_both)]


def _source_texts(value: Any) -> Any:
    """A source is ``{sv, en}`` so an English answer cites in English; a plain string is still
    accepted (simple council files, older versions) and is then shown as is in both languages."""
    if isinstance(value, str):
        return {"sv": value, "en": value}
    if isinstance(value, dict):
        return value
    raise PydanticCustomError(
        "source_type", "a source is a text, or sv: and en: with one text each"
    )


Source = Annotated[LText, BeforeValidator(_source_texts)]
"""Where a fact comes from: one text, or one per language (``{sv: …, en: …}``)."""


class Organisation(_Model):
    """A party residents can contact (municipality, local police)."""

    name: LText
    phone: NonEmpty
    email: NonEmpty
    web: NonEmpty
    visiting_address: NonEmpty
    postal_address: NonEmpty
    source: Source


class PhoneLine(_Model):
    """A national number with what it is for (112, 114 14, 113 13, 1177)."""

    number: NonEmpty
    purpose: LText
    source: Source


class SupportLine(_Model):
    """A named support line (Kvinnofridslinjen …), shown with 112 for violence by someone close."""

    name: LText
    number: NonEmpty
    purpose: LText
    source: Source


class Contacts(_Model):
    """Who to contact for what; handlers use these instead of hard-coding numbers."""

    municipality: Organisation
    police: Organisation
    emergency: PhoneLine
    police_non_urgent: PhoneLine
    crisis_info: PhoneLine
    healthcare_advice: PhoneLine
    tip_police: LText
    tip_police_source: Source
    close_violence_support: list[SupportLine] = Field(default_factory=list)


class District(_Model):
    """A stadsdel or locality residents can pick; ``approximate`` marks a guessed centre."""

    id: Slug
    name: PlaceName
    group: PlaceName | None = None
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    approximate: bool
    priority: bool = False
    source: Source


class Goal(_Model):
    """One of the agreement's overall goals."""

    id: Slug
    text: LText
    source: Source


class FocusArea(_Model):
    """A focus area of the agreement; also a feedback topic."""

    id: Slug
    title: LText
    description: LText
    source: Source


class Topic(_Model):
    """A feedback topic in residents' words (belysning, trafik …), mapped to the agreement's focus
    area it informs (``focus_area`` None: no area, e.g. "annat"), so the council's views can show
    what a resident's topic means for its priorities."""

    id: Slug
    title: LText
    focus_area: Slug | None


class Method(_Model):
    """A working method named in the agreement (EST, trygghetsvandring …)."""

    id: Slug
    name: LText
    description: LText
    source: Source


class Signatory(_Model):
    """A person who signed the agreement, with their role at the time."""

    name: NonEmpty
    role: LText


class Agreement(_Model):
    """The cooperation agreement (samverkansöverenskommelse) and its key facts."""

    title: LText
    purpose: LText
    parties: list[LText] = Field(min_length=2)
    signed: date
    signed_place: NonEmpty
    signatories: list[Signatory] = Field(min_length=1)
    valid_from: date
    valid_to: date
    prolongation: LText
    first_agreement_year: int
    council_founded_year: int
    council_initiated_by: LText
    local_councils: LText
    follow_up: LText
    attachments: list[LText]
    source: Source

    @model_validator(mode="after")
    def _dates_in_order(self) -> Agreement:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class PromisePeriod(_Model):
    """A two- or three-year period of medborgarlöften; ``status`` says what we know of it."""

    id: Slug
    label: NonEmpty
    valid_from: date
    valid_to: date
    status: Literal["known", "not_available", "being_drafted"]
    summary: LText
    read_more: NonEmpty
    source: Source

    @model_validator(mode="after")
    def _dates_in_order(self) -> PromisePeriod:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class Promise(_Model):
    """One medborgarlöfte. ``text_available`` is False when only its existence is known."""

    id: Slug
    period: Slug
    part: LText | None = None
    title: LText
    text: LText
    text_available: bool
    source: Source


class Keywords(_Model):
    """Words and phrases residents might use for an entry, per language."""

    sv: list[NonEmpty] = Field(default_factory=list)
    en: list[NonEmpty] = Field(default_factory=list)


class Examples(_Model):
    """How residents phrase a question, per language: the ranker learns from these, so a
    council improves recall by adding phrasings here, without code."""

    sv: list[NonEmpty] = Field(default_factory=list)
    en: list[NonEmpty] = Field(default_factory=list)

    def all(self) -> list[tuple[str, str]]:
        """(language, text) pairs, Swedish first."""
        return [("sv", t) for t in self.sv] + [("en", t) for t in self.en]


class KnowledgeEntry(_Model):
    """A question the bot can answer: short answer, key fact first, with its source."""

    id: Slug
    title: LText
    answer: LText
    source: Source
    keywords: Keywords = Field(default_factory=Keywords)
    examples: Examples = Field(default_factory=Examples)
    related: list[Slug] = Field(default_factory=list)

    @field_validator("answer")
    @classmethod
    def _short_enough(cls, value: LText) -> LText:
        for lang in ("sv", "en"):
            if len(getattr(value, lang)) > MAX_ANSWER_CHARS:
                raise ValueError(f"{lang} answer is longer than {MAX_ANSWER_CHARS} characters")
        return value


class SmallTalk(_Model):
    """A social message (hello, thanks, "are you a human?") and the bot's fixed reply to it."""

    id: Slug
    answer: LText
    examples: Examples


@dataclass(frozen=True, slots=True)
class PromiseStatus:
    """What can honestly be said about medborgarlöften on a given day.

    ``period`` is the period covering the day (None if none does). When its text is not known
    (``period_known`` False), ``latest_known_period``/``latest_known`` hold the most recent
    promises whose text is known, which handlers must label as such (e.g. "senast kända").
    """

    on: date
    period: PromisePeriod | None
    promises: tuple[Promise, ...]
    latest_known_period: PromisePeriod | None
    latest_known: tuple[Promise, ...]

    @property
    def period_known(self) -> bool:
        """True when the current period's promises can be quoted."""
        return self.period is not None and self.period.status == "known"


def _unique_ids(items: list[Any]) -> list[Any]:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"duplicate id {item.id!r}")
        seen.add(item.id)
    return items


class Council(_Model):
    """All content for one council; look-ups are by id."""

    id: Slug
    name: LText
    description: LText
    contacts: Contacts
    districts: list[District] = Field(min_length=1)
    goals: list[Goal] = Field(min_length=1)
    focus_areas: list[FocusArea] = Field(min_length=1)
    #: The topics residents pick in /tyck; empty: the focus areas and "annat" (older files).
    topics: list[Topic] = Field(default_factory=list)
    methods: list[Method]
    agreement: Agreement
    promise_periods: list[PromisePeriod] = Field(min_length=1)
    promises: list[Promise]
    knowledge: list[KnowledgeEntry] = Field(min_length=1)
    small_talk: list[SmallTalk] = Field(default_factory=list)
    #: Questions the bot must not answer (it says "vet inte" and gives contacts instead).
    out_of_scope_examples: Examples = Field(default_factory=Examples)
    #: Questions about the council's own field that the content cannot answer (budgets, who
    #: chairs it now, figures): "vet inte" too; the ranker learns them as a reject class.
    unknown_examples: Examples = Field(default_factory=Examples)
    #: Messages about danger now, in everyday words: the emergency classifier learns from these.
    emergency_examples: Examples = Field(default_factory=Examples)
    #: Messages that sound alarming but are not about danger now ("hur anmäler jag ett inbrott
    #: som hänt"): the emergency classifier learns these are not emergencies.
    non_emergency_examples: Examples = Field(default_factory=Examples)

    @field_validator(
        "districts",
        "goals",
        "focus_areas",
        "topics",
        "methods",
        "promise_periods",
        "promises",
        "knowledge",
        "small_talk",
    )
    @classmethod
    def _ids_unique(cls, items: list[Any]) -> list[Any]:
        return _unique_ids(items)

    @model_validator(mode="after")
    def _references_exist(self) -> Council:
        periods = {p.id for p in self.promise_periods}
        for i, promise in enumerate(self.promises):
            if promise.period not in periods:
                raise ValueError(f"promises.{i}.period: unknown period {promise.period!r}")
        areas = {f.id for f in self.focus_areas}
        for i, topic in enumerate(self.topics):
            # A topic id is stored with feedback; a focus area id is what older rows hold: one
            # id meaning both would make those rows ambiguous.
            if topic.id in areas:
                raise ValueError(f"topics.{i}.id: {topic.id!r} is a focus area id")
            if topic.focus_area is not None and topic.focus_area not in areas:
                raise ValueError(f"topics.{i}.focus_area: unknown focus area {topic.focus_area!r}")
        entries = {e.id for e in self.knowledge}
        for i, entry in enumerate(self.knowledge):
            for ref in entry.related:
                if ref not in entries:
                    raise ValueError(f"knowledge.{i}.related: unknown entry {ref!r}")
        return self

    def district(self, district_id: str) -> District | None:
        """The district with this id, or None (ids come from callback data: don't trust them)."""
        return next((d for d in self.districts if d.id == district_id), None)

    def example_district(self) -> District:
        """The district help texts name as an example: the first priority one, else the first
        (so a council with its own COUNCIL_FILE sees its own places, not Umeå's)."""
        return next((d for d in self.districts if d.priority), self.districts[0])

    def focus_area(self, focus_id: str) -> FocusArea | None:
        """The focus area (feedback topic) with this id, or None."""
        return next((f for f in self.focus_areas if f.id == focus_id), None)

    def topic(self, topic_id: str) -> Topic | None:
        """The resident topic with this id, or None (older rows may hold a focus area id)."""
        return next((t for t in self.topics if t.id == topic_id), None)

    def promise_period(self, period_id: str) -> PromisePeriod | None:
        """The promise period with this id, or None."""
        return next((p for p in self.promise_periods if p.id == period_id), None)

    def promises_in(self, period_id: str) -> tuple[Promise, ...]:
        """All promises of a period, in file order (unavailable ones included)."""
        return tuple(p for p in self.promises if p.period == period_id)

    def current_promises(self, on: date) -> PromiseStatus:
        """The promise period covering ``on`` plus the latest period whose text is known."""
        current = next((p for p in self.promise_periods if p.valid_from <= on <= p.valid_to), None)
        known = sorted(
            (p for p in self.promise_periods if p.status == "known" and p.valid_from <= on),
            key=lambda p: p.valid_from,
        )
        latest = known[-1] if known else None
        return PromiseStatus(
            on=on,
            period=current,
            promises=self.promises_in(current.id) if current else (),
            latest_known_period=latest,
            latest_known=self.promises_in(latest.id) if latest else (),
        )

    def nearest_district(self, lat: float, lon: float) -> District:
        """The district whose centre is closest (great-circle); residents must confirm it."""
        return min(self.districts, key=lambda d: haversine_km(lat, lon, d.lat, d.lon))

    def knowledge_entry(self, entry_id: str) -> KnowledgeEntry | None:
        """The knowledge entry with this id, or None."""
        return next((e for e in self.knowledge if e.id == entry_id), None)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (infinite for a coordinate that is not a number)."""
    if not all(map(math.isfinite, (lat1, lon1, lat2, lon2))):
        return math.inf
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


_PREFIX = re.compile(r"^(Value error|Assertion failed), ")


def _first_error(exc: ValidationError) -> str:
    """One line: dotted field path, message, and how many more problems there are."""
    errors = exc.errors(include_url=False)
    err = errors[0]
    loc = ".".join(str(part) for part in err["loc"])
    msg = _PREFIX.sub("", err["msg"])
    more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
    return f"{loc}: {msg}{more}" if loc else f"{msg}{more}"


def load_council(path: Path | str = DEFAULT_COUNCIL_FILE) -> Council:
    """Read and validate a council file; any problem raises ContentError naming file and field."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(f"{path}: cannot read council file: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    # Top-level "x-…" keys only hold YAML anchors (shared source strings); they are not content.
    raw = {k: v for k, v in raw.items() if not str(k).startswith("x-")}
    try:
        return Council.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(f"{path}: {_first_error(exc)}") from exc
