"""Telegram-style HTML parsing for the offline Bot API server.

Turns a ``parse_mode=HTML`` text into (plain text, entities) the way the Bot API does, and fails
with Telegram's "can't parse entities" wording on markup Telegram would reject. It is deliberately
a little *stricter* than Telegram about a bare ``&`` (Telegram keeps it literally): the bot must
escape all dynamic text, and the tests should notice when it does not.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["HtmlParseError", "parse_html", "strip_html", "utf16_len"]

_SPECIAL = re.compile(r"[<&]")
_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,7})|(lt|gt|amp|quot));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTR_NAME = re.compile(r"[A-Za-z0-9_-]+")
_UNQUOTED_VALUE = re.compile(r"[^\s>\"'=<`]+")

# tag -> entity type (None: decided by attributes)
_TAGS: dict[str, str | None] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": None,
    "a": None,
    "code": "code",
    "pre": "pre",
    "blockquote": None,
    "tg-emoji": None,
}


class HtmlParseError(ValueError):
    """Markup Telegram would reject; ``str(err)`` is the text after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and entity offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8"))


def _decode_entity(src: str, i: int, *, strict: bool) -> tuple[str, int]:
    """Decode the character entity at ``src[i] == '&'``; returns (char, next index)."""
    m = _ENTITY.match(src, i)
    if m is None:
        if strict:
            raise HtmlParseError(
                f'Unescaped "&" at byte offset {_byte_offset(src, i)}: use &amp; '
                "(only &lt; &gt; &amp; &quot; and numeric entities are supported)"
            )
        return "&", i + 1
    dec, hexa, named = m.groups()
    if named:
        return _NAMED[named], m.end()
    code = int(dec) if dec else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        if strict:
            raise HtmlParseError(f"Invalid character entity at byte offset {_byte_offset(src, i)}")
        return "&", i + 1
    return chr(code), m.end()


def _unescape_attr(src: str, value: str) -> str:
    if "&" not in value:
        return value
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            ch, i = _decode_entity(value, i, strict=False)
            out.append(ch)
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _parse_attrs(src: str, i: int, tag: str, tag_pos: int) -> tuple[dict[str, str], int]:
    """Parse attributes of a start tag from ``i``; returns (attrs, index after '>')."""
    attrs: dict[str, str] = {}
    n = len(src)
    while True:
        while i < n and src[i].isspace():
            i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(src, tag_pos)}")
        if src[i] == ">":
            return attrs, i + 1
        m = _ATTR_NAME.match(src, i)
        if m is None:
            raise HtmlParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(src, i)}'
            )
        name = m.group().lower()
        i = m.end()
        while i < n and src[i].isspace():
            i += 1
        if i < n and src[i] == "=":
            i += 1
            while i < n and src[i].isspace():
                i += 1
            if i >= n:
                raise HtmlParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(src, tag_pos)}"
                )
            if src[i] in "\"'":
                end = src.find(src[i], i + 1)
                if end < 0:
                    raise HtmlParseError(
                        f"Unclosed start tag at byte offset {_byte_offset(src, tag_pos)}"
                    )
                value = src[i + 1 : end]
                i = end + 1
            else:
                vm = _UNQUOTED_VALUE.match(src, i)
                if vm is None:
                    raise HtmlParseError(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                        f"at byte offset {_byte_offset(src, i)}"
                    )
                value = vm.group()
                i = vm.end()
            attrs[name] = _unescape_attr(src, value)
        else:
            attrs[name] = ""


def parse_html(src: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, entity dicts with UTF-16 offsets).

    Raises HtmlParseError with Telegram's wording for unsupported/unclosed/mismatched tags and
    (when ``strict_ampersand``) for a ``&`` that does not start a supported entity.
    """
    out: list[str] = []
    pos16 = 0  # UTF-16 length of ``out`` so far
    # (tag name, entity dict or None, start offset in utf16, source index of the tag)
    stack: list[tuple[str, dict[str, Any] | None, int, int]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(src)
    while i < n:
        m = _SPECIAL.search(src, i)
        end = m.start() if m else n
        if end > i:
            chunk = src[i:end]
            out.append(chunk)
            pos16 += utf16_len(chunk)
            i = end
            if m is None:
                break
        if src[i] == "&":
            ch, i = _decode_entity(src, i, strict=strict_ampersand)
            out.append(ch)
            pos16 += 2 if ord(ch) > 0xFFFF else 1
            continue
        # src[i] == "<"
        tag_pos = i
        if i + 1 < n and src[i + 1] == "/":
            close = src.find(">", i + 2)
            if close < 0:
                raise HtmlParseError(f"Unclosed end tag at byte offset {_byte_offset(src, i)}")
            name = src[i + 2 : close].strip().lower()
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {_byte_offset(src, i)}")
            top, entity, start16, _ = stack.pop()
            if name != top:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(src, i)}, "
                    f'expected "</{top}>", found "</{name}>"'
                )
            if entity is not None and pos16 > start16:
                entity["offset"] = start16
                entity["length"] = pos16 - start16
                entities.append(entity)
            i = close + 1
            continue
        tm = _TAG_NAME.match(src, i + 1)
        if tm is None:
            raise HtmlParseError(f"Unsupported start tag at byte offset {_byte_offset(src, i)}")
        name = tm.group().lower()
        if name not in _TAGS:
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(src, i)}'
            )
        attrs, i = _parse_attrs(src, tm.end(), name, tag_pos)
        entity = _entity_for(src, name, attrs, tag_pos, stack)
        stack.append((name, entity, pos16, tag_pos))
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity_for(
    src: str,
    name: str,
    attrs: dict[str, str],
    tag_pos: int,
    stack: list[tuple[str, dict[str, Any] | None, int, int]],
) -> dict[str, Any] | None:
    """Build the entity a start tag opens (offset/length are filled in at the end tag)."""
    kind = _TAGS[name]
    if kind is not None:
        if name == "code" and stack and stack[-1][0] == "pre":
            pre = stack[-1][1]
            lang = attrs.get("class", "")
            if pre is not None and lang.startswith("language-") and len(lang) > 9:
                pre["language"] = lang[9:]
            return None
        return {"type": kind}
    if name == "span":
        if attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(
                'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(src, tag_pos)}"
            )
        return {"type": "spoiler"}
    if name == "a":
        href = attrs.get("href", "")
        if not href:
            return None
        return {"type": "text_link", "url": href}
    if name == "blockquote":
        return {"type": "expandable_blockquote" if "expandable" in attrs else "blockquote"}
    # tg-emoji
    emoji_id = attrs.get("emoji-id", "")
    if not emoji_id.isdigit():
        raise HtmlParseError(
            f"Custom emoji entity must contain a valid emoji-id at byte offset "
            f"{_byte_offset(src, tag_pos)}"
        )
    return {"type": "custom_emoji", "custom_emoji_id": emoji_id}


def strip_html(src: str) -> str:
    """Best-effort plain text of Telegram HTML, for assertions (never raises)."""
    try:
        return parse_html(src, strict_ampersand=False)[0]
    except HtmlParseError:
        return html.unescape(re.sub(r"<[^>]*>", "", src))
