"""Hostile input at every step: a table of known nasties, then hypothesis for the unknown ones.

One bot runs for the whole module (starting one per example would dominate the run time); every
case uses a fresh resident, so cases cannot disturb each other. For each input: no handler
error, a visible reply within 2 s (a message, an edit or the button's answer), and feedback text
stored exactly as sent apart from the documented redactions (bot.privacy.redact) and the
trimming of surrounding whitespace that Telegram does as well.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.privacy.redact import redact
from devkit.offline import OfflineBotApi, SentMessage, SimUser
from tests.helpers.bot import BotRunner, RunningBot, make_settings

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPLY_WITHIN = 2.0
_ids = itertools.count(700_000)

# ----------------------------------------------------------------------------- the nasties

TEXTS: dict[str, str] = {
    "4096 chars": ("Otryggt vid gångtunneln. " * 200)[:4096],
    "10000 chars": "å" * 10_000,
    "emoji only": "😀🚨🏚️👮‍♀️🇸🇪🔦",
    "zero-width": "\u200b\u200c\u200d\u2060\ufeff",
    "zero-width inside": "Bel\u200bysning\u200d saknas",
    "right-to-left": "\u202eتسجيل\u202c mörkt \u200fהיי\u200e",
    "control chars": "a\x01b\x07c\x1b[31md\x7fe\x08",
    "NUL": "före\x00efter",
    "only NUL": "\x00",
    "sql injection": "'; DROP TABLE feedback; --",
    "sql injection 2": "\" OR 1=1; DELETE FROM ptb_state WHERE '1'='1",
    "html": "<b>fet</b> <script>alert(1)</script> &amp; &lt; <a href='javascript:x'>x</a> &",
    "unclosed html": "<i>kursiv <b>utan slut & &#x; &#99999999;",
    "markdownv2": r"_*[]()~`>#+-=|{}.!\ *fet* __under__ ||spoiler||",
    "format string": "{0} {ref} %s %(name)s {{}} {district!r}",
    "newlines": "rad1\n\n\nrad2\r\nrad3\t\u2028\u2029",
    "start other bot": "/start@otherbot",
    "feedback other bot": "/tyck@otherbot",
    "staff review": "/granska",
    "staff export": "/export",
    "staff roles": "/roller",
    "staff invite": "/bjudin moderator",
    "staff summary": "/sammanfattning centrum",
    "unknown command": "/drop_table",
    "long command": "/" + "a" * 40,
    "command payload": "/start '; DROP TABLE feedback; --",
}

MEDIA: dict[str, Callable[[OfflineBotApi, SimUser], Awaitable[object]]] = {
    "sticker": lambda api, u: api.send_sticker(u),
    "photo": lambda api, u: api.send_photo(u),
    "photo with caption": lambda api, u: api.send_photo(u, caption="<b>'; DROP TABLE x"),
    "voice": lambda api, u: api.send_voice(u),
    "document": lambda api, u: api.send_document(u),
    "contact": lambda api, u: api.send_contact(u),
    "location far away": lambda api, u: api.send_location(u, -33.86, 151.2),
}

CALLBACKS = [
    "fb:000000:s",
    "fb:zzzzzz:d:centrum",
    "fb:{sid}:d:'; DROP TABLE feedback; --",
    "fb:{sid}:d:atlantis",
    "fb:{sid}:t:../../etc/passwd",
    "fb:{sid}:r:-1",
    "fb:{sid}:r:99999999999999999999",
    "fb:{sid}:s",
    "fb:{sid}:ef:zz",
    "fb:{sid}:p:-5",
    "fb:{sid}:p:1e9",
    "fb:{sid}",
    "fb",
    "fbu:AAAAAA:y",
    "fbu:'; --:y",
    "menu:hack",
    "menu:tyck:extra",
    "mod:1:approve",
    "x" * 64,
    "🙂",
    "\u202e",
    ":::",
]

STEPS = ["outside", "district", "confirm_place", "topic", "rating", "text", "review", "edit"]


# ----------------------------------------------------------------------------- harness


@dataclass
class Harness:
    api: OfflineBotApi
    bot: RunningBot

    def new_user(self, language: str = "sv") -> SimUser:
        return self.api.user(next(_ids), language_code=language)

    def _seen(self, user: SimUser) -> tuple[int, int]:
        msgs = self.api.messages(user)
        return len(msgs), sum(m.edit_count for m in msgs)

    async def settle(self) -> None:
        """Wait until the bot has handled every update (confirmed only after handling)."""
        await self.api.wait_updates_confirmed(timeout=10)
        assert not self.bot.errors, f"handler errors: {self.bot.errors!r}"

    async def expect_reply(
        self, user: SimUser, action: Callable[[], Awaitable[object]], what: str
    ) -> None:
        """Do ``action``; the resident must see something within REPLY_WITHIN seconds."""
        before = self._seen(user)
        result = await action()
        qid = result if isinstance(result, str) else None

        def replied() -> bool:
            if qid is not None and qid in self.api.callback_answers:
                return True
            return self._seen(user) != before

        try:
            await self.api.wait_for(replied, timeout=REPLY_WITHIN)
        except AssertionError:
            raise AssertionError(f"no reply within {REPLY_WITHIN}s to {what}") from None
        await self.settle()

    async def next_with(self, user: SimUser, needle: str) -> SentMessage:
        """The next new message whose text or buttons contain ``needle``."""
        while True:
            msg = await self.api.next_message(user, timeout=REPLY_WITHIN)
            if needle in msg.plain_text or any(needle in b for b in msg.button_texts):
                return msg

    async def press(self, user: SimUser, msg: SentMessage, label: str) -> None:
        await self.api.press(user, msg, msg.callback_for(label))

    async def to_step(self, user: SimUser, step: str) -> SentMessage | None:
        """Bring a fresh resident to ``step`` of the feedback dialogue; returns its prompt."""
        api = self.api
        if step == "outside":
            return None
        await api.send_text(user, "/tyck")
        intro = await self.next_with(user, "Centrum")
        if step == "district":
            return intro
        if step == "confirm_place":
            await self.press(user, intro, "Dela plats")
            await self.next_with(user, "sparas inte")
            await api.send_location(user, 63.85417, 20.31633)
            return await self.next_with(user, "Stämmer det?")
        await self.press(user, intro, "Centrum")
        topic = await self.next_with(user, "Narkotika")
        if step == "topic":
            return topic
        await self.press(user, topic, "Narkotika")
        rating = await self.next_with(user, "Hoppa över")
        if step == "rating":
            return rating
        await self.press(user, rating, "4 –")
        prompt = await self.next_with(user, "egna ord")
        if step == "text":
            return prompt
        await api.send_text(user, "Mörkt vid busshållplatsen.")
        review = await self.next_with(user, "Skicka")
        if step == "review":
            return review
        await self.press(user, review, "Ändra")
        return await self.next_with(user, "Vad vill du ändra?")

    async def submit_text(self, user: SimUser, text: str) -> tuple[str, str | None]:
        """At the text step: send ``text``; if the review comes, press Skicka.

        Returns (outcome, ref): "stored" with the reference, "refused" (too long / accusation /
        not a text for the dialogue) with None.
        """
        api = self.api
        await api.send_text(user, text)
        await self.settle()
        new = api.drain(user)
        review = next((m for m in new if "Skicka" in " ".join(m.button_texts)), None)
        if review is None:
            assert new, f"no reply to {text[:40]!r}"
            return "refused", None
        await api.press(user, review, review.callback_for("✅"))
        thanks = await self.next_with(user, "sparad")
        await self.settle()
        return "stored", thanks.plain_text.split("ref ")[1].split(")")[0]

    def expected_stored(self, sent: str) -> str:
        contacts = self.bot.services.council.contacts
        keep = (contacts.municipality.phone, contacts.police.phone)
        return redact(sent.strip(), keep_numbers=keep).text

    async def stored_text(self, ref: str) -> str:
        value = await self.bot.db.fetchval("SELECT text FROM feedback WHERE ref = ?", (ref,))
        assert isinstance(value, str)
        return value


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def harness(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Harness]:
    tmp: Path = tmp_path_factory.mktemp("hostile")
    async with OfflineBotApi() as api:
        runner = BotRunner(api, make_settings(api, tmp, feedback_per_day=1_000_000))
        bot = await runner.start()
        try:
            yield Harness(api, bot)
        finally:
            errors = list(bot.errors)
            await runner.stop()
    assert not errors, f"handler errors: {errors!r}"


def _sid(prompt: SentMessage | None) -> str:
    """The dialogue's session id, from one of its buttons (to forge plausible data)."""
    if prompt is not None:
        for data in (value for row in prompt.buttons for _, value in row):
            if data and data.startswith("fb:"):
                return data.split(":")[1]
    return "abc123"


# ----------------------------------------------------------------------------- table tests


@pytest.mark.parametrize("step", STEPS)
async def test_table_of_texts_at_every_step(harness: Harness, step: str) -> None:
    """Every nasty text at every step gets a reply; at the text step accepted ones are stored."""
    stored = 0
    for name, text in TEXTS.items():
        user = harness.new_user()
        await harness.to_step(user, step)
        harness.api.drain(user)
        if step == "text" and not text.startswith("/"):
            outcome, ref = await harness.submit_text(user, text)
            if outcome == "stored":
                assert ref is not None
                assert await harness.stored_text(ref) == harness.expected_stored(text), name
                stored += 1
            else:
                assert len(text.strip()) > 1000, f"{name}: refused unexpectedly"
            continue
        await harness.expect_reply(
            user, functools.partial(harness.api.send_text, user, text), f"{name} at {step}"
        )
    if step == "text":
        assert stored >= 12  # all but the too-long texts and the commands


# Outside a dialogue nothing answers a sticker, photo, voice message, file, contact or location:
# the resident gets silence (handlers/questions.py has a catch-all for unknown commands only).
@pytest.mark.parametrize("step", STEPS)
async def test_table_of_media_at_every_step(harness: Harness, step: str) -> None:
    for name, send in MEDIA.items():
        user = harness.new_user()
        await harness.to_step(user, step)
        await harness.expect_reply(
            user, functools.partial(send, harness.api, user), f"{name} at {step}"
        )


@pytest.mark.parametrize("step", STEPS)
async def test_table_of_forged_buttons_at_every_step(harness: Harness, step: str) -> None:
    """Callback data the bot never issued: always answered, nothing stored."""
    before = await harness.bot.db.fetchval("SELECT COUNT(*) FROM feedback")
    for template in CALLBACKS:
        user = harness.new_user()
        prompt = await harness.to_step(user, step)
        data = template.replace("{sid}", _sid(prompt))
        if data == f"fb:{_sid(prompt)}:s" and step == "review":
            continue  # that is the real Skicka button, not a forgery
        target = prompt.message_id if prompt is not None else 1
        await harness.expect_reply(
            user,
            functools.partial(harness.api.press, user, target, data),
            f"button {data!r} at {step}",
        )
    assert await harness.bot.db.fetchval("SELECT COUNT(*) FROM feedback") == before


async def test_commands_for_other_bots_in_groups_are_ignored(harness: Harness) -> None:
    api = harness.api
    group = api.group(-100777, "Kvarteret")
    user = harness.new_user()
    for text in ("/start@otherbot", "/tyck@otherbot", "/granska@otherbot"):
        await api.send_text(user, text, chat=group)
    await harness.settle()
    assert api.messages(group) == []


async def test_english_resident_gets_english_replies_to_nonsense(harness: Harness) -> None:
    api = harness.api
    user = harness.new_user("en")
    await api.send_text(user, "/feedback")
    prompt = await api.next_message(user, timeout=REPLY_WITHIN)
    assert "Where is it?" in prompt.plain_text
    await api.send_sticker(user)
    reply = await api.next_message(user, timeout=REPLY_WITHIN)
    assert "buttons" in reply.plain_text
    await api.press(user, prompt, "fb:zzzzzz:d:'; DROP TABLE feedback; --")
    await harness.settle()
    answers = list(api.callback_answers.values())
    assert answers and "earlier" in str(answers[-1].get("text")), answers[-1]


# ----------------------------------------------------------------------------- properties

FRAGMENTS = [
    *TEXTS.values(),
    "\u200b",
    "\u202e",
    "\u200f",
    "\x00",
    "\x1b",
    "😀",
    "👮‍♀️",
    "<",
    ">",
    "&",
    "&amp;",
    "'",
    '"',
    ";",
    "--",
    "*",
    "_",
    "`",
    "||",
    "\\",
    "19800101-1234",  # redacted: personnummer
    "070-123 45 67",  # redacted: phone
    "anna@example.se",  # redacted: e-mail
    "ABC 123",  # redacted: registration plate
]
_free_chars = st.characters(codec="utf-8", exclude_categories=["Cs"])
hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(_free_chars, max_size=30)),
    min_size=1,
    max_size=8,
).map("".join)
# What Telegram delivers: never empty, surrounding whitespace trimmed.
delivered_text = hostile_text.map(str.strip).filter(bool)

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No shrinking: each failing example costs a 2 s wait; the first one is printed anyway.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


@PROPERTY
@given(text=delivered_text.filter(lambda t: not t.startswith("/")))
async def test_any_text_is_stored_as_sent_apart_from_redactions(
    harness: Harness, text: str
) -> None:
    user = harness.new_user()
    await harness.to_step(user, "text")
    harness.api.drain(user)
    outcome, ref = await harness.submit_text(user, text)
    if outcome == "stored":
        assert ref is not None
        assert await harness.stored_text(ref) == harness.expected_stored(text)
    else:
        # Only too long or accusing texts are refused; both say why.
        assert harness.api.messages(user)[-1].plain_text


forged_data = st.text(_free_chars, min_size=1, max_size=64).filter(
    lambda d: len(d.encode()) <= 64
) | st.builds(
    lambda action, arg: f"fb:{{sid}}:{action}:{arg}",
    st.sampled_from(["d", "p", "l", "t", "r", "s", "e", "c", "cy", "cn", "ef", "eb", "zz"]),
    st.text(_free_chars, max_size=12),
)
media_kind = st.sampled_from(sorted(MEDIA))


@PROPERTY
@given(
    step=st.sampled_from(STEPS),
    kind=st.sampled_from(["text", "media", "button"]),
    text=hostile_text.filter(bool),
    media=media_kind,
    data=forged_data,
)
async def test_any_input_at_any_step_is_answered(
    harness: Harness, step: str, kind: str, text: str, media: str, data: str
) -> None:
    api = harness.api
    user = harness.new_user()
    prompt = await harness.to_step(user, step)
    if kind == "text":
        await harness.expect_reply(user, lambda: api.send_text(user, text), f"text at {step}")
    elif kind == "media":
        await harness.expect_reply(user, lambda: MEDIA[media](api, user), f"{media} at {step}")
    else:
        forged = data.replace("{sid}", _sid(prompt))
        if len(forged.encode()) > 64:
            forged = forged.encode()[:64].decode(errors="ignore") or "x"
        target = prompt.message_id if prompt is not None else 1
        await harness.expect_reply(
            user, lambda: api.press(user, target, forged), f"button {forged!r} at {step}"
        )
