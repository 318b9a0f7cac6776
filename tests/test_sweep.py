"""A sweep of every command and button with odd input, through the real bot (issue 10).

Every command the bot registers (Swedish and English name), every callback prefix it issues and
random callback data, extreme locations, media and edited messages, sent by each role (resident,
moderator, council member, admin) in a private chat and in a group. What a user would notice is
asserted: no handler error, never the error handler's apology ("Förlåt, något gick fel hos mig"),
and an answer to every command and button press (a message, an edit, or a callback answer, also a
silent one). Edited messages and media in groups need no answer (they are ignored by design).

One bot runs for the whole module (starting one per example would dominate the run time); every
example uses a fresh user (admins come from a pool of ADMIN_IDS) and a fresh group, so examples
cannot disturb each other.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import math
import os
import pkgutil
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import handlers
from bot import commands
from bot.callback import CallbackData
from bot.content import load_council
from bot.settings import Settings
from devkit.offline import OfflineBotApi, SimUser
from devkit.offline.models import SimChat
from devkit.offline.world import COMMAND_RE
from storage import questions_log
from storage import roles as roles_repo
from storage.moderation import decide
from tests.helpers.bot import ADMIN_ID, BotRunner, RunningBot, make_settings
from tests.helpers.staff import add_feedback, make_staff

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPLY_WITHIN = 3.0
APOLOGIES = ("något gick fel hos mig", "something went wrong on my side")
ROLES = ("resident", "moderator", "council", "admin")
# Telegram sends the app's language, a regional variant, one the bot lacks, or none at all.
LANGUAGES = ("sv", "en", None, "zz", "en-GB", "nb")
CHATS = ("private", "group")

_user_ids = itertools.count(820_000)
_group_ids = itertools.count(-200_000, -1)
_query_ids = itertools.count(1)
# Names are shown to staff (/roller, /logg, content versions): Telegram allows anything in them.
_names = itertools.cycle(
    [
        ("Sweep", None),
        ("<b>Anna", "</i>&amp;"),
        ("&", "<script>"),
        ("Å" * 64, "x" * 64),
        ("\u202eemaN", "\u200b"),
        ("{name} %s", "{0}"),
        ("😀👮‍♀️", None),
    ]
)

COUNCIL = load_council(Settings.model_fields["council_file"].default)
DISTRICT_IDS = [d.id for d in COUNCIL.districts]
DISTRICT_NAMES = [d.name.sv for d in COUNCIL.districts] + [d.name.en for d in COUNCIL.districts]
COMMAND_NAMES = sorted({name for c in commands.ALL for name in c.names})

# ----------------------------------------------------------------------------- strategies

_chars = st.characters(codec="utf-8", exclude_categories=["Cs"])
ODD_WORDS = [
    "9999",
    "0000",
    "0",
    "-1",
    "1e9",
    "99999999999999999999",
    "9999-Q4",
    "0000-Q1",
    "2024-Q5",
    "2024-Q0",
    "2024-13",
    "2024-00",
    "9999-12",
    "q4 9999",
    "kv0 2024",
    "0d",
    "9999d",
    "99999999d",
    "-5d",
    "vecka",
    "månad",
    "kvartal",
    "år",
    "year",
    "nan",
    "inf",
    "moderator",
    "rad",
    "råd",
    "council",
    "admin",
    "inv-",
    "inv-AAAA",
    "@someone",
    "<b>",
    "&",
    "'; DROP TABLE feedback; --",
    "\u200b",
    "\u202e",
    "\x00",
    "😀",
    "…",
]
arg_word = st.one_of(
    st.sampled_from(ODD_WORDS),
    st.sampled_from(DISTRICT_IDS + DISTRICT_NAMES),
    st.text(_chars, max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
command_args = st.one_of(
    st.just(""),
    st.lists(arg_word, min_size=1, max_size=4).map(" ".join),
)
# The longest a message can be (4096 characters with the command); see test_overlong_arguments.
HOSTILE_ARGS = {
    "one word": "x" * 4000,
    "digits": "9" * 4000,
    "words": ("ersboda 9999-Q4 " * 300)[:4000],
    "å": "å" * 4000,
    "html": "<b>fet <i>",
    "entities": "& &amp; &#99999999; &lt",
    "district html": "ersboda <script>",
    "format": "{0} {text} %s {{",
    "zero-width": "\u200b\u202e\u2060",
    "acute": "´ ersboda´ 2024´",
}

# Every typed prefix (bot.callback.CallbackData subclasses register themselves on import) and
# the ones still built with pack(prefix, ...).
for _module in pkgutil.iter_modules(handlers.__path__):
    importlib.import_module(f"handlers.{_module.name}")
LEGACY_PREFIXES = ("kb", "lofte", "fokus", "rnote", "nstop", "fb", "fbu", "staffrev", "mod")
PREFIXES = sorted(set(CallbackData._prefixes) | set(LEGACY_PREFIXES))
PARTS = [
    *("ask", "tyck", "loften", "fokus", "news", "privacy", "lang"),
    *("sv", "en", "xx", ""),
    *("ok", "no", "edit", "skip", "rej", "back", "use", "cancel", "del", "keep", "y", "n"),
    *("s", "e", "d", "p", "l", "t", "r", "c", "cy", "cn", "ef", "eb"),
    *("m", "moderator", "council", "admin", "AAAAAA", "T00001", "abc123", "up", "down"),
    *("0", "1", "2", "-1", "9999999999999999999", "99999999999999999999"),
    *DISTRICT_IDS[:6],
    *(k.id for k in COUNCIL.knowledge[:4]),
    *(p.id for p in COUNCIL.promises[:3]),
    *(f.id for f in COUNCIL.focus_areas[:2]),
]
callback_part = st.one_of(st.sampled_from(PARTS), st.text(_chars, max_size=10))


def _fits(data: str) -> str:
    """Telegram's 64-byte limit on callback data."""
    raw = data.encode()
    return data if len(raw) <= 64 else raw[:64].decode(errors="ignore")


callback_data = st.one_of(
    st.builds(
        lambda prefix, parts: _fits(":".join([prefix, *parts])),
        st.sampled_from(PREFIXES),
        st.lists(callback_part, max_size=4),
    ),
    st.text(_chars, max_size=64).map(_fits),
)

extreme = st.sampled_from([math.inf, -math.inf, math.nan, 1000.0, -1000.0, 0.0, 90.0, -180.0])
coordinate = st.one_of(extreme, st.floats(allow_nan=True, allow_infinity=True))

# SWEEP_SCALE=20 runs twenty times the examples: a deeper sweep by hand, beyond make test's.
SCALE = max(1, int(os.environ.get("SWEEP_SCALE", "1")))
PROPERTY = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No shrinking: a failing example costs a timeout; the first one is printed anyway.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)

FEEDBACK_TEXTS = [
    "Det är mörkt vid busshållplatsen på kvällarna.",
    "<b>fet</b> <script>alert(1)</script> & &amp; &#99999999;",
    '=HYPERLINK("http://x")',
    "x" * 1000,
    "\u202eتسجيل\u202c mörkt \u200b",
    "{0} {text} %s",
    "😀👮‍♀️🇸🇪",
    None,
]

# ----------------------------------------------------------------------------- harness


class Sweep:
    """The running bot and its offline Bot API (a plain class: hypothesis prints examples with
    their arguments, and a dataclass would print every message ever sent)."""

    def __init__(self, api: OfflineBotApi, bot: RunningBot) -> None:
        self.api = api
        self.bot = bot
        self._granted: list[tuple[int, str]] = []

    def __repr__(self) -> str:
        return "Sweep()"

    async def user(self, role: str, language: str | None) -> SimUser:
        """A fresh user holding ``role`` until the next check is done.

        Roles do not pile up: /roller lists every staff member and every ADMIN_IDS entry, and
        hundreds of them would not fit in one message (a limit no council reaches). So a fresh
        admin replaces the previous one in ADMIN_IDS (as a restart with a new setting would),
        and granted roles are revoked after the check.
        """
        uid = next(_user_ids)
        if role == "admin":
            self.bot.services.settings.admin_ids = (ADMIN_ID, uid)
        elif role in ("moderator", "council"):
            await make_staff(self.bot.db, uid, role)
            self._granted.append((uid, role))
        first, last = next(_names)
        return self.api.user(uid, language_code=language, first_name=first, last_name=last)

    async def _revoke(self) -> None:
        while self._granted:
            await roles_repo.revoke(self.bot.db, *self._granted.pop())

    def group(self) -> SimChat:
        return self.api.group(next(_group_ids), "Kvarteret")

    def _seen(self, chats: list[int]) -> tuple[int, int]:
        msgs = [m for chat in chats for m in self.api.messages(chat)]
        return len(msgs), sum(m.edit_count for m in msgs)

    async def check(
        self,
        chats: list[int],
        action: Callable[[], Awaitable[object]],
        what: str,
        *,
        reply: bool | None = True,
    ) -> None:
        """Do ``action``; no handler error, no apology, and a visible answer if ``reply`` (none
        at all if ``reply`` is None: the update is ignored)."""
        try:
            await self._check(chats, action, what, reply)
        finally:
            await self._revoke()

    async def _check(
        self,
        chats: list[int],
        action: Callable[[], Awaitable[object]],
        what: str,
        reply: bool | None,
    ) -> None:
        errors_before = len(self.bot.errors)
        deliveries_before = len(self.api.deliveries)
        before = self._seen(chats)
        result = await action()
        qid = result if isinstance(result, str) else None
        await self.api.wait_updates_confirmed(timeout=10)
        errors = self.bot.errors[errors_before:]
        assert not errors, f"handler error on {what}: {errors!r}"
        apologies = [
            d.plain_text
            for d in self.api.deliveries[deliveries_before:]
            if any(a in d.plain_text for a in APOLOGIES)
        ]
        assert not apologies, f"the apology was sent for {what}"
        if reply is None:
            assert self._seen(chats) == before, f"{what} was answered, not ignored"
            return
        if not reply:
            return

        def replied() -> bool:
            if qid is not None and qid in self.api.callback_answers:
                return True
            return self._seen(chats) != before

        try:
            await self.api.wait_for(replied, timeout=REPLY_WITHIN)
        except AssertionError:
            raise AssertionError(f"no answer within {REPLY_WITHIN}s to {what}") from None


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def sweep(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Sweep]:
    tmp: Path = tmp_path_factory.mktemp("sweep")
    async with OfflineBotApi() as api:
        settings_ = make_settings(api, tmp, feedback_per_day=1_000_000)
        runner = BotRunner(api, settings_)
        bot = await runner.start()
        # Something to summarise, review and export, with texts as hostile as residents'; every
        # third approved (as a moderator would), so summaries quote them.
        districts = ["alidhem", "alidhem", "ersboda", "centrum", "haga"]
        for i in range(200):
            fid = await add_feedback(
                bot.db,
                district=districts[i % len(districts)],
                rating=None if i % 7 == 0 else 1 + i % 5,
                text=FEEDBACK_TEXTS[i % len(FEEDBACK_TEXTS)],
            )
            if i % 3 == 0:
                await decide(bot.db, fid, moderator_id=ADMIN_ID, approve=True, reason=None)
        try:
            yield Sweep(api, bot)
        finally:
            await runner.stop()


async def _send_command(
    sweep: Sweep, role: str, language: str | None, chat: str, text: str
) -> None:
    user = await sweep.user(role, language)
    chats = [user.id]
    where: SimChat | None = None
    if chat == "group":
        where = sweep.group()
        chats.append(where.id)
    await sweep.check(
        chats,
        lambda: sweep.api.send_text(user, text, chat=where),
        f"{text[:80]!r} by {role} ({language}) in a {chat} chat",
    )


# ----------------------------------------------------------------------------- commands


@pytest.mark.parametrize("name", COMMAND_NAMES)
@settings(PROPERTY, max_examples=6 * SCALE)
@given(
    role=st.sampled_from(ROLES),
    language=st.sampled_from(LANGUAGES),
    chat=st.sampled_from(CHATS),
    addressed=st.booleans(),
    args=command_args,
)
async def test_every_command_with_odd_arguments_is_answered(
    sweep: Sweep, name: str, role: str, language: str | None, chat: str, addressed: bool, args: str
) -> None:
    command = f"/{name}@{sweep.api.bot_username}" if addressed else f"/{name}"
    text = f"{command} {args}".strip() if args else command
    await _send_command(sweep, role, language, chat, text[:4096])


# The cases issue 10 names, by the role that can run them.
@pytest.mark.parametrize(
    "text",
    [
        "/sammanfattning 9999",
        "/summary 9999",
        "/export 0000",
        "/sammanfattning ersboda 9999-Q4",
        "/summary ersboda 9999-Q4",
        "/rapport 9999",
        "/rapport 0000",
        "/report -1",
        "/export 9999-Q4",
        "/sammanfattning 99999999d",
        "/aterkoppla ersboda",
        "/bjudin 9999",
        "/logg 9999",
        "/logg 99999999999999999999",
        # and plain ones, over the hostile feedback texts seeded above
        "/sammanfattning",
        "/sammanfattning ersboda",
        "/summary Ålidhem",
        "/export",
        "/rapport",
        "/granska",
        "/nytt",
        "/minadata",
        "/obesvarade",
        "/logg",
    ],
)
@pytest.mark.parametrize("chat", CHATS)
async def test_named_odd_commands_are_answered(sweep: Sweep, text: str, chat: str) -> None:
    for role in ("council", "admin"):
        await _send_command(sweep, role, "sv", chat, text)


# ----------------------------------------------------------------------------- buttons


async def _press(
    sweep: Sweep, role: str, language: str | None, chat: str, message: str, data: str
) -> None:
    api = sweep.api
    user = await sweep.user(role, language)
    chats = [user.id]
    where: SimChat | None = None
    if chat == "group":
        where = sweep.group()
        chats.append(where.id)
    what = f"button {data!r} by {role} ({language}) in a {chat} chat, message: {message}"
    if message == "none":
        # An inline message or a too-old one: Telegram sends the query without `message`.
        qid = f"sweep{next(_query_ids)}"
        update: dict[str, Any] = {
            "callback_query": {
                "id": qid,
                "from": user.to_dict(),
                "chat_instance": "42",
                "inline_message_id": "AAAAsweep",
                "data": data,
            }
        }

        async def raw() -> str:
            api.add_raw_update(update)
            return qid

        await sweep.check(chats, raw, what)
        return
    target: int
    if message in ("menu", "answer"):
        # A real message with buttons: the main menu, or an answer with its 👍/👎.
        ask = "/start" if message == "menu" else f"@{api.bot_username} vad är medborgarlöften?"
        await api.send_text(user, ask, chat=where)
        await api.wait_updates_confirmed(timeout=10)
        with_buttons = [m for m in api.messages(where or user) if m.buttons]
        assert with_buttons, f"no message with buttons after {ask!r}"
        target = with_buttons[-1].message_id
    else:  # an id the bot never sent: Telegram marks it inaccessible (date 0)
        target = 987_654
    await sweep.check(chats, lambda: api.press(user, target, data, chat=where), what)


@settings(PROPERTY, max_examples=120 * SCALE)
@given(
    role=st.sampled_from(ROLES),
    language=st.sampled_from(LANGUAGES),
    chat=st.sampled_from(CHATS),
    message=st.sampled_from(["none", "inaccessible", "menu", "answer"]),
    data=callback_data,
)
@example(role="resident", language="sv", chat="private", message="none", data="menu:ask")
@example(role="resident", language="en", chat="private", message="none", data="lang:en")
@example(role="resident", language="sv", chat="private", message="none", data="menu:news")
@example(role="resident", language="sv", chat="private", message="none", data="fbu:AAAAAA:y")
@example(role="resident", language="sv", chat="private", message="none", data="nstop:ersboda")
async def test_any_button_by_anyone_is_answered(
    sweep: Sweep, role: str, language: str | None, chat: str, message: str, data: str
) -> None:
    await _press(sweep, role, language, chat, message, data)


# Every prefix and every menu choice without a message, by each role: the class of bug.
@pytest.mark.parametrize(
    "data",
    [
        *(f"menu:{c}" for c in ("ask", "tyck", "loften", "fokus", "news", "privacy", "lang")),
        "lang:sv",
        "lang:en",
        f"kb:{COUNCIL.knowledge[0].id}",
        f"lofte:{COUNCIL.promises[0].id}",
        f"fokus:{COUNCIL.focus_areas[0].id}",
        "cnt:use:1",
        "priv:keep",
        "priv:del:1",
        "staffrev:1:m",
        "mod:ok:1",
        "mod:edit:1",
        "rnote:ok:AAAA",
        "nstop:ersboda",
        "fb:abc123:d:centrum",
        "fbu:AAAAAA:y",
        "svar:y",
        "svar:n:lofte-vad:1",
    ],
)
@pytest.mark.parametrize("message", ["none", "inaccessible"])
async def test_known_buttons_without_their_message_are_answered(
    sweep: Sweep, data: str, message: str
) -> None:
    for role in ROLES:
        await _press(sweep, role, "sv", "private", message, data)


# ----------------------------------------------------------------------------- other updates


@settings(PROPERTY, max_examples=40 * SCALE)
@given(
    role=st.sampled_from(ROLES),
    state=st.sampled_from(["outside", "tyck"]),
    lat=coordinate,
    lon=coordinate,
)
@example(role="resident", state="outside", lat=math.inf, lon=-math.inf)
@example(role="resident", state="tyck", lat=math.inf, lon=-math.inf)
@example(role="resident", state="tyck", lat=math.nan, lon=math.nan)
@example(role="resident", state="tyck", lat=1000.0, lon=-1000.0)
async def test_extreme_locations_are_answered(
    sweep: Sweep, role: str, state: str, lat: float, lon: float
) -> None:
    api = sweep.api
    user = await sweep.user(role, "sv")
    if state == "tyck":
        await api.send_text(user, "/tyck")
        await api.next_message(user, timeout=REPLY_WITHIN)
        await api.wait_updates_confirmed(timeout=10)
    await sweep.check(
        [user.id],
        lambda: api.send_location(user, lat, lon),
        f"location ({lat}, {lon}) by {role} {state}",
    )


MEDIA: dict[str, Callable[[OfflineBotApi, SimUser, SimChat | None], Awaitable[object]]] = {
    "sticker": lambda api, u, c: api.send_sticker(u, chat=c),
    "photo": lambda api, u, c: api.send_photo(u, chat=c),
    "photo with caption": lambda api, u, c: api.send_photo(u, caption="/export 0000", chat=c),
    "voice": lambda api, u, c: api.send_voice(u, chat=c),
    "document": lambda api, u, c: api.send_document(u, chat=c),
    "contact": lambda api, u, c: api.send_contact(u, chat=c),
    "location": lambda api, u, c: api.send_location(u, math.inf, -math.inf, chat=c),
}


@pytest.mark.parametrize("kind", sorted(MEDIA))
@pytest.mark.parametrize("chat", CHATS)
async def test_media_by_every_role(sweep: Sweep, kind: str, chat: str) -> None:
    for role in ROLES:
        user = await sweep.user(role, "sv")
        where = sweep.group() if chat == "group" else None
        chats = [user.id] + ([where.id] if where else [])
        await sweep.check(
            chats,
            lambda: MEDIA[kind](sweep.api, user, where),  # noqa: B023
            f"{kind} by {role} in a {chat} chat",
            # In a group the bot reads only what is addressed to it.
            reply=chat == "private",
        )


async def _edit(
    sweep: Sweep, role: str, chat: str, original: str, edited: str, reply: bool | None
) -> None:
    """Send ``original``, then Telegram's edited_message turning it into ``edited``."""
    api = sweep.api
    user = await sweep.user(role, "sv")
    where = sweep.group() if chat == "group" else None
    chats = [user.id] + ([where.id] if where else [])
    await api.send_text(user, original, chat=where)
    await api.wait_updates_confirmed(timeout=10)
    state = api._chats[where.id if where else user.id]  # the offline server's record of the chat
    message = dict(state.user_msgs[max(state.user_msgs)])  # the message just sent
    message["text"] = edited
    message["edit_date"] = message["date"] + 5
    message.pop("entities", None)
    if match := COMMAND_RE.match(edited):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": match.end()}]
    await sweep.check(
        chats,
        lambda: _raw(api, {"edited_message": message}),
        f"edit of {original!r} into {edited!r} by {role} in a {chat} chat",
        reply=reply,
    )


EDITED_INTO = st.one_of(
    st.sampled_from(["/export 0000", "/sammanfattning 9999", "/radera", " ", "\x00"]),
    st.text(_chars, min_size=1, max_size=40),
    st.builds(lambda name: f"/{name} 9999", st.sampled_from(COMMAND_NAMES)),
)


@settings(PROPERTY, max_examples=30 * SCALE)
@given(
    role=st.sampled_from(ROLES),
    chat=st.sampled_from(CHATS),
    original=st.sampled_from(["/tyck", "hej", "vad är medborgarlöften?", "/export"]),
    edited=EDITED_INTO,
)
async def test_edited_messages_never_fail(
    sweep: Sweep, role: str, chat: str, original: str, edited: str
) -> None:
    """An edit never ends in an error or the apology (whether it gets an answer: below)."""
    await _edit(sweep, role, chat, original, edited, False)


EDITS = [
    ("hej", "vad är medborgarlöften?"),
    ("hej", "/export 0000"),
    ("hej", "/radera"),
    ("hej", "/start"),
    ("/tyck", "Centrum"),
    ("/tyck", "vad är medborgarlöften?"),
    ("/tyck", "/sammanfattning 9999"),
]


@pytest.mark.parametrize(("original", "edited"), EDITS)
async def test_an_edit_is_ignored(sweep: Sweep, original: str, edited: str) -> None:
    """Issue 10: an edited older message never becomes a new question, command or answer."""
    for role in ROLES:
        await _edit(sweep, role, "private", original, edited, None)


async def _raw(api: OfflineBotApi, update: dict[str, Any]) -> int:
    return api.add_raw_update(update)


@pytest.mark.parametrize("name", COMMAND_NAMES)
@pytest.mark.parametrize("kind", sorted(HOSTILE_ARGS))
async def test_hostile_arguments_for_every_command(sweep: Sweep, name: str, kind: str) -> None:
    """Every command with 4,000-character arguments (Telegram allows 4,096 in all), HTML and
    other nasties, by an admin (who may run every command): answered, never an error such as
    Telegram's "Message is too long" or "can't parse entities"."""
    await _send_command(sweep, "admin", "sv", "private", f"/{name} {HOSTILE_ARGS[kind]}")


# ----------------------------------------------------------------------------- odd update kinds


def _odd_updates(sweep: Sweep, user: SimUser, group: SimChat) -> dict[str, dict[str, Any]]:
    """Updates Telegram sends that carry no ordinary resident message."""
    bot = {"id": sweep.api.bot_id, "is_bot": True, "first_name": "Bot"}
    channel = {"id": -1001234567890, "type": "channel", "title": "Kanalen"}
    anonymous_admin = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
    member = {"user": bot, "status": "member"}
    left = {"user": bot, "status": "left"}

    def chat_member(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
        return {
            "chat": group.to_dict(),
            "from": user.to_dict(),
            "date": 1,
            "old_chat_member": old,
            "new_chat_member": new,
        }

    def group_message(**content: Any) -> dict[str, Any]:
        return {"message_id": 1, "chat": group.to_dict(), "date": 1, **content}

    command = [{"type": "bot_command", "offset": 0, "length": 6}]
    return {
        "channel post command": {
            "channel_post": {
                "message_id": 1,
                "chat": channel,
                "sender_chat": channel,
                "date": 1,
                "text": "/hjalp",
                "entities": command,
            }
        },
        "channel post text": {
            "channel_post": {"message_id": 2, "chat": channel, "date": 1, "text": "hej"}
        },
        "anonymous admin command": {
            "message": group_message(
                **{"from": anonymous_admin, "sender_chat": group.to_dict()},
                text=f"/hjalp@{sweep.api.bot_username}",
                entities=[{"type": "bot_command", "offset": 0, "length": 6}],
            )
        },
        "bot added to group": {"my_chat_member": chat_member(member, left)},
        "bot removed from group": {"my_chat_member": chat_member(left, member)},
        "someone joins": {
            "message": group_message(**{"from": user.to_dict()}, new_chat_members=[user.to_dict()])
        },
        "group becomes supergroup": {
            "message": group_message(**{"from": user.to_dict()}, migrate_to_chat_id=-1009876543210)
        },
        "inline query": {
            "inline_query": {
                "id": "iq1",
                "from": user.to_dict(),
                "query": "/export 0000",
                "offset": "",
            }
        },
        "poll answer": {
            "poll_answer": {"poll_id": "p1", "user": user.to_dict(), "option_ids": [0]}
        },
        "reaction": {
            "message_reaction": {
                "chat": {"id": user.id, "type": "private", "first_name": "Sweep"},
                "message_id": 1,
                "user": user.to_dict(),
                "date": 1,
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            }
        },
    }


ODD_UPDATE_KINDS = [
    "channel post command",
    "channel post text",
    "anonymous admin command",
    "bot added to group",
    "bot removed from group",
    "someone joins",
    "group becomes supergroup",
    "inline query",
    "poll answer",
    "reaction",
]


@pytest.mark.parametrize("kind", ODD_UPDATE_KINDS)
async def test_odd_update_kinds_never_fail(sweep: Sweep, kind: str) -> None:
    """Nobody to answer (or no need to): these must only never fail nor apologise."""
    user = await sweep.user("resident", "sv")
    group = sweep.group()
    update = _odd_updates(sweep, user, group)[kind]
    await sweep.check([user.id, group.id], lambda: _raw(sweep.api, update), kind, reply=False)


# ----------------------------------------------------------------------------- mid-dialogue


async def _enter(sweep: Sweep, user: SimUser, state: str) -> int | None:
    """Bring ``user`` into a dialogue that waits for their next message; returns the id of
    the latest bot message with buttons (for a press), if any."""
    api = sweep.api
    start = {
        "tyck": "/tyck",
        "aterkoppla": "/aterkoppla ersboda",
        "fraga": "/fraga",
        "granska": "/granska",
        "granska-redigera": "/granska",
        "granska-avvisa": "/granska",
    }[state]
    await api.send_text(user, start)
    await api.wait_updates_confirmed(timeout=10)
    cards = [m for m in api.messages(user) if m.buttons]
    if state.startswith("granska-") and cards:
        label = "Redigera" if state == "granska-redigera" else "Avvisa"
        await api.press(user, cards[-1], cards[-1].callback_for(label))
        await api.wait_updates_confirmed(timeout=10)
        if state == "granska-avvisa":  # then "Övrigt": the reason is typed next
            cards = [m for m in api.messages(user) if m.buttons]
            await api.press(user, cards[-1], cards[-1].callback_for("Övrigt"))
            await api.wait_updates_confirmed(timeout=10)
        cards = [m for m in api.messages(user) if m.buttons] or cards
    return cards[-1].message_id if cards else None


DIALOGUES = (
    [("tyck", r) for r in ROLES]
    + [("aterkoppla", "council"), ("aterkoppla", "admin"), ("fraga", "resident")]
    + [(s, r) for s in ("granska", "granska-redigera", "granska-avvisa") for r in ROLES[1::2]]
)
hostile_text = st.one_of(
    st.text(_chars, min_size=1, max_size=60).map(str.strip).filter(bool),
    st.sampled_from(["<b>fet", "&", "x" * 4000, "{0} %s", "´", "\u200b", "112", "ersboda"]),
)


@settings(PROPERTY, max_examples=60 * SCALE)
@given(
    state_role=st.sampled_from(DIALOGUES),
    kind=st.sampled_from(["command", "text", "button", "sticker", "location"]),
    name=st.sampled_from(COMMAND_NAMES),
    args=command_args,
    text=hostile_text,
    data=callback_data,
)
@example(
    state_role=("aterkoppla", "council"), kind="command", name="avbryt", args="", text="x", data="x"
)
@example(
    state_role=("tyck", "resident"),
    kind="command",
    name="sammanfattning",
    args="9999",
    text="x",
    data="x",
)
async def test_anything_in_the_middle_of_a_dialogue_is_answered(
    sweep: Sweep,
    state_role: tuple[str, str],
    kind: str,
    name: str,
    args: str,
    text: str,
    data: str,
) -> None:
    """Whatever a dialogue is waiting for, anything else gets an answer and never fails."""
    state, role = state_role
    api = sweep.api
    user = await sweep.user(role, "sv")
    card = await _enter(sweep, user, state)
    sent = {
        "command": f"/{name} {args}".strip()[:4096],
        "text": text[:4096],
        "button": data,
        "sticker": "a sticker",
        "location": "a location at (nan, inf)",
    }[kind]
    actions: dict[str, Callable[[], Awaitable[object]]] = {
        "command": lambda: api.send_text(user, sent),
        "text": lambda: api.send_text(user, sent),
        "button": lambda: api.press(user, card or 987_654, data),
        "sticker": lambda: api.send_sticker(user),
        "location": lambda: api.send_location(user, math.nan, math.inf),
    }
    await sweep.check([user.id], actions[kind], f"{sent[:80]!r} by {role} in {state}")


# ----------------------------------------------------------------------------- names staff see


@pytest.mark.parametrize("role", ["moderator", "rad"])
async def test_hostile_names_through_invitation_roles_and_log(sweep: Sweep, role: str) -> None:
    """Telegram names are free text: a person invited under any name is welcomed, listed in
    /roller, revocable there, and shown in /logg, all without an error."""
    api = sweep.api
    admin = await sweep.user("admin", "sv")
    for _ in range(7):  # every name in the cycle once
        await sweep.check([admin.id], lambda: api.send_text(admin, f"/bjudin {role}"), "/bjudin")
        link = api.messages(admin)[-1].plain_text
        code = re.search(r"start=(inv-[A-Za-z0-9_-]+)", link)
        assert code, link
        invited = await sweep.user("resident", "sv")
        accept = functools.partial(api.send_text, invited, f"/start {code.group(1)}")
        await sweep.check([invited.id], accept, "accepting an invitation")
    await sweep.check([admin.id], lambda: api.send_text(admin, "/roller"), "/roller")
    roles_list = api.messages(admin)[-1]
    assert roles_list.buttons, roles_list.plain_text
    await sweep.check(
        [admin.id],
        lambda: api.press(admin, roles_list, roles_list.buttons[-1][0][1] or ""),
        "revoke",
    )
    await sweep.check([admin.id], lambda: api.send_text(admin, "/logg"), "/logg")


# ----------------------------------------------------------------------------- files for admins

BOMB = b"""a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""
DOCUMENTS: dict[str, tuple[str, bytes, str]] = {
    "empty": ("innehall.yaml", b"", "application/x-yaml"),
    "not utf-8": ("innehall.yaml", b"\xff\xfe\x00name: \xe5\xe4\xf6", "application/x-yaml"),
    "billion laughs": ("innehall.yaml", BOMB, "application/x-yaml"),
    "python tag": ("innehall.yaml", b"!!python/object/apply:os.system ['true']", "text/plain"),
    "a list": ("innehall.yaml", b"- 1\n- 2\n", "application/x-yaml"),
    "deep nesting": ("innehall.yaml", b"[" * 5000 + b"]" * 5000, "application/x-yaml"),
    "html in values": ("innehall.yaml", b"id: '<b>'\nname: {sv: '<i>&', en: x}\n", "text/yaml"),
    "pdf": ("dokument.pdf", b"%PDF-1.4\n%offline\n", "application/pdf"),
    "no name": ("", b"id: x\n", "application/octet-stream"),
}


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
async def test_hostile_files_from_an_admin_are_answered(sweep: Sweep, kind: str) -> None:
    """An admin's file is read as new content (/innehall): anything else gets an answer."""
    filename, data, mime = DOCUMENTS[kind]
    admin = await sweep.user("admin", "sv")
    send = functools.partial(
        sweep.api.send_document, admin, filename=filename, data=data, mime_type=mime
    )
    await sweep.check([admin.id], send, f"a {kind} file from an admin")


# ----------------------------------------------------------------------------- council notes

NOTE_TEXTS = [
    "<b>fet</b> <script>x</script> & &amp; &#99999999; " + "å" * 700,
    "{0} {district} %s\n\n\nrad\r\nrad\u2028" + "x" * 760,
    "\u202eتسجيل\u202c 😀👮‍♀️ " + "ord " * 190,
]


async def test_hostile_council_notes_are_published_and_shown(sweep: Sweep) -> None:
    """Long notes with HTML and odd characters for six districts: published, then /nytt, a
    district's news and the menu's "Nytt från rådet" answer (under 4,096 characters each)."""
    api = sweep.api
    for i, district in enumerate(["ersboda", "alidhem", "centrum", "haga", "teg", "holmsund"]):
        council = await sweep.user("council", "sv")
        text = f"/aterkoppla {district} {NOTE_TEXTS[i % len(NOTE_TEXTS)]}"[:4096]
        await sweep.check([council.id], functools.partial(api.send_text, council, text), "note")
        preview = api.messages(council)[-1]
        assert preview.buttons, preview.plain_text
        await make_staff(sweep.bot.db, council.id, "council")  # check() revoked it
        publish = functools.partial(api.press, council, preview, preview.callback_for("Publicera"))
        await sweep.check([council.id], publish, f"publishing a note for {district}")
    resident = await sweep.user("resident", "sv")
    for command in ("/nytt", "/nytt ersboda", "/news Ålidhem", "/nytt atlantis", "/nytt 9999"):
        await sweep.check(
            [resident.id], functools.partial(api.send_text, resident, command), command
        )
    await api.send_text(resident, "/start")
    await api.wait_updates_confirmed(timeout=10)
    menu = api.messages(resident)[-1]
    news = functools.partial(api.press, resident, menu, menu.callback_for("Nytt från rådet"))
    await sweep.check([resident.id], news, "the menu's news button")


# ----------------------------------------------------------------------------- real buttons


@pytest.mark.parametrize(
    ("chat", "presser"), [("private", "same"), ("group", "same"), ("group", "other")]
)
async def test_every_menu_button_by_every_role(sweep: Sweep, chat: str, presser: str) -> None:
    """The real main menu, each button pressed by each role; in a group also by someone other
    than the member who opened it."""
    api = sweep.api
    for role in ROLES:
        opener = await sweep.user("resident", "sv")
        user = opener if presser == "same" else await sweep.user(role, "en")
        where = sweep.group() if chat == "group" else None
        await api.send_text(opener, f"/start@{api.bot_username}", chat=where)
        await api.wait_updates_confirmed(timeout=10)
        menu = api.messages(where or opener)[-1]
        assert menu.buttons, menu.plain_text
        for row in menu.buttons:
            for label, data in row:
                chats = [user.id, opener.id] + ([where.id] if where else [])
                press = functools.partial(api.press, user, menu, data or "", chat=where)
                await sweep.check(chats, press, f"{label!r} by {role} ({presser}) in a {chat}")


# ----------------------------------------------------------------------------- double taps


async def _to_review(sweep: Sweep, user: SimUser) -> Any:
    """Walk /tyck to its review card (Skicka / Ändra) with the real buttons."""
    api = sweep.api

    async def tap(label: str) -> None:
        card = next(
            m for m in reversed(api.messages(user)) if any(label in b for b in m.button_texts)
        )
        await api.press(user, card, card.callback_for(label))
        await api.wait_updates_confirmed(timeout=10)

    await api.send_text(user, "/tyck")
    await api.wait_updates_confirmed(timeout=10)
    await tap("Centrum")
    await tap("Narkotika")
    await tap("4 –")
    await api.send_text(user, "Mörkt vid busshållplatsen.")
    await api.wait_updates_confirmed(timeout=10)
    return next(m for m in reversed(api.messages(user)) if "Skicka" in " ".join(m.button_texts))


async def test_a_double_tap_on_send_stores_one_feedback(sweep: Sweep) -> None:
    """Two taps on Skicka in one batch (a shaky finger, a slow network): one row, one thanks."""
    api = sweep.api
    user = await sweep.user("resident", "sv")
    review = await _to_review(sweep, user)
    before = await sweep.bot.db.fetchval("SELECT COUNT(*) FROM feedback")
    send = review.callback_for("Skicka")

    async def twice() -> str:
        await api.press(user, review, send)
        return await api.press(user, review, send)

    await sweep.check([user.id], twice, "two taps on Skicka")
    assert await sweep.bot.db.fetchval("SELECT COUNT(*) FROM feedback") == before + 1
    thanks = [d for d in api.delivered(user) if "sparad" in d.plain_text]
    assert len(thanks) == 1, [d.plain_text for d in thanks]


async def test_a_double_tap_on_publish_publishes_one_note(sweep: Sweep) -> None:
    api = sweep.api
    council = await sweep.user("council", "sv")
    await api.send_text(council, "/aterkoppla teg Nya lampor längs gång- och cykelvägen.")
    await api.wait_updates_confirmed(timeout=10)
    preview = api.messages(council)[-1]
    publish = preview.callback_for("Publicera")
    before = await sweep.bot.db.fetchval("SELECT COUNT(*) FROM council_notes")

    async def twice() -> str:
        await api.press(council, preview, publish)
        return await api.press(council, preview, publish)

    await sweep.check([council.id], twice, "two taps on Publicera")
    assert await sweep.bot.db.fetchval("SELECT COUNT(*) FROM council_notes") == before + 1


# ----------------------------------------------------------------------------- big lists


async def test_roles_list_with_many_staff_is_answered(sweep: Sweep) -> None:
    admin = await sweep.user("admin", "sv")
    staff = [next(_user_ids) for _ in range(120)]
    for uid in staff:
        await make_staff(sweep.bot.db, uid, "moderator", name=f"Moderator med långt namn {uid}")
    try:
        roles_list = functools.partial(sweep.api.send_text, admin, "/roller")
        await sweep.check([admin.id], roles_list, "/roller with 120 staff")
    finally:
        for uid in staff:
            await roles_repo.revoke(sweep.bot.db, uid, "moderator")


async def test_unanswered_list_with_many_long_questions_is_answered(sweep: Sweep) -> None:
    """/obesvarade after 25 different long questions the bot could not answer (stored up to 500
    characters; logged directly, so the test does not hang on how the ranker scores them)."""
    api = sweep.api
    words = ["kvarn", "fyrtorn", "dragspel", "ekorre", "hallon", "tapet", "kompass", "ribba"]
    for i in range(25):
        pad = " ".join(f"{words[(i * 3 + j) % len(words)]}{i}{j}" for j in range(60))
        text = f"Vad gör rådet åt tryggheten vid {words[i % len(words)]}{i}? {pad}"[:500]
        await questions_log.log_question(
            sweep.bot.db,
            band="dont_know",
            language="sv",
            text=text,
            entry=None,
            now=datetime.now(UTC) - timedelta(seconds=i),
        )
    admin = await sweep.user("admin", "sv")
    await sweep.check([admin.id], functools.partial(api.send_text, admin, "/obesvarade"), "list")
