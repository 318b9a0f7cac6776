"""Content edited by the council itself (/innehall): full validation of an uploaded file, with
the line and field of the first problem, and a short summary of what a new version changes.

Kept apart from ``bot.content`` (the schema) because this is about *people* editing the file:
the errors must point at a line an administrator can find in their editor, and the summary must
say in words what pressing "Använd" will change, before anything goes live.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot import commands
from bot.content import Council
from bot.i18n import N_

MAX_FILE_BYTES = 2_000_000
"""A council file is about 200 kB; ten times that is a mistake (a wrong file), not content."""

_COMMAND_NAMES = frozenset(name for c in commands.ALL for name in c.names)
# A command named in a text: "/tyck", "(/integritet)", not the path in "polisen.se/tipsa".
_COMMAND = re.compile(r"(?<![\w./:@-])/([A-Za-z_][A-Za-z0-9_]*)\b")
_PATH_IN_MESSAGE = re.compile(r"^([A-Za-z_][\w]*(?:\.\w+)+): (.*)$", re.DOTALL)
_PREFIX = re.compile(r"^(Value error|Assertion failed), ")

# The usual pydantic error types, in words an administrator understands.
_ERROR_TEXTS: dict[str, str] = {
    "missing": N_("fältet saknas"),
    "extra_forbidden": N_("okänt fält (stavfel?)"),
    "string_too_short": N_("får inte vara tomt"),
    "too_short": N_("listan har för få rader"),
    "string_type": N_("ska vara en text"),
    "string_pattern_mismatch": N_(
        "ska vara ett kort id med små bokstäver a–z, siffror, - och _ (högst 20 tecken)"
    ),
    "int_parsing": N_("ska vara ett heltal"),
    "float_parsing": N_("ska vara ett tal"),
    "bool_parsing": N_("ska vara true eller false"),
    "date_from_datetime_parsing": N_("ska vara ett datum som 2026-12-31"),
    "date_parsing": N_("ska vara ett datum som 2026-12-31"),
    "date_type": N_("ska vara ett datum som 2026-12-31"),
    "list_type": N_("ska vara en lista"),
    "dict_type": N_("ska vara en samling fält"),
    "model_type": N_("ska vara en samling fält"),
    "literal_error": N_("har ett värde som inte är tillåtet"),
    "source_type": N_("ska vara en text, eller sv: och en: med en text för varje språk"),
    "greater_than_equal": N_("är för litet"),
    "less_than_equal": N_("är för stort"),
}


@dataclass(frozen=True)
class ContentProblem(Exception):
    """Why a file cannot be used: the line (1-based, None if unknown), the field and what."""

    line: int | None
    field: str
    message: str
    translate: bool = False  # ``message`` is a Swedish source string to translate

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}, {self.field or '-'}: {self.message}"


def parse_content(text: str) -> Council:
    """Validate a council file as uploaded; raise ContentProblem for the first problem found."""
    try:
        raw = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ContentProblem(line, "", f"YAML: {message}") from None
    except yaml.YAMLError as exc:
        raise ContentProblem(None, "", f"YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ContentProblem(1, "", N_("filen ska börja med innehållets fält (id:, name: …)"), True)
    raw = {k: v for k, v in raw.items() if not str(k).startswith("x-")}
    try:
        council = Council.model_validate(raw)
    except ValidationError as exc:
        raise _problem(exc, root) from None
    _check_texts(raw, root)
    _check_districts(council, root)
    return council


def _problem(exc: ValidationError, root: yaml.Node | None) -> ContentProblem:
    err = exc.errors(include_url=False)[0]
    path = [str(p) for p in err["loc"]]
    message = _PREFIX.sub("", err["msg"])
    # A cross-reference check names its own path: "promises.3.period: unknown period 'x'".
    if not path and (match := _PATH_IN_MESSAGE.match(message)):
        path, message = match.group(1).split("."), match.group(2)
    text = _ERROR_TEXTS.get(err["type"])
    return ContentProblem(
        line_of(root, path), ".".join(path), text or message, translate=text is not None
    )


def line_of(root: yaml.Node | None, path: list[str]) -> int | None:
    """The line of the deepest node along ``path`` that exists (a missing field: its parent);
    also bot.content_parity's, for its warnings."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    child, line = value, key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            child = node.value[int(part)]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _walk(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _walk(inner, (*path, str(key)))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _walk(inner, (*path, str(i)))
    else:
        yield path, value


def _is_source(path: tuple[str, ...]) -> bool:
    """True for a source text: "knowledge.3.source" or one language of it, "….source.en"."""
    if path and path[-1] in ("sv", "en") and len(path) > 1:
        path = path[:-1]
    return bool(path) and path[-1].endswith("source")


def _check_texts(raw: dict[str, Any], root: yaml.Node | None) -> None:
    """Every source says something, and every /command a text names exists."""
    for path, value in _walk(raw):
        if not isinstance(value, str):
            continue
        # A source is a text or {sv, en}: "….source" or "….source.sv" / "….source.en".
        if _is_source(path) and not value.strip():
            raise ContentProblem(
                line_of(root, list(path)), ".".join(path), N_("källan får inte vara tom"), True
            )
        for match in _COMMAND.finditer(value):
            if match.group(1) not in _COMMAND_NAMES:
                raise ContentProblem(
                    line_of(root, list(path)),
                    ".".join(path),
                    "/" + match.group(1),
                    translate=False,
                )


def _check_districts(council: Council, root: yaml.Node | None) -> None:
    """Residents pick a district by its name, so two districts may not share one."""
    seen: dict[str, int] = {}
    for i, district in enumerate(council.districts):
        for name in {district.name.sv.casefold(), district.name.en.casefold()}:
            if name in seen and seen[name] != i:
                raise ContentProblem(
                    line_of(root, ["districts", str(i), "name"]),
                    f"districts.{i}.name",
                    N_("två områden har samma namn"),
                    True,
                )
            seen[name] = i


def is_unknown_command(problem: ContentProblem) -> bool:
    """True when the problem is a /command that does not exist (its message is the command)."""
    return not problem.translate and problem.message.startswith("/")


# ------------------------------------------------------------------------- what changes


@dataclass(frozen=True)
class SectionChange:
    """Ids added, changed and removed in one list section (knowledge, districts …)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True)
class ContentChanges:
    """What a new version changes compared with the live one."""

    knowledge: SectionChange = SectionChange()
    districts: SectionChange = SectionChange()
    contacts: bool = False
    other: tuple[str, ...] = field(default_factory=tuple)  # names of other changed sections

    def __bool__(self) -> bool:
        return bool(self.knowledge or self.districts or self.contacts or self.other)


def _by_id(items: list[Any]) -> dict[str, BaseModel]:
    return {item.id: item for item in items}


def _section(old: list[Any], new: list[Any]) -> SectionChange:
    before, after = _by_id(old), _by_id(new)
    return SectionChange(
        added=tuple(i for i in after if i not in before),
        changed=tuple(i for i in after if i in before and after[i] != before[i]),
        removed=tuple(i for i in before if i not in after),
    )


# Other sections, with the word the summary uses for them.
OTHER_SECTIONS: dict[str, str] = {
    "name": N_("rådets namn"),
    "description": N_("beskrivningen"),
    "goals": N_("målen"),
    "focus_areas": N_("fokusområdena"),
    "methods": N_("arbetssätten"),
    "agreement": N_("överenskommelsen"),
    "promise_periods": N_("medborgarlöftenas perioder"),
    "promises": N_("medborgarlöftena"),
    "small_talk": N_("småpratet"),
    "out_of_scope_examples": N_("frågor boten inte ska svara på"),
    "emergency_examples": N_("exemplen på nödläge"),
    "id": N_("rådets id"),
}


def changes(old: Council, new: Council) -> ContentChanges:
    """Compare two versions section by section (entries by id)."""
    other = tuple(
        name
        for name in OTHER_SECTIONS
        if name in Council.model_fields and getattr(old, name) != getattr(new, name)
    )
    return ContentChanges(
        knowledge=_section(old.knowledge, new.knowledge),
        districts=_section(old.districts, new.districts),
        contacts=old.contacts != new.contacts,
        other=other,
    )


Gettext = Callable[[str], str]


def _ids(ids: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" … (+{len(ids) - limit})" if len(ids) > limit else "")


def render_changes(diff: ContentChanges, _: Gettext) -> list[str]:
    """The summary lines shown before "Använd": plain text, the caller escapes it."""
    lines: list[str] = []
    for label, section in (
        (_("Kunskapsbanken"), diff.knowledge),
        (_("Områden"), diff.districts),
    ):
        if section.added:
            lines.append(_("{section}: nya {ids}").format(section=label, ids=_ids(section.added)))
        if section.changed:
            lines.append(
                _("{section}: ändrade {ids}").format(section=label, ids=_ids(section.changed))
            )
        if section.removed:
            lines.append(
                _("{section}: borttagna {ids}").format(section=label, ids=_ids(section.removed))
            )
    if diff.contacts:
        lines.append(_("Kontaktuppgifterna är ändrade."))
    if diff.other:
        names = ", ".join(_(OTHER_SECTIONS[name]) for name in diff.other)
        lines.append(_("Också ändrat: {sections}").format(sections=names))
    return lines


def render_problem(problem: ContentProblem, _: Gettext) -> str:
    """One line naming where and what (plain text; the caller escapes it)."""
    if is_unknown_command(problem):
        what = _("kommandot {command} finns inte").format(command=problem.message)
    else:
        what = _(problem.message) if problem.translate else problem.message
    if problem.line and problem.field:
        return _("Rad {line}, fältet {field}: {what}").format(
            line=problem.line, field=problem.field, what=what
        )
    if problem.line:
        return _("Rad {line}: {what}").format(line=problem.line, what=what)
    return what
