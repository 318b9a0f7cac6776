"""Emergency triage through the real bot (issue #11, point 4): what a frightened resident sees.

An ongoing danger gets the 🚨 112 block as the first line, in Swedish and English, however it is
phrased; threats and violence by someone close also get the support lines (Kvinnofridslinjen,
Brottsofferjouren), even when told as the past; after an alarm comes only what helps (never
"vet inte", a hedge or topic buttons); a phone number or an e-mail address in a question is no
alarm.
"""

from __future__ import annotations

from typing import Any

from devkit.offline.models import SentMessage
from tests.helpers.bot import RunningBot

ALARM_SV = "🚨 Ring 112 nu"
ALARM_EN = "🚨 Call 112 now"
KVINNOFRID = "Kvinnofridslinjen"
KVINNOFRID_NUMBER = "020-50 50 50"
BOJ_NUMBER = "116 006"
# What must never follow the 112 block: "vet inte", its suggestions and the hedge.
NOISE = (
    "Det vet jag tyvärr inte",
    "I'm sorry, I don't know",
    "Menade du något av det här",
    "Did you mean one of these",
    "Jag tror att du undrar över",
    "I think you are asking about",
)


async def ask(bot: RunningBot, user: Any, text: str) -> SentMessage:
    await bot.api.send_text(user, text)
    return await bot.api.next_message(user)


def buttons(msg: SentMessage) -> list[str]:
    markup = msg.reply_markup or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


def assert_alarm_and_nothing_else(msg: SentMessage, text: str) -> None:
    """112 first, then no "vet inte", no hedge and no topic buttons."""
    shown = msg.plain_text
    assert shown.startswith((ALARM_SV, ALARM_EN)), text
    assert not any(noise in shown for noise in NOISE), (text, shown)
    assert buttons(msg) == [], (text, buttons(msg))


async def test_violence_by_someone_close_in_the_present_gets_112_first_and_support_lines(
    bot: RunningBot,
) -> None:
    """Short first-person statements, as the QA found them ('My husband hits me' got the
    2023–2024 promise on awareness of violence, no 112)."""
    sv = bot.api.user(7001, language_code="sv")
    en = bot.api.user(7002, language_code="en")
    for user, start, messages in (
        (
            en,
            ALARM_EN,
            [
                "My husband hits me",
                "My wife hits me",
                "my boyfriend beats me",
                "My dad hits me",
                "my ex threatens me",
                "he chokes me",
                "my stepdad beats my mum",
                "I am being abused by my partner",
            ],
        ),
        (
            sv,
            ALARM_SV,
            [
                "Min man slår mig",
                "Min sambo slår mig",
                "min pojkvän stryper mig",
                "pappa slår mamma",
                "mitt ex hotar mig",
                "min fru misshandlar mig",
            ],
        ),
    ):
        for text in messages:
            msg = await ask(bot, user, text)
            assert msg.plain_text.startswith(start), (text, msg.plain_text[:80])
            assert KVINNOFRID_NUMBER in msg.plain_text and BOJ_NUMBER in msg.plain_text, text
            assert "2023–2024" not in msg.plain_text, text  # no promise after the alarm
            assert_alarm_and_nothing_else(msg, text)
    # A stranger is no close relation, a pronoun alone is enough for the alarm.
    msg = await ask(bot, sv, "han slår mig")
    assert msg.plain_text.startswith(ALARM_SV)
    msg = await ask(bot, en, "he is hitting me")
    assert msg.plain_text.startswith(ALARM_EN)


async def test_violence_by_someone_close_in_the_past_gets_support_lines_without_alarm(
    bot: RunningBot,
) -> None:
    en = bot.api.user(7003, language_code="en")
    sv = bot.api.user(7004, language_code="sv")
    for user, text in (
        (en, "my ex hit me last year, what can I do?"),
        (sv, "mitt ex slog mig förra året, vad kan jag göra?"),
    ):
        msg = await ask(bot, user, text)
        shown = msg.plain_text
        assert not shown.startswith("🚨"), text
        assert shown.startswith(("Hot eller våld från någon du känner?", "Threats or violence")), (
            text
        )
        assert KVINNOFRID_NUMBER in shown and BOJ_NUMBER in shown, text
        assert "114 14" in shown, text  # the police, to report it afterwards
        assert "Det vet jag tyvärr inte" not in shown and "I don't know" not in shown


async def test_a_phone_number_or_an_e_mail_address_in_a_question_is_no_alarm(
    bot: RunningBot,
) -> None:
    """The QA's false 112: the learned classifier read "Ring mig på 070-…" as alarm."""
    sv = bot.api.user(7005, language_code="sv")
    en = bot.api.user(7006, language_code="en")
    for user, text in (
        (sv, "Vem är ordförande i rådet? Ring mig på 070-1234567"),
        (sv, "Vad lovar polisen? Mejla mig på anna@example.com"),
        (sv, "Vem är ordförande i rådet? Ring mig gärna."),
        (sv, "Vad gör ni på Ersboda? Mitt nummer är 073-987 65 43"),
        (en, "Who chairs the council? Call me at +46 70 123 45 67"),
        (en, "What does the police promise? Email me at anna@example.com"),
    ):
        msg = await ask(bot, user, text)
        assert "🚨" not in msg.plain_text.splitlines()[0], (text, msg.plain_text[:80])
    # Danger with a number in it is still an alarm.
    msg = await ask(bot, sv, "det brinner i trapphuset på Storgatan 12, ring mig på 070-1234567")
    assert msg.plain_text.startswith(ALARM_SV)


async def test_only_what_helps_follows_the_alarm(bot: RunningBot) -> None:
    """After 🚨 112: no "vet inte … Menade du" with unrelated buttons, no hedge; the support
    lines only when someone close is the danger (a stranger following is not)."""
    sv = bot.api.user(7007, language_code="sv")
    en = bot.api.user(7008, language_code="en")
    for user, text in (
        (sv, "Det brinner!"),
        (en, "There is a fire in my building right now!"),
        (en, "I am being followed by a man with a knife"),
        (sv, "Det pågår ett slagsmål utanför mitt fönster"),
        (sv, "en man med kniv följer efter mig"),
    ):
        msg = await ask(bot, user, text)
        assert_alarm_and_nothing_else(msg, text)
        assert KVINNOFRID not in msg.plain_text, text


async def test_a_real_question_beside_the_alarm_is_still_answered(bot: RunningBot) -> None:
    """112 first, then the confident answer to the question the message also asks."""
    sv = bot.api.user(7009, language_code="sv")
    msg = await ask(bot, sv, "Det brinner i soprummet! Vad är EST för något?")
    assert msg.plain_text.startswith(ALARM_SV)
    assert "Effektiv samordning för trygghet" in msg.plain_text
    assert msg.plain_text.index("112") < msg.plain_text.index("Effektiv samordning")


async def test_asking_the_bot_for_help_or_saying_it_is_calm_is_no_alarm(bot: RunningBot) -> None:
    """'help me' asked of the bot is no cry for help; 'inget händer nu' is no danger now."""
    en = bot.api.user(7010, language_code="en")
    sv = bot.api.user(7011, language_code="sv")
    for user, text in (
        (en, "could you help me understand the agreement?"),
        (en, "what can you help me with"),
        (sv, "hjälp mig förstå avtalet"),
        (sv, "någon var inne i min bil i natt, inget händer nu. ska jag ringa 112?"),
        (en, "someone was in my car last night, nothing is happening now. should I call 112?"),
        (sv, "vi kom hem från resan och någon har brutit sig in i källarförrådet, vad gör vi nu?"),
    ):
        msg = await ask(bot, user, text)
        assert "🚨" not in msg.plain_text.splitlines()[0], (text, msg.plain_text[:80])
