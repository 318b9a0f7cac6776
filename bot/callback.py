"""Typed, length-checked callback data on the wire as ``prefix:arg:arg``.

Telegram rejects callback_data over 64 bytes and python-telegram-bot does not check it, so a
button fails early, where it is built. Each prefix is a small frozen dataclass (as aiogram's
``CallbackData``): ``pack()`` builds the wire string, ``parse(data)`` reads it back into named,
typed fields (``None`` for another prefix or malformed data: a forged, truncated or very old
button never raises), and ``pattern(...)`` is the regex for ``CallbackQueryHandler``.

Fields are read in declaration order. Allowed annotations: ``str``, ``int`` and ``Literal[...]``
of strings, each optionally ``| None`` or with a default; fields with a default must come last
and are left off the wire while they hold it (so ``fb:<sid>:s`` and ``fb:<sid>:d:ersboda`` are the
same dataclass). Example (the way moderation's ``mod:<action>:<id>[:<reason>]`` would read)::

    from dataclasses import dataclass
    from typing import Literal

    from bot.callback import CallbackData

    @dataclass(frozen=True)
    class ModButton(CallbackData, prefix="mod"):
        action: Literal["ok", "no", "edit", "skip", "rej", "back"]
        feedback_id: int
        reason: str | None = None

    InlineKeyboardButton(_("✅ Godkänn"), callback_data=ModButton("ok", item.id).pack())
    CallbackQueryHandler(on_button, pattern=ModButton.pattern())
    CallbackQueryHandler(edit_start, pattern=ModButton.pattern(action="edit"))

    async def on_button(update: Update, context: BotContext) -> None:
        button = ModButton.parse(update.callback_query.data)
        if button is None:  # cannot happen behind the pattern, but costs nothing
            ...
        button.action, button.feedback_id  # "ok", 42

A prefix may be defined only once (a second class with the same prefix fails at import).
The old helpers ``pack(prefix, *args)``, ``unpack(data)`` and ``pattern(prefix)`` remain for
modules not yet converted.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar, Literal, Self, Union, get_args, get_origin, get_type_hints

MAX_BYTES = 64
SEP = ":"
_INT = re.compile(r"-?\d{1,18}")  # fits SQLite's 64-bit integers


class CallbackDataTooLong(ValueError):
    pass


@dataclass(frozen=True)
class _Field:
    name: str
    kind: type  # int or str
    choices: tuple[str, ...] | None  # from Literal[...]
    optional: bool  # has a default (may be left off the wire)
    default: Any

    def regex(self, only: Iterable[object] | None) -> str:
        if only is not None:
            return "|".join(re.escape(str(v)) for v in only)
        if self.choices is not None:
            return "|".join(re.escape(c) for c in self.choices)
        return _INT.pattern if self.kind is int else r"[^:]*"

    def read(self, raw: str) -> tuple[bool, Any]:
        """(ok, value) for one wire part."""
        if self.kind is int:
            return (True, int(raw)) if _INT.fullmatch(raw) else (False, None)
        if self.choices is not None and raw not in self.choices:
            return False, None
        return True, raw


def _describe(cls: type, name: str, hint: Any, default: Any) -> _Field:
    args = get_args(hint)
    if get_origin(hint) in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"{cls.__name__}.{name}: one type (or T | None) only")
        hint = rest[0]
        args = get_args(hint)
    if get_origin(hint) is Literal:
        if not all(isinstance(a, str) for a in args):
            raise TypeError(f"{cls.__name__}.{name}: Literal of strings only")
        return _Field(name, str, tuple(args), default is not MISSING, default)
    if hint in (int, str):
        return _Field(name, hint, None, default is not MISSING, default)
    raise TypeError(f"{cls.__name__}.{name}: str, int or Literal[...] only, not {hint!r}")


class CallbackData:
    """Base class of every callback-data dataclass; see the module docstring."""

    prefix: ClassVar[str]
    _prefixes: ClassVar[dict[str, type[CallbackData]]] = {}
    _spec: ClassVar[tuple[_Field, ...] | None] = None

    def __init_subclass__(cls, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or SEP in prefix:
            raise ValueError(f"Bad callback prefix {prefix!r}")
        if prefix in CallbackData._prefixes:
            raise ValueError(f"Callback prefix {prefix!r} is already used")
        CallbackData._prefixes[prefix] = cls
        cls.prefix = prefix
        cls._spec = None

    @classmethod
    def _fields(cls) -> tuple[_Field, ...]:
        if cls._spec is None:
            hints = get_type_hints(cls)
            spec = tuple(
                _describe(
                    cls,
                    f.name,
                    hints[f.name],
                    f.default if f.default is not MISSING else MISSING,
                )
                for f in fields(cls)  # type: ignore[arg-type]
            )
            cls._spec = spec
        return cls._spec

    def pack(self) -> str:
        """The wire string; trailing fields that hold their default are left off."""
        spec = self._fields()
        values = [getattr(self, f.name) for f in spec]
        while (
            values
            and spec[len(values) - 1].optional
            and values[-1] == spec[len(values) - 1].default
        ):
            values.pop()
        parts = [self.prefix]
        for f, value in zip(spec, values, strict=False):
            if value is None:
                raise ValueError(f"{type(self).__name__}.{f.name} is None before a set field")
            text = str(value)
            if SEP in text:
                raise ValueError(f"{type(self).__name__}.{f.name} contains {SEP!r}")
            parts.append(text)
        data = SEP.join(parts)
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise CallbackDataTooLong(data)
        return data

    @classmethod
    def parse(cls, data: object) -> Self | None:
        """The button behind ``data``, or None when it is not (well-formed) ours."""
        if not isinstance(data, str):
            return None
        prefix, *args = data.split(SEP)
        spec = cls._fields()
        if prefix != cls.prefix or len(args) > len(spec):
            return None
        values: dict[str, Any] = {}
        for i, f in enumerate(spec):
            if i >= len(args):
                if not f.optional:
                    return None
                values[f.name] = f.default
                continue
            ok, value = f.read(args[i])
            if not ok:
                return None
            values[f.name] = value
        try:
            return cls(**values)
        except (TypeError, ValueError):
            return None

    @classmethod
    def pattern(cls, **only: Iterable[object] | str | int) -> str:
        """A regex for CallbackQueryHandler: this prefix, well-formed; ``only`` narrows fields
        to given values, e.g. ``pattern(action=("d", "p"))`` or ``pattern(action="edit")``."""
        spec = cls._fields()
        unknown = set(only) - {f.name for f in spec}
        if unknown:
            raise TypeError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
        tail = ""
        for f in reversed(spec):
            narrowed = only.get(f.name)
            if isinstance(narrowed, str | int):
                narrowed = (narrowed,)
            part = f":(?:{f.regex(narrowed)})"
            tail = f"(?:{part}{tail})?" if f.optional else f"{part}{tail}"
        return f"^{re.escape(cls.prefix)}{tail}$"


# --------------------------------------------------------------------------- shared prefixes


@dataclass(frozen=True)
class MenuButton(CallbackData, prefix="menu"):
    """``menu:<choice>``: the main menu (start), also reused under answers (loften, fokus)."""

    choice: Literal["ask", "tyck", "loften", "fokus", "news", "privacy", "lang"]


@dataclass(frozen=True)
class LanguageButton(CallbackData, prefix="lang"):
    """``lang:<locale>`` from /sprak."""

    locale: str


# --------------------------------------------------------------------------- untyped helpers


def pack(prefix: str, *args: object) -> str:
    """Positional form (modules not yet on a dataclass); same 64-byte check."""
    data = SEP.join([prefix, *(str(a) for a in args)])
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise CallbackDataTooLong(data)
    return data


def unpack(data: str | None) -> list[str]:
    """Split data into its parts (the prefix first); empty for missing data."""
    return data.split(SEP) if data else []


def pattern(prefix: str) -> str:
    """A regex for CallbackQueryHandler that matches one prefix exactly."""
    return rf"^{prefix}(?::|$)"
