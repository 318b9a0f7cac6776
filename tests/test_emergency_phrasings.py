"""Emergency triage over many phrasings (issue #11, point 4), on the knowledge base itself.

tests/test_emergency.py shows what a resident sees through the bot; here many more everyday
phrasings are checked in one go: short present-tense statements of violence by someone close
in both languages are alarms with the support lines, past ones only get the support lines, and
look-alikes (figures of speech, asking the bot for help, contact details, rules) are no alarm.
"""

from __future__ import annotations

import pytest

from bot.content import Council, load_council
from bot.emergency import asks_question, is_close_violence, matches_patterns
from bot.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def council() -> Council:
    return load_council()


@pytest.fixture(scope="module")
def kb(council: Council) -> KnowledgeBase:
    return KnowledgeBase.from_council(council)


CLOSE_VIOLENCE_NOW = [
    "My husband hits me",
    "my wife beats me",
    "My boyfriend chokes me",
    "my girlfriend threatens me",
    "my dad hits me",
    "my mom's boyfriend hits her",
    "my brother beats me",
    "my ex threatens to kill me",
    "my partner is hurting me",
    "my husband is beating me",
    "he hits me",
    "she beats me",
    "i'm scared of my husband he hits me",
    "I am being abused by my partner",
    "Min man slår mig",
    "min fru slår mig",
    "min pojkvän stryper mig",
    "min flickvän hotar mig",
    "pappa slår mamma",
    "mamma slår mig",
    "min bror slår mig",
    "mitt ex hotar mig",
    "exet hotar mig",
    "min sambo misshandlar mig",
    "min styvpappa slår min lillebror",
    "han slår mig",
    "hon slår mig",
    "jag är rädd för min man, han slår mig",
]


@pytest.mark.parametrize("message", CLOSE_VIOLENCE_NOW)
def test_violence_by_someone_close_now_is_an_alarm_with_support_lines(
    kb: KnowledgeBase, message: str
) -> None:
    assert kb.answer(message).emergency, message
    assert is_close_violence(message), message


@pytest.mark.parametrize(
    "message",
    [
        "my ex hit me last year, what can I do?",
        "my husband hit me years ago, where can I get support",
        "mitt ex slog mig förra året, vad kan jag göra?",
        "min man hotade mig i somras, kan jag få kontaktförbud",
    ],
)
def test_violence_by_someone_close_in_the_past_gets_support_lines_but_no_alarm(
    kb: KnowledgeBase, message: str
) -> None:
    assert not kb.answer(message).emergency, message
    assert is_close_violence(message), message


@pytest.mark.parametrize(
    "message",
    [
        "I am being followed by a man with a knife",
        "en man med kniv följer efter mig",
        "det brinner i lägenheten",
        "pappa har ramlat o slagit i huvudet",
        "my dad is having a heart attack",
        "min bror säger att han ska ta livet av sig",
    ],
)
def test_danger_from_a_stranger_or_no_violence_gets_no_support_lines(message: str) -> None:
    assert not is_close_violence(message), message


@pytest.mark.parametrize(
    "message",
    [
        "Det slår mig att ni inte gör något åt knarket",
        "it beats me why the police do nothing",
        "can you help me with the citizen promises",
        "what can you help me with",
        "hjälp mig förstå avtalet",
        "Vem är ordförande i rådet? Ring mig på 070-1234567",
        "Vad lovar polisen? Mejla mig på anna@example.com",
        "Who chairs the council? Call me at +46 70 123 45 67",
        "Vad gör ni på Ersboda? Mitt nummer är 073-987 65 43",
        "is it legal to swim in the river at night?",
        "är det tillåtet att elda vid sjön",
        "någon var inne i min bil i natt, inget händer nu. ska jag ringa 112?",
        "vi kom hem från resan och någon har brutit sig in i källarförrådet, vad gör vi nu?",
    ],
)
def test_look_alikes_are_no_alarm(kb: KnowledgeBase, message: str) -> None:
    assert not kb.answer(message).emergency, message


@pytest.mark.parametrize(
    "message", ["my wife is kicking me out, where do I find housing", "my back is hurting me"]
)
def test_look_alikes_do_not_meet_the_patterns(message: str) -> None:
    """The patterns only; the recall-first classifier still flags these two (a known false
    alarm, reported)."""
    assert not matches_patterns(message), message


def test_contact_details_do_not_hide_a_danger(kb: KnowledgeBase) -> None:
    assert kb.answer("det brinner i trapphuset, ring mig på 070-1234567").emergency
    assert kb.answer("my husband hits me, my number is 070-123 45 67").emergency


@pytest.mark.parametrize(
    ("message", "asks"),
    [
        ("Det brinner! Vad är EST?", True),
        ("han bankar på dörren o hotar mig, vad gör jag", True),
        ("what should I do", True),
        ("Det brinner!", False),
        ("My husband hits me", False),
        ("det pågår ett slagsmål utanför mitt fönster", False),
    ],
)
def test_asks_question(message: str, asks: bool) -> None:
    """After the 112 block, only a message that also asks something gets an ordinary answer."""
    assert asks_question(message) is asks
