"""Remove direct identifiers from resident free text before it is stored.

Feedback is kept for moderators and council summaries; identifiers add nothing there and make the
database personal data about third parties. We redact what can be recognised by *form*
(personnummer, phone numbers, e-mail addresses, vehicle registration numbers, links, handles, bank
accounts) and, by *context* (bot/privacy/personal.py), private persons' names, the house and flat
numbers of a home address and dates of birth; door codes, case, booking, customer and card numbers
by cue or by shape (bot/privacy/codes.py). We deliberately keep
everything that carries the resident's point: dates, times, years, amounts, street names and the
address of a place (a lamp, a bus stop), bus lines, public service numbers (112, 114 14, 1177 ...)
and numbers the caller whitelists (the council's own switchboard).

Choices worth knowing:

* A personnummer/samordningsnummer is redacted when its date is *plausible* (month 01-12, day 01-31
  or 61-91); the Luhn check digit is NOT required, because residents mistype and a wrong check digit
  still identifies a person. Luhn only breaks the tie with mobile numbers: an unseparated ten-digit
  number starting with 0 (``0701234567``) is a phone number unless its check digit is valid.
* Swedish numbers need 8-10 digits including the trunk 0; free-phone and premium prefixes (020,
  0200, 077x, 0900, 0939, 0944) belong to organisations and are kept.
* Registration numbers (``ABC 123``, ``ABC 12D``) are the riskiest: three-letter words followed by a
  number are common (``med 500``). Unseparated forms (``abc123``) are always taken; separated ones
  only in capitals or after a cue such as "regnr", "skylt" or "bil", and never for a short list of
  ordinary words and currency codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from stdnum import iban, luhn
from stdnum.se import orgnr

from bot.privacy.codes import code_hits
from bot.privacy.identifiers import Span, account_hits, handle_hits, public_host, url_hits
from bot.privacy.normalise import normalise
from bot.privacy.numberwords import spelled_runs
from bot.privacy.personal import first_names, personal_hits

# Placeholders end up in the stored text, so they are in the text's own language.
PLACEHOLDERS_BY_LOCALE: dict[str, dict[str, str]] = {
    "sv": {
        "personnummer": "[personnummer]",
        "phone": "[telefonnummer]",
        "email": "[e-post]",
        "plate": "[regnr]",
        "account": "[kontonummer]",
        "orgnr": "[organisationsnummer]",
        "url": "[länk]",
        "handle": "[användarnamn]",
        "name": "[namn]",
        "address": "[husnummer]",
        "number": "[nummer]",
        "birthdate": "[födelsedatum]",
    },
    "en": {
        "personnummer": "[personal identity number]",
        "phone": "[phone number]",
        "email": "[e-mail]",
        "plate": "[registration number]",
        "account": "[account number]",
        "orgnr": "[organisation number]",
        "url": "[link]",
        "handle": "[username]",
        "name": "[name]",
        "address": "[house number]",
        "number": "[number]",
        "birthdate": "[date of birth]",
    },
}
PLACEHOLDERS: dict[str, str] = PLACEHOLDERS_BY_LOCALE["sv"]
KINDS: tuple[str, ...] = tuple(PLACEHOLDERS)
# Wins when two detectors claim overlapping text of the same length.
_PRIORITY = {kind: i for i, kind in enumerate(KINDS)}

# Public service numbers that must never be redacted, whatever the caller passes.
PUBLIC_NUMBERS: frozenset[str] = frozenset({"112", "11414", "11313", "1177", "90000"})
# Organisation-only prefixes (free-phone, shared-cost, premium): not personal data.
_ORG_PREFIXES = ("020", "0200", "0771", "0772", "0900", "0939", "0944")


@dataclass(frozen=True, slots=True)
class Hit:
    """One span of personal data in the original text."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Redaction:
    """Redacted text plus what was removed, so callers can tell the resident and log counts."""

    text: str
    kinds: tuple[str, ...]
    count: int


# --- personnummer / samordningsnummer -------------------------------------------------------------
_PNR = re.compile(
    r"(?<![\w+])(?P<cent>19|20)?(?P<yy>\d\d)(?P<mm>\d\d)(?P<dd>\d\d)"
    r"(?P<sep>\s?[-+]\s?|\s|\.)?(?P<tail>\d{4})(?!\d)"
)
# The date written out with separators: "85-07-09-2438", "1985.07.09-2438" (check digit needed).
_PNR_SPLIT = re.compile(
    r"(?<![\w+])(?:19|20)?(?P<yy>\d\d)(?P<ds>[-. ])(?P<mm>\d\d)(?P=ds)(?P<dd>\d\d)"
    r"\s?[-+. ]\s?(?P<tail>\d{4})(?!\d)"
)


def _luhn_ok(ten: str) -> bool:
    return bool(luhn.is_valid(ten))


def _pnr_hits(text: str) -> list[Hit]:
    hits = []
    for m in _PNR.finditer(text):
        mm, dd = int(m["mm"]), int(m["dd"])
        if not (1 <= mm <= 12 and (1 <= dd <= 31 or 61 <= dd <= 91)):
            # Third digit 2-9 and a valid check digit: an organisation number (stdnum.se.orgnr).
            if not m["cent"] and orgnr.is_valid(m["yy"] + m["mm"] + m["dd"] + m["tail"]):
                hits.append(Hit(m.start(), m.end(), "orgnr"))
            continue
        ten = m["yy"] + m["mm"] + m["dd"] + m["tail"]
        if not m["cent"] and not m["sep"] and ten.startswith("0") and not _luhn_ok(ten):
            continue  # 070xxxxxxx etc.: left to the phone detector
        if m["sep"] == "." and not _luhn_ok(ten):
            continue  # "850709.2438" only with a valid check digit: a decimal number otherwise
        hits.append(Hit(m.start(), m.end(), "personnummer"))
    for m in _PNR_SPLIT.finditer(text):
        mm, dd = int(m["mm"]), int(m["dd"])
        ten = m["yy"] + m["mm"] + m["dd"] + m["tail"]
        if 1 <= mm <= 12 and (1 <= dd <= 31 or 61 <= dd <= 91) and _luhn_ok(ten):
            hits.append(Hit(m.start(), m.end(), "personnummer"))
    return hits


# --- phone numbers --------------------------------------------------------------------------------
_SE_PHONE = re.compile(
    r"(?<![\w+])(?:\(0\d{1,3}\)|0\d{1,3})(?:\s?[-/]\s?|\s)?\d{2,4}(?:[ \t]?-?[ \t]?\d{2,4}){0,4}"
    r"(?![\w@])"
)
_INTL_PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[\s.-]?\(0\))?(?:[\s.-]?\(\d{1,4}\))?"
    r"(?:[\s.-]?\d{1,4}){2,6}(?![\w@])"
)
_DIGIT_GROUP = re.compile(r"\d+")
_DATE_LIKE = re.compile(r"\d{1,2}[\s./-]\d{1,2}[\s./-](?:19|20)\d\d")


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def _national(digits: str) -> str:
    """Map +46/0046 forms onto the national 0-form so keep_numbers match either spelling."""
    if digits.startswith("0046"):
        return "0" + digits[4:]
    if digits.startswith("46") and len(digits) >= 9:
        return "0" + digits[2:]
    return digits


@lru_cache(maxsize=64)
def _keep_set(keep_numbers: tuple[str, ...]) -> frozenset[str]:
    return PUBLIC_NUMBERS | {_national(_digits(n)) for n in keep_numbers if _digits(n)}


def _trim_groups(text: str, start: int, end: int, lo: int, hi: int) -> int | None:
    """End offset of the longest prefix of digit groups whose digit count lies in [lo, hi]."""
    count, best = 0, None
    for g in _DIGIT_GROUP.finditer(text, start, end):
        count += len(g.group())
        if count > hi:
            break
        if count >= lo:
            best = g.end()
    return best


def _phone_hits(text: str, keep: frozenset[str]) -> list[Hit]:
    hits = []
    for m in _SE_PHONE.finditer(text):
        end = _trim_groups(text, m.start(), m.end(), 8, 10)
        if end is None:
            continue
        cand = text[m.start() : end]
        digits = _digits(cand)
        if _DATE_LIKE.fullmatch(cand) or digits.startswith(_ORG_PREFIXES) or digits in keep:
            continue
        hits.append(Hit(m.start(), end, "phone"))
    for m in _INTL_PHONE.finditer(text):
        cand = m.group().replace("(0)", "")
        digits = _digits(cand)
        if digits.startswith("00"):
            digits = digits[2:]
        if not 8 <= len(digits) <= 15:
            continue
        national = _national("00" + digits) if digits.startswith("46") else digits
        if national in keep or (digits.startswith("46") and national.startswith(_ORG_PREFIXES)):
            continue
        hits.append(Hit(m.start(), m.end(), "phone"))
    return hits


# --- e-mail ---------------------------------------------------------------------------------------
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
_WORD = r"[\w+-]+"
_SPOKEN_DOT = r"(?:\s+(?:punkt|dot)\s+|\s*[\[(](?:dot|punkt)[\])]\s*)"
_ANY_DOT = rf"(?:\.|{_SPOKEN_DOT})"
_SPOKEN_AT = r"(?:\s+(?:at|snabel-?a)\s+|\s*[\[(](?:at|a|@|snabel-?a)[\])]\s*)"
_TLDS = r"(?:se|com|nu|net|org|eu|io|fi|no|dk|de|uk|info|me)"
_EMAIL_SPOKEN = re.compile(
    rf"(?<![\w.@]){_WORD}(?:{_ANY_DOT}{_WORD})*{_SPOKEN_AT}{_WORD}(?:{_ANY_DOT}{_WORD})*?"
    rf"{_ANY_DOT}{_TLDS}(?![\w@-]|\.\w)",
    re.IGNORECASE,
)
_SPOKEN_DOT_RE = re.compile(_SPOKEN_DOT, re.IGNORECASE)
_BRACKET_AT = re.compile(r"[\[(](?:at|a|@|snabel-?a)[\])]", re.IGNORECASE)
# "anna at gmail.com": a spoken "at" before a mail provider's domain is an e-mail address.
_MAIL_PROVIDER = re.compile(
    r"\s(?:at|snabel-?a)\s+(?:[\w-]+\.)*(?:gmail|googlemail|hotmail|outlook|live|msn|yahoo|icloud"
    r"|me|mac|proton|protonmail|pm|telia|telia\.com|bredband|bredband2|comhem|tele2|spray|gmx|aol"
    r"|mail|umu|student\.umu|yandex|zoho)\.",
    re.IGNORECASE,
)


# "anna @ gmail.com", "anna@ gmail .com": spaces around the @ or before the dot.
_EMAIL_SPACED = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s?@\s?[\w-]+(?:\s?\.\s?[\w-]+)*\s?\.\s?(?i:se|com|nu|net|org|eu|fi|no"
    r"|dk|de|uk|info|me|io)(?![\w-])"
)


_ANY_AT = re.compile(r"(?i:\bat\b|snabel|[\[(](?:at|a|@)[\])])")


def _public_mailbox(address: str) -> bool:
    """A public body's shared mailbox ('info@polisen.se', 'umea.kommun@umea.se') is no one's
    personal data and residents cite it ('mejlade … men fick inget svar'); an official's own
    address ('anna.berg@umea.se') still goes: any part of it that is a given name or initial."""
    local, _, host = address.lower().rpartition("@")
    if not public_host(host):
        return False
    parts = [p for p in re.split(r"[._+-]", local) if p]
    names = first_names()
    return all(len(p) > 2 and p not in names for p in parts)


def _email_hits(text: str) -> list[Hit]:
    hits: list[Hit] = []
    if "@" in text:  # the patterns backtrack badly on long runs of word characters without one
        hits += [
            Hit(m.start(), m.end(), "email")
            for m in _EMAIL.finditer(text)
            if not _public_mailbox(m.group())
        ]
        hits += [
            Hit(m.start(), m.end(), "email")
            for m in _EMAIL_SPACED.finditer(text)
            if not _public_mailbox(m.group().replace(" ", ""))
        ]
    if not _ANY_AT.search(text):
        return hits
    for m in _EMAIL_SPOKEN.finditer(text):
        # "read more at umea.se" is a web address, not a hidden e-mail: demand one more obfuscation.
        if (
            _SPOKEN_DOT_RE.search(m.group())
            or _BRACKET_AT.search(m.group())
            or _MAIL_PROVIDER.search(m.group())
        ):
            hits.append(Hit(m.start(), m.end(), "email"))
    return hits


# --- vehicle registration numbers -------------------------------------------------------------
_PLATE = re.compile(
    r"(?<![\w-])(?P<letters>[A-HJ-PR-UW-Z]{3})(?P<sep>[ -]?)(?P<tail>\d\d[\dA-HJ-NPR-Z])(?![\w-])",
    re.IGNORECASE,
)
_PLATE_CUE = re.compile(
    r"(?:reg\.?\s?(?:nr|nummer)|regnr|regnummer|registreringsnummer|registreringsskylt|skylt\w*"
    r"|nummerplåt\w*|bil(?:en|ar|arna)?|plates?|registration|licen[cs]e|number\s+plate|reg"
    r"|volvo|saab|audi|bmw|merca|mercedes|tesla|toyota|vw|volkswagen|ford|kia|hyundai|skoda"
    r"|seat|peugeot|renault|opel|nissan|mazda|honda|epa\w*|a-traktor\w*|moped\w*|mc|van"
    r"|truck|lastbil\w*|taxi|suv|husbil\w*|släp\w*|pickup|car|cars)\W{0,8}"
    r"(?:\w+\W{1,3}){0,3}$",
    re.IGNORECASE,
)
_PLATE_STOP = frozenset(
    str.split(
        """och att det den som har med men kan ska bor nya tre sex fem ett hur mer mot upp ner ute
    tog kom bra typ sen nog jag han hon dom oss ert era per all alt ens nej the and for are
    was has had one two ten few top bus car age can got her may new now our out run see set
    sum gul rad rum hus sos sek eur usd gbp nok dkk max tel nra nrs pnr lgh apt str cet utc
    gmt sms mms ntf pga bla mfl osv dvs etc ggr kpl kap sal sfp bad bag bed big bit box boy
    but buy day did dog ear eat egg end eye fan far fat fed fee fly fog fun gap gas get gun hat
    hen hey hop hot how hug jar jet job joy key lab lap law lay led leg let lot low mad man map
    mat men met mom mum mud nap net nor not nut oak odd off old pan pay pen pet pop pot pub put
    rat raw ray red rob rod row rug sad sat saw say sea sex she shy sky son spa sun tax tea ten
    toe ton top toy try use was way wet who why won yes yet you ago any bra dag dem dom ena era
    fel fin gav han hem hos hur jag jul kom kul lek mat med men mot nej ner nog nya per rad ren
    rum sak sen ska sol som son syn tak tal tar tog tom tre tur ung upp ute kan mer ord del
    alt tel nr. kr. st. ca. kl. ggr min max"""
    )
)
# A unit or count word after the number means a quantity ("med 500 kr"), not a plate.
_PLATE_UNIT_AFTER = re.compile(
    r"\s*(?:kr|kronor|sek|km|m|meter|min|minuter|st|stycken|år|personer|people|%|procent"
    r"|kg|g|l|liter|dagar|days|timmar|hours|gånger|times)\b",
    re.IGNORECASE,
)


_PLATE_REG_CUE = re.compile(r"(?i:reg\.?\s?(?:nr|nummer)?|regnr|registreringsnummer|plate)\W*$")


# Letters and digits spaced out after a registration cue: "reg.nr N O P 6 6 1".
_SPACED_PLATE = re.compile(
    r"(?i:reg\.?\s?(?:nr|nummer)?|regnr|registreringsnummer|skylt(?:en)?|plates?)\W{0,3}"
    r"(?P<plate>[A-Za-z](?:[ .-]?[A-Za-z]){2}[ .-]?\d(?:[ .-]?\d){1,2}(?:[ .-]?[A-Za-z])?)(?![\w])"
)


def _plate_hits(text: str) -> list[Hit]:
    hits = [Hit(m.start("plate"), m.end("plate"), "plate") for m in _SPACED_PLATE.finditer(text)]
    for m in _PLATE.finditer(text):
        letters, tail = m["letters"], m["tail"]
        if letters.lower() in _PLATE_STOP and not (
            letters.isupper() and _PLATE_REG_CUE.search(text, max(0, m.start() - 12), m.start())
        ):
            continue  # "kpl 482" is a word, "reg KPL 482" a plate
        if m["sep"]:
            shouted = letters.isupper() and not tail[-1].islower()
            cue = _PLATE_CUE.search(text, max(0, m.start() - 40), m.start())
            # Lower case without a cue ("abc 123 står där"): only when it is not a quantity.
            quantity = _PLATE_UNIT_AFTER.match(text, m.end())
            if not (shouted or cue or (letters.islower() and not quantity)):
                continue
        hits.append(Hit(m.start(), m.end(), "plate"))
    return hits


_TIME_RANGE = re.compile(r"\d{1,2}[.:]\d\d(?:\s*(?:-|och|to|till)?\s*\d{1,2}[.:]\d\d)*")


def _phone_ok(cand: str, keep: frozenset[str]) -> bool:
    """Shared vetoes: dates, clock times, organisation prefixes and whitelisted numbers."""
    digits = _digits(cand)
    national = _national(digits[2:] if digits.startswith("00") else digits)
    if cand.lstrip().startswith("+") and digits.startswith("46"):
        national = "0" + digits[2:]
    return not (
        _DATE_LIKE.fullmatch(cand.strip())
        or _TIME_RANGE.fullmatch(cand.strip())
        or national.startswith(_ORG_PREFIXES)
        or national in keep
        or digits in keep
    )


def _libphone_hits(text: str, keep: frozenset[str]) -> list[Hit]:
    """libphonenumber's matcher (region SE): dotted, spaced and bracketed forms included."""
    hits = []
    for m in phonenumbers.PhoneNumberMatcher(text, "SE", leniency=phonenumbers.Leniency.VALID):
        if _phone_ok(m.raw_string, keep) and len(_digits(m.raw_string)) >= 7:
            hits.append(Hit(m.start, m.end, "phone"))
    return hits


_SPACED_DIGITS = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[ .\-/]{1,3}\d){6,14}(?![\w@])")


def _spaced_pnr(digits: str, cand: str) -> bool:
    """ "5 0 1 1 0 3 - 2 6 7 8": 10 or 12 digits with a plausible date and a check digit (or the
    dash before the last four), so a spaced phone number stays a phone number."""
    if len(digits) not in (10, 12) or (len(digits) == 12 and digits[:2] not in ("19", "20")):
        return False
    ten = digits[-10:]
    mm, dd = int(ten[2:4]), int(ten[4:6])
    if not (1 <= mm <= 12 and (1 <= dd <= 31 or 61 <= dd <= 91)):
        return False
    dashed = bool(re.search(r"[-+]\s*\d\s*\d\s*\d\s*\d\s*$", cand))
    return _luhn_ok(ten) and (dashed or not ten.startswith("0"))


def _spaced_hits(text: str, keep: frozenset[str]) -> list[Hit]:
    """Digits split by spaces, dots or dashes in any grouping ("0 7 0 1 2 3 4 5 6 7")."""
    hits = []
    for m in _SPACED_DIGITS.finditer(text):
        cand = m.group()
        digits = _digits(cand)
        if _spaced_pnr(digits, cand):
            hits.append(Hit(m.start(), m.end(), "personnummer"))
            continue
        intl = cand.startswith(("+", "00"))
        if intl and 8 <= len(digits) <= 15:
            pass
        elif not (
            digits.startswith("0") and not digits.startswith("00") and 8 <= len(digits) <= 10
        ):
            continue
        if _phone_ok(cand, keep):
            hits.append(Hit(m.start(), m.end(), "phone"))
    return hits


def _spelled_hits(text: str, keep: frozenset[str]) -> list[Hit]:
    """Phone numbers written (partly) in words: "noll sju noll, etthundratjugotre, ..."."""
    hits = []
    for start, end, digits in spelled_runs(text):
        if digits.startswith("7") and len(digits) == 9:  # "sjuttiotre …" without the trunk 0
            digits = "0" + digits
        national = digits.startswith("0") and 8 <= len(digits) <= 10
        intl = digits.startswith("46") and 10 <= len(digits) <= 12
        # "number is seven zero three, one one two, …": a long spelled run right after a phone
        # cue is a number to reach someone on, whatever its format.
        cued = 8 <= len(digits) <= 13 and _SPELLED_CUE.search(text, max(0, start - 30), start)
        if (
            (national and _phone_ok(digits, keep))
            or (intl and _phone_ok("+" + digits, keep))
            or cued
        ):
            hits.append(Hit(start, end, "phone"))
    return hits


_SPELLED_CUE = re.compile(
    r"\b(?i:number|numret|nummer|nr|phone|tel|mobil\w*|mobile|cell|ring|call|text|sms|reach"
    r"\s+me|contact\s+me|kontakta\s+mig|whatsapp)\b[^.!?\d]{0,20}$"
)


def _iban_ok(value: str) -> bool:
    return bool(iban.is_valid(value))


def _hits(spans: Iterable[Span]) -> list[Hit]:
    return [Hit(s.start, s.end, s.kind) for s in spans]


def find_personal_data(text: str, *, keep_numbers: Iterable[str] = ()) -> tuple[Hit, ...]:
    """Non-overlapping hits, as spans of the ORIGINAL text, in text order.

    Detectors run on a normalised view (no zero-width characters, ASCII digits, Latin letters),
    so hidden characters cannot split an identifier; each hit is mapped back to the original.
    """
    keep = _keep_set(tuple(keep_numbers))
    view = normalise(text)
    norm = view.text
    candidates = (
        _pnr_hits(norm)
        + _email_hits(norm)
        + _hits(url_hits(norm))
        + _hits(account_hits(norm, _iban_ok))
        + _phone_hits(norm, keep)
        + _libphone_hits(norm, keep)
        + _spaced_hits(norm, keep)
        + _spelled_hits(norm, keep)
        + _hits(handle_hits(norm))
        + _plate_hits(norm)
        + _hits(personal_hits(norm))
        + _hits(code_hits(norm))
    )
    candidates.sort(key=lambda h: (h.start, -(h.end - h.start), _PRIORITY[h.kind]))
    chosen: list[Hit] = []
    for hit in candidates:
        if chosen and hit.start < chosen[-1].end:
            if hit.end > chosen[-1].end and hit.kind == chosen[-1].kind:
                chosen[-1] = Hit(chosen[-1].start, hit.end, hit.kind)  # overlapping forms merge
            continue
        chosen.append(hit)
    return tuple(Hit(*view.span(h.start, h.end), h.kind) for h in chosen)


def placeholders(locale: str) -> dict[str, str]:
    """The placeholder set for a language (Swedish unless the text is English)."""
    return PLACEHOLDERS_BY_LOCALE.get(locale.split("_")[0].lower(), PLACEHOLDERS)


def redact(text: str, *, keep_numbers: Iterable[str] = (), locale: str = "sv") -> Redaction:
    """Replace personal data with short placeholders in the text's language (they are stored)."""
    hits = find_personal_data(text, keep_numbers=keep_numbers)
    if not hits:
        return Redaction(text=text, kinds=(), count=0)
    names = placeholders(locale)
    parts: list[str] = []
    pos = 0
    for hit in hits:
        parts.append(text[pos : hit.start])
        parts.append(names[hit.kind])
        pos = hit.end
    parts.append(text[pos:])
    found = {h.kind for h in hits}
    return Redaction(
        text="".join(parts), kinds=tuple(k for k in KINDS if k in found), count=len(hits)
    )
