"""Catalogs are complete and compiled; locales are picked per user; formatting is Swedish."""

from __future__ import annotations

from datetime import date

from bot import catalogs
from bot.i18n import format_date, format_number, pick_locale, translations


def test_catalogs_are_complete_and_current() -> None:
    assert catalogs.missing("en") == []
    assert catalogs.missing("sv") == []
    assert catalogs.stale(catalogs.extract()) == []


def test_english_catalog_translates() -> None:
    assert translations("en").gettext("Byt språk") == "Change language"
    assert translations("sv").gettext("Byt språk") == "Byt språk"


def test_pick_locale() -> None:
    assert pick_locale("en") == "en"
    assert pick_locale("en-GB") == "en"
    assert pick_locale("sv-SE") == "sv"
    assert pick_locale("de") == "sv"
    assert pick_locale(None) == "sv"
    assert pick_locale("fi", default="en") == "en"


def test_swedish_formatting() -> None:
    assert format_date(date(2026, 3, 5), "sv") == "5 mars 2026"
    assert format_number(1234.5, "sv", 1) == "1\xa0234,5"
    assert format_number(1234.5, "en", 1) == "1,234.5"
