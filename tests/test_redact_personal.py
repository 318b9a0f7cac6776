"""Private persons' names, home addresses and other personal numbers (bot/privacy/personal.py):
removed from what is stored, while places — districts, streets, a lamp's house number — stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.privacy.redact import redact
from tests.helpers.bot import RunningBot
from tests.helpers.feedback import alias, dump_database, to_text_step


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Jag heter Rebecka Holmström och bor på Ersboda.", "Rebecka Holmström"),
        ("jag heter elin och cyklar förbi Teg varje dag", "elin"),
        ("Mitt namn är Kristoffer Wallin, förälder på Tomteboskolan.", "Kristoffer Wallin"),
        ("My name is Priya Raman and I study here.", "Priya Raman"),
        ("This is Yonas Tesfay from the student union.", "Yonas Tesfay"),
        ("Tjena, Hampus Lind här. Vägen saknar trottoar.", "Hampus Lind"),
        ("Mörkt vid badet. Hälsningar Gunnel Åström", "Gunnel Åström"),
        ("Det behövs en lampa vid lekplatsen. /Mats E", "Mats E"),
        ("The shelter leaks. Cheers, Liam O'Connor", "Liam O'Connor"),
        ("Mörkt vid porten sedan mars. - Leila", "Leila"),
        ("Min granne Ingrid Backman vågar inte gå ut.", "Ingrid Backman"),
        ("My landlord, Stefan Grahn, says it is not his problem.", "Stefan Grahn"),
        ("Igår pratade jag med Fatima Warsame om lamporna.", "Fatima Warsame"),
    ],
)
def test_private_persons_names_are_removed(text: str, secret: str) -> None:
    out = redact(text, locale="en" if " the " in f" {text} " or "My " in text else "sv")
    assert secret not in out.text
    assert "name" in out.kinds
    assert "[namn]" in out.text or "[name]" in out.text


@pytest.mark.parametrize(
    "text",
    [
        "Anna Lindhs plats och Karl Johans park behöver mer belysning.",
        "Det är mörkt i Mariehem, på Ålidhem och vid Västra Esplanaden.",
        "Hej! Busshållplatsen vid Haga Sandbacka är otrygg. Tack för allt ni gör!",
        "Bussen heter 8:an och går till Universum.",
        "Tack, Holmsund känns tryggare nu. - Ersboda",
        "Per vecka ser jag tre mopeder på gångvägen vid Tomtebo.",
    ],
)
def test_places_and_ordinary_capitalised_words_stay(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jag bor på Tvärvägen 14 B lgh 1203 och porten är trasig.",
            "Jag bor på Tvärvägen [husnummer] och porten är trasig.",
        ),
        (
            "Vi bor på Västra Norrlandsgatan 18 C, 3 tr, och lampan är trasig.",
            "Vi bor på Västra Norrlandsgatan [husnummer], och lampan är trasig.",
        ),
        (
            "Min adress är Pedagoggränd 4, 907 36 Umeå.",
            "Min adress är Pedagoggränd [husnummer] Umeå.",
        ),
        (
            "I live at Fysikgränd 21, flat 1012, above the shop.",
            "I live at Fysikgränd [house number], above the shop.",
        ),
        ("Det läcker i lgh 1102 sedan mars.", "Det läcker i lgh [husnummer] sedan mars."),
    ],
)
def test_home_address_numbers_go_and_the_street_stays(text: str, expected: str) -> None:
    locale = "en" if text.startswith("I ") else "sv"
    assert redact(text, locale=locale).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Gatlyktan vid Kolbäcksvägen 12 har varit släckt sedan 3 november.",
        "Polisstationen på Ridvägen 10, 903 25 Umeå, stänger kl 16.",
        "Busshållplatsen på Nygatan 31 är nedklottrad igen.",
        "Jag bor på Storgatan och det är stökigt på fredagar.",
    ],
)
def test_places_with_a_house_number_and_streets_without_one_stay(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        ("Portkod 2580, kom in och titta på klottret.", "2580", "number"),
        ("portkoden är 4412 om polisen vill in", "4412", "number"),
        ("the door code is 1397 if you need it", "1397", "number"),
        ("Mitt kundnummer hos Bostaden är 77812-41 om ni vill kolla.", "77812-41", "number"),
        ("My customer number with the landlord is UB-40917.", "UB-40917", "number"),
        ("Jag är född 3 juni 1956 och bor ensam.", "3 juni 1956", "birthdate"),
        ("born 1990-08-21, I moved here last year", "1990-08-21", "birthdate"),
        ("född 14/03/1979 och uppvuxen här", "14/03/1979", "birthdate"),
        (
            "bilderna finns på tinyurl.com/umeaklotter22 om ni vill se",
            "tinyurl.com/umeaklotter",
            "url",
        ),
        ("se bit.ly/3Qp8Lm2 för filmen", "3Qp8Lm2", "url"),
        ("Betala tillbaka till Handelsbanken 6152-3, tack.", "6152-3", "account"),
    ],
)
def test_other_personal_numbers_and_links_go(text: str, secret: str, kind: str) -> None:
    out = redact(text)
    assert secret not in out.text and kind in out.kinds


@pytest.mark.parametrize(
    "text",
    [
        "Jag är född 1985 och har bott på Haga i 30 år.",
        "Bidrag tas emot på bankgiro 5402-9681, 50 kr räcker.",
        "Linje 9 går var 15:e minut, och kod röd gäller vid storm.",
    ],
)
def test_birth_years_amounts_and_ordinary_numbers_stay(text: str) -> None:
    out = redact(text).text
    for keep in ("1985", "30 år", "50 kr", "Linje 9", "15:e"):
        if keep in text:
            assert keep in out


async def test_a_residents_name_and_home_address_are_not_stored(bot: RunningBot) -> None:
    api = bot.api
    rebecka = api.user(9301)
    await to_text_step(api, rebecka, district="Centrum", topic="narkotika", rating="3")
    text = (
        "Hej, jag heter Rebecka Holmström och bor på Björnvägen 14 lgh 1203. "
        "Lampan vid porten har varit släckt sedan oktober. /Rebecka Holmström"
    )
    await api.send_text(rebecka, text)
    notice = await api.next_message(rebecka)
    assert "🔒" in notice.plain_text
    assert "namn" in notice.plain_text and "husnummer" in notice.plain_text
    review = await api.next_message(rebecka)
    while "✅" not in " ".join(review.button_texts):
        review = await api.next_message(rebecka)
    await api.press(rebecka, review, review.callback_for("✅"))
    done = await api.next_message(rebecka)
    assert "ref" in done.plain_text
    stored = await bot.db.fetchval(
        "SELECT text FROM feedback WHERE pseudonym = ?", (alias(bot, 9301),)
    )
    assert stored == (
        "Hej, jag heter [namn] och bor på Björnvägen [husnummer]. "
        "Lampan vid porten har varit släckt sedan oktober. /[namn]"
    )
    everything = dump_database(Path(bot.db.path))
    for secret in ("Rebecka", "Holmström", "1203", "Björnvägen 14"):
        assert secret not in everything


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # Written for these tests: floors of a home, the entrance of one building with its code,
        # a code after "kod", bike frame and marking numbers, English dates of birth.
        ("Jag bor på Ålidhemsgatan 14, fjärde våningen, och hissen är trasig.", "fjärde våningen"),
        ("I live at Tvistevägen 22 on the 9th floor and the stairs are dark.", "9th floor"),
        ("Vi bor på Skolgatan 70, översta våningen, mörkt i trappan.", "översta våningen"),
        ("Porten på Kungsgatan 41 har kod 7730 men låset är trasigt.", "Kungsgatan 41"),
        ("Porten på Kungsgatan 41 har kod 7730 men låset är trasigt.", "7730"),
        ("Dörrkoden 1188 till Järnvägsallén 7 sprids i en chatt.", "Järnvägsallén 7"),
        ("Min cykel är borta, ramnummer XQ2291047, en blå Crescent.", "XQ2291047"),
        ("The frame number is GT55120938 if the police find it.", "GT55120938"),
        ("Den är märkt hos Securmark med nr SM-551902.", "SM-551902"),
        ("my date of birth is 12/11/1987 if you need it", "12/11/1987"),
        ("Grandad (b. 14 March 1941) fell on the ice by the shop.", "14 March 1941"),
    ],
)
def test_floors_building_codes_frame_numbers_and_english_birthdates_go(
    text: str, secret: str
) -> None:
    locale = "sv" if any(ch in text for ch in "åäö") else "en"
    assert secret not in redact(text, locale=locale).text


@pytest.mark.parametrize(
    "text",
    [
        "Porten på Kungsgatan 41 står öppen hela natten, någon borde laga den.",
        "The lamp outside Storgatan 12 on the third floor landing of the library is out.",
        "Fjärde våningen i parkeringshuset är mörk.",
        "Koden till cykelrummet byts varje månad, bra.",
    ],
)
def test_a_buildings_door_without_a_code_and_floors_without_a_home_stay(text: str) -> None:
    out = redact(text).text
    for keep in ("Kungsgatan 41", "Fjärde våningen", "cykelrummet"):
        if keep in text:
            assert keep in out


@pytest.mark.parametrize(
    "text",
    [
        "my number is five five one, two zero nine, eight eight four seven, call me",
        "text me on four four one, two two nine, three eight eight zero if you saw it",
    ],
)
def test_a_number_spelled_out_in_english_after_a_phone_cue_goes(text: str) -> None:
    out = redact(text, locale="en")
    assert "phone" in out.kinds and "eight" not in out.text


def test_a_few_number_words_without_a_phone_cue_stay() -> None:
    text = "we have two three four kids on the street and one one dog"
    assert redact(text, locale="en").text == text


def test_a_school_login_and_one_persons_page_on_a_public_site_go() -> None:
    text = (
        "my kid's school login is anna.k12 and her class page is "
        "https://skolan.umea.se/klass/4a-anna - the crossing is unsafe"
    )
    out = redact(text, locale="en").text
    assert "anna.k12" not in out and "4a-anna" not in out and "crossing is unsafe" in out


def test_a_public_bodys_page_stays() -> None:
    text = "läs mer på https://www.umea.se/trygghet/nattvandring om nattvandring"
    assert redact(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "Mejlade umea.kommun@umea.se den 3 februari om trafiken men fick inget svar",
        "Emailed info@polisen.se on 12 May about speeding near the school",
    ],
)
def test_a_public_bodys_shared_mailbox_stays(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("jag skrev till anna.berg@umea.se om lampan", "anna.berg@umea.se"),
        ("wrote to kb@polisen.se about it", "kb@polisen.se"),
        ("mejla mig på trygghet@gmail.com", "trygghet@gmail.com"),
    ],
)
def test_an_officials_own_or_a_private_mailbox_goes(text: str, address: str) -> None:
    redacted = redact(text).text
    assert address not in redacted
    assert "[e-post]" in redacted or "[e-mail]" in redacted
