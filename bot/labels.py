"""Names of districts, topics and commands as a user sees them, in the user's language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot import commands
from bot.content import Council, FocusArea
from bot.i18n import N_, Gettext

OTHER = "other"  # district or topic outside the council file's lists
OTHER_DISTRICT = N_("Annat område")
OTHER_TOPIC = N_("Annat ämne")
# Separates the places of a combined district name ("Ålidhem och Ålidbacken").
NAME_PARTS = re.compile(r",| och | and ")


def district_name(council: Council, district_id: str | None, locale: str, _: Gettext) -> str:
    district = council.district(district_id) if district_id else None
    if district is not None:
        return district.name.get(locale)
    return _(OTHER_DISTRICT) if district_id in (OTHER, None) else str(district_id)


def topic_ids(council: Council) -> list[str]:
    """The topics a resident (or a moderator correcting one) can choose, in the file's order.

    A council file without ``topics:`` offers its focus areas and "annat", as before topics.
    """
    if council.topics:
        return [topic.id for topic in council.topics]
    return [area.id for area in council.focus_areas] + [OTHER]


def topic_aliases(council: Council) -> dict[str, str]:
    """Older stored topic ids → the resident topic the council now counts them as.

    Before ``topics:`` existed, residents picked a focus area, and rows hold its id
    ("narkotika"). Such an id means the same as the one resident topic mapped to that area
    ("droger", Narkotika), so the council's figures count them as one group: one line, one
    label, and the small-group rules decided on the sum. An area that several topics map to
    (trygga-platser) or none (fortroende) has no single equivalent and stays as it is; "other"
    is the same id in old and new rows. Applied where the council's rows are read
    (storage.summary), so every output agrees.
    """
    by_area: dict[str, list[str]] = {}
    for topic in council.topics:
        if topic.focus_area:
            by_area.setdefault(topic.focus_area, []).append(topic.id)
    return {
        area: topics[0]
        for area, topics in by_area.items()
        if len(topics) == 1 and council.topic(area) is None
    }


def area_groups(
    council: Council, stored_ids: Iterable[str]
) -> list[tuple[FocusArea | None, list[str]]]:
    """The council's topic table: each focus area in the agreement's order with the topic ids
    that count under it (its resident topics, then its own id when older rows hold it and it is
    not one topic's alias), then None with the ids under no area ("annat", unknown ids).

    An area with no resident topic counts its own id only (its older rows)."""
    aliases = topic_aliases(council)
    stored = set(stored_ids)
    groups: list[tuple[FocusArea | None, list[str]]] = []
    placed: set[str] = set()
    for area in council.focus_areas:
        members = [topic.id for topic in council.topics if topic.focus_area == area.id]
        if area.id not in aliases and (not members or area.id in stored):
            members.append(area.id)
        groups.append((area, members))
        placed.update(members)
    placed.update(aliases)
    rest = [t for t in topic_ids(council) if t not in placed]
    groups.append((None, rest + sorted(stored - placed - set(rest))))
    return groups


def current_topic(council: Council, topic_id: str | None) -> str | None:
    """The topic id a stored one counts as today (see :func:`topic_aliases`)."""
    if not topic_id:
        return topic_id
    return topic_aliases(council).get(topic_id, topic_id)


def topic_area(council: Council, topic_id: str | None) -> FocusArea | None:
    """The agreement's focus area a stored topic counts under: a resident topic's mapping, or the
    area itself for older rows that stored a focus area id; None for "annat" and unknown ids."""
    if not topic_id:
        return None
    topic = council.topic(topic_id)
    if topic is not None:
        return council.focus_area(topic.focus_area) if topic.focus_area else None
    return council.focus_area(topic_id)


def topic_name(
    council: Council, topic_id: str | None, locale: str, _: Gettext, *, with_area: bool = False
) -> str:
    """A stored topic as a person reads it: a resident topic ("Belysning"), a focus area (older
    rows), or "Annat ämne". ``with_area`` is the council's label: a resident topic followed by
    the focus area it counts under, "Belysning (Trygga och säkra platser)". An older row's id
    with a current equivalent reads as that topic ("narkotika" as "Narkotika")."""
    topic_id = current_topic(council, topic_id)
    topic = council.topic(topic_id) if topic_id else None
    if topic is not None:
        title = topic.title.get(locale)
        area = topic_area(council, topic_id) if with_area else None
        return f"{title} ({area.title.get(locale)})" if area is not None else title
    area = council.focus_area(topic_id) if topic_id else None
    if area is not None:
        return area.title.get(locale)
    return _(OTHER_TOPIC) if topic_id in (OTHER, None) else str(topic_id)


_SV_LETTERS = {"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"}
"""Swedish order puts å, ä, ö after z (the characters after "z" in ASCII are "{", "|", "}");
æ and ø sort as ä and ö, ü as y. Other accents are ignored (é is e)."""


def sv_sort_key(name: str) -> tuple[str, str]:
    """Sort key for names in Swedish alphabetical order ("Carlslid" … "Ålidhem", "Ön").

    Python's plain order puts "Ä" before "Å"; no collation library is installed, so this is the
    Swedish rule itself. Ties (case) are broken by the name, for a stable order.
    """
    folded = []
    for char in name.casefold():
        if char in _SV_LETTERS:
            folded.append(_SV_LETTERS[char])
        else:
            base = unicodedata.normalize("NFKD", char)
            folded.append("".join(c for c in base if not unicodedata.combining(c)))
    return "".join(folded), name


def most_first(council: Council, district_id: str, count: int) -> tuple[int, tuple[str, str]]:
    """Sort key for district lists a council reads (summary, chart, export, report): most
    feedback first, ties in Swedish alphabetical order of the Swedish name, so every output and
    both languages list the districts in the same order."""
    district = council.district(district_id)
    name = district.name.get("sv") if district is not None else district_id
    return -count, sv_sort_key(name)


def command_name(command: commands.Command, locale: str) -> str:
    """The command as the user's command menu shows it (English alias for English users)."""
    return command.en if locale == "en" else command.sv


def example_place(council: Council, locale: str) -> str:
    """The council's example district as a user would type it: without a parenthesis and only
    the first place of a combined name ("Ersboda", "Ålidhem")."""
    name = council.example_district().name.get(locale)
    return NAME_PARTS.split(name.split("(")[0])[0].strip() or name
