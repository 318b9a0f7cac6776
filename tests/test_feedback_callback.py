"""Typed callback data (bot.callback): the wire format stays ``prefix:arg:arg``, parsing never
raises, and the handler pattern accepts exactly what parse accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pytest

from bot.callback import (
    CallbackData,
    CallbackDataTooLong,
    LanguageButton,
    MenuButton,
)


@dataclass(frozen=True)
class _Mod(CallbackData, prefix="test-mod"):
    action: Literal["ok", "no", "rej"]
    item: int
    reason: str | None = None


def test_pack_keeps_the_old_wire_format() -> None:
    assert _Mod("ok", 42).pack() == "test-mod:ok:42"
    assert _Mod("rej", 42, "spam").pack() == "test-mod:rej:42:spam"
    assert MenuButton("tyck").pack() == "menu:tyck"
    assert LanguageButton("en").pack() == "lang:en"


def test_parse_round_trips_and_types_fields() -> None:
    button = _Mod.parse("test-mod:rej:7:spam")
    assert button == _Mod("rej", 7, "spam")
    assert button is not None and isinstance(button.item, int)
    assert _Mod.parse("test-mod:ok:7") == _Mod("ok", 7)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "menu:tyck",  # another prefix
        "test-mod",
        "test-mod:ok",  # missing a required field
        "test-mod:ok:x",  # not an int
        "test-mod:maybe:7",  # not one of the Literal's values
        "test-mod:ok:7:spam:extra",  # too many parts
        "test-mod:ok:99999999999999999999999999",  # beyond 64-bit
        "🙂",
        ":::",
    ],
)
def test_parse_rejects_foreign_and_malformed_data_without_raising(data: str | None) -> None:
    assert _Mod.parse(data) is None


@pytest.mark.parametrize(
    "data", ["test-mod:ok:42", "test-mod:rej:42:spam", "test-mod:no:x", "test-mod:ok", "menu:ask"]
)
def test_pattern_matches_exactly_what_parse_accepts(data: str) -> None:
    assert bool(re.match(_Mod.pattern(), data)) == (_Mod.parse(data) is not None)


def test_pattern_can_narrow_a_field() -> None:
    only_ok = _Mod.pattern(action="ok")
    assert re.match(only_ok, "test-mod:ok:1")
    assert not re.match(only_ok, "test-mod:no:1")
    assert re.match(MenuButton.pattern(choice=("ask", "lang")), "menu:lang")
    assert not re.match(MenuButton.pattern(choice=("ask", "lang")), "menu:tyck")


def test_too_long_data_fails_where_the_button_is_built() -> None:
    with pytest.raises(CallbackDataTooLong):
        _Mod("rej", 1, "x" * 60).pack()


def test_a_prefix_can_be_defined_only_once() -> None:
    with pytest.raises(ValueError, match="already used"):

        @dataclass(frozen=True)
        class _Again(CallbackData, prefix="menu"):
            choice: str


def test_a_separator_inside_a_value_is_refused() -> None:
    with pytest.raises(ValueError):
        _Mod("rej", 1, "a:b").pack()
