"""Private persons' names, home addresses and other personal numbers in resident free text.

Residents introduce themselves ("Jag heter Agneta Sjöberg", "This is Ahmed Yusuf"), sign off
("/Anna W", "- Sara Jenkins", "Hälsningar Per"), name others ("min granne Karin Westberg") and
give their home address ("Jag bor på Tvistevägen 14 lgh 1102"). None of it helps the council;
all of it makes the stored text personal data. The rules here are deliberately about *context*:

* A name is a known given name (first_names.yaml, ~1,500 names common in Sweden, as data) written
  with a capital anywhere, unless it names a place or a title ("Anna Lindhs plats", "Drottning
  Kristina", "Kalle Anka-tidningen"); names that are also words ("Per", "Hans", "Will") need a
  cue. Any capitalised word is a name after a naming word ("heter", "kallas", "known as"), and
  after an introduction, a sign-off, a relation or role word, a title or "ask for"/"tack" when it
  is no ordinary word (common_words.txt), no place and no body ("Mvh Styrelsen" stays). A Swedish
  surname is known by its ending (-sson, -qvist, -ström …). A name found once goes everywhere.
* An address keeps its street name (the council needs places) and loses the house number and what
  follows it (letter, "lgh 1102", "2 tr", "flat 1304", "3rd floor", a postcode) when the sentence
  says it is someone's home ("bor på", "I live at", "adressen är", "send it to"; "vi på", "our
  mailbox at" right before the street) or gives a flat, floor or door code. "Lampan utanför
  Ersbodavägen 3" is a place and stays, and so does an organisation's visiting address.
* Dates of birth are taken after their cue words; a birth year alone ("född 1985") stays. Codes
  and reference numbers are in codes.py.

Returned spans refer to the text given (redact passes its normalised view).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.privacy.accusation_rules import _AMBIGUOUS_NAMES, NAMES, PLACES
from bot.privacy.codes import cued_code_hits
from bot.privacy.identifiers import Span

_NAMES_FILE = Path(__file__).with_name("first_names.yaml")
# Given names that are also ordinary words: only with a capital (and never after a full stop
# alone without a surname).
_AMBIGUOUS_TEXT = (
    "per hans bo stig sten björn maj saga klara inga karl tom jack mark will may edit frank bill "
    "rose rosa nova dan lo tor iris axel lina dina mina sina sanna tina gun said sam max neo tim "
    "rut liv ruth ester set kim alex jamie jordan taylor morgan hedda vera alma signe ida moa "
    "my helmi lea milo otto loke vidar lova vilda tindra tuva nisse sami milan grace amber ruby "
    "lily ben vide even ask alla jan summer dawn hope joy faith june april august marina siri "
    "sakura rasa tuba matt nick roman maxim hana georgia visar"
)
AMBIGUOUS: frozenset[str] = frozenset(_AMBIGUOUS_TEXT.split()) | _AMBIGUOUS_NAMES


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The given-name list (lower case), read once."""
    data = yaml.safe_load(_NAMES_FILE.read_text(encoding="utf-8"))
    words = " ".join(str(block) for block in data.values()).split()
    return frozenset(w.lower() for w in words) | NAMES


_STREET_SUFFIXES = (
    "vägen",
    "gatan",
    "gränd",
    "gränden",
    "stigen",
    "backen",
    "allén",
    "alle",
    "allé",
    "esplanaden",
    "torget",
    "gården",
    "platsen",
    "leden",
    "slingan",
    "stråket",
    "gången",
    "promenaden",
    "kajen",
    "väg",
    "gata",
    "plan",
    "liden",
    "vägen",
)
# Capitalised words that are never a surname: places, districts, weekdays, months, institutions.
_NOT_SURNAME_TEXT = """
        ön i20 umeå umeälven centrum stan väst öst västra östra norra södra haga sandbacka
        ålidhem ålidbacken carlshöjd ersboda ersmark teg röbäck fridhem berghem västerslätt rödäng
        backen västerhiske umedalen holmsund obbola sävar hörnefors tavelsjö nydala nydalasjön
        gammlia vasaplan rådhustorget tegsbron kyrkan kyrka skolan gymnasiet centralen station
        stationen coop ica willys lidl hemköp polisen kommunen bostaden region regionen hej tack
        monday tuesday wednesday thursday friday saturday sunday january february march april june
        july august september october november december måndag tisdag onsdag torsdag fredag lördag
        söndag januari februari mars maj juni juli augusti oktober jag du han hon vi ni de dom det
        den the and och i in on at på vid from från och but men street road avenue lane hall park
        school university universitet uni umu nus kbc mitthem brf hsb riksbyggen sweden sverige
        english svenska police ambulance"""
_NOT_SURNAME = frozenset(PLACES | set(_NOT_SURNAME_TEXT.split()))
_CAP = r"(?:[A-Z]'|Mc|Mac)?[A-ZÅÄÖÉ][a-zåäöéüøæ]+(?:-[A-ZÅÄÖÉ][a-zåäöéüøæ]+)?"
_CAP_WORD = re.compile(rf"(?<![\w@.'-])(?<!\S/){_CAP}(?![\w@'-])")


def _street(word: str) -> bool:
    low = word.lower()
    return low.endswith(_STREET_SUFFIXES)


def _surname_like(word: str) -> bool:
    low = word.lower()
    if low in _NOT_SURNAME or _street(word) or (low in first_names() and low in AMBIGUOUS):
        return False
    # Places ending like districts ("Mariehem", "Tomtebo", "Sofiehem", "…skolan", "…centrum").
    return not low.endswith(
        ("hem", "skolan", "centrum", "sjön", "älven", "parken", "bron", "huset")
    )


_PLACE_ENDINGS = ("hem", "skolan", "centrum", "sjön", "älven", "parken", "bron", "huset")


def _given(word: str, *, lower_ok: bool = False) -> bool:
    low = word.lower()
    if low not in first_names():
        # "Gun-Britt", "Anna-Maja", "Jean-Pierre": a double name with one known part.
        parts = low.split("-")
        if len(parts) < 2 or not any(p in first_names() and p not in AMBIGUOUS for p in parts):
            return False
    if word[0].isupper():
        return True
    return lower_ok and low not in AMBIGUOUS


# "Jag heter X Y", "My name is X", "Mitt namn är X": whatever follows is a name.
_INTRO_STRONG = re.compile(
    r"\b(?i:jag\s+heter|heter\s+jag|mitt\s+namn\s+är|my\s+name\s+is|my\s+name'?s|name'?s|namn\s*:"
    r"|name\s*:|undertecknad|signed)\s+"
)
_OWN_NAME = re.compile(r"(?i:jag\s+heter|heter\s+jag|mitt\s+namn\s+är|my\s+name\s+is)")
# "I'm X", "This is X", "Det är X", "Här är X": only a known given name (or a full name).
_INTRO_WEAK = re.compile(
    r"\b(?i:i'?m|i\s+am|this\s+is|it'?s|det\s+är|här\s+är|här\s+skriver|jag\s+är|hej\s+det\s+är"
    r"|hi,?\s+(?:it'?s\s+)?|hello,?\s+|hej,?\s+|hejsan,?\s+|tjena,?\s+|jag\s+e|ja\s+e|de\s+e"
    r"|det\s+e|its)\s*"
)
# Sign-offs: "/Anna W", "- Sara Jenkins", "Hälsningar Per", "Mvh Karin Ö.", "Regards, Tom".
_SIGN_OFF = re.compile(
    r"(?:(?<=\s)|^)(?://?|-|–|—|~|(?i:mvh|m\.v\.h\.?|vänliga\s+hälsningar|vänlig\s+hälsning"
    r"|hälsningar|hälsning|hälsn|bästa\s+hälsningar|kram|kind\s+regards|best\s+regards|regards"
    r"|best\s+wishes|best|cheers|thanks|thank\s+you|sincerely|yours|tack|tack\s+på\s+förhand"
    r"|hilsen|/\s*mvh|xoxo|kisses|love|puss|puss\s+och\s+kram|kram\s+och\s+puss|many\s+thanks"
    r"|warm\s+regards|kind\s+wishes|greetings|br|rgds|hej\s+då|ha\s+det\s+bra|vänligen))[,:!.]?\s*"
)
# Relation or role words right before a name: "min granne Karin Westberg", "my neighbour Karin".
_RELATION = re.compile(
    r"\b(?i:(?:min|mitt|mina|vår|vårt|våra|my|our|the|his|her|hans|hennes|er|ert|din|ditt)\s+"
    r"(?:\w+\s+)?(?:granne|grannen|grannar|neighbou?rs?|kollega|colleague|vän|väninna|kompis|friend"
    r"|sambo|särbo|partner|man|fru|husband|wife|son|dotter|daughter|mamma|pappa|mum|mom|dad|mother"
    r"|father|bror|brother|syster|sister|mormor|morfar|farmor|farfar|grandma|grandmother|grandad"
    r"|grandfather|moster|faster|morbror|farbror|aunt|uncle|kusin|cousin|hyresvärd|landlord"
    r"|landlady|chef|boss|lärare|teacher|tränare|coach|elev|student|pupil|klasskompis|classmate"
    r"|pojkvän|flickvän|boyfriend|girlfriend|ex|sambon|hyresgäst|tenant|flatmate|roommate"
    r"|rumskamrat|inneboende|lodger))\s*,?\s+"
)
_SURNAME_SHAPE = re.compile(
    r"(?<![\w@.'-])(?<!\S/)[A-ZÅÄÖ][a-zåäöé]+(?:sson|qvist|kvist|ström|gren)s?(?![\w@'-])"
)
_PREV_CAP = re.compile(r"(?<![\w@.'-])([A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?) $")
_FAMILY_PLURAL = re.compile(
    r"\b(?i:the)\s+([A-ZÅÄÖ][a-zåäö]*(?:sson|berg|ström|gren|lund|qvist|kvist|holm|dahl"
    r"|strand|stedt|blad|lin|man|mark|bäck|sjö|fors)s)\b"
)
_ALONE_AFTER = re.compile(r"\s*(?:[,.!:;)]|$|\s(?i:här|here|från|from|och|and|,)\b)")
_NOT_INITIALS_TEXT = "OK IT UK US EU SOS TV PS OBS FB IG SMS AI VD HR PR GB MC BB HQ DJ TA NB ID"
_NOT_INITIALS = frozenset(_NOT_INITIALS_TEXT.split())
_INITIALS = re.compile(r"[A-ZÅÄÖ]\.\s?[A-ZÅÄÖ]\.?(?:\s?[A-ZÅÄÖ]\.?)?(?![\w])|[A-ZÅÄÖ]{2}(?![\w])")
_INITIAL = re.compile(r"\s+[A-ZÅÄÖ]\.?(?![\w])")


def _name_at(text: str, pos: int, *, strong: bool, lower_ok: bool) -> tuple[int, int] | None:
    """The name that starts at ``pos`` (one to three words), or None. ``strong``: any capitalised
    word is a name; otherwise the first word must be a known given name or be followed by a
    surname-shaped word."""
    m = re.compile(r"[\wåäöéÅÄÖÉ-]+").match(text, pos)
    if not m:
        return None
    first = m.group()
    if not first[0].isalpha():
        return None
    given = _given(first, lower_ok=lower_ok)
    capital = first[0].isupper() and first[1:2].islower()
    if not given and (not capital or not _surname_like(first)):
        return None
    end = m.end()
    words = 1
    while words < 3:
        nxt = _CAP_WORD.match(text, end + 1) if text[end : end + 1] == " " else None
        if nxt is None or not _surname_like(nxt.group()):
            break
        end = nxt.end()
        words += 1
    if words == 1 and not given and not strong:
        return None
    if words == 1:
        init = _INITIAL.match(text, end)
        if init and (init.end() == len(text) or not text[init.end()].isalpha()):
            end = init.end()
    if words == 1 and given and first.lower() in AMBIGUOUS and not strong and end == m.end():
        return None
    return m.start(), end


_NAMED_PLACE = re.compile(
    r"\s+(?i:plats|park|parken|gata|gatan|väg|vägen|torg|skola|skolan|kyrka|kyrkan|bro|bron|allé"
    r"|hus|huset|minne|värld|stig|gränd|backe|hage|äng|gymnasium|gymnasiet|bibliotek|museum"
    r"|teater|hall|hallen|arena|stadion|kapell|sjukhus|vårdcentral|förskola|fritidsgård|marina"
    r"|center|centrum|square|street|road|park|school|church|bridge|world|hospital|library"
    r"|museum|theatre|theater|centre|center|stadium|chapel|academy|area|området|district"
    r"|stadsdel|stadsdelen|kvarteret|quarter|hallen|badet|bad|café|cafe|kafé|kök|pizzeria|kebab"
    r"|bageri|blommor|frisör|frisörsalong|salong|kiosk|krog|pub|restaurang|grill|livs|butik"
    r"|handel|bilverkstad|verkstad|taxi|städ|bygg|måleri|shop|bakery|diner|salon|kitchen)\b"
)


def name_hits(text: str) -> list[Span]:
    """Private persons' names (see the module docstring)."""
    hits: list[Span] = []

    def add(found: tuple[int, int] | None) -> None:
        if found:
            hits.append(Span(found[0], found[1], "name"))

    for m in _INTRO_STRONG.finditer(text):
        found = _name_at(text, m.end(), strong=True, lower_ok=True)
        if found is None:
            # "jag heter wiremu och …": after "jag heter" even an unknown lower-case word is the
            # name, unless it is an ordinary word ("jag heter inte …").
            token = re.compile(r"[^\W\d_][\w'-]{2,}").match(text, m.end())
            intro = _OWN_NAME.match(m.group())
            if (
                intro
                and token
                and token.group().lower() not in common_words()
                and token.group().lower() not in _NOT_SURNAME
            ):
                found = (token.start(), token.end())
        add(found)
    for m in _INTRO_WEAK.finditer(text):
        found = _name_at(text, m.end(), strong=False, lower_ok=True)
        if found and (found[1] - found[0] > 0) and _person_name(text[found[0] : found[1]]):
            add(found)
        elif found is None:
            # "yo it's Dex, …", "I'm Ngozi." — an unknown name standing alone in the clause.
            alone = _name_at(text, m.end(), strong=True, lower_ok=False)
            if (
                alone
                and " " not in text[alone[0] : alone[1]]
                and _ALONE_AFTER.match(text, alone[1])
                and _person_name(text[alone[0] : alone[1]])
            ):
                add(alone)
    for m in _RELATION.finditer(text):
        # "min kompis Jaylen", "my daughter Amelia": after a relation any capitalised word that
        # is no place is a name.
        found = _name_at(text, m.end(), strong=True, lower_ok=True)
        if found and _person_name(text[found[0] : found[1]]):
            add(found)
    # "grannen Svensson", "vaktmästaren Tapsa", "Mrs Patel", "fru Lindgren", "familjen Berglund".
    for m in _ROLE_OR_TITLE.finditer(text):
        found = _name_at(text, m.end(), strong=True, lower_ok=False)
        if found and text[found[0]].isupper() and _person_name(text[found[0] : found[1]]):
            add(found)
    # A Swedish surname by its ending ("Andersson på tredje våningen", "Chidi Johansson"): these
    # endings make no ordinary word. A capitalised name-like word before it goes with it.
    for m in _SURNAME_SHAPE.finditer(text):
        if m.group().lower() in _NOT_SURNAME or m.group().lower() in common_words():
            continue
        if _NAMED_PLACE.match(text, m.end()) or _TITLE_AFTER.match(text, m.end() - 1):
            continue  # "Carl Larssons väg", "Astrid Lindgrens värld"
        start = m.start()
        prev = _PREV_CAP.search(text, max(0, start - 30), start)
        if prev and _person_word(prev.group(1)):
            start = prev.start(1)
        hits.append(Span(start, m.end(), "name"))
    # "the Johanssons", "the Lindbergs": a family by its surname.
    for m in _FAMILY_PLURAL.finditer(text):
        hits.append(Span(m.start(1), m.end(1), "name"))
    # "Maria Karlsson-Öberg här", "Anna här": the Swedish way to say who is writing.
    for m in re.finditer(rf"(?:^|(?<=[,.!:;]\s)|(?<=\n))({_CAP}(?:\s{_CAP}){{0,2}})\s+här\b", text):
        first = m.group(1).split()[0]
        if _given(first) or (len(m.group(1).split()) > 1 and _surname_like(first)):
            hits.append(Span(m.start(1), m.end(1), "name"))
    # Initials that sign a text or follow a relation: "/K.L.", "mvh AB", "min granne J.S.".
    for m in [*_SIGN_OFF.finditer(text, max(0, len(text) - 30)), *_RELATION.finditer(text)]:
        ini = _INITIALS.match(text, m.end())
        if ini is None or (m.re is not _RELATION and not _ends_here(text, ini.end())):
            continue
        bare = "." not in ini.group()
        dash = m.group().strip()[:1] in "-–—~"
        if bare and (dash or ini.group() in _NOT_INITIALS):
            continue  # "- OK", "/IT", "Hälsningar UK"
        hits.append(Span(ini.start(), ini.end(), "name"))
    # A sign-off at the very end of the text.
    for m in _SIGN_OFF.finditer(text, max(0, len(text) - 60)):  # only the end can sign off
        found = _name_at(text, m.end(), strong=False, lower_ok=False)
        if found is None:
            found = _name_at(text, m.end(), strong=False, lower_ok=True)
        if found is None:
            found = _name_at(text, m.end(), strong=True, lower_ok=False)
            # "- Ersboda": one unknown capitalised word after a dash is no signature; after
            # "/", "mvh", "Best," or "Thanks," it is ("/Tapsa", "Best, Femi"), unless it is an
            # ordinary word or a group ("/Nattvandrarna", "mvh Arg Pensionär", "Tack, Styrelsen").
            one = found is not None and " " not in text[found[0] : found[1]]
            if found and (
                (one and m.group().strip()[:1] in "-–—~")
                or not _person_name(text[found[0] : found[1]])
            ):
                found = None
        if found and not _person_name(text[found[0] : found[1]]):
            found = None
        if found and _ends_here(text, found[1]):
            add(found)
    # After a word that asks for or reaches a person: "ask for Priya", "fråga efter Hodan",
    # "det är jag Jonas", "prata med Sunniva": any capitalised word that is no place.
    for m in _PERSON_CUE.finditer(text):
        found = _name_at(text, m.end(), strong=True, lower_ok=True)
        plain_cue = m["how"] is None and m["nick"] is None and m["social"] is None
        if found is None and plain_cue:
            # "fråga efter dilnoza": after "ask for" even an unknown lower-case word that is no
            # ordinary word is the name.
            token = re.compile(r"[^\W\d_][\w'-]{2,}").match(text, m.end())
            low = token.group().lower() if token else ""
            if token and low not in common_words() and low not in _NOT_SURNAME:
                add((token.start(), token.end()))
            continue
        if found is None:
            continue
        words = text[found[0] : found[1]].split()
        known = _given(words[0], lower_ok=True)
        # After "ring"/"kontakta"/"call": a known given name or a full name, not "Trafikverket";
        # a single unknown word only when a number to reach that person follows ("ring Dilnoza
        # på 070-…").
        reach = _REACH_NUMBER.match(text, found[1])
        if m["how"] is not None and not (known or len(words) > 1 or reach):
            continue
        if m["nick"] is not None and words[0][0].isupper():
            if all(
                _given(w) or (_surname_like(w) and not _PLACE_WORDS.search(w.lower()))
                for w in words
            ):
                add(found)
        elif known or (words[0][0].isupper() and _person_name(" ".join(words))):
            add(found)
    # "Anna here", "Hodan här" anywhere.
    for m in re.finditer(rf"(?<![\w-])({_CAP})\s+(?:här|here)\b", text):
        if _given(m.group(1)) and m.group(1).lower() not in AMBIGUOUS:
            hits.append(Span(m.start(1), m.end(1), "name"))
    # Anywhere: a known given name followed by a surname ("Agneta Sjöberg", "Daniel Okafor"),
    # and a known given name alone ("ask Priya", "Jonas samlar in") unless it names a place.
    for m in _CAP_WORD.finditer(text):
        word = m.group()
        genitive = False
        if not _given(word):
            # "Annas bil": a given name in the genitive.
            if not (word.endswith("s") and _given(word[:-1]) and _lower_next(text, m.end())):
                continue
            genitive = True
        nxt = _CAP_WORD.match(text, m.end() + 1) if text[m.end() : m.end() + 1] == " " else None
        if nxt and nxt.group().endswith("s") and _NAMED_PLACE.match(text, nxt.end()):
            continue  # "Anna Lindhs plats", "Karl Johans park": a place named after someone
        if _TITLE_AFTER.match(text, m.end()):
            continue  # "Kalle Anka-tidningen", "Lasse Åberg-filmen": a title
        if _NAMED_PLACE.match(text, m.end()):
            continue  # "Jonas Bygg", "Mats Taxi", "Maria kyrka": a firm or a place
        if nxt and _surname_like(nxt.group()) and not genitive:
            add(_name_at(text, m.start(), strong=False, lower_ok=False))
            continue
        low = (word[:-1] if genitive else word).lower()
        if (
            low in AMBIGUOUS
            or _NAMED_PLACE.match(text, m.end())
            or _TITLE_BEFORE.search(text, max(0, m.start() - 20), m.start())
        ):
            continue  # "Hans bil", "Maria kyrka", "Drottning Kristina", "3 Jan"
        hits.append(Span(m.start(), m.end(), "name"))
    return hits + _repeats(text, hits)


def _repeats(text: str, hits: list[Span]) -> list[Span]:
    """Every other use of a name already found ("Fråga efter Birdie … Birdie vet"): a name
    recognised once by its cue is the same name without it."""
    words = {
        w
        for h in hits
        for w in re.findall(r"[^\W\d_][\w'-]*", text[h.start : h.end])
        if len(w) >= 3
        and w[0].isupper()
        and w.lower() not in common_words()
        and w.lower() not in AMBIGUOUS
        and w.lower() not in _NOT_SURNAME
    }
    extra = []
    for w in words:
        for m in re.finditer(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text):
            if not any(h.start <= m.start() < h.end for h in hits):
                extra.append(Span(m.start(), m.end(), "name"))
    return extra


# Words that ask for, reach or point at one person.
_PERSON_CUE = re.compile(
    r"\b(?:(?i:ask\s+for|asking\s+for|fråga\s+efter|sök|söker|det\s+är\s+jag|it'?s\s+me"
    r"|her\s+name\s+is|his\s+name\s+is|namnet\s+är|namn|hälsningar|mvh|kram"
    r"|greetings\s+from|hälsningar\s+från|hi\s+from|hej\s+från|love\s+from)"
    # Naming words: what follows is a name or a nickname even if it is a word ("Kungen", "Doc").
    r"|(?P<nick>(?i:heter|kallas|called|named|known\s+as|goes\s+by"
    r"|(?:they|people|everyone|everybody|folk)\s+calls?|kalla\s+mig|call\s+me|kallar\s+mig"
    r"|my\s+nickname\s+is|mitt\s+smeknamn\s+är|calls?\s+(?:him|her|them)|kallar\s+sig"
    r"|kallar\s+(?:honom|henne|dem)|kallad|kallade|alias|aka))"
    # Thanking or talking to someone: a single unknown word that is no body or word is a name.
    r"|(?P<social>(?i:prata\s+med|tala\s+med|snacka\s+med|talk\s+to|talk\s+with|speak\s+to"
    r"|speak\s+with|säg\s+till|tell|tacka|thank\s+you|thanks\s+to|thank|thanks|tack\s+till|tack"
    r"|hälsa\s+till|hälsa))"
    # Reaching someone: firms are reached too, so a known given name or a full name only.
    r"|(?P<how>(?i:kontakta|contact|ring|call|sms:?a|text|mejla|maila|email|e-mail|message"
    r"|skriv\s+till|write\s+to)))"
    r"\s*[:,]?\s+"
)
_REACH_NUMBER = re.compile(r"\s*,?\s*(?i:på|on|at|via|:|nr|tel\.?)?\s*[+(]?\d[\d\s().-]{6,}\d")
_TITLE_BEFORE = re.compile(
    r"(?:\d\s*|\b(?i:sankt|sankta|s:t|st\.|saint|drottning|kung|kungen|prins|prinsessan|prinsessa"
    r"|kronprinsessan|king|queen|prince|princess|pope|påven|hotell|hotel|restaurang|restaurant"
    r"|café|cafe|kafé|bar|pizzeria|salong|salon|frisör|butik|shop|studio|förening|föreningen"
    r"|villa)\s+)$"
)
_ROLE_OR_TITLE = re.compile(
    r"\b(?:(?i:grannen|granne|vaktmästaren|vaktmästare|fastighetsskötaren|fastighetsskötare"
    r"|rektorn|rektor|läraren|fröken|tränaren|chefen|ägaren|kompisen|killen|tjejen|kille|tjej"
    r"|polisen|ordföranden|ordförande|caretaker|janitor|neighbou?r|principal|headteacher|coach"
    r"|teacher|landlord|owner|manager|familjen|family|the)\s+)?"
    r"(?:Mr|Mrs|Ms|Miss|Dr|Mx|Herr|herr|Fru|fru|Familjen|familjen)\.?\s+"
    r"|\b(?i:grannen|vaktmästaren|fastighetsskötaren|rektorn|fröken|tränaren|caretaker|janitor"
    r"|the\s+neighbou?r|neighbou?r|landlord|landlady|mormor|morfar|farmor|farfar|mamma|pappa"
    r"|moster|faster|morbror|farbror|kusin|kusinen|brorsan|syrran|storebror|lillebror|storasyster"
    r"|lillasyster|grandma|grandpa|granny|auntie|aunt|uncle|cousin)\s+(?=[A-ZÅÄÖ])"
)
_TITLE_AFTER = re.compile(r"\s[A-ZÅÄÖ][\wåäö]*-[a-zåäö]")
_PLACE_WORDS = re.compile(
    r"(?i:polis|kommun|region|tjänst|service|jour|kontor|central|bolag|förvaltning|nämnd|skola"
    r"|gymnasi|förening|center|centre|centrum|station|hem|plan|torg|park|vägen|gatan|huset|staden"
    r"|byggen|fastighet|bostäder|energi|^hsb$|^sbb$|^balder$|^lundbergs$|^vakin$|^umeva$|^akademiska$"
    r"|^securitas$|^avarn$|^coor$|^sodexo$|^postnord$|^ikea$|^telia$|^tele2$|^tre$|^telenor$"
    r"|^ultra$|^länstrafiken$|^skatteverket$|^försäkringskassan$|^arbetsförmedlingen$|^csn$)"
)


_COMMON_FILE = Path(__file__).with_name("common_words.txt")
# Swedish definite and plural nouns ("Styrelsen", "Nattvandrarna", "Stadsdelsrådet",
# "Vaktmästaren") and English group words: a body or a role, not a person's name.
_NOUN_FORM = re.compile(
    r"(?:arna|erna|orna|aren|rådet|elsen|ningen|andet|endet|heten|skapet|samverkan|eriet|ionen"
    r"|verket|byrån|myndigheten|inspektionen|kassan|förmedlingen|institutet|nämnden|bolaget"
    r"|tjänsten|gruppen|gården|ledaren|ansvarig|föreningen|ship|ment|tion|ness|ity)$"
)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary words (common_words.txt), never a person's name after a cue."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


# What may follow a signature: nothing, or the writer's district ("/A.N., Obbola").
_AFTER_SIGNATURE = re.compile(
    r"[\s.!)]*(?:,\s*[A-ZÅÄÖ][\wåäö-]+(?:\s[A-ZÅÄÖ][\wåäö-]+)?[\s.!)]*)?$"
)


def _ends_here(text: str, end: int) -> bool:
    """Only punctuation, or a place after a comma, follows ``end``: the text's signature."""
    return bool(_AFTER_SIGNATURE.match(text, end))


def _person_word(word: str) -> bool:
    """A capitalised word after a person cue that could be a name (not a place or a body)."""
    low = word.lower()
    if _given(word, lower_ok=True):
        return low not in AMBIGUOUS or word[0].isupper()
    return (
        _surname_like(word)
        and not _PLACE_WORDS.search(low)
        and low not in common_words()
        and not _NOUN_FORM.search(low)
    )


def _person_name(name: str) -> bool:
    """One to three words after a cue: a known given name first, or every word name-like."""
    words = name.split()
    if _given(words[0], lower_ok=True):
        return _person_word(words[0])
    return all(_person_word(w.rstrip(".")) or len(w.rstrip(".")) == 1 for w in words)


def _lower_next(text: str, end: int) -> bool:
    """The next word starts with a lower-case letter ("Annas bil")."""
    nxt = re.compile(r"\s+([^\W\d_])").match(text, end)
    return bool(nxt and nxt.group(1).islower())


# --- home addresses ---------------------------------------------------------------------------
_STREET_WORD = re.compile(
    r"(?<![\w-])(?:(?i:västra|östra|norra|södra|gamla|nya|lilla|stora|övre|nedre)\s+)?"
    r"[A-ZÅÄÖa-zåäö][\wåäöé-]+"
)
_HOUSE_NO = re.compile(
    r"\s+(?:(?i:nr\.?|nummer|no\.?)\s*)?"
    r"(?P<no>\d{1,3}(?:\s?[A-Ha-h](?![\w]))?(?:\s?-\s?\d{1,3}(?:\s?[A-Ha-h](?!\w))?)?)"
    r"(?!\s*(?:%|kr\b|km\b|m\b|meter|år\b|min\b|st\b|gånger|times|kg\b)|[\d:]|[.,]\d)"
)
_EXTRA = re.compile(
    r"(?:,?\s+(?i:lgh\.?|lägenhet(?:snummer)?|lägenhetsnr|flat|apt\.?|apartment|unit|nr)\s?\d{1,4}"
    r"[A-Za-z]?|,?\s+\d{1,2}\s?(?i:tr\b\.?|trappor\b|trappa\b|vån\b\.?|våningen\b)"
    r"|,?\s+(?i:våning|vån\.?|floor)\s\d{1,2}|,?\s+(?i:on\s+the\s+)?\d{1,2}(?i:st|nd|rd|th)\s+(?i:floor)"
    r"|,?\s+(?i:på\s+)?(?i:första|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde"
    r"|elfte|tolfte|översta|näst\s+översta)\s+(?i:våningen|vån\.?|våning)"
    r"|,?\s+(?i:on\s+the\s+)?(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|eleventh|twelfth|top)\s+(?i:floor)"
    r"|,?\s+(?i:uppgång|entrance|ingång|port)\s[A-Z1-9]\b|,?\s+\d{3}\s?\d{2}(?!\d)"
    r"|,?\s+(?i:nb|n\.b\.|bv|bottenvåning(?:en)?|källarplan)(?!\w))+"
)
_POSTCODE_ONLY = re.compile(r",?\s+\d{3}\s?\d{2}")
_FLAT_ONLY = re.compile(
    r"\b(?i:lgh[.-]?|lägenhet(?:snummer)?|lägenhetsnr|flat|apartment|apt\.?|room|rum)\s?"
    r"(?:(?i:nr|no\.?)\s?)?"
    r"(?P<no>\d{1,4}[A-Za-z]?)\b"
)
_HOME_CUE = re.compile(
    r"\b(?i:bor|bodde|boende|bosatt|flyttat\s+till|lives?|living|lived|reside\w*|adress\w*"
    r"|address\w*|skicka\w*|send|sent|posta|postar|post\s+it|mail\s+(?:it|to)|hem\s+till|hemma"
    r"|hos\s+(?:mig|oss)|mitt\s+hem|vårt\s+hem|my\s+home|our\s+home|hemadress|leverera\w*"
    r"|deliver\w*|kom\s+hem|visit\s+(?:me|us)|besök\w*\s+(?:mig|oss)|min\s+lägenhet|my\s+flat"
    r"|our\s+flat|vår\s+lägenhet|flytta\w*|moved|hemma\s+hos|at\s+home)\b"
)
# "my room is on floor 3 of Pedagoggränd 12": one's own room or flat and a floor.
_FLOOR_ANY = re.compile(
    r"\b(?i:floor\s\d{1,2}|\d{1,2}(?:st|nd|rd|th)\s+floor|våning\s\d{1,2}|vån\.?\s?\d{1,2}"
    r"|\d{1,2}\s?tr\b|\d{1,2}\s?trappor)"
)
_MY_ROOM = re.compile(
    r"\b(?i:my|our|min|mitt|vår|vårt)\s+(?:\w+\s+)?(?i:room|rum|korridor|corridor|flat|apartment"
    r"|lägenhet|lya|studentrum|home|hem)\b"
)
# An organisation's address is no home: "besöksadress", "visiting address", "postadress".
_ORG_ADDRESS = re.compile(
    r"(?i:(?:besöks|post|leverans|kontors)adress|(?:visiting|postal|delivery|office)\s+address)"
)
# Cues that say home only right before the street (at most three words between): "vi på
# Björkvägen 14", "our mailbox at Björnvägen 12", "skriva till Sjöfruvägen 9"; not "vi i
# föreningen har anmält lampan vid Storgatan 12".
_HOME_NEAR_CUE = re.compile(
    r"\b(?i:(?:i'?m|we'?re|i\s+am|we\s+are)\s+at|our\s+(?:house|building|flat|apartment|door"
    r"|entrance|stairwell|place|mailbox|letterbox|garage)|my\s+(?:house|building|door|entrance"
    r"|place|mailbox|letterbox)|vårt\s+hus|vår\s+(?:port|ingång|trappuppgång|uppgång|dörr|brevlåda"
    r"|postlåda)|mitt\s+hus|min\s+(?:port|dörr|ingång|brevlåda|postlåda)|vi\s+(?:på|i)|oss\s+på"
    r"|we\s+(?:on|at|in)|us\s+(?:on|at)|granne[ns]?\s+på|grannarna\s+på|neighbou?rs?\s+(?:at|on)"
    r"|tenants?|hyresgäst\w*|skriv\w*\s+till|write\s+to)(?:\W+\w+){0,3}?\W+$"
)
# A building's entrance together with its code ("Porten på … 6 har kod …", "Portkoden … på …"):
# the house number then opens one door, so it goes like a home's.
_ENTRANCE = re.compile(
    r"\b(?i:port(?:en|ar|arna)?|portkod\w*|dörr(?:en|koden)?|dörrkod\w*|entr[ée](?:n|koden)?"
    r"|uppgång(?:en)?|trapphus(?:et)?|doors?|entrance|gate|front\s+door|stairwell)\b"
)
_CODE = re.compile(r"\b(?i:\w*kod(?:en)?|(?:door|entry|gate|access|keypad)\s*codes?)\b")
_NEAR = re.compile(
    r"\b(?i:nära|near|close\s+to|mittemot|opposite|next\s+to|bredvid|intill|utanför|outside"
    r"|behind|bakom|across\s+from)\b"
)
_SENTENCE_END = re.compile(r"[.!?\n]\s")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_m = _SENTENCE_END.search(text, end)
    return left, right_m.start() + 1 if right_m else len(text)


def address_hits(text: str, names: list[Span] | None = None) -> list[Span]:
    """House and flat numbers of a home address (the street name stays)."""
    hits: list[Span] = []
    names = names or []
    for m in _STREET_WORD.finditer(text):
        street = m.group().split()[-1]
        if not _street(street) or len(street) < 5:
            continue
        # "hamnvägen 7" typed in lower case is a street; "vägen 7" alone is not.
        if street[0].islower() and street.lower() in _STREET_SUFFIXES:
            continue
        no = _HOUSE_NO.match(text, m.end())
        if not no:
            continue
        extra = _EXTRA.match(text, no.end())
        end = extra.end() if extra else no.end()
        left, right = _sentence_bounds(text, m.start(), end)
        # A flat, a floor or a stairway says home; a postcode alone does not (a police station).
        flat = extra is not None and not _POSTCODE_ONLY.fullmatch(extra.group())
        cues = [
            c
            for c in _HOME_CUE.finditer(text, left, m.start())
            if not _ORG_ADDRESS.search(text, max(0, c.start() - 12), c.end())
        ]
        cue = cues[-1] if cues else None  # the last cue before the street
        # "bor nära Ersbodavägen 3", "live opposite …": the number is a neighbour's, a place.
        near = cue is not None and _NEAR.search(text, cue.end(), m.start())
        home = flat or (cue is not None and not near)
        home = home or bool(_HOME_NEAR_CUE.search(text, max(left, m.start() - 60), m.start()))
        home = home or any(left <= n.start < right for n in names)
        home = home or bool(_FLAT_ONLY.search(text, left, right))
        home = home or bool(
            _FLOOR_ANY.search(text, left, right) and _MY_ROOM.search(text, left, right)
        )
        home = home or bool(_ENTRANCE.search(text, left, right) and _CODE.search(text, left, right))
        # "kod 1234# till Mariehemsvägen 20": a code told with the address opens that home.
        home = home or bool(_CODE.search(text, left, right) and cued_code_hits(text[left:right]))
        if home:
            hits.append(Span(no.start("no"), end, "address"))
    for m in _FLAT_ONLY.finditer(text):
        left, right = _sentence_bounds(text, m.start(), m.end())
        # A four-digit lägenhetsnummer names one flat in Sweden: always taken.
        four = len(m["no"]) == 4 and not m.group().lower().startswith(("rum", "room"))
        if four or _HOME_CUE.search(text, left, right):
            hits.append(Span(m.start("no"), m.end("no"), "address"))
    return hits


# --- other personal numbers -----------------------------------------------------------------------
_NUMBER_CUE = re.compile(
    r"\b(?i:kundnummer|kundnr|kund-?id|medlemsnummer|medlemsnr|ordernummer|ordernr|avtalsnummer"
    r"|kontraktsnummer|hyresavtalsnummer|objektsnummer|anställningsnummer|passnummer"
    r"|körkortsnummer|id-?kortsnummer|försäkringsnummer|patientnummer|elevnummer|studentnummer"
    r"|customer\s+(?:number|no\.?|id)|member(?:ship)?\s+(?:number|no\.?|id)|order\s+(?:number|no\.?)"
    r"|contract\s+(?:number|no\.?)|tenant\s+(?:number|id)|policy\s+(?:number|no\.?)"
    r"|passport\s+(?:number|no\.?)|licen[cs]e\s+(?:number|no\.?)|student\s+(?:id|number)"
    r"|employee\s+(?:number|id)|portkod(?:en)?|dörrkod(?:en)?|entrékod(?:en)?|porttelefonkod(?:en)?"
    r"|kod(?:en)?\s+till\s+(?:porten|dörren|entrén|trapphuset)|(?<=\bhar\s)kod|koden"
    r"|ramnummer|ramnr|ramnumret|frame\s+(?:number|no\.?)|serienummer|serienumret|serial\s+"
    r"(?:number|no\.?)|securmark(?:\s+med)?|märknummer|märkningsnummer|stöldskyddsnummer"
    r"|registrerad\s+(?:hos|i)\s+\w+\s+med|door\s*code|entry\s+code|gate\s+code"
    r"|access\s+code|keypad\s+code|building\s+code|code\s+(?:to|for)\s+the\s+(?:door|gate|entrance"
    r"|building))"
    r"(?:\s+(?i:hos|at|with|på|för|for|i|in|from|från)(?:\s+[^\s\d]\S*){1,3}?)?"
    r"\s*(?:(?i:är|is|was|var|blir|:|=|nr\.?|no\.?|#)\s*)*"
    r"(?P<no>[A-Z]{0,3}-?\d[\d -]{1,18}\d[A-Z]?|\d{3,}[#*]?)(?![\w])"
)
_MONTHS = (
    r"(?:jan(?:uari|uary)?|feb(?:ruari|ruary)?|mar(?:s|ch)?|apr(?:il)?|maj|may|jun(?:i|e)?"
    r"|jul(?:i|y)?|aug(?:usti|ust)?|sep(?:t|tember)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?"
    r"|dec(?:ember)?)\.?"
)
_BIRTH = re.compile(
    r"(?:(?<![\w.])b\.\s*|\b(?i:född|född\s+den|f\.|born|born\s+on|dob|d\.o\.b\.?"
    r"|date\s+of\s+birth|födelsedatum|födelsedag|birthday|birth\s+date)\s*:?\s*"
    r"(?:(?i:is|was|är|var)\s+)?(?:(?i:den|on|the)\s+)?)"
    rf"(?P<date>\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d\d|(?:19|20)\d\d[-/.]\d\d[-/.]\d\d"
    r"|\d{1,2}/\d{1,2}\s(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th|e|a)?\s+(?:(?i:of)\s+)?(?i:{_MONTHS})\s+(?:(?:19|20)\d\d|-\d\d|'\d\d)"
    r"|(?:19|20)?\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?![\d-])"
    rf"|(?i:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)(?!\d)"
)


_NUMBER_HINT = re.compile(
    r"(?i:nummer|nr|kod|code|number|no\.|id|född|föde|born|dob|d\.o\.b|birth|f\.|securmark|b\.)"
)


def number_hits(text: str) -> list[Span]:
    """Door codes, customer/member/order numbers and dates of birth after their cue words."""
    hits: list[Span] = []
    if not _NUMBER_HINT.search(text):
        return hits  # no cue word at all: skip the long patterns
    for m in _NUMBER_CUE.finditer(text):
        no = m["no"].rstrip(" -")
        if sum(ch.isdigit() for ch in no) >= 3:
            hits.append(Span(m.start("no"), m.start("no") + len(no), "number"))
    hits += [Span(m.start("date"), m.end("date"), "birthdate") for m in _BIRTH.finditer(text)]
    return hits


def personal_hits(text: str) -> list[Span]:
    """Names, home-address numbers and other personal numbers in ``text``."""
    names = name_hits(text)
    return names + address_hits(text, names) + number_hits(text)
