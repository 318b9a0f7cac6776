"""Data objects of the offline Bot API server: simulated users/chats and what the bot sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["JSONDict", "SentMessage", "SimChat", "SimUser"]

JSONDict = dict[str, Any]

# Inline button fields that make a button do something; exactly one is allowed per button.
INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass
class SimUser:
    """A simulated Telegram user; their private chat with the bot has the same id."""

    id: int
    first_name: str = "Test"
    language_code: str | None = "sv"
    username: str | None = None
    last_name: str | None = None
    is_bot: bool = False

    def to_dict(self) -> JSONDict:
        """Telegram ``User`` object."""
        d: JSONDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            d["last_name"] = self.last_name
        if self.username:
            d["username"] = self.username
        if self.language_code:
            d["language_code"] = self.language_code
        return d


@dataclass
class SimChat:
    """A simulated chat (private, group or supergroup)."""

    id: int
    type: str = "private"
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None

    def to_dict(self) -> JSONDict:
        """Telegram ``Chat`` object."""
        d: JSONDict = {"id": self.id, "type": self.type}
        for key in ("title", "first_name", "last_name", "username"):
            value = getattr(self, key)
            if value:
                d[key] = value
        return d


def _button_value(button: Any) -> str | None:
    if not isinstance(button, dict):
        return None
    for key in INLINE_ACTIONS:
        value = button.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, dict):
            inner = value.get("url") or value.get("text") or value.get("query")
            if isinstance(inner, str):
                return inner
    return None


@dataclass(eq=False)
class SentMessage:
    """A message the bot sent, in its current state (edits update it in place).

    ``text``/``caption`` are exactly what the bot sent (markup included); ``plain_text`` is what
    the user sees (tags stripped, entities decoded); ``edits`` holds earlier versions.
    """

    message_id: int
    chat_id: int
    kind: str  # "text" | "photo" | "document"
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    reply_markup: JSONDict | None = None
    entities: list[JSONDict] = field(default_factory=list)
    plain_text: str = ""
    file_bytes: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    file_id: str | None = None
    date: int = 0
    edit_date: int | None = None
    edits: list[JSONDict] = field(default_factory=list)
    deleted: bool = False
    reply_to_message_id: int | None = None
    params: JSONDict = field(default_factory=dict, repr=False)

    @property
    def edit_count(self) -> int:
        """How many times the message was edited."""
        return len(self.edits)

    @property
    def is_inline_keyboard(self) -> bool:
        """True if the message carries an inline keyboard."""
        return bool(self.reply_markup and "inline_keyboard" in self.reply_markup)

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Keyboard rows as (text, callback_data or url or other action value)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        result: list[list[tuple[str, str | None]]] = []
        for row in rows:
            out: list[tuple[str, str | None]] = []
            for button in row:
                if isinstance(button, str):
                    out.append((button, None))
                else:
                    out.append((str(button.get("text", "")), _button_value(button)))
            result.append(out)
        return result

    @property
    def button_texts(self) -> list[str]:
        """All button texts, row by row."""
        return [text for row in self.buttons for text, _ in row]

    def callback_for(self, text_substring: str) -> str:
        """callback_data of the first inline button whose text contains ``text_substring``
        (case-insensitive); AssertionError listing the buttons if there is none."""
        needle = text_substring.casefold()
        if self.reply_markup:
            for row in self.reply_markup.get("inline_keyboard") or []:
                for button in row:
                    data = button.get("callback_data")
                    if isinstance(data, str) and needle in str(button.get("text", "")).casefold():
                        return data
        raise AssertionError(
            f"no inline button containing {text_substring!r} with callback_data in message "
            f"{self.message_id}; buttons: {self.buttons}"
        )

    def snapshot(self) -> JSONDict:
        """The user-visible state, stored in ``edits`` before an edit."""
        return {
            "text": self.text,
            "caption": self.caption,
            "plain_text": self.plain_text,
            "parse_mode": self.parse_mode,
            "entities": self.entities,
            "reply_markup": self.reply_markup,
            "date": self.edit_date or self.date,
        }

    def describe(self) -> str:
        """One line for debugging output."""
        flags = " (deleted)" if self.deleted else ""
        flags += f" (edited x{self.edit_count})" if self.edits else ""
        buttons = f" buttons={self.button_texts}" if self.reply_markup else ""
        body = self.plain_text if len(self.plain_text) <= 300 else self.plain_text[:300] + "…"
        return f"#{self.message_id} [{self.kind}]{flags} {body!r}{buttons}"
