"""Maintain the gettext catalogs: ``python -m bot.catalogs update|compile|missing|check|set``.

``update`` extracts every translatable string, updates ``sv`` and ``en`` and fills the Swedish
catalog with its source strings (they are Swedish already), so only English needs hand work.
``set en < file.json`` writes English translations from a JSON object {msgid: msgstr}.
``check`` fails when a catalog is out of date or an English entry is missing.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LOCALE_DIR, LOCALES, PROJECT_ROOT, compile_catalogs

SOURCES = ("bot", "handlers", "storage", "devkit")  # devkit: the local chat's own texts
METHOD_MAP = [("**.py", "python")]


def _po(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    template = Catalog(project="trygghetsbot", fuzzy=False)
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            PROJECT_ROOT / source,
            METHOD_MAP,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            template.add(
                message,
                None,
                [(f"{source}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def _read(locale: str) -> Catalog:
    path = _po(locale)
    if not path.exists():
        return Catalog(locale=locale, project="trygghetsbot")
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _write(locale: str, catalog: Catalog) -> None:
    path = _po(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(
            f,
            catalog,
            sort_output=True,
            include_lineno=False,
            no_location=True,
            ignore_obsolete=True,
            width=100,
        )


def updated(locale: str, template: Catalog) -> Catalog:
    catalog = _read(locale)
    created = catalog.creation_date  # keep the header stable: no diff when nothing changed
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
    catalog.creation_date = created
    catalog.obsolete.clear()
    if locale == "sv":
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, tuple | list):
                if not any(message.string or ()):
                    message.string = tuple(message.id)
            elif not message.string:
                message.string = message.id
    return catalog


def _ids(catalog: Catalog) -> set[object]:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def update() -> None:
    template = extract()
    for locale in LOCALES:
        _write(locale, updated(locale, template))


def missing(locale: str) -> list[str]:
    out = []
    for message in _read(locale):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def stale(template: Catalog) -> list[str]:
    """Locales whose catalog lacks an extracted string or keeps one no longer in the code."""
    wanted = _ids(template)
    return [loc for loc in LOCALES if _ids(_read(loc)) != wanted]


def set_translations(locale: str, translations: dict[str, str]) -> list[str]:
    """Write msgstr for the given msgids; return the msgids that are not in the catalog."""
    catalog = _read(locale)
    unknown = []
    for msgid, msgstr in translations.items():
        message = catalog.get(msgid)
        if message is None:
            unknown.append(msgid)
            continue
        message.string = msgstr
        message.flags.discard("fuzzy")
    _write(locale, catalog)
    return unknown


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "update"
    if command == "update":
        update()
        compile_catalogs()
    elif command == "compile":
        compile_catalogs()
    elif command in ("missing", "check"):
        problems = [f"{loc}: untranslated: {msgid!r}" for loc in LOCALES for msgid in missing(loc)]
        if command == "check":
            problems += [f"{loc}: out of date, run `make locales`" for loc in stale(extract())]
        for line in problems:
            print(line)
        if command == "check" and problems:
            return 1
    elif command == "set":
        # python -m bot.catalogs set en < translations.json  ({"Swedish msgid": "English"})
        unknown = set_translations(argv[1], json.load(sys.stdin))
        for msgid in unknown:
            print(f"not in catalog (run `make locales` first?): {msgid!r}")
        compile_catalogs()
        return 1 if unknown else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
