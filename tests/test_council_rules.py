"""bot.council: the pure rules behind /aterkoppla (district prefix, note length, gone chats)."""

from __future__ import annotations

from telegram.error import BadRequest, Forbidden, NetworkError

from bot.content import load_council
from bot.council import NOTE_MAX_CHARS, note_length_error, recipient_gone, split_district


def test_split_district_takes_the_leading_name_and_keeps_line_breaks() -> None:
    council = load_council()
    assert split_district(council, "Ersboda  Ny belysning\nvid skolan") == (
        "ersboda",
        "Ny belysning\nvid skolan",
    )
    assert split_district(council, "Ingenstans alls") == (None, "")


def test_note_length_error_only_above_the_limit() -> None:
    assert note_length_error("x" * NOTE_MAX_CHARS, str) is None
    error = note_length_error("x" * (NOTE_MAX_CHARS + 1), str)
    assert error is not None and str(NOTE_MAX_CHARS + 1) in error


def test_only_blocked_or_missing_chats_are_dropped() -> None:
    assert recipient_gone(Forbidden("Forbidden: bot was blocked by the user"))
    assert recipient_gone(BadRequest("Bad Request: chat not found"))
    assert not recipient_gone(BadRequest("Bad Request: message is too long"))
    assert not recipient_gone(NetworkError("timed out"))
