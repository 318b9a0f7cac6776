"""Request validation of the offline Bot API server, worded like Telegram's own errors.

Parameters are typed as Telegram types them (:func:`coerce`), texts and captions are parsed with
:mod:`devkit.offline.html_check` and measured in UTF-16 units, keyboards are checked field by
field. This is what makes a bug that would only show in production (bad HTML, a text over 4096
characters, callback data over 64 bytes) fail in a test instead.
"""

from __future__ import annotations

import json
import re
from typing import Any

from devkit.offline.html_check import HtmlParseError, parse_html, utf16_len
from devkit.offline.models import INLINE_ACTIONS, JSONDict
from devkit.offline.state import ApiError, bad

TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
URL_RE = re.compile(r"(?:(?:https?|tg)://[^\s/?#]+[^\s]*|[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:/\S*)?)")

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_BUTTONS = 100

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

# How form-encoded parameters (always strings) are typed; PTB JSON-encodes non-strings.
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "menu_button",
        "media",
        "message_ids",
        "rights",
    }
)
_INT_PARAMS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "message_thread_id",
        "cache_time",
        "reply_to_message_id",
        "from_chat_id",
        "max_connections",
    }
)
_BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
        "show_caption_above_media",
        "for_channels",
    }
)

_JSON_ERRORS = {
    "reply_markup": "Bad Request: can't parse reply keyboard markup JSON object",
    "entities": "Bad Request: can't parse entities JSON object",
    "caption_entities": "Bad Request: can't parse entities JSON object",
}


def coerce(params: dict[str, Any]) -> JSONDict:
    """Type parameters like Telegram does: JSON-decode objects, parse ints and booleans."""
    out: JSONDict = {}
    for key, value in params.items():
        if key in _JSON_PARAMS:
            if isinstance(value, str | bytes):
                try:
                    value = json.loads(value)
                except ValueError:
                    raise ApiError(
                        400, _JSON_ERRORS.get(key, f"Bad Request: can't parse {key} JSON object")
                    ) from None
        elif key in _INT_PARAMS or key == "chat_id":
            if isinstance(value, str):
                stripped = value.strip()
                if re.fullmatch(r"-?\d+", stripped):
                    value = int(stripped)
                elif key != "chat_id":
                    raise bad(f"invalid {key} specified")
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
        elif key in _BOOL_PARAMS and isinstance(value, str):
            value = value.strip().lower() in ("true", "1")
        out[key] = value
    return out


def format_text(
    text: str, parse_mode: Any, entities: Any, *, strict_ampersand: bool
) -> tuple[str, list[JSONDict], str | None]:
    """Return (plain text, entities, normalised parse_mode) or raise like Telegram."""
    if parse_mode:
        mode = str(parse_mode)
        low = mode.lower()
        if low == "html":
            try:
                plain, ents = parse_html(text, strict_ampersand=strict_ampersand)
            except HtmlParseError as err:
                raise bad(f"can't parse entities: {err}") from None
            return plain, ents, mode
        if low in ("markdown", "markdownv2"):
            return text, [], mode  # not validated (the project uses HTML)
        raise bad("unsupported parse_mode")
    if entities is not None and not isinstance(entities, list):
        raise bad("can't parse entities JSON object")
    return text, list(entities or []), None


def validate_text(
    params: JSONDict, *, edit: bool, strict_ampersand: bool
) -> tuple[str, str, list[JSONDict], str | None]:
    """A message text: (as sent, plain, entities, parse_mode); empty or too long fails."""
    text = params.get("text")
    if isinstance(text, int | float) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not text:
        raise bad("message text is empty")
    plain, ents, mode = format_text(
        text, params.get("parse_mode"), params.get("entities"), strict_ampersand=strict_ampersand
    )
    if not plain.strip():
        raise bad("message text is empty")
    if utf16_len(plain) > MAX_TEXT:
        raise bad("MESSAGE_TOO_LONG" if edit else "message is too long")
    return text, plain, ents, mode


def validate_caption(
    params: JSONDict, *, strict_ampersand: bool
) -> tuple[str | None, str, list[JSONDict], str | None]:
    """A media caption: (as sent or None, plain, entities, parse_mode); at most 1024 units."""
    caption = params.get("caption")
    if caption is None or caption == "":
        return None, "", [], params.get("parse_mode")
    if not isinstance(caption, str):
        caption = str(caption)
    plain, ents, mode = format_text(
        caption,
        params.get("parse_mode"),
        params.get("caption_entities"),
        strict_ampersand=strict_ampersand,
    )
    if utf16_len(plain) > MAX_CAPTION:
        raise bad("message caption is too long")
    return caption, plain, ents, mode


def validate_markup(markup: Any, *, inline_only: bool = False) -> JSONDict | None:
    """A reply_markup object (edits accept inline keyboards only)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        validate_inline_keyboard(markup["inline_keyboard"])
        return markup
    if inline_only:
        raise bad("inline keyboard expected")
    if "keyboard" in markup:
        validate_reply_keyboard(markup["keyboard"])
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad("can't parse reply keyboard markup JSON object")


def validate_inline_keyboard(rows: Any) -> None:
    """An inline keyboard: one action per button, callback data 1–64 bytes, at most 100."""
    if not isinstance(rows, list):
        raise bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    total = 0
    for row in rows:
        if not isinstance(row, list):
            raise bad(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        for button in row:
            total += 1
            if not isinstance(button, dict):
                raise bad(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            if not isinstance(button.get("text"), str):
                raise bad(
                    'can\'t parse inline keyboard button: Field "text" must be of type String'
                )
            actions = [key for key in INLINE_ACTIONS if key in button]
            if not actions:
                raise bad(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                    "keyboard"
                )
            if len(actions) > 1:
                raise bad(
                    "can't parse inline keyboard button: exactly one of the optional fields must "
                    f"be used, found {', '.join(actions)}"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if (
                    not isinstance(data, str)
                    or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
                ):
                    raise bad("BUTTON_DATA_INVALID")
            if "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not URL_RE.fullmatch(url):
                    raise bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    if total > MAX_BUTTONS:
        raise bad("reply markup is too long")


def validate_reply_keyboard(rows: Any) -> None:
    """A reply keyboard: rows of strings or {"text": ...} buttons."""
    if not isinstance(rows, list):
        raise bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
    for row in rows:
        if not isinstance(row, list):
            raise bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
        for button in row:
            if isinstance(button, str):
                continue
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad('can\'t parse keyboard button: Field "text" must be of type String')


def scope_key(scope: Any) -> str:
    """One key per BotCommandScope (absent = default), for the command lists."""
    if not scope:
        scope = {"type": "default"}
    return json.dumps(scope, sort_keys=True, separators=(",", ":"))


def validate_commands(commands: Any) -> list[JSONDict]:
    """setMyCommands' list: at most 100, names [a-z0-9_]{1,32}, descriptions 1–256 characters."""
    if not isinstance(commands, list):
        raise bad("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad("BOT_COMMANDS_TOO_MUCH")
    clean: list[JSONDict] = []
    for cmd in commands:
        if not isinstance(cmd, dict):
            raise bad("can't parse BotCommand JSON object")
        name = cmd.get("command")
        desc = cmd.get("description")
        if not isinstance(name, str) or not BOT_COMMAND_RE.fullmatch(name):
            raise bad("BOT_COMMAND_INVALID")
        if not isinstance(desc, str) or not 1 <= len(desc) <= 256:
            raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
        clean.append({"command": name, "description": desc})
    return clean
