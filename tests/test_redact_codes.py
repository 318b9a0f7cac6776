"""Identifying codes and reference numbers (bot/privacy/codes.py) and accounts a few words after
their cue: removed wherever a resident quotes them, while years, times, amounts, lines and
counts stay. Texts written for these tests (not taken from any evaluation set)."""

from __future__ import annotations

import pytest

from bot.privacy.redact import redact


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Koden till källardörren hos oss är 2290* så alla kan komma in.", "2290*"),
        ("Our gate code is #7781, the whole street knows it.", "#7781"),
        ("Tvättstugekoden är 55#21 och den står på en lapp.", "55#21"),
        ("Polisen gav mig diarienummer 1500-K88812-25 efter inbrottet.", "1500-K88812-25"),
        ("My police case number is 5000-K771230-26, nothing has happened.", "5000-K771230-26"),
        ("Ärendenumret hos kommunen blev KS 2026/04417.", "2026/04417"),
        ("Bokningsnumret för trygghetsvandringen var BK77120, vi kom aldrig in.", "BK77120"),
        ("My reservation code for the community room: QX-4471.", "QX-4471"),
        ("Ordernummer 88120934 på reflexerna som aldrig kom.", "88120934"),
        ("My membership number at the gym near Teg is 40-221873.", "40-221873"),
        ("Mitt lånekortsnummer 2090 0041 7761 2 försvann med väskan.", "2090 0041 7761 2"),
        ("Körkortet har nummer 77120934 och stals ur bilen.", "77120934"),
        ("the refund reference for the broken lock was RF-20931-B", "RF-20931-B"),
        ("Cykeln är märkt med ID AX-33019 hos försäkringsbolaget.", "AX-33019"),
        # No cue at all: the shape tells.
        ("Jag fick en lapp med HYR-44120 på dörren, vem ska jag ringa?", "HYR-44120"),
        ("Paketet med 77409123451 har försvunnit från trapphuset på Teg.", "77409123451"),
    ],
)
def test_identifying_codes_go(text: str, secret: str) -> None:
    locale = "en" if any(w in text.split() for w in ("the", "My", "my", "Our")) else "sv"
    out = redact(text, locale=locale)
    assert secret not in out.text
    assert "number" in out.kinds
    assert ("[nummer]" if locale == "sv" else "[number]") in out.text


@pytest.mark.parametrize(
    "text",
    [
        "Linje 8 gick 17.30 och kostade 1 500 kr för hela klassen 2025.",
        "E4 och E12 möts vid Teg, 90 000 bilar per dygn enligt Trafikverket.",
        "Koden till cykelrummet byts varje månad, och 2024 byttes låset.",
        "The code changed in 2023 and 300 people live in the building.",
        "In case 112 is busy, call 114 14 and ask about line 9 at 22:15.",
        "Vi var 1200000 kronor från målet, sa föreningen 2019-2023.",
        "Postkoden 903 25 och post code 903 26 gäller Ålidhem.",
        "Sedan 20250114 är lampan på Storgatan 12 trasig, felanmält 1990-talet.",
        "Ärendet gäller gatlyktan vid busshållplatsen, 3 av 8 lampor är släckta.",
        "Bokningen gällde 150 personer i Folkets hus 12/11.",
    ],
)
def test_years_amounts_lines_counts_and_dates_stay(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Swisha en slant för lamporna i Sandbacka till mig, nr 123 771 40 88.", "123 771 40 88"),
        ("Swish to my account for the flyers at Haga: 0731 22 33 44, thanks", "0731 22 33 44"),
        ("Sätt in på mitt bankkonto hos Nordea för reflexerna: 3300 12 3456 78", "3300 12 3456 78"),
    ],
)
def test_an_account_a_few_words_after_its_cue_goes(text: str, secret: str) -> None:
    assert secret not in redact(text).text


def test_an_organisations_own_swish_number_stays() -> None:
    text = "Swisha till nattvandrarna på 123 900 41 17 (föreningens nummer), tack!"
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("PIN 4471 till garaget står på en lapp", "4471"),
        ("PostNord kolli-ID 00370712345678901234 försvann", "00370712345678901234"),
        ("Kortet 4581 1234 5678 9012 stals på Avion", "4581 1234 5678 9012"),
        ("min blogg annasumeatankar.se skriver jag om det", "annasumeatankar.se"),
        ("mitt användarnamn på Tradera är kalle77", "kalle77"),
    ],
)
def test_pins_parcels_cards_own_sites_and_user_names_go(text: str, secret: str) -> None:
    assert secret not in redact(text).text


def test_years_in_a_row_are_no_card_number() -> None:
    text = "Åren 2021 2022 2023 var lugnare på Teg."
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("mail anna at gmail.com om ni vill", "anna at gmail.com"),
        ("mejl anna(a)gmail.com", "anna(a)gmail.com"),
        ("my Xbox gamertag is AnnaB99", "AnnaB99"),
        ("Steam: anna_b99", "anna_b99"),
        ("mitt Discord-namn är kattis", "kattis"),
    ],
)
def test_spoken_mail_addresses_and_gaming_names_go(text: str, secret: str) -> None:
    assert secret not in redact(text).text


@pytest.mark.parametrize(
    "text",
    [
        "Läs mer at umea.se om trygghet.",
        "Nick är snäll och the signal is weak at Teg.",
    ],
)
def test_a_web_address_after_at_and_ordinary_words_stay(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("kortet som slutar på 4471 stals vid Avion", "4471"),
        ("my card ending in 8812 was used in Haga", "8812"),
        ("min IP är 192.168.1.14 om det hjälper", "192.168.1.14"),
    ],
)
def test_card_endings_and_ip_addresses_go(text: str, secret: str) -> None:
    assert secret not in redact(text).text


def test_a_version_number_and_bus_times_stay() -> None:
    text = "Version 1.2.3.4 av appen, och bussen slutar på 22 och 23."
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("lösenordet till wifi är Sommar2024! och routern står i hallen", "Sommar2024!"),
        ("my password is hunter2.", "hunter2"),
        ("Jag bor på Storgatan nr 12 sedan i fjol", "12"),
        ("portkoden är 1987", "1987"),
    ],
)
def test_passwords_numbered_homes_and_a_code_like_a_year_go(text: str, secret: str) -> None:
    assert secret not in redact(text).text


def test_a_year_after_a_code_word_and_a_verb_stays() -> None:
    text = "Lösenordet byttes 2024 och koden ändrades 2023."
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Mitt LMA-kort nr 123456 försvann vid Vasaplan", "123456"),
        ("kvitto nr 88812 från affären på Teg", "88812"),
        ("Anläggnings-ID 735999100000123456 för elen i lägenheten", "735999100000123456"),
    ],
)
def test_card_receipt_and_meter_numbers_go(text: str, secret: str) -> None:
    assert secret not in redact(text).text


def test_a_cards_price_stays() -> None:
    text = "Busskortet kostade 300 kr i månaden 2025."
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("koden är fyra fem ett två och den står på dörren", "fyra fem ett två"),
        ("the door code is one two three four, everyone knows", "one two three four"),
        ("Swish: 123 - 456 78 90 till mig för reflexerna", "123 - 456 78 90"),
    ],
)
def test_spelled_codes_and_swish_with_spaced_dashes_go(text: str, secret: str) -> None:
    assert secret not in redact(text).text


def test_a_count_in_words_stays() -> None:
    text = "Vi var fyra fem personer vid porten."
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("ring sju noll tre, tjugotre, fyrtiofem, sextisju", "sextisju"),
        ("se maps.app.goo.gl/AbC123xyz för var jag bor", "AbC123xyz"),
    ],
)
def test_spoken_tens_and_map_links_go(text: str, secret: str) -> None:
    assert secret not in redact(text).text
