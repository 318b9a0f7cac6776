"""bot.council: the pure rules behind /aterkoppla (district prefix, note length, gone chats)."""

from __future__ import annotations

from telegram.error import BadRequest, Forbidden, NetworkError

from bot.content import load_council
from bot.council import NOTE_MAX_CHARS, note_length_error, recipient_gone, split_district
from bot.labels import example_place
from bot.summary import find_scope
from storage import council as council_repo
from tests.helpers.bot import RunningBot


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


def test_example_place_comes_from_the_council_file() -> None:
    """Help texts name the council's own first priority district (else its first), short."""
    umea = load_council()
    assert example_place(umea, "sv") == "Ålidhem"  # "Ålidhem och Ålidbacken", first priority
    assert find_scope(umea, example_place(umea, "en")) is not None  # the example works
    plain = umea.model_copy(
        update={"districts": [d.model_copy(update={"priority": False}) for d in umea.districts]}
    )
    assert example_place(plain, "sv") == umea.districts[0].name.sv.split("(")[0].strip()


async def test_news_names_the_example_district(bot: RunningBot) -> None:
    await council_repo.add_note(bot.db, "centrum", "Ny belysning vid torget.", "sv", 1)
    api = bot.api
    user = api.user(6101)
    await api.send_text(user, "/nytt")
    text = (await api.next_message(user)).plain_text
    assert "Skriv till exempel /nytt Ålidhem." in text and "Ersboda" not in text
