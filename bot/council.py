"""Pure rules behind /aterkoppla and /nytt: which district a note names, how long a note may
be, and which delivery failures mean a resident's chat is gone for good.

No Telegram calls and no database here, so the handler stays thin and the rules testable.
"""

from __future__ import annotations

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.content import Council
from bot.i18n import Gettext
from bot.summary import find_scope

NOTE_MAX_CHARS = 800
# The longest district name we try to match, in words.
MAX_NAME_WORDS = 6


def split_district(council: Council, text: str) -> tuple[str | None, str]:
    """The leading words that name one district (longest match), and the rest of the text
    with its line breaks kept."""
    words = text.split()
    for k in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        scope = find_scope(council, " ".join(words[:k]))
        if scope is not None and scope.kind == "district":
            rest = text
            for word in words[:k]:
                rest = rest.lstrip()[len(word) :]
            return scope.key, rest.strip()
    return None, ""


def note_length_error(text: str, _: Gettext) -> str | None:
    """What to tell the member when the note is too long to publish, else None."""
    if len(text) <= NOTE_MAX_CHARS:
        return None
    return _("Texten är för lång ({length} tecken). Korta den till högst {max}.").format(
        length=len(text), max=NOTE_MAX_CHARS
    )


def recipient_gone(error: TelegramError) -> bool:
    """True when a delivery failed because the resident blocked the bot or the account is
    gone: their chat id has no use any more and the subscription can be dropped."""
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and "chat not found" in str(error).lower()
