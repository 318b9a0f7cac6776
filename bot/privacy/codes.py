"""Identifying codes and reference numbers: door codes, case, booking, customer and card numbers.

Residents quote whatever number their landlord, the police, a shop or a club gave them ("mitt
ärendenr 5000-K123456-26", "Booking ref for the lost and found: LF-88213", "portkoden till vårt
hus är 4512#", "Door code to our building is 1234*56"). Each points at one person or one home,
and none helps the council. Two rules, both general rather than a list of formats:

* After a cue word (kod, ärende, diarienummer, booking, order, kundnummer, member, ID, licens,
  card …) the first number-like token in the same sentence goes, even a few words later. A short
  plain number (3-4 digits) must follow closely, with no clause break ("och", "men", "linje" …);
  a strong one (letters with digits, ``#``/``*``, or 5+ digits) may come later in the sentence.
* Without a cue, the shape alone: a token of capital letters and at least four digits
  ("GS-20931", "WBK0421733"), any token of letters with six or more digits, and a run of seven or
  more digits that is not a date, an amount, a count or a phone number (the phone detectors own
  numbers starting with 0).

Years, clock times, dates, amounts ("1 500 kr"), bus lines, postcodes and roads ("E4", "E12")
never match: they have too few digits, a unit after them, or no cue.
Returned spans refer to the text given (redact passes its normalised view).
"""

from __future__ import annotations

import re

from bot.privacy.identifiers import Span
from bot.privacy.numberwords import spelled_runs

_CUE = re.compile(
    r"(?<![\w-])(?i:"
    r"(?!post|streck|käll|rabatt|qr|kampanj|rea|pres|rikt)[^\W\d_]*kod(?:en|er|erna)?"
    r"|(?:door|entry|gate|access|keypad|building|pin|alarm|lock|locker|wifi|wi-fi|front\s+door)"
    r"\s*codes?|codes?"
    r"|ärende(?:nummer|numret|nr|t|ts?\s*(?:nummer|nr))?|ärendenr"
    r"|diarie(?:nummer|numret|nr)|dnr|anmälnings(?:nummer|numret|nr)|k-?(?:nummer|numret|nr)"
    r"|polisanmälan|anmälan\s+(?:nr|nummer)"
    r"|case(?:\s*(?:number|no\.?|nr|ref(?:erence)?|id))?|reference(?:\s*(?:number|no\.?))?"
    r"|ref(?:erens(?:nummer|nr|en)?)?|referensnummer"
    r"|bokning(?:en|s(?:nummer|numret|nr|kod|koden|referens))?"
    r"|booking(?:\s*(?:ref(?:erence)?|number|no\.?|code|id))?"
    r"|reservation(?:\s*(?:number|no\.?|code))?"
    r"|order(?:nummer|numret|nr|\s*(?:number|no\.?|nr|id)|(?=\s*\#))|ordern"
    r"|kund(?:nummer|numret|nr|-?id)|customer\s*(?:number|no\.?|id|ref)"
    r"|medlems(?:nummer|numret|nr|-?id|kort)|member(?:ship)?(?:\s*(?:number|no\.?|id|card))?"
    r"|id(?:-?(?:nummer|numret|nr|kort(?:s?nummer)?))?|id\s*(?:number|no\.?|card)"
    r"|licens(?:nummer|numret|nr)?|licen[cs]e(?:\s*(?:number|no\.?))?|körkort(?:s?nummer|et)?"
    r"|driving\s+licen[cs]e|driver'?s\s+licen[cs]e"
    r"|pass(?:nummer|numret|nr)|passport(?:\s*(?:number|no\.?))?"
    r"|biljett(?:nummer|nr)?|ticket(?:\s*(?:number|no\.?|id))?"
    r"|(?:\w+-)?\w*kort(?:et)?\s*(?:s?nummer|s?numret|s?nr|no\.?|(?=\#))|card\s*(?:number|no\.?|nr|\#)"
    r"|kvitto(?:nummer|nr)?|receipt(?:\s*(?:number|no\.?))?|abonnemang\w*|subscription\s*(?:number|id)"
    r"|mätar(?:nummer|nr|id|e)|anläggnings-?(?:id|nummer)|meter\s*(?:number|id)"
    r"|(?:library|gym|bus|travel|member|loyalty|student|bank|key)\s*card"
    r"|faktura(?:nummer|nr)?|invoice(?:\s*(?:number|no\.?))?|ocr(?:-?nummer)?"
    r"|försäkrings(?:nummer|nr)|policy\s*(?:number|no\.?)|skade(?:nummer|nr|ärende)"
    r"|claim(?:\s*(?:number|no\.?|ref))?"
    r"|(?:spårnings|sändnings|kolli|paket)-?(?:nummer|nr|id)|tracking(?:\s*(?:number|no\.?|id|code))?"
    r"|parcel\s*(?:number|id)"
    r"|serie(?:nummer|numret|nr)|serial(?:\s*(?:number|no\.?))?|imei|ram(?:nummer|numret|nr)"
    r"|frame\s*(?:number|no\.?)|chassi(?:s|nummer|s\s+number)|vin-?(?:nummer|number|nr)"
    r"|avtals(?:nummer|nr)|kontrakts(?:nummer|nr)|contract\s*(?:number|no\.?)"
    r"|hyresgäst-?(?:nummer|id)|tenant\s*(?:number|id)"
    r"|objekts?(?:nummer|nr)|tillstånds(?:nummer|nr)|permit(?:\s*(?:number|no\.?))?"
    r"|parkeringstillstånd|elev(?:nummer|nr|-?id)|student\s*(?:id|number|no\.?)|studentnummer"
    r"|anställnings(?:nummer|nr)|employee\s*(?:number|no\.?|id)|patient(?:nummer|nr)"
    r"|journal(?:nummer|nr)|securmark|märk(?:nings)?nummer|stöldskyddsnummer"
    r"|lösenord(?:et)?|password|passcode|pin(?:-?kod(?:en)?)?|användar-?id|user\s*id"
    r"|(?:slutar|ending|ends)\s+(?:på|in|with)|ip(?:-?adress(?:en)?|\s+address)?"
    r")(?![\w-])"
)
# The first number-like token: optional letter prefix ("LF-", "K"), digits, then letters,
# digits, #, *, / or - ("5000-K123456-26", "4512#", "1234*56"), digit groups ("2090 0012 3456 7").
_VALUE = re.compile(r"(?<![\w#*])(?P<v>[#*]?(?:[A-Za-z]{1,5}[-/]?)?\d[\w#*/-]*(?:[ ]\d[\d#*-]*)*)")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_WORDS = re.compile(r"[^\W\d_]+")
# Words that end the clause a cue governs: a later short number is something else.
_BREAK_WORDS = """och and men but eller or då then när when sen since efter after före before kl
    klockan linje line buss bus bussen vecka week år year years gånger times kr kronor sek ca
    cirka om about över under mellan between till"""
_BREAK = frozenset(_BREAK_WORDS.split())
_GLUE = frozenset(
    [
        "är",
        "is",
        "was",
        "var",
        "blir",
        "nr",
        "no",
        "number",
        "nummer",
        "numret",
        "code",
        "kod",
        "koden",
    ]
)
_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}(?:[/-]\d{2,4})?|\d{1,2}-\d{1,2}-\d{2,4}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_UNIT_AFTER = re.compile(
    r"\s?(?i:kr\b|kronor|sek\b|:-|%|euro|eur\b|€|\$|km\b|m\b|meter|mil\b|st\b|stycken|personer"
    r"|people|persons|invånare|residents|members|medlemmar|besökare|visitors|bilar|cars|år\b"
    r"|years|dagar|days|timmar|hours|min\b|minuter|minutes|gånger|times|kg\b|ton\b|lampor"
    r"|lamps|hushåll|households|lägenheter|flats|apartments|elever|pupils|students|barn"
    r"|children|kvm|m2|m²)"
)
_CURRENCY_BEFORE = re.compile(r"(?i:kr|sek|€|\$|eur|usd)\s?$")


def _digits(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


def _plain_value(value: str) -> bool:
    """Dates, years, amounts and other numbers that are not codes."""
    core = value.strip("#*")
    return bool(_DATE.fullmatch(core))


def _strong(value: str) -> bool:
    letters = any(ch.isalpha() for ch in value)
    marks = any(ch in "#*" for ch in value)
    return (letters and _digits(value) >= 2) or marks or _digits(value) >= 5


# A word before the cue that makes it something else: "post code", "area code", "in case".
_NOT_A_CUE_BEFORE = re.compile(
    r"(?i:\b(?:post|postal|zip|area|country|dialling|dialing|qr|rabatt|discount|promo|in))\s+$"
)
_PUBLIC = frozenset({"112", "11414", "11313", "1177", "90000"})


def cued_code_hits(text: str) -> list[Span]:
    """The first number-like token after a cue word, in the cue's sentence."""
    hits: list[Span] = []
    for m in _CUE.finditer(text):
        if _NOT_A_CUE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        end_m = _SENTENCE_END.search(text, m.end(), m.end() + 200)
        limit = end_m.start() if end_m else min(len(text), m.end() + 200)
        v = _VALUE.search(text, m.end(), limit)
        if v is None:
            continue
        value = v["v"].rstrip("-/ ")
        start = v.start("v")
        if _digits(value) < 3 or _plain_value(value) or value.replace(" ", "") in _PUBLIC:
            continue
        gap = text[m.end() : start]
        if any(ch.isdigit() for ch in gap):
            continue
        words = [w.lower() for w in _WORDS.findall(gap)]
        after = start + len(value)
        if _UNIT_AFTER.match(text, after) or _CURRENCY_BEFORE.search(text, 0, start):
            continue
        strong = _strong(value)
        close = len(words) <= 1
        if _YEAR.fullmatch(value) and any(w not in _GLUE for w in words):
            continue  # "lösenordet byttes 2024": a year
        if not close:
            if any(w in _BREAK for w in words) and not (strong and len(words) <= 12):
                continue
            if _YEAR.fullmatch(value):
                continue
            if not strong and len(words) > 6:
                continue
            if strong and len(words) > 12:
                continue
        hits.append(Span(start, after, "number"))
    return hits


# Capital letters with 4+ digits ("GS-20931", "WBK0421733", "5000-K123456-26"), or any letters
# with 6+ digits ("wbk123456789x"). Not inside a link, an e-mail or a handle.
_MIXED = re.compile(
    r"(?<![\w@/.*+:-])(?=[\w-]*[^\W\d_])(?=[\w-]*\d)[^\W_]+(?:-[^\W_]+)*(?![\w@/#*-]|\.\w)"
)
_SUFFIXED = re.compile(r"\d[\d-]*-?[a-zåäö]+")  # "1990-talet", "500kr", "12-åringar"
_RUN = re.compile(r"(?<![\w+#*/.@:,-])\d{2,}(?:-\d{2,})*(?![\w@/#*]|[.,:]\d|-\w)")
_DATED = re.compile(r"(?:19|20)\d\d-\d\d-\d\d|\d\d-\d\dT\d")  # ISO dates and times
_YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d-(?:19|20)?\d\d")


def _date8(digits: str) -> bool:
    if len(digits) != 8 or digits[:2] not in ("19", "20"):
        return False
    mm, dd = int(digits[4:6]), int(digits[6:8])
    return 1 <= mm <= 12 and 1 <= dd <= 31


def shape_hits(text: str) -> list[Span]:
    """Codes recognised by their shape alone (see the module docstring)."""
    hits: list[Span] = []
    for m in _MIXED.finditer(text):
        tok = m.group()
        n = _digits(tok)
        letters = [ch for ch in tok if ch.isalpha()]
        if n < 4 or _SUFFIXED.fullmatch(tok) or _DATED.search(tok):
            continue
        # "lofte-2025-2027", "2024-Q3": years are not an identifier.
        if sum(len(g) for g in re.findall(r"\d+", _YEARS.sub("", tok))) < 4:
            continue
        if all(ch.isupper() for ch in letters) or n >= 6:
            hits.append(Span(m.start(), m.end(), "number"))
    for m in _RUN.finditer(text):
        tok = m.group()
        digits = tok.replace("-", "")
        if len(digits) < 7 or digits.startswith("0") or _YEAR_RANGE.fullmatch(tok):
            continue
        if _date8(digits) or _UNIT_AFTER.match(text, m.end()):
            continue
        if _CURRENCY_BEFORE.search(text, 0, m.start()):
            continue
        hits.append(Span(m.start(), m.end(), "number"))
    return hits


# A payment or loyalty card: four groups of four ("4581 1234 5678 9012"), 13-19 digits.
_CARD = re.compile(r"(?<![\w+-])\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?(?![\w-])")


def card_hits(text: str) -> list[Span]:
    return [
        Span(m.start(), m.end(), "number")
        for m in _CARD.finditer(text)
        if not all(_YEAR.fullmatch(g) for g in re.split(r"[ -]", m.group()))
    ]


# An IP address ties a message to one home connection ("version 1.2.3.4" is not one).
_VERSION_BEFORE = re.compile(r"(?i:version|ver\.?|v\.?)\s*$")
_IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.])"
)


# A password is whatever follows its cue: "lösenordet till wifi är Sommar2024!".
_PASSWORD = re.compile(
    r"\b(?i:lösenord(?:et)?|password|passwd|pwd|wifi-?lösen|lösen)(?:\s+(?i:till|to|for|för|i|in|på|at|hos)"
    r"(?:\s+[^\s\d]\S*){1,2}?)?\s*(?:(?i:är|is|was|var)\s+|[:=]\s*)(?P<pw>\S*[\d_!#$%&*?@]\S*)"
)


def password_hits(text: str) -> list[Span]:
    hits = []
    for m in _PASSWORD.finditer(text):
        pw = m["pw"].rstrip(".,;:)")
        hits.append(Span(m.start("pw"), m.start("pw") + len(pw), "number"))
    return hits


# A door code read out in words: "koden är fyra fem ett två", "the code is one two three four".
_SPELLED_CODE_CUE = re.compile(
    r"\b(?i:\w*kod(?:en)?|codes?|pin(?:kod(?:en)?)?)\b[^.!?\n\d]{0,25}?(?i:är|is|:)\s*$"
)


def spelled_code_hits(text: str) -> list[Span]:
    if not re.search(r"(?i)kod|code|pin", text):
        return []
    hits = []
    for start, end, digits in spelled_runs(text):
        if 3 <= len(digits) <= 8 and _SPELLED_CODE_CUE.search(text, max(0, start - 40), start):
            hits.append(Span(start, end, "number"))
    return hits


def code_hits(text: str) -> list[Span]:
    """Cued and shape-recognised identifying codes."""
    ips = [
        Span(m.start(), m.end(), "number")
        for m in _IPV4.finditer(text)
        if not _VERSION_BEFORE.search(text, max(0, m.start() - 12), m.start())
    ]
    return (
        cued_code_hits(text)
        + shape_hits(text)
        + card_hits(text)
        + ips
        + password_hits(text)
        + spelled_code_hits(text)
    )
