"""Odd arguments to the council's report commands, through the real bot (issue 10).

Hypothesis writes arguments from the words these commands read (periods in both languages,
district names, years far in the past and future, day counts, "excel") mixed with arbitrary
text; a council member sends them in a private chat. Whatever is written, the member gets an
answer, never a handler error and never the error handler's apology.

One bot runs for the module (starting one per example would dominate the run time).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from bot.content import load_council
from devkit.offline import OfflineBotApi
from storage import roles
from storage import summary as summary_repo
from tests.helpers.bot import ADMIN_ID, BotRunner, RunningBot, make_settings
from tests.helpers.reports import seven_and_two
from tests.test_council_data import dataset

pytestmark = pytest.mark.asyncio(loop_scope="module")

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
APOLOGIES = ("något gick fel hos mig", "something went wrong on my side")
COMMANDS = ("sammanfattning", "summary", "export", "rapport", "report")
_members = itertools.count(930_000)

COUNCIL = load_council()
WORDS = [
    *(d.id for d in COUNCIL.districts),
    *(d.name.sv for d in COUNCIL.districts),
    "ersboda",
    "ålidhem",
    "östra",
    "stadsdelarna",
    "förra",
    "denna",
    "i",
    "år",
    "månaden",
    "veckan",
    "kvartal",
    "kv4",
    "Q4",
    "q0",
    "kv9",
    "december",
    "dec",
    "last",
    "this",
    "month",
    "year",
    "week",
    "vecka",
    "53",
    "99",
    "2026-Q4",
    "9999-Q4",
    "0000-Q1",
    "2026-W53",
    "2020-W53",
    "2026-13",
    "2026-00",
    "2026-12",
    "9999",
    "0000",
    "-1",
    "1e9",
    "30d",
    "0d",
    "99999999999999999999d",
    "excel",
    "xlsx",
    "alla",
    "i fjol",
    "hela kommunen",
    "\u202e",
    "<b>",
    "&amp;",
    "😀",
]
_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30)
arguments = st.lists(
    st.one_of(st.sampled_from(WORDS), st.integers(-(10**6), 10**12).map(str), _text), max_size=7
).map(" ".join)


class Sweep:
    """The running bot (a plain class so hypothesis prints a short name in examples)."""

    def __init__(self, bot: RunningBot) -> None:
        self.bot = bot
        self.api: OfflineBotApi = bot.api

    def __repr__(self) -> str:
        return "Sweep()"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def sweep(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Sweep]:
    tmp: Path = tmp_path_factory.mktemp("reports-sweep")
    async with OfflineBotApi() as api:
        runner = BotRunner(api, make_settings(api, tmp))
        bot = await runner.start()
        bot.services.clock = lambda: NOW
        await summary_repo.insert_feedback(bot.db, [*dataset(), *seven_and_two()])
        try:
            yield Sweep(bot)
        finally:
            await runner.stop()


async def _answered(sweep: Sweep, text: str, language: str) -> None:
    member = next(_members)
    await roles.grant(sweep.bot.db, member, "council", granted_by=ADMIN_ID)
    sweep.api.user(member, language_code=language)
    errors = len(sweep.bot.errors)
    try:
        await sweep.api.send_text(member, text)
        reply = await sweep.api.next_message(member, timeout=30)
    finally:
        await roles.revoke(sweep.bot.db, member, "council")
    await sweep.api.wait_updates_confirmed(timeout=30)
    assert not sweep.bot.errors[errors:], f"handler error on {text!r}"
    shown = reply.plain_text + (reply.caption or "")
    assert not any(a in shown for a in APOLOGIES), f"the apology for {text!r}"
    assert shown.strip() or reply.kind in ("document", "photo"), f"an empty answer to {text!r}"


@pytest.mark.parametrize("command", COMMANDS)
@settings(
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(args=arguments, language=st.sampled_from(["sv", "en"]))
@example(args="9999", language="sv")
@example(args="0000", language="sv")
@example(args="ersboda 9999-Q4", language="sv")
@example(args="30d", language="en")
@example(args="excel 2026-W53", language="sv")
@example(args="kv0 2024 ersboda excel", language="en")
async def test_any_arguments_get_an_answer(
    sweep: Sweep, command: str, args: str, language: str
) -> None:
    await _answered(sweep, f"/{command} {args}".strip()[:4096], language)
