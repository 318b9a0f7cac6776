"""Helpers for the feedback/privacy tests: drive the real bot like a resident would."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bot.privacy.pseudonym import pseudonym
from devkit.offline import OfflineBotApi, SentMessage, SimUser


async def tap(api: OfflineBotApi, user: SimUser, msg: SentMessage, label: str) -> str:
    """Press the inline button whose text contains ``label``; returns the query id."""
    return await api.press(user, msg, msg.callback_for(label))


async def alert(api: OfflineBotApi, qid: str) -> str:
    """The text of the bot's answer to a button press ('' when it answered silently)."""
    answer = await api.wait_callback_answer(qid)
    return str(answer.get("text") or "")


async def open_dialogue(api: OfflineBotApi, user: SimUser, command: str = "/tyck") -> SentMessage:
    await api.send_text(user, command)
    return await api.next_message(user)


def has_button(msg: SentMessage, label: str) -> bool:
    return any(label.casefold() in text.casefold() for text in msg.button_texts)


async def page_to(
    api: OfflineBotApi, user: SimUser, picker: SentMessage, label: str
) -> SentMessage:
    """The district picker, paged forward ("Nästa"/"Next", the message is edited) until a button
    containing ``label`` shows; AssertionError after the last page."""
    current = api.message(user, picker.message_id)
    while not has_button(current, label):
        edits = current.edit_count
        forward = "Nästa" if has_button(current, "Nästa") else "Next"
        assert has_button(current, forward), f"{label!r} is on no page: {current.button_texts}"
        await tap(api, user, current, forward)
        await api.wait_for(
            lambda n=edits: api.message(user, picker.message_id).edit_count > n  # type: ignore[misc]
        )
        current = api.message(user, picker.message_id)
    return current


async def to_text_step(
    api: OfflineBotApi,
    user: SimUser,
    *,
    district: str = "Centrum",
    topic: str = "narkotika",
    rating: str = "4",
) -> None:
    """/tyck → district → topic → rating; the text prompt has been read. The district is found
    on the picker's pages as a resident would: "Nästa" until its button shows."""
    intro = await open_dialogue(api, user)
    await tap(api, user, await page_to(api, user, intro, district), district)
    topic_msg = await api.next_message(user)
    await tap(api, user, topic_msg, topic)
    rating_msg = await api.next_message(user)
    await tap(api, user, rating_msg, rating)
    prompt = await api.next_message(user)
    assert "egna ord" in prompt.plain_text or "own words" in prompt.plain_text


async def submit_text(api: OfflineBotApi, user: SimUser, text: str) -> SentMessage:
    """Send the free text, then press Skicka on the review; returns the thank-you message."""
    await api.send_text(user, text)
    review = await api.next_message(user)
    while "Skicka" not in " ".join(review.button_texts) and "Send" not in " ".join(
        review.button_texts
    ):
        review = await api.next_message(user)
    await api.press(user, review, review.callback_for("✅"))
    return await api.next_message(user)


async def give_feedback(api: OfflineBotApi, user: SimUser, text: str, **kwargs: Any) -> str:
    """A whole dialogue; returns the reference from the thank-you message."""
    await to_text_step(api, user, **kwargs)
    thanks = await submit_text(api, user, text)
    assert "ref" in thanks.plain_text, thanks.plain_text
    question = await api.next_message(user)  # "Vill du få uppdateringar …?"
    assert question.is_inline_keyboard
    return thanks.plain_text.split("ref ")[1].split(")")[0]


def alias(bot: Any, user_id: int) -> str:
    return pseudonym(user_id, bot.services.pseudonym_key)


def dump_database(path: Path) -> str:
    """Every value in every table as one string (what a leaked file would reveal)."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_")
        ]
        parts: list[str] = []
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                parts.append(f"{table}: " + " | ".join(str(v) for v in row))
        return "\n".join(parts)
    finally:
        conn.close()


def committed_rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read through a second connection: only committed data is visible."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()
