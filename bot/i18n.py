"""Per-user translations and locale-aware formatting.

There is no process-wide "current language": each handler gets the translations for its user
(see :class:`bot.context.BotContext`), so two users served at the same moment each get their own.
Source strings are Swedish; the ``sv`` catalog is complete by construction, ``en`` translates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal as _format_decimal
from babel.support import Translations

log = logging.getLogger(__name__)

LOCALES: tuple[str, ...] = ("sv", "en")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = PROJECT_ROOT / "locales"
DOMAIN = "messages"
TIMEZONE = ZoneInfo("Europe/Stockholm")
BABEL_LOCALES = {"sv": "sv_SE", "en": "en_GB"}

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with the user's translations."""
    return message


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> int:
    """Compile every ``.po`` whose ``.mo`` is missing or older; return how many were compiled.

    Run at start-up too, so a stale ``.mo`` can never be served.
    """
    compiled = 0
    for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)
        compiled += 1
    if compiled:
        translations.cache_clear()
    return compiled


@lru_cache(maxsize=8)
def translations(locale: str) -> Translations:
    """The loaded catalog for ``locale`` (cached; catalogs are read once)."""
    loaded = Translations.load(str(LOCALE_DIR), [locale], domain=DOMAIN)
    if not isinstance(loaded, Translations) and locale != "sv":
        log.warning("No compiled catalog for %s; falling back to Swedish source strings", locale)
    return loaded  # type: ignore[return-value]


def pick_locale(language_code: str | None, default: str = "sv") -> str:
    """Telegram's ``language_code``: ``en*`` → English, ``sv*`` → Swedish, else the default."""
    if language_code:
        primary = language_code.lower().replace("_", "-").split("-")[0]
        if primary in LOCALES:
            return primary
    return default


def babel_locale(locale: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(locale, "sv_SE"))


def format_date(value: date | datetime, locale: str, fmt: str = "long") -> str:
    if isinstance(value, datetime):
        value = value.astimezone(TIMEZONE).date() if value.tzinfo else value.date()
    return _format_date(value, format=fmt, locale=babel_locale(locale))


def format_datetime(value: datetime, locale: str, fmt: str = "short") -> str:
    return _format_datetime(value, format=fmt, tzinfo=TIMEZONE, locale=babel_locale(locale))


def format_number(value: float | int, locale: str, decimals: int | None = None) -> str:
    if decimals is not None:
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
        return _format_decimal(value, format=pattern, locale=babel_locale(locale))
    return _format_decimal(value, locale=babel_locale(locale))
