"""Offline Bot API server: a real python-telegram-bot Application talks HTTP to it.

These tests check that the server behaves like Telegram where the bot would notice: replies
round-trip, long polling wakes up at once, invalid requests fail with Telegram's errors, faults
surface as PTB's exceptions.
"""

from __future__ import annotations

import asyncio
import html
import tomllib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from setuptools import find_packages
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from devkit.offline import FloodLimits, OfflineBotApi, SentMessage, parse_html, utf16_len

POLL_TIMEOUT = 10  # long-poll seconds; replies must arrive far sooner than this
TOKEN = "123:ABC"


# --------------------------------------------------------------------------- fixtures


@dataclass
class Harness:
    """A running bot (polling the offline server) plus what its error handler saw."""

    api: OfflineBotApi
    app: Application[Any, Any, Any, Any, Any, Any]
    errors: list[BaseException] = field(default_factory=list)


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_user
    name = html.escape(update.effective_user.first_name)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Ja tack", callback_data="answer:yes")],
            [InlineKeyboardButton("Läs mer", url="https://umea.se")],
        ]
    )
    await update.effective_message.reply_text(
        f"<b>Hej</b> {name}!", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Tack!")
    await query.edit_message_text("Du svarade <i>ja</i> &amp; tack", parse_mode=ParseMode.HTML)


async def _media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message
    await update.effective_message.reply_photo(
        photo=b"\x89PNG\r\n\x1a\nfake-png", caption="<i>Karta</i>", parse_mode=ParseMode.HTML
    )
    await update.effective_message.reply_document(
        document=b"datum;antal\n2025-01-01;3\n", filename="rapport.csv", caption="Rapport"
    )


async def _broken(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message
    await update.effective_message.reply_text("<b>oj", parse_mode=ParseMode.HTML)


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


def build_app(api: OfflineBotApi) -> Application[Any, Any, Any, Any, Any, Any]:
    """A PTB application pointed at the offline server, with tiny test handlers."""
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CommandHandler("media", _media))
    app.add_handler(CommandHandler("broken", _broken))
    app.add_handler(CallbackQueryHandler(_answer, pattern=r"^answer:"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    return app


@pytest.fixture(autouse=True)
def _timedelta_durations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta durations (else reading e.g. retry_after warns)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def api() -> AsyncIterator[OfflineBotApi]:
    async with OfflineBotApi() as server:
        yield server


@pytest.fixture
async def harness(api: OfflineBotApi) -> AsyncIterator[Harness]:
    app = build_app(api)
    h = Harness(api, app)

    async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        h.errors.append(context.error)

    app.add_error_handler(record_error)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=timedelta(seconds=POLL_TIMEOUT))
        try:
            yield h
        finally:
            await app.updater.stop()
            await app.stop()


@pytest.fixture
async def bot_app(api: OfflineBotApi) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """An initialized application that does not poll (for direct Bot calls)."""
    app = build_app(api)
    async with app:
        yield app


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


# --------------------------------------------------------------------------- round trips


async def test_text_round_trip_through_real_application(harness: Harness) -> None:
    api = harness.api
    anna = api.user(1001, first_name="Anna")
    await api.send_text(anna, "Hej, när öppnar fritidsgården?")
    reply = await api.next_message(anna)
    assert reply.kind == "text"
    assert reply.chat_id == 1001
    assert reply.text == "Hej, när öppnar fritidsgården?"
    called = [name for name, _ in api.calls]
    assert "getMe" in called and "deleteWebhook" in called and "sendMessage" in called
    assert harness.errors == []


async def test_long_polling_wakes_immediately_when_an_update_arrives(harness: Harness) -> None:
    api = harness.api
    user = api.user(1002)
    await api.wait_for(lambda: api.long_polls_waiting == 1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await api.send_text(user, "ping")
    await api.next_message(user, timeout=POLL_TIMEOUT / 2)
    assert loop.time() - started < 2.0  # far less than the long-poll timeout
    await api.wait_updates_confirmed()
    assert api.pending_updates == 0


async def test_command_with_botname_and_payload_gets_bot_command_entity(harness: Harness) -> None:
    api = harness.api
    user = api.user(1003, first_name="<Bo & Co>")
    await api.send_text(user, f"/start@{api.bot_username} kampanj")
    reply = await api.next_message(user)
    assert reply.plain_text == "Hej <Bo & Co>!"
    assert reply.entities == [{"type": "bold", "offset": 0, "length": 3}]
    assert reply.button_texts == ["Ja tack", "Läs mer"]
    assert reply.buttons[1] == [("Läs mer", "https://umea.se")]


async def test_callback_query_round_trip_answer_and_edit(harness: Harness) -> None:
    api = harness.api
    user = api.user(1004)
    seen: list[tuple[int, int]] = []
    api.on_message.append(lambda m: seen.append((m.message_id, m.edit_count)))
    await api.send_text(user, "/start")
    menu = await api.next_message(user)
    query_id = await api.press(user, menu, menu.callback_for("ja"))
    answer = await api.wait_callback_answer(query_id)
    assert answer["text"] == "Tack!"
    assert answer["show_alert"] is False
    await api.wait_for(lambda: menu.edit_count == 1)
    assert menu.plain_text == "Du svarade ja & tack"
    assert menu.reply_markup is None  # edit without reply_markup removes the keyboard
    assert menu.edits[0]["plain_text"].startswith("Hej")
    assert seen == [(menu.message_id, 0), (menu.message_id, 1)]
    # Telegram refuses a second answer to the same query
    with pytest.raises(BadRequest, match="Query is too old"):
        await harness.app.bot.answer_callback_query(query_id)
    assert harness.errors == []


async def test_media_uploads_are_stored_with_bytes_name_and_type(harness: Harness) -> None:
    api = harness.api
    user = api.user(1005)
    await api.send_text(user, "/media")
    photo = await api.next_message(user)
    doc = await api.next_message(user)
    assert photo.kind == "photo"
    assert photo.file_bytes == b"\x89PNG\r\n\x1a\nfake-png"
    assert photo.plain_text == "Karta"
    assert doc.kind == "document"
    assert doc.filename == "rapport.csv"
    assert doc.file_bytes == b"datum;antal\n2025-01-01;3\n"
    assert doc.mime_type == "text/csv"
    assert doc.caption == "Rapport"
    # the stored file can be downloaded back through getFile + the file URL
    assert doc.file_id is not None
    tg_file = await harness.app.bot.get_file(doc.file_id)
    assert bytes(await tg_file.download_as_bytearray()) == doc.file_bytes


async def test_group_reply_quotes_the_users_message(harness: Harness) -> None:
    api = harness.api
    group = api.group(-1001234567890, "Grannsamverkan Ålidhem")
    assert group.type == "supergroup"
    user = api.user(1007)
    await api.send_text(user, "Hej gruppen", chat=group)
    reply = await api.next_message(group)
    assert reply.text == "Hej gruppen"
    assert reply.reply_to_message_id == 1  # PTB quotes in groups; the user's message exists
    assert api.messages(user) == []
    assert harness.errors == []


async def test_invalid_html_from_a_handler_reaches_the_error_handler(harness: Harness) -> None:
    api = harness.api
    user = api.user(1006)
    await api.send_text(user, "/broken")
    await api.wait_for(lambda: harness.errors)
    err = harness.errors[0]
    assert isinstance(err, BadRequest)
    assert (
        err.message == "Can't parse entities: can't find end tag corresponding to start tag \"b\""
    )
    assert api.messages(user) == []
    method, _, status, _ = api.error_responses[-1]
    assert (method, status) == ("sendMessage", 400)
    # a test waiting for the reply is told why it never came
    with pytest.raises(AssertionError, match="can't parse entities"):
        await api.next_message(user, timeout=0.01)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>fet</i>", "Unmatched end tag"),
        ("<br>rad", 'Unsupported start tag "br"'),
        ("a < b", "Unsupported start tag at byte offset 2"),
        ("Tom & Jerry", 'Unescaped "&"'),
        ("&nbsp;", 'Unescaped "&"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("</b>", "Unexpected end tag"),
        ("<b", "Unclosed start tag"),
    ],
)
async def test_bad_html_is_rejected_like_telegram(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any], text: str, expected: str
) -> None:
    api.user(2001)
    with pytest.raises(BadRequest) as info:
        await bot_app.bot.send_message(2001, text, parse_mode=ParseMode.HTML)
    assert info.value.message.startswith("Can't parse entities: ")
    assert expected.lower() in info.value.message.lower()
    assert api.messages(2001) == []


async def test_valid_html_is_parsed_into_entities(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.user(2002)
    text = (
        "😀 <b>fet <i>kursiv</i></b> &lt;&gt;&amp;&quot;&#229;&#xE4; 5 > 3 "
        '<a href="https://x.se?a=1&amp;b=2">länk</a> '
        '<pre><code class="language-python">x = 1</code></pre> <span class="tg-spoiler">s</span> '
        "<blockquote expandable>citat</blockquote> <tg-spoiler>t</tg-spoiler> <u>u</u> <s>s</s>"
    )
    msg = await bot_app.bot.send_message(2002, text, parse_mode=ParseMode.HTML)
    sent = api.message(2002, msg.message_id)
    assert sent.plain_text.startswith('😀 fet kursiv <>&"åä 5 > 3 länk x = 1 s citat t u s')
    assert msg.text == sent.plain_text
    types = {e["type"] for e in sent.entities}
    assert types == {
        "bold",
        "italic",
        "text_link",
        "pre",
        "spoiler",
        "expandable_blockquote",
        "underline",
        "strikethrough",
    }
    bold = next(e for e in sent.entities if e["type"] == "bold")
    assert (bold["offset"], bold["length"]) == (3, 10)  # the emoji counts as 2 UTF-16 units
    pre = next(e for e in sent.entities if e["type"] == "pre")
    assert pre["language"] == "python"
    link = next(e for e in sent.entities if e["type"] == "text_link")
    assert link["url"] == "https://x.se?a=1&b=2"
    # PTB can turn the entities back into HTML
    assert msg.text_html.startswith("😀 <b>fet <i>kursiv</i></b>")


async def test_text_length_limits_count_utf16_after_entity_parsing(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = bot_app.bot
    api.user(2003)
    await bot.send_message(2003, "a" * 4096)
    await bot.send_message(2003, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(2003, "a" * 4097)
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(2003, "😀" * 2049)  # 4098 UTF-16 code units
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(2003, "<b> </b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_photo(2003, b"img", caption="c" * 1025)
    assert len(api.messages(2003)) == 2


async def test_callback_data_limit_is_64_bytes(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = bot_app.bot
    api.user(2004)

    def markup(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Knapp", callback_data=data)]])

    await bot.send_message(2004, "ok", reply_markup=markup("x" * 64))
    await bot.send_message(2004, "ok", reply_markup=markup("å" * 32))  # 64 bytes
    for data in ("x" * 65, "å" * 33):
        with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
            await bot.send_message(2004, "nej", reply_markup=markup(data))
    assert len(api.messages(2004)) == 2


async def test_reply_keyboard_is_accepted_and_visible(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.user(2005)
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Dela plats", request_location=True)], ["Avbryt"]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    msg = await bot_app.bot.send_message(2005, "Var?", reply_markup=keyboard)
    assert msg.reply_markup is None  # Telegram only echoes inline keyboards
    sent = api.message(2005, msg.message_id)
    assert sent.button_texts == ["Dela plats", "Avbryt"]
    assert sent.reply_markup is not None and sent.reply_markup["one_time_keyboard"] is True


async def test_chat_and_message_errors(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = bot_app.bot
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(999, "hej")
    api.user(2006)
    msg = await bot.send_message(
        2006,
        "hej",
        reply_markup=InlineKeyboardMarkup.from_button(InlineKeyboardButton("A", callback_data="a")),
    )
    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message"):
        await bot.edit_message_text(
            "hej",
            chat_id=2006,
            message_id=msg.message_id,
            reply_markup=InlineKeyboardMarkup.from_button(
                InlineKeyboardButton("A", callback_data="a")
            ),
        )
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("x", chat_id=2006, message_id=12345)
    await bot.edit_message_reply_markup(chat_id=2006, message_id=msg.message_id)
    assert api.message(2006, msg.message_id).reply_markup is None
    assert await bot.delete_message(2006, msg.message_id) is True
    assert api.message(2006, msg.message_id).deleted
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await bot.delete_message(2006, msg.message_id)
    with pytest.raises(BadRequest, match=r"^Message to be replied not found$"):
        await bot.send_message(2006, "svar", reply_to_message_id=msg.message_id)
    api.block_user(2006)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(2006, "hej igen")


# --------------------------------------------------------------------------- faults


async def test_429_fault_raises_retry_after(
    api: OfflineBotApi,
    bot_app: Application[Any, Any, Any, Any, Any, Any],
) -> None:
    api.user(3001)
    api.inject_fault("sendMessage", "429", retry_after=7)
    with pytest.raises(RetryAfter) as info:
        await bot_app.bot.send_message(3001, "hej")
    assert info.value.retry_after == timedelta(seconds=7)
    assert api.faults_injected == 1
    assert api.messages(3001) == []
    await bot_app.bot.send_message(3001, "hej")  # times=1: next call goes through
    assert len(api.messages(3001)) == 1


async def test_drop_after_applies_the_call_but_the_bot_sees_a_network_error(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.user(3002)
    api.inject_fault("sendMessage", "drop_after")
    with pytest.raises(NetworkError):
        await bot_app.bot.send_message(3002, "kom det fram?")
    assert [m.text for m in api.messages(3002)] == ["kom det fram?"]

    api.inject_fault(None, "drop_before")
    with pytest.raises(NetworkError):
        await bot_app.bot.send_message(3002, "aldrig")
    assert len(api.messages(3002)) == 1
    assert api.fault_log == [("sendMessage", "drop_after"), ("sendMessage", "drop_before")]


async def test_5xx_and_slow_faults(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.user(3003)
    api.inject_fault("SENDMESSAGE", "5xx", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot_app.bot.send_message(3003, "a")
    api.inject_fault("sendMessage", "slow", delay=0.05)
    await bot_app.bot.send_message(3003, "b")
    assert [m.text for m in api.messages(3003)] == ["b"]
    assert api.faults_injected == 2


async def test_polling_bot_recovers_from_a_getupdates_fault(harness: Harness) -> None:
    api = harness.api
    user = api.user(3004)
    api.inject_fault("getUpdates", "5xx", status=500)
    await api.send_text(user, "fortfarande där?")
    reply = await api.next_message(user, timeout=POLL_TIMEOUT / 2)
    assert reply.text == "fortfarande där?"


# --------------------------------------------------------------------------- other methods


async def test_commands_are_stored_per_scope_and_language(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = bot_app.bot
    api.user(4001)
    await bot.set_my_commands([BotCommand("start", "Börja"), BotCommand("hjalp", "Hjälp")])
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    await bot.set_my_commands(
        [BotCommand("moderera", "Granska")], scope=BotCommandScopeChat(4001), language_code="sv"
    )
    assert [c["description"] for c in api.commands_for() or []] == ["Börja", "Hjälp"]
    assert api.commands_for("en") == [{"command": "start", "description": "Start"}]
    assert api.commands_for("sv", {"type": "chat", "chat_id": 4001}) == [
        {"command": "moderera", "description": "Granska"}
    ]
    en = await bot.get_my_commands(language_code="en")
    assert [c.description for c in en] == ["Start"]
    assert await bot.get_my_commands(language_code="fi") == ()
    await bot.delete_my_commands(language_code="en")
    assert api.commands_for("en") is None
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Start-Now", "x")])


async def test_simulated_user_payloads_deserialize_in_ptb(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    user = api.user(5001, first_name="Eva", language_code="en", username="eva")
    api.group(-100, "Grannsamverkan")
    await api.send_location(user, 63.8258, 20.2630)
    await api.send_sticker(user)
    await api.send_photo(user, caption="Klotter")
    await api.send_voice(user)
    await api.send_document(user)
    await api.send_contact(user)
    await api.send_text(user, "\u202eRTL\x00NUL" + "x" * 10_000, chat=-100)
    await api.press(user, 77, "forged:1")
    updates = await bot_app.bot.get_updates(timeout=0)
    assert len(updates) == 8
    msgs = [u.message for u in updates[:7]]
    assert all(m is not None for m in msgs)
    loc, sticker, photo, voice, doc, contact, text = (m for m in msgs if m is not None)
    assert loc.location is not None and loc.location.latitude == pytest.approx(63.8258)
    assert sticker.sticker is not None
    assert photo.photo and photo.caption == "Klotter"
    assert voice.voice is not None and voice.voice.duration == timedelta(seconds=3)
    assert doc.document is not None and doc.document.file_name == "dokument.pdf"
    assert contact.contact is not None and contact.contact.user_id == 5001
    assert text.chat.type == "group" and text.text is not None and len(text.text) > 10_000
    assert text.from_user is not None and text.from_user.language_code == "en"
    callback = updates[7].callback_query
    assert callback is not None and callback.data == "forged:1"
    assert callback.message is not None and not callback.message.is_accessible
    # the user's photo can be downloaded by the bot
    assert photo.photo is not None
    data = await (await photo.photo[-1].get_file()).download_as_bytearray()
    assert bytes(data).startswith(b"\xff\xd8")


async def test_next_message_times_out_with_context(api: OfflineBotApi) -> None:
    api.user(6001)
    with pytest.raises(AssertionError, match="no new bot message in chat 6001"):
        await api.next_message(6001, timeout=0.05)


# --------------------------------------------------------------------------- raw HTTP


async def test_raw_http_errors_and_shapes(api: OfflineBotApi, http: aiohttp.ClientSession) -> None:
    root = api.base_url
    async with http.post(f"{root}not-a-token/getMe") as resp:
        assert resp.status == 401
        assert await resp.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    async with http.post(f"{root}{TOKEN}/sendTelepathy") as resp:
        assert resp.status == 404
        assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    async with http.get(f"{root}{TOKEN}/GETME") as resp:
        body = await resp.json()
        assert body["ok"] is True and body["result"]["username"] == api.bot_username
    api.user(7001)
    async with http.post(
        f"{root}{TOKEN}/sendMessage",
        json={
            "chat_id": 7001,
            "text": "json",
            "reply_markup": {"inline_keyboard": [{"text": "a"}]},
        },
    ) as resp:
        body = await resp.json()
        assert resp.status == 400
        assert "Array of Arrays" in body["description"]
    async with http.post(
        f"{root}{TOKEN}/sendMessage",
        data={"chat_id": "7001", "text": "123", "reply_markup": '{"remove_keyboard": true}'},
    ) as resp:
        body = await resp.json()
        assert body["ok"] is True and body["result"]["text"] == "123"
    assert api.messages(7001)[0].reply_markup == {"remove_keyboard": True}


async def test_get_updates_offsets_limit_and_conflict(
    api: OfflineBotApi, http: aiohttp.ClientSession
) -> None:
    url = f"{api.base_url}{TOKEN}/getUpdates"
    user = api.user(7002)
    ids = [await api.send_text(user, f"m{i}") for i in range(3)]
    async with http.post(url, data={"limit": "2"}) as resp:
        got = [u["update_id"] for u in (await resp.json())["result"]]
    assert got == ids[:2]
    async with http.post(url, data={"offset": str(ids[1] + 1)}) as resp:
        got = [u["update_id"] for u in (await resp.json())["result"]]
    assert got == ids[2:]
    assert api.pending_updates == 1
    async with http.post(url, json={"offset": ids[2] + 1, "timeout": 0}) as resp:
        assert (await resp.json())["result"] == []
    assert api.pending_updates == 0

    # an older waiting long poll is terminated by a newer one, like Telegram does
    first = asyncio.ensure_future(http.post(url, data={"timeout": "5"}))
    await api.wait_for(lambda: api.long_polls_waiting == 1)
    async with http.post(url, data={"timeout": "0"}) as resp:
        assert (await resp.json())["result"] == []
    async with await first as resp:
        assert resp.status == 409
        assert (await resp.json())["description"].startswith("Conflict: terminated by other")


def test_parse_html_offsets_are_utf16() -> None:
    plain, entities = parse_html("👍🏽 <b>ok</b> &#128077;")
    assert plain == "👍🏽 ok 👍"
    assert entities == [{"type": "bold", "offset": 5, "length": 2}]
    assert utf16_len(plain) == 10


def test_sent_message_helpers() -> None:
    msg = SentMessage(
        message_id=1,
        chat_id=1,
        kind="text",
        text="x",
        reply_markup={
            "inline_keyboard": [
                [
                    {"text": "Visa mer", "callback_data": "more"},
                    {"text": "Webb", "url": "https://a.se"},
                ]
            ]
        },
    )
    assert msg.callback_for("visa") == "more"
    assert msg.buttons == [[("Visa mer", "more"), ("Webb", "https://a.se")]]
    with pytest.raises(AssertionError, match="no inline button"):
        msg.callback_for("Webb")


async def test_chat_actions_menu_button_and_get_chat(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = bot_app.bot
    api.user(8001, first_name="Lina", username="lina")
    assert await bot.send_chat_action(8001, "typing")
    assert api.chat_actions == [(8001, "typing")]
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(8001, "dancing")
    assert await bot.set_chat_menu_button()
    chat = await bot.get_chat(8001)
    assert chat.first_name == "Lina" and chat.type == "private"
    msg = await bot.send_message("@lina", "via username")
    assert msg.chat.id == 8001


# --------------------------------------------------------------------------- flood limits


class FakeClock:
    """Seconds that only move when the test says so (no sleeping for retry_after)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_flood_limits_are_off_by_default(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    api.user(9001)
    for i in range(40):
        await bot_app.bot.send_message(9001, f"nr {i}")
    assert len(api.delivered(9001)) == 40
    assert api.flood_log == []


async def test_flood_limit_per_chat_answers_429_with_retry_after_like_telegram(
    api: OfflineBotApi,
    bot_app: Application[Any, Any, Any, Any, Any, Any],
    http: aiohttp.ClientSession,
) -> None:
    bot = bot_app.bot
    clock = FakeClock()
    api.set_flood_limits(FloodLimits(chat_burst=1), clock=clock)
    api.user(9101)
    api.user(9102)
    await bot.send_message(9101, "första")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(9101, "andra")
    assert info.value.retry_after == timedelta(seconds=1)
    async with http.post(
        f"{api.base_url}{TOKEN}/sendMessage", json={"chat_id": 9101, "text": "tredje"}
    ) as resp:
        assert resp.status == 429
        assert await resp.json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }
    assert [d.plain_text for d in api.delivered(9101)] == ["första"]  # refused = not delivered
    await bot.send_message(9102, "en annan chatt")  # other chats are not held up
    assert await bot.edit_message_text("första, ändrad", chat_id=9101, message_id=1)  # not limited
    clock.now += 1.0
    await bot.send_message(9101, "andra")
    assert [d.plain_text for d in api.delivered(9101)] == ["första", "andra"]
    assert api.flood_log == [("sendMessage", 9101, 1), ("sendMessage", 9101, 1)]


async def test_flood_limit_overall_is_30_messages_a_second(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = bot_app.bot
    clock = FakeClock()
    api.set_flood_limits(True, clock=clock)
    for uid in range(9201, 9232):
        api.user(uid)
    for uid in range(9201, 9231):
        await bot.send_message(uid, "notis")
    with pytest.raises(RetryAfter):
        await bot.send_message(9231, "notis")
    clock.now += 0.05  # 1/30 s later there is room for one more
    await bot.send_message(9231, "notis")
    assert len(api.delivery_counts("notis")) == 31


async def test_flood_limit_in_a_group_is_20_a_minute(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = bot_app.bot
    clock = FakeClock()
    api.set_flood_limits(True, clock=clock)
    api.group(-9300, "Rådet")
    for i in range(20):
        await bot.send_message(-9300, f"rad {i}")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(-9300, "en för mycket")
    assert info.value.retry_after == timedelta(seconds=3)
    clock.now += 3.0
    await bot.send_message(-9300, "nu går det")
    assert len(api.delivered(-9300)) == 21
    api.set_flood_limits(None)  # and off again
    for i in range(5):
        await bot.send_message(-9300, f"fritt {i}")
    assert len(api.delivered(-9300)) == 26


async def test_a_sender_honouring_retry_after_delivers_each_note_exactly_once(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    """What an outbox test checks: with the limits on, every resident gets the note once."""
    bot = bot_app.bot
    clock = FakeClock()
    api.set_flood_limits(True, clock=clock)
    residents = [api.user(uid) for uid in range(9501, 9576)]
    for resident in residents:
        while True:
            try:
                await bot.send_message(
                    resident.id, "Ny belysning på <b>Ålidhem</b>", parse_mode=ParseMode.HTML
                )
                break
            except RetryAfter as exc:
                assert isinstance(exc.retry_after, timedelta)
                clock.now += exc.retry_after.total_seconds()  # "wait" as told
    counts = api.delivery_counts("Ny belysning på Ålidhem")
    assert counts == {r.id: 1 for r in residents}
    assert len(api.flood_log) == 2  # 30 at once, then 1 s, 30 more, 1 s, the last 15


async def test_deliveries_are_recorded_per_chat_as_sent(
    api: OfflineBotApi, bot_app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    bot = bot_app.bot
    api.user(9401)
    api.user(9402)
    first = await bot.send_message(
        9401, "<b>Ny belysning</b> på Ålidhem", parse_mode=ParseMode.HTML
    )
    await bot.edit_message_text("Ändrad", chat_id=9401, message_id=first.message_id)
    await bot.send_message(9402, "Ny belysning på Ålidhem")
    twice = await bot.send_message(9402, "Ny belysning på Ålidhem")
    await bot.delete_message(9402, twice.message_id)  # the phone got it all the same
    await bot.send_message(9402, "Något annat")
    assert api.delivery_counts("Ny belysning") == {9401: 1, 9402: 2}
    assert [d.plain_text for d in api.delivered(9401)] == ["Ny belysning på Ålidhem"]
    assert api.messages(9401)[0].plain_text == "Ändrad"  # the current state is edited
    assert [d.message_id for d in api.delivered(9402)] == [1, 2, 3]
    assert api.delivery_counts() == {9401: 1, 9402: 3}


# --------------------------------------------------------------------------- packaging


def test_the_wheel_packages_hold_no_offline_server() -> None:
    """devkit/ (this server, the local chat) is development tooling: the wheel leaves it out."""
    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = find_packages(where=str(root), include=include)
    assert {"bot", "handlers", "storage"} <= set(packages)
    assert not [p for p in packages if p.startswith("devkit") or "offline" in p]
    assert "devkit.offline" in find_packages(where=str(root))  # it is there, just not shipped
