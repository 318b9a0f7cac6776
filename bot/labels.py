"""Names of districts, topics and commands as a user sees them, in the user's language."""

from __future__ import annotations

import re

from bot import commands
from bot.content import Council
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


def topic_name(council: Council, topic_id: str | None, locale: str, _: Gettext) -> str:
    area = council.focus_area(topic_id) if topic_id else None
    if area is not None:
        return area.title.get(locale)
    return _(OTHER_TOPIC) if topic_id in (OTHER, None) else str(topic_id)


def command_name(command: commands.Command, locale: str) -> str:
    """The command as the user's command menu shows it (English alias for English users)."""
    return command.en if locale == "en" else command.sv


def example_place(council: Council, locale: str) -> str:
    """The council's example district as a user would type it: without a parenthesis and only
    the first place of a combined name ("Ersboda", "Ålidhem")."""
    name = council.example_district().name.get(locale)
    return NAME_PARTS.split(name.split("(")[0])[0].strip() or name
