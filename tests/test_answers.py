"""Rendering of answers (bot/answers.py): escaping, key fact first, 112 first, length limit."""

from __future__ import annotations

from datetime import date

import pytest

from bot import answers
from bot.answers import MAX_TEXT, truncate_html, visible_length
from bot.content import DEFAULT_COUNCIL_FILE, Council, KnowledgeEntry, load_council
from bot.i18n import translations
from bot.knowledge import Answer, KnowledgeBase
from devkit.offline.html_check import parse_html, utf16_len

SV = translations("sv").gettext
EN = translations("en").gettext


@pytest.fixture(scope="module")
def council() -> Council:
    return load_council(DEFAULT_COUNCIL_FILE)


@pytest.fixture(scope="module")
def kb(council: Council) -> KnowledgeBase:
    return KnowledgeBase.from_council(council)


def plain(html_text: str) -> str:
    """What Telegram shows; raises like Telegram's 400 on invalid HTML."""
    return parse_html(html_text)[0]


def entry(answer: str, source: str = "Källa <x> & co") -> KnowledgeEntry:
    return KnowledgeEntry.model_validate(
        {
            "id": "test",
            "title": {"sv": "Test <b>", "en": "Test <b>"},
            "answer": {"sv": answer, "en": answer},
            "source": source,
        }
    )


# ---------------------------------------------------------------- escaping and layout


def test_content_with_html_characters_is_escaped() -> None:
    reply = answers.render_entry(
        entry("Om a < b && c > d: ring <112>\nAndra raden & mer"), "sv", SV
    )
    assert "&lt;112&gt;" in reply.text and "&amp;&amp;" in reply.text
    shown = plain(reply.text)
    assert shown.startswith("Om a < b && c > d: ring <112>\nAndra raden & mer")
    assert "Källa: Källa <x> & co" in shown


def test_key_fact_first_in_bold_then_source_line() -> None:
    reply = answers.render_entry(entry("Det viktiga.\nDetaljer."), "sv", SV)
    assert reply.text.startswith("<b>Det viktiga.</b>\nDetaljer.")
    assert reply.text.rstrip().endswith("</i>")
    _, ents = parse_html(reply.text)
    assert ents[0]["type"] == "bold" and ents[0]["offset"] == 0


def test_related_become_read_more_buttons(kb: KnowledgeBase) -> None:
    e = kb.entry("lofte-vad")
    assert e is not None
    reply = answers.render_entry(e, "en", EN, kb.related(e))
    data = [b.data for row in reply.buttons for b in row]
    assert data == [f"kb:{r.id}" for r in kb.related(e)][:3]
    assert "Source:" in plain(reply.text)
    markup = reply.markup()
    assert markup is not None and markup.inline_keyboard[0][0].callback_data == data[0]


def test_every_entry_renders_valid_and_short_in_both_languages(kb: KnowledgeBase) -> None:
    for e in kb.entries:
        for locale, t in (("sv", SV), ("en", EN)):
            reply = answers.render_entry(e, locale, t, kb.related(e))
            shown = plain(reply.text)
            assert utf16_len(shown) <= MAX_TEXT
            assert shown.startswith(e.answer.get(locale).splitlines()[0].strip())
            for row in reply.buttons:
                for b in row:
                    assert b.data and len(b.data.encode()) <= 64


# ---------------------------------------------------------------- emergency and don't-know


def test_emergency_reply_starts_with_112(council: Council, kb: KnowledgeBase) -> None:
    for text, t, locale, start in (
        ("det brinner i trapphuset!", SV, "sv", "🚨 Ring 112 nu"),
        ("someone is attacking me", EN, "en", "🚨 Call 112 now"),
        ("inbrott pågår, hur anmäler man grannsamverkan", SV, "sv", "🚨 Ring 112 nu"),
    ):
        ans = kb.answer(text, locale)
        assert ans.emergency, text
        reply = answers.render_answer(ans, council, locale, t)
        assert plain(reply.text).startswith(start), text


def test_emergency_with_a_confident_answer_still_puts_112_first(
    council: Council, kb: KnowledgeBase
) -> None:
    e = kb.entry("nodnummer")
    assert e is not None
    ans = Answer(entry=e, confidence=1.0, band="answer", emergency=True)
    shown = plain(answers.render_answer(ans, council, "sv", SV).text)
    assert shown.index("112") < shown.index(e.answer.sv.splitlines()[0][:20])
    assert shown.startswith("🚨")
    assert "Kvinnofridslinjen" not in shown  # only when someone close is the danger


def test_violence_by_someone_close_gets_the_support_lines_after_112(council: Council) -> None:
    ans = Answer(None, 0.1, emergency=True, close_violence=True)
    for locale, t, start in (("sv", SV, "🚨 Ring 112 nu"), ("en", EN, "🚨 Call 112 now")):
        shown = plain(answers.render_answer(ans, council, locale, t).text)
        assert shown.startswith(start)
        assert "020-50 50 50" in shown and "116 006" in shown
        assert shown.index("112") < shown.index("020-50 50 50")
    lines = council.contacts.close_violence_support
    assert [line.number for line in lines] == ["020-50 50 50", "116 006"]
    assert all(line.source for line in lines)


def test_hedge_says_it_is_a_guess_and_offers_other_entries(
    council: Council, kb: KnowledgeBase
) -> None:
    guess, other = kb.entry("lofte-moped"), kb.entry("lofte-granne")
    assert guess is not None and other is not None
    ans = Answer(guess, 0.8, band="hedge", alternatives=(other,))
    reply = answers.render_answer(ans, council, "sv", SV)
    shown = plain(reply.text)
    assert shown.startswith("Jag tror att du undrar över " + guess.title.sv.rstrip("?"))
    assert guess.answer.sv.splitlines()[0] in shown and "Källa:" in shown
    assert [b.data for row in reply.buttons for b in row] == [f"kb:{other.id}"]
    en = plain(answers.render_answer(ans, council, "en", EN).text)
    assert en.startswith("I think you are asking about " + guess.title.en.rstrip("?"))


def test_small_talk_reply_comes_from_the_content_file(council: Council) -> None:
    intent = next(s for s in council.small_talk if s.id == "who-are-you")
    ans = Answer(None, 0.9, band="small_talk", small_talk=intent)
    assert plain(answers.render_answer(ans, council, "en", EN).text) == intent.answer.en


def test_dont_know_gives_alternatives_and_contacts_from_the_content_file(
    council: Council, kb: KnowledgeBase
) -> None:
    contacts = council.contacts.model_copy(
        update={
            "municipality": council.contacts.municipality.model_copy(
                update={"phone": "0123-45 67 89", "web": "https://example.org/<kommun>"}
            )
        }
    )
    other = council.model_copy(update={"contacts": contacts})
    alternatives = tuple(e for e in kb.entries[:3])
    reply = answers.render_dont_know(alternatives, other, "sv", SV)
    shown = plain(reply.text)
    assert shown.startswith("Det vet jag tyvärr inte.")
    assert "0123-45 67 89" in shown and "example.org/<kommun>" in shown
    assert "114 14" in shown and "polisen.se" in shown
    assert [b.data for row in reply.buttons for b in row] == [f"kb:{e.id}" for e in alternatives]
    assert "Källa" not in shown


def test_dont_know_without_alternatives_has_no_buttons(council: Council) -> None:
    reply = answers.render_answer(Answer(None, 0.1), council, "en", EN)
    assert reply.buttons == () and reply.markup() is None
    assert "I'm sorry, I don't know that." in plain(reply.text)
    assert "Did you mean" not in plain(reply.text)


# ---------------------------------------------------------------- löften and fokus


def test_promises_when_the_current_period_is_unknown(council: Council) -> None:
    status = council.current_promises(date(2026, 11, 28))
    reply = answers.render_promises(status, "sv", SV)
    shown = plain(reply.text)
    first = shown.splitlines()[0]
    assert "2025–2027" in first
    assert shown.count("känner vi inte till") == 1 and "känner inte till vad" not in shown
    assert "senast kända" in shown and "2023–2024" in shown
    for promise in status.latest_known:
        assert f"• {promise.title.sv}" in shown
    assert len(shown) < 1200  # short list; each promise in full behind its button
    data = [b.data for row in reply.buttons for b in row if b.data]
    assert data == [f"lofte:{p.id}" for p in status.latest_known]
    assert reply.buttons[-1][0].url and "umea.se" in reply.buttons[-1][0].url


def test_promises_when_the_current_period_is_known(council: Council) -> None:
    status = council.current_promises(date(2023, 6, 1))
    shown = plain(answers.render_promises(status, "en", EN).text)
    assert shown.startswith("The citizen promises 2023–2024 apply now.")
    assert "latest known" not in shown


def test_a_promise_from_an_older_period_says_so(council: Council) -> None:
    status = council.current_promises(date(2026, 11, 28))
    promise = status.latest_known[1]
    period = council.promise_period(promise.period)
    shown = plain(answers.render_promise(promise, period, status, "sv", SV).text)
    assert shown.startswith(promise.title.sv)
    assert "gällde 2023–2024" in shown and "känner inte till" in shown


def test_focus_areas(council: Council) -> None:
    reply = answers.render_focus_areas(council, "en", EN)
    shown = plain(reply.text)
    for area in council.focus_areas:
        assert area.title.en in shown
    assert len(reply.buttons) == len(council.focus_areas)
    detail = plain(answers.render_focus(council.focus_areas[0], "sv", SV).text)
    assert council.focus_areas[0].description.sv in detail and "Källa:" in detail


# ---------------------------------------------------------------- truncation


def test_short_text_is_untouched() -> None:
    text = "<b>a &amp; b</b>"
    assert truncate_html(text) == text
    assert visible_length(text) == 5


@pytest.mark.parametrize("limit", [10, 11, 12, 13, 50, 4096])
def test_truncation_never_cuts_a_tag_or_entity(limit: int) -> None:
    unit = '<b>Fet &amp; text</b> <a href="https://umea.se/?a=1&amp;b=2">länk</a> 🚨 &lt;x&gt; ord '
    text = unit * 500
    cut = truncate_html(text, limit)
    shown = plain(cut)  # valid HTML: tags balanced, entities whole
    assert utf16_len(shown) <= limit
    assert shown.endswith("…")
    assert visible_length(cut) == utf16_len(shown)


def test_long_content_is_truncated_to_4096() -> None:
    reply = answers.render_entry(entry("Kort svar.", source="lång & <källa> " * 600), "sv", SV)
    shown = plain(reply.text)
    assert utf16_len(shown) <= MAX_TEXT
    assert shown.startswith("Kort svar.") and shown.endswith("…")


def test_emoji_count_as_two_units() -> None:
    text = "🚨" * 3000
    cut = truncate_html(text, 4096)
    assert utf16_len(plain(cut)) <= 4096
    assert "\ud83d" not in cut  # no half surrogate (Python str holds whole code points)
