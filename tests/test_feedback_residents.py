"""What residents expect of /tyck: an alphabetical district list that says a name can be typed,
and topics in their own words (mapped to the agreement's focus areas for the council)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.content import DEFAULT_COUNCIL_FILE, ContentError, load_council
from bot.i18n import translations
from bot.labels import sv_sort_key, topic_area, topic_ids, topic_name
from tests.helpers.bot import RunningBot
from tests.helpers.feedback import alias, open_dialogue, tap
from tests.helpers.staff import add_feedback, command, feedback_row, make_staff, press

COUNCIL = load_council()
SV_TOPICS = [
    "Belysning",
    "Skadegörelse och klotter",
    "Trafik",
    "Narkotika",
    "Ordningsstörning",
    "Annat ämne",
]


def _districts(buttons: list[str]) -> list[str]:
    """The district buttons of a picker page (not paging, 'Annat område', location, Avbryt)."""
    names = {d.name.sv for d in COUNCIL.districts} | {d.name.en for d in COUNCIL.districts}
    return [b for b in buttons if b in names]


def test_swedish_order_puts_a_ring_a_umlaut_o_umlaut_last() -> None:
    words = ["Öl", "Äpple", "Åsa", "zeta", "Eva", "Émile", "apa", "Ülla", "Yxa"]
    assert sorted(words, key=sv_sort_key) == [
        "apa",
        "Émile",
        "Eva",
        "Ülla",
        "Yxa",
        "zeta",
        "Åsa",
        "Äpple",
        "Öl",
    ]
    assert sorted(["Äpple", "Åsa"]) == ["Äpple", "Åsa"]  # what plain order would have done


async def test_district_pages_are_alphabetical_and_the_prompt_says_type_a_name(
    bot: RunningBot,
) -> None:
    api = bot.api
    anna = api.user(9701)
    intro = await open_dialogue(api, anna)
    assert "skriv namnet, till exempel Ålidhem" in intro.plain_text
    assert "bokstavsordning" in intro.plain_text
    assert _districts(intro.button_texts) == [
        "Backen och Västerhiske",
        "Carlshem och Carlshöjd",
        "Carlslid",
        "Centrum",
        "Ersboda (Västra och Östra)",
        "Ersmark",
        "Fridhem och Berghem",
        "Gimonäs",
    ]
    # Page by page ("Nästa" edits the message), the whole list is in Swedish order.
    current, everything = intro, _districts(intro.button_texts)
    while any("Nästa" in t for t in current.button_texts):
        edits = current.edit_count
        await tap(api, anna, current, "Nästa")
        await api.wait_for(
            lambda n=edits: api.message(anna, intro.message_id).edit_count > n  # type: ignore[misc]
        )
        current = api.message(anna, intro.message_id)
        everything += _districts(current.button_texts)
    assert everything == sorted((d.name.sv for d in COUNCIL.districts), key=sv_sort_key)
    assert len(everything) == len(COUNCIL.districts)
    assert everything[-3:] == ["Ålidhem och Ålidbacken", "Ön", "Öst på stan"]
    assert everything.index("Väst på stan") < everything.index("Västerslätt och Rödäng")

    # English: the English names in the same order ("City centre" among the C's).
    sam = api.user(9702, language_code="en")
    intro = await open_dialogue(api, sam, "/feedback")
    assert "type its name, for example Ålidhem" in intro.plain_text
    assert _districts(intro.button_texts)[:5] == [
        "Backen and Västerhiske",
        "Carlshem and Carlshöjd",
        "Carlslid",
        "City centre",
        "Ersboda (West and East)",
    ]


async def test_the_topics_residents_recognise_are_offered_and_stored(bot: RunningBot) -> None:
    api = bot.api
    for i, (label, stored) in enumerate(
        [("Skadegörelse och klotter", "skadegorelse"), ("Ordningsstörning", "ordning")]
    ):
        user = api.user(9711 + i)
        intro = await open_dialogue(api, user)
        await tap(api, user, intro, "Carlslid")
        topics = await api.next_message(user)
        assert "Vad handlar det om?" in topics.plain_text
        assert [t for t in topics.button_texts if t != "✖️ Avbryt"] == SV_TOPICS
        await tap(api, user, topics, label)
        rating = await api.next_message(user)
        assert api.message(user, topics.message_id).plain_text.endswith("✓ " + label)
        await tap(api, user, rating, "3 –")
        await api.next_message(user)  # the text prompt
        await api.send_text(user, "Det har varit stökigt vid tunneln i veckor.")
        review = await api.next_message(user)
        assert f"Ämne: {label}" in review.plain_text
        await tap(api, user, review, "Skicka")
        await api.next_message(user)  # thanks
        row = await bot.db.fetchone(
            "SELECT topic FROM feedback WHERE pseudonym = ?", (alias(bot, user.id),)
        )
        assert row is not None and row[0] == stored
    # English titles.
    tom = api.user(9719, language_code="en")
    intro = await open_dialogue(api, tom, "/feedback")
    await tap(api, tom, intro, "Carlslid")
    topics = await api.next_message(tom)
    assert [t for t in topics.button_texts if t != "✖️ Cancel"] == [
        "Street lighting",
        "Vandalism and graffiti",
        "Traffic",
        "Drugs",
        "Disorder and disturbance",
        "Other topic",
    ]
    # A forged topic id (an old focus area id in a button) is refused, nothing stored.
    qid = await api.press(
        tom, topics, topics.callback_for("Drugs").replace("droger", "segregation")
    )
    assert "don't know" in (await api.wait_callback_answer(qid)).get("text", "")


def test_topics_are_mapped_to_the_agreements_focus_areas() -> None:
    mapping = {t: (a.id if (a := topic_area(COUNCIL, t)) else None) for t in topic_ids(COUNCIL)}
    assert mapping == {
        "belysning": "trygga-platser",
        "skadegorelse": "trygga-platser",
        "trafik": "trygga-platser",
        "droger": "narkotika",
        "ordning": "trygga-platser",
        "other": None,
    }
    _ = translations("sv").gettext
    # The council's label shows the area; a resident's does not.
    assert topic_name(COUNCIL, "belysning", "sv", _) == "Belysning"
    assert (
        topic_name(COUNCIL, "belysning", "sv", _, with_area=True)
        == "Belysning (Trygga och säkra platser)"
    )
    assert topic_name(COUNCIL, "droger", "en", _, with_area=True) == "Drugs (Tackling narcotics)"
    assert topic_name(COUNCIL, "other", "sv", _, with_area=True) == "Annat ämne"
    # Older rows: a focus area id, 'other', or nothing. An area with one resident topic reads
    # as that topic (its rows count as one with the new ones, bot.labels.topic_aliases).
    assert topic_name(COUNCIL, "narkotika", "sv", _) == "Narkotika"
    assert (
        topic_name(COUNCIL, "narkotika", "sv", _, with_area=True)
        == "Narkotika (Krafttag mot narkotika)"
    )
    assert topic_name(COUNCIL, "trygga-platser", "sv", _) == "Trygga och säkra platser"
    assert topic_area(COUNCIL, "segregation") is not None
    assert topic_name(COUNCIL, None, "sv", _) == "Annat ämne"


def _council_with(tmp_path: Path, topics: object) -> Path:
    raw = yaml.safe_load(DEFAULT_COUNCIL_FILE.read_text(encoding="utf-8"))
    if topics is None:
        raw.pop("topics")
    else:
        raw["topics"] = topics
    path = tmp_path / "council.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_a_topic_must_map_to_a_focus_area_that_exists(tmp_path: Path) -> None:
    title = {"sv": "Ljus", "en": "Light"}
    with pytest.raises(ContentError, match=r"topics\.0\.focus_area: unknown focus area 'morker'"):
        load_council(
            _council_with(tmp_path, [{"id": "ljus", "title": title, "focus_area": "morker"}])
        )
    with pytest.raises(ContentError, match=r"topics\.0\.id: 'narkotika' is a focus area id"):
        load_council(
            _council_with(
                tmp_path, [{"id": "narkotika", "title": title, "focus_area": "narkotika"}]
            )
        )
    with pytest.raises(ContentError, match=r"topics\.0\.focus_area"):
        load_council(_council_with(tmp_path, [{"id": "ljus", "title": title}]))  # say null
    # A council file without topics offers its focus areas and "Annat ämne", as before.
    plain = load_council(_council_with(tmp_path, None))
    assert topic_ids(plain) == [a.id for a in plain.focus_areas] + ["other"]


async def test_an_old_other_row_is_readable_in_mydata(bot: RunningBot) -> None:
    api = bot.api
    eva = api.user(9721)
    await add_feedback(bot.db, topic="other", district="other", pseudonym=alias(bot, 9721))
    await add_feedback(bot.db, topic="trygga-platser", pseudonym=alias(bot, 9721))
    await add_feedback(bot.db, topic="belysning", district="haga", pseudonym=alias(bot, 9721))
    summary = await command(api, eva, "/minadata")
    lines = summary.plain_text.splitlines()
    assert lines[0] == "Dina synpunkter"
    assert "Annat område, Annat ämne – väntar på granskning" in lines[1]
    assert "Ålidhem och Ålidbacken, Trygga och säkra platser – väntar" in lines[2]
    assert "Haga och Sandbacka, Belysning – väntar" in lines[3]
    assert (await api.next_message(eva)).kind == "document"


async def test_the_moderator_corrects_to_a_resident_topic(bot: RunningBot) -> None:
    await make_staff(bot.db, 9731, "moderator")
    fid = await add_feedback(bot.db, topic="other")
    mod = bot.api.user(9731)
    card = await command(bot.api, mod, "/granska")
    await press(bot.api, mod, card, card.callback_for("Rätta ämne"))
    await bot.api.wait_for(lambda: "Belysning" in " ".join(card.button_texts) or None)
    assert [t for t in card.button_texts if t != "↩️ Tillbaka"] == [
        "Belysning (Trygga och säkra platser)",
        "Skadegörelse och klotter (Trygga och säkra platser)",
        "Trafik (Trygga och säkra platser)",
        "Narkotika (Krafttag mot narkotika)",
        "Ordningsstörning (Trygga och säkra platser)",
        "• Annat ämne",
    ]
    answer = await press(bot.api, mod, card, card.callback_for("Belysning"))
    assert answer.get("text") == "Rättat."
    await bot.api.wait_for(
        lambda: "Ämne: Belysning (Trygga och säkra platser)" in card.plain_text or None
    )
    assert (await feedback_row(bot.db, fid))["topic"] == "belysning"
    # A forged topic id (a focus area no longer offered) changes nothing.
    await press(bot.api, mod, card, f"mod:topic:{fid}:segregation")
    assert (await feedback_row(bot.db, fid))["topic"] == "belysning"


async def test_asked_menar_du_the_resident_may_type_the_right_name(bot: RunningBot) -> None:
    """Asked "Menar du Holmsund?", typing the exact name of another district takes that one;
    anything else points to the buttons."""
    api = bot.api
    ola = api.user(9741)
    await open_dialogue(api, ola)
    await api.send_text(ola, "holmsnd")
    guess = await api.next_message(ola)
    assert guess.plain_text == "Menar du Holmsund?"
    await api.send_text(ola, "kanske")
    assert (await api.next_message(ola)).plain_text == "Svara med knapparna ovan, tack."
    await api.send_text(ola, "obbola")
    assert (await api.next_message(ola)).plain_text == "✓ Obbola"
    assert "Vad handlar det om?" in (await api.next_message(ola)).plain_text
    qid = await api.press(ola, guess, guess.callback_for("Ja"))  # the old question's button
    assert "tidigare steg" in (await api.wait_callback_answer(qid)).get("text", "")
    await api.send_text(ola, "/avbryt")
    await api.next_message(ola)
    assert await bot.db.fetchval("SELECT COUNT(*) FROM feedback") == 0
