"""Spot feedback that accuses an identifiable person of a crime (GDPR art. 10).

Data about a person committing or being suspected of a concrete crime may as a rule only be
processed by authorities, and consent is no legal basis. So the bot must not store such text; the
caller points the resident to Tipsa polisen / 114 14 instead. Crime talk about places or unknown
people ("det säljs knark vid busshållplatsen", "någon stal min cykel") is ordinary, wanted feedback.

The detector is rule-based and works per sentence: a crime phrase from a small sv/en lexicon
(active forms only, so victims and passives - "blev rånad", "stals", "was robbed" - do not count)
fires when the nearest agent before it is a person reference: a given name, "Förnamn Efternamn",
"min granne", "grannen", "killen som bor ...", "han i lgh 1102", a definite role ("vaktmästaren")
or an @handle. An indefinite agent in between ("någon", "ungdomar", "folk", "jag", "people")
or a subordinating word ("när", "because") means the named person is not the one accused.
A false alarm costs the resident a rephrase; a miss stores art. 10 data, so ties go to firing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Accusation:
    """Why the text was refused: ``reason`` is how the person is identified, ``crime`` the kind.

    Neither contains text from the message, so both are safe to log.
    """

    reason: str
    crime: str


# --- lexicon: crimes ---------------------------------------------------------------------------
_DRUGS = (
    r"(?:knark\w*|narkotika|hasch\w*|gräs|marijuana|cannabis|kokain|koks|amfetamin|tjack|heroin"
    r"|amphetamine|speed"
    r"|spice|tabletter|piller|droger\w*|weed|drugs|cocaine|coke|pills|meth|ecstasy|mdma|lsd"
    r"|sprit|hembränt|smuggelsprit|stöldgods|stulna\s+\w+|stolen\s+\w+|vapen|guns?|weapons?)"
)
_MINORS = (
    r"(?:barn\w*|ungdomar\w*|minderåriga|underåriga|ungar\w*|\d+-åringar|tonåring\w*|kids"
    r"|minors|children|teens|teenagers|underage\s+\w+|\d+-year-olds)"
)
_AGE_GOODS = r"(?:snus|tobak|cigg\w*|cigaretter|alkohol|öl|alcohol|cigarettes|tobacco|beer)"
_SELL = r"(?:säljer|sålde|sålt|sälja|langar|langade|sells|sold|selling|sell)"
_PERSON_OBJ_SV = (
    r"(?:sin|sina|min|mitt|mina|hans|hennes|honom|henne|dem|dom|folk|barn\w*|ungar\w*|frun|fru"
    r"|hustrun|flickvän\w*|pojkvän\w*|sambo\w*|tjejer|killar|kvinnor|någon|mig|oss|katt\w*"
    r"|hund\w*|människor|en\s+(?:man|kvinna|kille|tjej))"
)
_PERSON_OBJ_EN = (
    r"(?:his|her|their|my|him|them|me|us|people|kids|children|someone|women|cats?|dogs?|a\s+\w+)"
)
_DRIVE_STATE = (
    r"(?:rattfull\w*|full(?!\s+fart)|fulla|onykter|berusad|påverkad|drogad|packad|utan\s+körkort"
    r"|trimmad\w*|drunk|high|without\s+a\s+licen[cs]e|under\s+the\s+influence)"
)
_ARSON_OBJ = (
    r"(?:bil\w*|container\w*|sopkärl\w*|soptunn\w*|förråd\w*|cykl\w*|moped\w*|hus\w*|skola\w*"
    r"|förskola\w*|cars?|bins?)"
)
_CRIME_NOUN = (
    r"(?:knarklangare|langare|langaren|knarkhandlare|dealer|tjuv|biltjuv|cykeltjuv|rånare|pedofil"
    r"|våldtäktsman|mördare|hallick|kriminell|brottsling|pusher|drug\s+dealer|thief|pedophile"
    r"|paedophile|rapist|murderer|pimp|criminal)"
)

_CRIME_PATTERNS: tuple[tuple[str, str], ...] = (
    ("drugs", rf"\b{_SELL}\W+(?:[\w-]+\W+){{0,3}}?{_DRUGS}\b"),
    (
        "drugs",
        rf"\b{_SELL}\W+(?:[\w-]+\W+){{0,2}}?{_AGE_GOODS}\W+(?:\w+\W+){{0,2}}?(?:till|to)\s+"
        rf"{_MINORS}",
    ),
    ("drugs", rf"\b{_SELL}\s+(?:\w+\s+)?(?:till|to)\s+(?:\w+\s+)?{_MINORS}"),
    (
        "drugs",
        r"\b(?:har|hade|has|had|keeps?)\s+(?:\w+\s+)?(?:knark|narkotika|hasch|kokain|amfetamin"
        r"|drugs|cocaine)\s+(?:hemma|at\s+home|i\s+\w+)",
    ),
    (
        "drugs",
        r"\b(?:langar|langade|langat|langa|dealar|dealade|dealat|deala|deals|dealt|dealing"
        r"|knarkar|knarkade|knarkat|knarka|röker\s+på|rökte\s+på|pushing|pushes)\b",
    ),
    (
        "drugs",
        r"\b(?:röker|rökte|odlar|odlade|grows|grew|growing|smokes)\s+(?:\w+\s+)?"
        r"(?:hasch|gräs|cannabis|marijuana|weed|knark)\b",
    ),
    ("drugs", r"\b(?:smugglar|smugglade|smugglat|smuggla|smuggles|smuggled)\b"),
    (
        "theft",
        r"\b(?:stjäl|stal|stulit|stjäla|snor|snodde|snott|sno|snattar|snattade|snattat|snatta"
        r"|steals|stole|stealing|shoplifts|shoplifted|shoplifting"
        r"|(?:has|have|had)\s+stolen)\b",
    ),
    (
        "theft",
        r"\b(?:köper|köpte|köpt|buys|bought)\s+(?:\w+\s+)?(?:stöldgods|stulna|stulet|stolen)\b",
    ),
    (
        "theft",
        r"\b(?:bryter|bröt|brutit|bryta)\s+sig\s+in\b|\b(?:gör|gjorde|gjort)\s+inbrott\b"
        r"|\b(?:breaks|broke|breaking|(?:has|have|had)\s+broken)\s+into\b",
    ),
    (
        "violence",
        r"\b(?:misshandlar|misshandlade|misshandlat|misshandla|rånar|rånade|rånat|råna"
        r"|knivhögg|knivhugger|knivhuggit|knivhugga|mördade"
        r"|dödade|trakasserar|trakasserade|trakasserat"
        r"|assaults|assaulted|robs|robbed|robbing|threatens|threatened|threatening"
        r"|stabbed|stabs|attacked|attacks|abuses|abused|murdered|killed|harasses"
        r"|harassed)\b",
    ),
    # "hotar att flytta" is no crime; "hotat att döda" and "hotar folk" are.
    (
        "violence",
        r"\b(?:hotar|hotade|hotat|hota)\b(?!\s+att\s+(?!döda|slå|skada|mörda|skjuta|knivhugga"
        r"|bränna|spöa))",
    ),
    (
        "violence",
        rf"\b(?:slår|slog|slagit|slå)\s+(?:[\w-]+\s+){{0,2}}?(?:sönder\b|ner\b|"
        rf"{_PERSON_OBJ_SV}\b)",
    ),
    ("violence", rf"\b(?:beats|beat|beating|hits|hit|hitting)\s+(?:\w+\s+)?{_PERSON_OBJ_EN}\b"),
    (
        "violence",
        rf"\b(?:skjuter|sköt|skjutit|skjuta|shoots|shot|shooting)\s+(?:\w+\s+){{0,3}}?"
        rf"(?:{_PERSON_OBJ_SV}|{_PERSON_OBJ_EN}|med\s+\w*(?:gevär|pistol|vapen)|at)\b",
    ),
    ("violence", r"\b(?:kastar|kastade|kastat|throws|threw)\s+(?:sten|stenar|stones|rocks)\b"),
    (
        "weapons",
        r"\b(?:har|hade|bär|bar)\s+(?:på\s+)?(?:olagliga\s+|ett\s+|en\s+)?"
        r"(?:vapen|pistol|revolver|kniv)\b",
    ),
    (
        "sexual",
        r"\b(?:våldtar|våldtog|våldtagit|våldta|tafsar|tafsade|tafsat|tafsa|antastar"
        r"|antastade|förgriper\s+sig|förgrep\s+sig|förgripit\s+sig|köper\s+sex|köpte\s+sex"
        r"|rapes|raped|gropes|groped|molests|molested)\b",
    ),
    (
        "drunk_driving",
        rf"\b(?:kör|körde|kört|köra|drives|drove|driving)\s+(?:[\w-]+\s+){{0,3}}?"
        rf"{_DRIVE_STATE}(?!\w)|\bdrink[- ]driv\w*"
        r"|\b(?:har\s+inte|inte\s+har|saknar)\s+(?:något\s+)?körkort\b",
    ),
    (
        "arson",
        rf"\b(?:sätter|satte|satt|sätta|tänder|tände|tänt|tända)\s+(?:eld|fyr)\b"
        rf"|\b(?:tänder|tände|tänt|tända)\s+på\b|\banlade\s+\w*bränder\b"
        rf"|\b(?:bränner|brände|bränt|bränna|burns|burned|burnt)\s+(?:\w+\s+)?{_ARSON_OBJ}\b"
        rf"|\b(?:sets|set|setting)\s+fire\b",
    ),
    (
        "vandalism",
        r"\b(?:klottrar|klottrade|klottrat|klottra|sprayar|sprayade|sprayat|taggade"
        r"|taggat|vandaliserar|vandaliserade|vandalises|vandalizes|vandalised"
        r"|vandalized|spray-?paints?)\b",
    ),
    (
        "fraud",
        r"\b(?:jobbar|arbetar|works)\s+svart\b|\bfuskar\s+med\s+\w+|\bbidragsfusk\w*"
        r"|\blurar\s+(?:pensionärer|gamla|äldre|folk)\b|\bscams?\s+\w+",
    ),
    (
        "accused_as",
        rf"\b(?:är|var|is|was|are)\s+(?:en\s+|ett\s+|a\s+|an\s+|the\s+)?(?:\w+\s+)?"
        rf"{_CRIME_NOUN}\b",
    ),
)
_CRIMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(p, re.IGNORECASE)) for kind, p in _CRIME_PATTERNS
)
# "was robbed", "got beaten": the writer or someone else is the victim, not the agent.
_EN_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|got|gets|get|is|are|be|am)\s+$", re.I)


# --- lexicon: people ---------------------------------------------------------------------------
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _words_ordered(text: str) -> list[str]:
    return text.split()


_NAMES_TEXT = """
kalle pelle olle nisse janne lasse micke jocke affe kenta tony jonte ricky robban
anders johan erik lars karl peter mikael jan thomas daniel fredrik mattias magnus andreas
jonas martin niklas nicklas oskar oscar lucas lukas william liam noah hugo elias alexander adam
viktor victor filip emil leo anton isak albin simon sebastian gustav jakob jacob linus marcus
markus robin tobias rasmus jesper kevin dennis patrik patric christian kristian henrik ulf bengt
göran leif kent roger åke sven rolf kjell tommy conny stefan kristoffer christoffer mats
joakim jimmy johnny ronny glenn rickard richard david gabriel theo melvin vincent alvin ludvig
axel nils arvid elliot isac sixten ture wilhelm olof ola ove tomas torbjörn urban håkan per-olof
anna eva maria karin sara lena kerstin emma kristina elin ingrid linnea marie malin sofia sofie
johanna lisa julia ida hanna elsa alice maja wilma ebba ella alva olivia astrid agnes felicia
moa ellen matilda frida jenny camilla therese jessica sandra linda helena susanne annika
monica monika birgitta margareta elisabeth ulla gunilla lotta mia stina tove josefin amanda
emelie emilie mikaela cecilia petra pia ronja nora tyra tilda vera signe elvira selma lova
alma greta ester ines isabella isabelle nathalie natalie michelle caroline carolina louise
anneli annelie ann-sofie anna-karin eva-lena marianne britt gunnel agneta yvonne ewa jeanette
ahmed ahmad mohammed mohamed muhammad mohammad ali hassan hussein husein omar yusuf yousef abdi
abdullahi abdirahman ibrahim mustafa mehmet murat khalid karim samir reza amir hamid mahmoud
hamza bilal tariq faisal osman jamal nabil rami sami walid zakaria idris ismail said
fatima aisha amina leyla layla nour noor maryam mariam zainab zeynab hodan asha sahra samira
yasmin jasmin nadia nadja rania hiba salma amal dalia lina
dariusz piotr tomasz krzysztof marek pawel ivan dmitri sergei aleksandr olga natasha natalia
svetlana tatiana irina jukka pekka matti mikko juha heikki sanna-maria aino
john james michael mike chris dave david steve steven paul mark tom jack harry george charlie
sarah emily jessica jennifer ashley megan laura rachel kate katie hannah sophie amy lucy
"""
NAMES: frozenset[str] = _words(_NAMES_TEXT)
# Given names that are also ordinary words: only a capitalised mid-sentence use counts.
_AMBIGUOUS_NAMES = _words(
    "per hans bo stig sten björn maj saga klara inga karl tom jack mark will may love edit frank "
    "bill rose rosa nova dan lo tor iris axel lina dina mina sina sanna tina gun said"
)
NAMES |= _AMBIGUOUS_NAMES

PLACES: frozenset[str] = _words(
    """umeå ersboda mariehem ålidhem tomtebo haga teg holmsund obbola sävar hörnefors tavelsjö
    carlshem carlslid carlshöjd gimonäs sofiehem ålidbacken mariedal marieberg olofsdal nydalahöjd
    nydala tavleliden sandbacka centrum backen grisbacka grubbe västerhiske umedalen söderslätt
    öst-teg fridhem berghem västerslätt rödäng ersmark röbäck vasaplan rådhustorget universum
    västerbotten norrland stockholm sverige sweden finland norge göteborg luleå skellefteå
    polisen kommunen coop ica willys lidl maxi max systembolaget bostaden blocket facebook
    instagram insta snapchat tiktok telegram google swish vk svt brå umu avion"""
)

_NAME_TOKEN = re.compile(r"@\w+|[^\W\d_]+(?:-[^\W\d_]+)*")
_RELATIONS = (
    r"(?:ex-?)?(?:granne|grannar|svåger|svägerska|bror|brorsa|syster|kusin|pappa|mamma|styvpappa"
    r"|styvmamma|son|dotter|sambo|man|fru|exman|exfru|pojkvän|flickvän|kille|tjej|kollega|chef"
    r"|hyresvärd|vicevärd|rumskamrat|kompis|vän|ex|ex-sambo|expojkvän|exflickvän|neighbou?rs?"
    r"|brother|sister|cousin|dad|father|mother|mum|mom|son|daughter|husband|wife|boyfriend"
    r"|girlfriend|ex|roommate|flatmate|colleague|boss|landlord|friend)"
)
_LOCATOR = (
    r"(?:(?i:i|på|från|vid|in|at|on|from)\s+(?:(?i:nr|nummer|number|no\.?|lgh|\w*lägenhet\w*|apartment"
    r"|flat|apt|\w*trappuppgång\w*|\w*trapphus\w*|port\w*|stairwell|entrance|\w*våning\w*|vån|floor|huset"
    r"|hus|house|building|the\s+(?:flat|apartment|house|building))\b|\d+\w*\b"
    r"|(?i:första|andra|tredje|fjärde|femte|sjätte|översta|nedersta|bottom|top|first|second|third"
    r"|fourth|fifth)\b|[A-ZÅÄÖ]\w+)"
    r"|(?i:som\s+(?:bor|jobbar|arbetar|äger|driver|hyr|har)|who\s+(?:lives?|works?|owns?|runs?)"
    r"|that\s+lives?|living\s+(?:at|in|on)|bredvid|mittemot|ovanför|nedanför|under\s+(?:mig|oss)"
    r"|upstairs|downstairs|next\s+door|across\s+the\s+(?:street|hall)))"
)
_PERSON_REFS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("handle", re.compile(r"(?<!\w)@\w{3,}")),
    (
        "relation",
        re.compile(
            rf"\b(?i:min|mitt|mina|hans|hennes|vår|våra|deras|er|era|my|our|his|her|their)\s+"
            rf"(?i:{_RELATIONS})\b"
        ),
    ),
    ("neighbour", re.compile(r"\b(?i:grannen|grannarna|grannfamiljen|the\s+neighbou?rs?)\b")),
    (
        "located_person",
        re.compile(
            r"\b(?i:killen|tjejen|mannen|kvinnan|gubben|tanten|typen|snubben|pojken|flickan|grabben"
            r"|familjen|paret|ungen|han|hon|hen|de|dom|den|the\s+(?:guy|man|woman|lady|girl|boy|kid"
            r"|family|couple|dude|people)|he|she|they|those)\s+" + _LOCATOR
        ),
    ),
    (
        "role",
        re.compile(
            r"\b(?i:vaktmästaren|vicevärden|hyresvärden|fastighetsskötaren|ägaren|chefen|rektorn"
            r"|läraren|tränaren|fritidsledaren|kioskägaren|butiksägaren|pizzabagaren|taxichauffören"
            r"|the\s+(?:owner|caretaker|landlord|janitor|coach|teacher|manager))\b"
        ),
    ),
    (
        "named_person",
        re.compile(
            r"\b(?i:familjen|family)\s+[A-ZÅÄÖ]\w+"
            r"|(?i:heter|named|called|name\s+is)\s+[A-ZÅÄÖ]\w+"
        ),
    ),
)
_SURNAME_ENDINGS = tuple(
    _words_ordered(
        "sson son berg ström lund gren qvist kvist dahl holm stedt ander blad fors stam sjö strand "
        "mark ling lind åker bäck näs man sen ski ić ov ova ez ian"
    )
)


def _surname_like(word: str) -> bool:
    return word[:1].isupper() and word.lower().endswith(_SURNAME_ENDINGS)


# Words that stop the backward search for the accused: someone else (or nobody known) acts.
_BLOCKERS = re.compile(
    r"\b(?i:någon|nån|några|nåra|folk|ungdomar\w*|ungdomsgäng\w*|gäng\w*|killar|tjejer|personer"
    r"|människor|tjuv\w*|okänd\w*|man|vem|vilka|jag|vi|när|eftersom|medan|innan|ifall|men"
    r"|elever\w*|unga|tonåringar\w*|barn|barnen|mopedister\w*|(?:de|dem|dom|those)\s+(?:som|who)"
    r"|(?:sa|sade|säger|berättade|berättar|tycker|tyckte|menar|skrev|hörde|said|says|thinks"
    r"|told\s+\w+)\s+(?:att|that)"
    r"|en\s+(?:[a-zåäö]+\s+)?(?:kille|tjej|man|kvinna|person|snubbe|typ|grabb)"
    r"|someone|somebody|anyone|people|kids|youths|teenagers|guys|thieves|strangers|unknown|we"
    r"|because|when|while|but|if|who\s+(?!lives?|works?|owns?|runs?)|a\s+(?:guy|man|woman|kid"
    r"|person))\b|\bI\b"
)
# "kastar ut ungdomar", "goes into people's rooms": after a particle or preposition an indefinite
# word is an object, not someone else doing the deed.
_OBJECT_BEFORE = re.compile(
    r"\b(?i:ut|in|upp|ner|åt|till|mot|från|into|onto|out|at|to|towards|from)\s+$"
)
_PRONOUN_SUBJECT = re.compile(r"\b(?i:han|hon|hen|de|dom|he|she|they)\s*$")
_IDENTIFY_LATER = re.compile(
    r"^\W*(?i:det\s+är|det\s+var|it'?s|it\s+is|it\s+was|han\s+heter|hon\s+heter|hen\s+heter"
    r"|his\s+name\s+is|her\s+name\s+is)\s+"
)
_IDENTIFY_AFTER = re.compile(r"(?i:det\s+är|det\s+var|it'?s|it\s+is|it\s+was)\s+$")
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-ZÅÄÖ0-9@])|\n+")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?i:i|på|vid|från|mot|till|utanför|nära|bakom|in|at|near|by|from|on)\s+$"
)
_MAX_GAP = 160  # characters between the person and the crime phrase


@dataclass(frozen=True, slots=True)
class _Ref:
    start: int
    end: int
    reason: str


def _name_refs(sentence: str) -> list[_Ref]:
    refs = []
    tokens = list(_NAME_TOKEN.finditer(sentence))
    for i, m in enumerate(tokens):
        word = m.group()
        if word.startswith("@"):
            continue
        low = word.lower()
        first = low.split("-")[0]
        at_start = i == 0
        capital = word[0].isupper()
        nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        gap = sentence[m.end() : tokens[i + 1].start()] if nxt else ""
        if low in PLACES or first in PLACES:
            continue
        # "Kalle Anka-tidningen", "Lasse Åberg-filmen", "Kalle-tidningen": a title, not a person.
        if (
            ("-" in word and not word.split("-")[-1][:1].isupper())
            or (gap == " " and "-" in nxt and nxt.split("-")[-1][:1].islower())
            or (low == "kalle" and nxt == "Anka")
        ):
            continue
        if first in NAMES:
            # An ambiguous name ("Per", "Lina") needs a capital mid-sentence, or a surname after it.
            surname_follows = capital and gap == " " and _surname_like(nxt)
            if first in _AMBIGUOUS_NAMES and (not capital or at_start) and not surname_follows:
                continue
            refs.append(_Ref(m.start(), m.end(), "named_person"))
        elif capital and not at_start and _surname_like(word) and i > 0:
            prev = tokens[i - 1].group()
            prev_gap = sentence[tokens[i - 1].end() : m.start()]
            if prev[0].isupper() and prev_gap == " " and prev.lower() not in PLACES:
                refs.append(_Ref(tokens[i - 1].start(), m.end(), "named_person"))
    return refs


def _refs(sentence: str) -> list[_Ref]:
    refs = _name_refs(sentence)
    for reason, pattern in _PERSON_REFS:
        refs.extend(_Ref(m.start(), m.end(), reason) for m in pattern.finditer(sentence))
    return refs


def _crimes(sentence: str) -> list[tuple[int, int, str]]:
    found = []
    for kind, pattern in _CRIMES:
        for m in pattern.finditer(sentence):
            first_word = m.group().split()[0].lower()
            if not first_word.endswith("ing") and _EN_PASSIVE_BEFORE.search(sentence, 0, m.start()):
                continue
            found.append((m.start(), m.end(), kind))
    return found


# "... last Saturday threw out": a day or month is not a name.
_CALENDAR_WORDS = _words(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december christmas easter midsummer"""
)


def _unknown_capital_before(sentence: str, crime_start: int) -> bool:
    """'... att Zlatko langar': an unlisted capitalised word right before the verb, mid-sentence."""
    head = sentence[:crime_start].rstrip()
    m = re.search(r"([A-ZÅÄÖ][^\W\d_]+)$", head)
    if not m or m.start() == 0 or not head[: m.start()].strip():
        return False
    word = m.group(1)
    return (
        word.lower() not in PLACES
        and word.lower() not in _CALENDAR_WORDS
        and not _PREPOSITION_BEFORE.search(head, 0, m.start())
        and not _BLOCKERS.fullmatch(word)
    )


# An indefinite person with a relative clause is the subject of that clause: "en kille som ...".
_RELATIVE_AFTER = re.compile(r"\s+(?i:som|who|that)\b")


def _judge(sentence: str, refs: list[_Ref], start: int, end: int) -> str | None:
    """Reason code if the agent of the crime phrase at [start, end) is an identifiable person."""
    before = [r for r in refs if r.end <= start and start - r.end <= _MAX_GAP]
    blockers = [
        b
        for b in _BLOCKERS.finditer(sentence, 0, start)
        if not any(r.start <= b.start() < r.end for r in refs)
        and (
            not _OBJECT_BEFORE.search(sentence, 0, b.start())
            or _RELATIVE_AFTER.match(sentence, b.end())  # "sa till en kille som rökte"
        )
    ]
    if before:
        nearest = max(before, key=lambda r: r.end)
        if not any(b.start() >= nearest.end for b in blockers):
            return nearest.reason
        return None
    if blockers:
        return None
    # Inversion: "Igår sålde Kalle Persson hasch".
    if any(start < r.start <= end + 1 for r in refs if r.reason == "named_person"):
        return "named_person"
    if _unknown_capital_before(sentence, start):
        return "named_person"
    return None


def detect_accusation(text: str) -> Accusation | None:
    """First accusation found in ``text``, or None if it may be stored."""
    sentences = [s for s in _SENTENCES.split(text) if s and s.strip()]
    prev_refs: list[_Ref] = []
    prev_crime: str | None = None
    for sentence in sentences:
        refs = _refs(sentence)
        crimes = _crimes(sentence)
        for start, end, kind in sorted(crimes):
            reason = _judge(sentence, refs, start, end)
            if reason:
                return Accusation(reason=reason, crime=kind)
            # "... tände eld på bilarna, det var Albin Persson."
            for ref in refs:
                if ref.start >= end and _IDENTIFY_AFTER.search(sentence, end, ref.start):
                    return Accusation(reason="identified_later", crime=kind)
            if prev_refs and _PRONOUN_SUBJECT.search(sentence, 0, start):
                return Accusation(reason="pronoun", crime=kind)
        if prev_crime and refs and _IDENTIFY_LATER.match(sentence):
            return Accusation(reason="identified_later", crime=prev_crime)
        prev_refs = refs
        prev_crime = crimes[0][2] if crimes else None
    return None


# --- round 5: an identifiable person + any described wrongdoing -------------------------------
#
# The rules above catch crime words next to a name or a neighbour. Residents also point at people
# by a role tied to a place or a time ("chauffören på 17.05-bussen"), their relation to the
# writer ("mitt ex"), a door number, initials, a nickname or a distinctive description, and
# describe wrongdoing in everyday verbs ("har slagit sönder", "tog pengarna"). The phrases live in
# accusation_lexicon.yaml. A strong reference (who exactly) with wrongdoing is refused; a weaker
# one (a role, a description) sends the text back to the resident ("unsure"): nothing is stored
# until the text no longer points at someone.

LEXICON_FILE = Path(__file__).with_name("accusation_lexicon.yaml")
ACCUSE, UNSURE, OK = "accuse", "unsure", "ok"
STRONG_REASONS = frozenset(
    {
        "named_person",
        "handle",
        "relation",
        "neighbour",
        "located_person",
        "initials",
        "nickname",
        "plate",
        "door",
        "identified_later",
        "pronoun",
    }
)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The guard's verdict: ``accuse`` (refuse), ``unsure`` (ask the resident first) or ``ok``.

    ``reason`` says how a person is identified, ``wrong`` the kind of wrongdoing; neither holds
    text from the message, so both are safe to log.
    """

    verdict: str
    reason: str = ""
    wrong: str = ""

    @property
    def stored(self) -> bool:
        """Only an ``ok`` text may be stored as it is."""
        return self.verdict == OK


def _alt(word: str) -> str:
    """One alternative: ``word*`` any ending, ``*word`` any beginning (compounds), else exact."""
    core = re.escape(word.strip("*"))
    return (r"\w*" if word.startswith("*") else "") + core + (r"\w*" if word.endswith("*") else "")


def _phrase(phrase: str) -> str:
    """Compile the lexicon's phrase syntax (see accusation_lexicon.yaml); ``tok?`` is optional."""
    out = ""
    for tok in phrase.split():
        if tok == "...":
            out += r"(?:[^\s.!?]+\s+){0,3}?"
            continue
        optional = tok.endswith("?") and len(tok) > 1
        body = "(?:" + "|".join(_alt(a) for a in tok.rstrip("?").split("|")) + r")\s+"
        out += f"(?:{body})?" if optional else body
    return r"\b" + out.removesuffix(r"\s+") + r"\b"


def _alternation(words: list[str]) -> str:
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    with LEXICON_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


@lru_cache(maxsize=1)
def _wrongdoing() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (kind, re.compile(_phrase(p), re.IGNORECASE))
        for kind, phrases in _lexicon()["wrongdoing"].items()
        for p in phrases
    )


def _both(key: str) -> list[str]:
    entry = _lexicon()[key]
    return [*entry["sv"], *entry["en"]]


@lru_cache(maxsize=1)
def _extra_refs() -> tuple[tuple[str, re.Pattern[str]], ...]:
    relations = _alternation(_both("relations"))
    roles = _alternation(_both("roles"))
    anchors = _alternation(_both("anchors"))
    describers = _alternation(_both("describers"))
    features = _alternation(_both("features"))
    street = (
        r"[A-ZÅÄÖ][\wåäö-]*(?:vägen|gatan|gränd|stigen|backen|torget|allén|leden|street|road|lane)"
    )
    return (
        ("initials", re.compile(r"(?<!\w)[A-ZÅÄÖ]\.\s?[A-ZÅÄÖ]\.(?!\w)")),
        # Text that was already redacted still points at someone: "[användarnamn] säljer …".
        (
            "handle",
            re.compile(
                r"\[(?:användarnamn|username|regnr|registration number|länk|link"
                r"|telefonnummer|phone number|e-post|e-mail|personnummer"
                r"|personal identity number)\]"
            ),
        ),
        (
            "relation",
            re.compile(
                rf"\b(?i:min|mitt|mina|vår|vårt|våra|my|our)\s+(?:\w+\s+)?(?i:{relations})\b"
            ),
        ),
        (
            "nickname",
            re.compile(
                r"\b(?i:som\s+kallas|kallad|kallas|som\s+går\s+under\s+namnet|they\s+call"
                r"|known\s+as|called|nicknamed)\s+[A-ZÅÄÖ\"'][\w\"']+"
            ),
        ),
        (
            "door",
            re.compile(
                r"\b(?i:de|dom|den|han|hon|hen|folk|familjen|people|whoever|those|they|he|she"
                r"|the\s+\w+)\s+(?:(?i:som\s+bor|who\s+lives?|that\s+lives?|lives?|living|bor)\s+)?"
                r"(?i:i|på|in|at|on)\s+(?:\S+\s+){0,4}?(?i:lägenhet|lgh|nr|nummer|number|no\.?"
                r"|flat|apartment|apt|port|dörren|door|unit|plan|våning|floor)\s*\d+\w?"
            ),
        ),
        (
            "door",
            re.compile(
                r"\b(?i:who(?:ever)?\s+lives?|that\s+lives?|som\s+bor|de\s+som\s+bor|bor)"
                r"\s+(?i:i|in|at|på)\s+\d{1,4}[A-Za-z]?\b"
            ),
        ),
        (
            "door",
            re.compile(
                r"\b(?i:villan|huset|radhuset|lägenheten|the\s+house|the\s+villa|the\s+flat)"
                r"\s+(?i:på|vid|i|on|at)\s+"
            ),
        ),
        ("address", re.compile(rf"\b{street}\s+\d+\s?[A-Za-z]?\b")),
        (
            "role_place",
            re.compile(
                rf"\b(?i:{roles})(?:\s+(?i:på|i|of|on)\s+(?:\S+\s+){{0,2}}?\S*\d\S*)?"
                rf"\s+(?i:{anchors})\s+(?:\S+\s+){{0,2}}?(?:[A-ZÅÄÖ0-9]|(?i:the|nätter|natten)"
                rf"|[a-zåäö]\w*(?:en|et|an|n)\b)"
            ),
        ),
        (
            "role_place",
            re.compile(
                r"\b(?i:han|hon|hen|den|killen|tjejen|mannen|kvinnan)\s+som\s+"
                r"(?i:kör|driver|äger|har|jobbar|arbetar|står)\s+\w+"
            ),
        ),
        (
            "description",
            re.compile(
                rf"\b(?i:the\s+|den\s+|det\s+)?(?:\w+\s+){{0,2}}(?i:{describers})\s+"
                rf"(?:\w+\s+){{0,2}}?(?i:{features})(?:\s+(?i:who|som)\s+(?:\w+\s+){{0,8}}?"
                rf"(?i:every\s+\w+|varje\s+\w+|always|alltid))?"
            ),
        ),
        (
            "description",
            re.compile(rf"\b(?i:{features})\s+(?:\w+\s+){{0,2}}?(?i:{describers})\b"),
        ),
        # A person tied to a fixed spot or routine: "the guy ... who/that ... every morning".
        (
            "description",
            re.compile(
                rf"\b(?i:{describers})\s+(?:\S+\s+){{0,10}}?(?i:who|that|som)\s+"
                rf"(?:\S+\s+){{0,6}}?(?i:every\s+\w+|varje\s+\w+|always|alltid|jämt|each\s+\w+)"
            ),
        ),
        # A colour or a telling item: "killen i blå jacka", "the guy in the blue Volvo".
        (
            "description",
            re.compile(
                rf"\b(?i:{describers})\s+(?i:i|in|med|with)\s+(?:(?i:the|a|an|en|ett|den|det)\s+)?"
                r"(?:(?i:big|small|old|large|long|short|tall|little|young|stor\w*|liten|lilla"
                r"|gammal|gamla|lång\w*|kort\w*|ung\w*|tjock\w*|smal\w*)\s+)?"
                r"(?i:röd\w*|svart\w*|vit\w*|blå\w*|grön\w*|gul\w*|grå\w*|rosa|lila|brun\w*"
                r"|orange|red|black|white|blue|green|yellow|grey|gray|pink|purple|brown|rullstol\w*"
                r"|wheelchair|rullator\w*|keps\w*|huvtröj\w*|hoodie|cap|beard|skägg\w*)"
            ),
        ),
        (
            "neighbour",
            re.compile(
                r"\b(?i:grann(?:pojken|flickan|killen|tjejen|frun|gubben|tanten"
                r"|ungarna|barnen|sonen|dottern|mannen|kvinnan))\b"
            ),
        ),
        (
            "door",
            re.compile(
                r"\b(?i:i|på)\s+(?:\d+:(?:an|en|a)|(?i:trean|fyran|femman|sexan|tvåan"
                r"|ettan|sjuan|åttan|nian|tian))\b"
            ),
        ),
        (
            "named_person",
            re.compile(
                r"^\W*[A-ZÅÄÖ][a-zåäö]+(?:\s+[A-ZÅÄÖ][a-zåäö]+)?\s+"
                r"(?=(?:på|i|från|vid|from|at|who|som)\s)"
            ),
        ),
    )


_DEFINITE = ("en", "et", "na", "an", "arna", "erna", "orna", "ns")
# Plural, definite and abstract noun endings: "Pensionärer i …", "Trafiken på …" are not names.
_NOUN_ENDINGS = (*_DEFINITE, "er", "ar", "or", "are", "ing", "tion", "het", "lse", "ande", "ende")
_VICTIM_BEFORE = re.compile(
    r"\b(?i:blev|blivit|blir|fick|får|fått|was|were|got|gets?|getting|being|had|has\s+been"
    r"|have\s+been)\s+(?:\w+\s+){0,2}$"
)


def _more_refs(sentence: str) -> list[_Ref]:
    return list(_more_refs_cached(sentence))


@lru_cache(maxsize=256)
def _more_refs_cached(sentence: str) -> tuple[_Ref, ...]:
    refs: list[_Ref] = []
    for reason, pattern in _extra_refs():
        for m in pattern.finditer(sentence):
            if reason == "named_person":
                first = m.group().split()[0].strip(".,:;!?\"'").lower()
                if first in PLACES or first in _COMMON_STARTS:
                    continue
                if first not in NAMES and first.endswith(_NOUN_ENDINGS):
                    continue
            refs.append(_Ref(m.start(), m.end(), reason))
    from bot.privacy.redact import find_personal_data  # the plate rules live there

    refs += [
        _Ref(h.start, h.end, h.kind)
        for h in find_personal_data(sentence)
        if h.kind in ("plate", "handle")
    ]
    return tuple(refs)


_COMMON_STARTS = _words(
    """det den de dom han hon hen vi jag ni man någon några alla folk många här där nu igen
    the a an it this that there here they he she we you someone people many some tänk kolla
    titta hej tack snälla varför när var vad hur ibland ofta alltid idag igår också även please
    look check thanks why when where what how sometimes often today yesterday think bra dåligt
    ring skriv läs gå sätt lås"""
)


def _victim(sentence: str, start: int, deed: str) -> bool:
    """'blev slagen', 'was attacked' — but 'has been selling' is active (English -ing)."""
    first = deed.split()[0].lower() if deed.split() else ""
    return not first.endswith("ing") and bool(_VICTIM_BEFORE.search(sentence, 0, start))


def _wrongs(sentence: str) -> list[tuple[int, int, str]]:
    found = []
    for kind, pattern in _wrongdoing():
        for m in pattern.finditer(sentence):
            if _victim(sentence, m.start(), m.group()):
                continue
            found.append((m.start(), m.end(), kind))
    return found


def assess(text: str) -> Assessment:
    """The verdict for a resident's (or moderator's) text before anything is stored.

    ``accuse``: refuse, never store, point to Tipsa polisen / 114 14. ``unsure``: ask the resident
    to rewrite without what points at a person (or to tip off the police). ``ok``: store.
    """
    found = detect_accusation(text)
    if found is not None:
        return Assessment(ACCUSE, found.reason, found.crime)
    unsure: Assessment | None = None
    for sentence in (s for s in _SENTENCES.split(text) if s and s.strip()):
        crimes = _crimes(sentence)
        wrongs = _wrongs(sentence)
        if not crimes and not wrongs:
            continue
        refs = _refs(sentence) + _more_refs(sentence)
        strong = [r for r in refs if r.reason in STRONG_REASONS]
        for start, end, kind in sorted(crimes + wrongs):
            reason = _judge(sentence, strong, start, end)
            if reason in STRONG_REASONS:
                return Assessment(ACCUSE, reason, kind)
            reason = _judge(sentence, refs, start, end)
            if reason:
                unsure = unsure or Assessment(UNSURE, reason, kind)
    return unsure or _cooccurrence(text) or _second_opinion(text) or Assessment(OK)


# Help, praise and thanks without a single crime word: the model is not asked.
_PRAISE = re.compile(
    r"\b(?i:tack|thanks?|thank\s+you|bra\s+jobbat|great\s+job|amazing|fantastisk\w*|hjälp\w*"
    r"|helps?|helped|helping|gives?\s+free|ger\s+gratis|gratis|free\s+\w+|fixa\w*|fixed"
    r"|startat|started|ordnat|organi[sz]\w*|snäll\w*|vänlig\w*|kind|friendly|trevlig\w*"
    r"|volunteer\w*|ideell\w*|skotta\w*|shovel\w*|bjuder|lånar\s+ut|lends?)\b"
)


_AGAINST_BEFORE = re.compile(
    r"\b(?i:against|mot|om|about|stoppa|stop|prevent|förebygga|bekämpa|fight)\s+(?:\w+\s+){0,2}$"
)


def _valence_done(text: str) -> bool:
    """A crime word that someone does, not one a walk or a course is 'against' or 'about'."""
    return any(not _AGAINST_BEFORE.search(text, 0, m.start()) for m in _VALENCE.finditer(text))


def _second_opinion(text: str) -> Assessment | None:
    """The learned model, asked only when someone is identifiable (bot/privacy/guard_model.py)."""
    refs = [
        r
        for sentence in _SENTENCES.split(text)
        if sentence and sentence.strip()
        for r in _broad_refs(sentence)
        if r.reason in _VALENCE_REFS and r.reason != "role_activity"
    ]
    if not refs or (_PRAISE.search(text) and not _valence_done(text)):
        return None
    from bot.privacy.guard_model import THRESHOLD, probability

    if probability(text) >= THRESHOLD:
        return Assessment(UNSURE, refs[0].reason, "model")
    return None


# --- the wide net: someone identifiable and wrongdoing in the same stretch of text ---------------
#
# The structural rules above want the person in the subject position of the deed. Residents write
# "there's a guy in the flat above us (number 34) who screams at his kids", "min kompis pappa slår
# henne", rambling sentences without punctuation. When a strong reference and a deed from the
# broad lexicon occur in one sentence (or the deed follows in the next sentence with he/she), the
# guard is *unsure*: nothing is stored, the resident is asked to rewrite. Someone else as the
# subject of the deed (someone, I, youths) or a victim form keeps the text ordinary.

_BROAD_REFS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "relation",
        re.compile(
            r"\b(?i:min|mitt|mina|vår|vårt|våra|my|our)\s+(?:[\w-]+(?:s|'s)?\s+){0,2}?"
            r"(?i:step\w+|styv\w+|bonus\w+|\w*bror|\w*brorsa|\w*syster|\w*pappa|\w*mamma"
            r"|\w*brother|\w*sister|boyfriend|girlfriend|partner|sambo|pojkvän|flickvän|kompis"
            r"|friend|ex|exman|exfru|svåger|svägerska|kusin|cousin|uncle|aunt|granne|neighbou?r)\b"
        ),
    ),
    (
        "located_person",
        re.compile(
            r"\b(?i:guy|man|woman|lady|girl|boy|family|couple|people|kille|tjej|man|kvinna|familj"
            r"|granne|grannar|neighbou?rs?|person|someone|en|ett|damen|mannen|kvinnan|killen"
            r"|tjejen|student|studenten|tenant|hyresgästen)\s+(?:\w+\s+){0,2}?"
            r"(?i:in|i|on|på|at)\s+(?:the\s+)?(?i:flat|apartment|house|stairwell|entrance|floor"
            r"|lägenhet\w*|trappuppgång\w*|port\w*|huset|hus|våning\w*|villan)\b"
        ),
    ),
    (
        "role",
        re.compile(
            r"\b(?i:vaktmästare\w*|lärare\w*|lärarinna\w*|tränare\w*|ledare\w*|rektor\w*"
            r"|chaufför\w*|förare\w*|väktare\w*|vakt\w*|apotekare\w*|ägare\w*|chef\w*"
            r"|personal\w*|kassör\w*|teachers?|coach\w*|pharmacist|owner|manager|driver"
            r"|guard|caretaker|janitor|staff|cashier|leader|instructor)\b"
        ),
    ),
    (
        "located_person",
        re.compile(
            r"\b(?i:guys?|m[ae]n|wom[ae]n|people|family|couple|kids?|boys?|girls?|folk|de|dom"
            r"|killarna|tjejerna|familjen|grabbarna)\s+(?i:living|who\s+lives?|that\s+lives?"
            r"|som\s+bor)\s+(?i:above|below|next\s+to|behind|opposite|across\s+from|upstairs"
            r"|downstairs|ovanför|under|bredvid|mittemot|bakom)\b"
        ),
    ),
    (
        "role",
        re.compile(
            r"\b(?i:man|woman|guy|lady|person|mannen|kvinnan|killen|tjejen)\s+(?i:running|working"
            r"|behind|who\s+runs|who\s+works|som\s+driver|som\s+jobbar|som\s+sköter|i\s+kassan"
            r"|bakom\s+disken)\b"
        ),
    ),
    (
        "nickname",
        re.compile(
            r"\b(?i:kallar|kallas|kallad|called|call\s+him|call\s+her|heter|named)\s+"
            r"['\"‘’“”]?[\wÅÄÖåäö]{3,}"
        ),
    ),
    (
        "handle",
        re.compile(r"\b(?i:kontot|account|profilen|profile)\s+(?:\w+\s+){0,4}?(?i:heter|called)\b"),
    ),
)
# Identifiers that are likely but not certain: the verdict stays "unsure" (asked to rewrite).
_ROLE_WORD = (
    r"(?i:\w*(?:vakt|vakten|väktare\w*|chaufför\w*|förare\w*|föraren|kassör\w*|kassörskan|chef"
    r"|chefen|ägare\w*|ägaren|vaktmästare\w*|lärare\w*|läraren|tränare\w*|ledare\w*|expedit\w*"
    r"|personal\w*|skötare\w*|bagare\w*|bagaren|bartender\w*|servitör\w*|servitris\w*|frisör\w*"
    r"|tandläkar\w*|läkar\w*|sjuksköterska\w*|vicevärd\w*|hyresvärd\w*|rektor\w*|fritidsledar\w*"
    r"|konduktör\w*|kontrollant\w*)|manager|owner|cashier|driver|guard|bouncer"
    r"|caretaker|janitor|teacher|coach|clerk|staff|receptionist|bartender|waiter|waitress)"
)
_TIME_OR_PLACE = (
    r"(?:[A-ZÅÄÖ][\wåäö-]+|\d{1,2}[:.]\d{2}|(?i:kl\.?\s*\d+|i\s+(?:går|förrgår|natt|kväll"
    r"|måndags|tisdags|onsdags|torsdags|fredags|lördags|söndags)|last\s+\w+|yesterday|tonight"
    r"|\w+\s+shift|\w*pass(?:et)?|\w+nights?|nätter(?:na)?|\w+days\b|\w+dagar(?:na)?))"
)
_BROAD_REFS += (
    # A role tied to one place or one time: "Vakten som stod vid entrén på Avion i lördags",
    # "the cashier on the evening shift at Coop Ersboda".
    (
        "role_place",
        re.compile(rf"\b{_ROLE_WORD}\b\s+(?:[^\s.!?]+\s+){{0,7}}?{_TIME_OR_PLACE}(?!\w)"),
    ),
    # Initials without dots tied to a place or a clause: "MB som jobbar", "KN på andra våningen".
    (
        "initials",
        re.compile(
            r"(?<![\w.])(?!(?:EU|TV|OK|IT|PT|AB|HB|SL|UK|US|PM|ST|VD|AI|DJ|CV|ID|PC|SMS|BRA|MSB"
            r"|ICA|SVT|SJ|FN|UN|NHS|BBC|KI|UMU|SFI|HVB|LSS|LVU|BUP|SOS|GPS|SD|KD|MP|VP|LO|HSB|IFK|AIK|SSU"
            r"|MUF|CUF|UIF|BRÅ|NTF|RFSL|KFUM|VK|SR|UR|P4|ABF|SISU|SVK|BVC|MVC|VC)\b)[A-ZÅÄÖ]{2,3}"
            r"(?=\s+(?i:som|på|i|från|vid|who|from|at|in|on|bor|lives|,))"
        ),
    ),
    # A quoted one-word nickname: "Everyone knows 'Snusen' from Holmsund ...".
    (
        "nickname",
        re.compile(
            r"['\"‘’“”«]([A-ZÅÄÖ][\wåäö]{2,})['\"‘’“”»]"
            r"(?=,?\s+(?i:from|på|i|från|who|som|is|är|was|var|has|har|brukar|keeps|and|och|at|vid))"
        ),
    ),
    # A person placed by a description and where they live: "the guy with the face tattoo who
    # lives above the pizzeria".
    (
        "located_person",
        re.compile(
            r"\b(?i:guy|man|woman|lady|girl|boy|bloke|dude|kille|killen|tjej|tjejen|mannen"
            r"|kvinnan|gubben|tanten|snubben|typen|student|tenant)\s+(?:\S+\s+){0,6}?(?i:who\s+lives?"
            r"|that\s+lives?|living|som\s+bor)\s+(?i:above|below|next\s+to|behind|opposite"
            r"|across|upstairs|downstairs|ovanför|under|bredvid|mittemot|bakom|in|on|at|i|på|vid)\b"
        ),
    ),
    # A telling feature and a named place: "the lady with the three dogs on Gammliavägen".
    (
        "description",
        re.compile(
            r"\b(?i:guy|man|woman|lady|girl|boy|bloke|dude|kille|killen|tjej|tjejen|mannen"
            r"|kvinnan|gubben|tanten|snubben|typen|damen|han|hon|kid|teen|couple|paret"
            r"|\w+killen|\w+tjejen|\w+gubben|\w+tanten)\s+"
            r"(?i:with|med|in|i|driving|wearing|walking|riding|carrying|som\s+kör|som\s+bär)\s+"
            r"(?:[^\s.!?]+\s+){1,4}?(?i:on|at|in|from|på|vid|i|från)\s+(?:(?i:the)\s+)?[A-ZÅÄÖ]"
        ),
    ),
    # A floor: "the ginger guy from the 7th floor", "killen på femte våningen".
    (
        "located_person",
        re.compile(
            r"\b(?i:guy|man|woman|lady|girl|boy|kid|family|couple|people|kille|killen|tjej|tjejen"
            r"|mannen|kvinnan|familjen|de|dom)\s+(?i:from|on|at|på|från)\s+(?i:the\s+)?"
            r"(?:\d+(?:st|nd|rd|th|:e|:a)?|(?i:first|second|third|fourth|fifth|sixth|seventh"
            r"|eighth|ninth|top|första|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|översta))"
            r"\s+(?i:floor|våning\w*)"
        ),
    ),
    # Someone by what they do at one place: "the guy who drives the 9 bus", "the delivery guy for
    # Pizzeria Roma". Not shown to the learned model (too common in friendly feedback).
    (
        "role_activity",
        re.compile(
            r"\b(?i:guy|man|woman|lady|person|girl|boy)\s+(?i:who|that)\s+(?i:drives|runs|works"
            r"|owns|manages|delivers|cleans|guards)\s+(?:\S+\s+){0,3}?(?:\d+\w*|[A-ZÅÄÖ]\w+)"
        ),
    ),
    (
        "role_activity",
        re.compile(
            r"\b(?i:delivery\s+(?:guy|man|driver)|pizzabud\w*|budbil\w*|food\s+courier)\s+"
            r"(?i:for|from|at|of|på|från|hos)\s+(?:(?i:the)\s+)?[A-ZÅÄÖ]"
        ),
    ),
    # A door or flat number: "the people in 3B", "de i 1102".
    (
        "door",
        re.compile(
            r"\b(?i:people|those|family|guy|man|woman|folks|de|dom|familjen|folket|killen|mannen"
            r"|kvinnan)\s+(?i:in|at|i|på)\s+(?:(?i:flat|apartment|apt|lgh|nr)\s+)?"
            r"\d{1,4}[A-Za-z]?(?!\w)"
        ),
    ),
)
# A given name written in lower case with a surname after it: "kenneth öberg har ...".
_LOWER_NAME = re.compile(
    r"(?<![\w@])([a-zåäö]+)\s+([a-zåäö]+(?:son|sson|berg|ström|lund|gren|qvist"
    r"|kvist|holm|öberg|man|mark|blad|dahl|fors|sjö|ling|der|by|stedt|ell|in))\b"
)
_SURNAME_TAILS = ("son", "berg", "ström", "qvist", "kvist", "gren", "lund", "holm", "blad", "dahl")
_SOMEONE_ELSE = re.compile(
    r"\b(?i:någon|nån|några|jag|vi|folk|ungdomar\w*|unga|someone|somebody|people|kids|youths"
    r"|teenagers|we)\s+(?:\w+\s+){0,2}$|\bI\s+(?:\w+\s+){0,2}$"
)
_PRONOUN_START = re.compile(r"^\W*(?i:han|hon|hen|de|dom|he|she|they)\b")


def _broad_refs(sentence: str) -> list[_Ref]:
    more = _more_refs(sentence)
    refs = [r for r in _refs(sentence) + more if r.reason in STRONG_REASONS]
    refs += [r for r in more if r.reason in {"role_place", "description"}]
    for reason, pattern in _BROAD_REFS:
        refs += [_Ref(m.start(), m.end(), reason) for m in pattern.finditer(sentence)]
    for m in _LOWER_NAME.finditer(sentence):
        known = m[1] in NAMES and m[1] not in _AMBIGUOUS_NAMES
        # At the start of a sentence an unknown first name still counts when the surname is a
        # typical one ("kenneth öberg har ...").
        first = not sentence[: m.start()].strip(" \"'([-") and m[2].endswith(_SURNAME_TAILS)
        if (known or first) and m[1] not in _COMMON_STARTS and len(m[1]) >= 3:
            refs.append(_Ref(m.start(), m.end(), "named_person"))
    return refs


@lru_cache(maxsize=1)
def _broad_wrongdoing() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (kind, re.compile(_phrase(p), re.IGNORECASE))
        for kind, phrases in _lexicon().get("broad_wrongdoing", {}).items()
        for p in phrases
    )


# Crime-valence stems: in the wide net a strong reference followed closely by one of these (and no
# helper/witness/victim verb in between) is enough to ask. Stems, so compounds and inflections
# count ("bilinbrott", "slashed", "filming").
_VALENCE = re.compile(
    r"(?i:knark|narkotika|hasch|kokain|\bcoke\b|drugs?\b|\bweed\b|\bpills\b|tablett|piller"
    r"|inbrott|break(?:s|ing)?\s+in|broke\s+in|stöld|stjäl|\bstal\b|stulit|steal|stole"
    r"|snatt|shoplift|\brån|\brob|misshandl|\bslår\b|\bslog\b|\bbeat|\bhot(?:ar|ade|at)\b"
    r"|threat|kniv|knife|vapen|weapon|\bguns?\b|luftgevär|skjut|shoot|\beld\b|tänd|\bbrand"
    r"|set\s+fire|arson|spraya|klott|graffiti|förstör|destroy|vandal|smash|slash|naken|naked"
    r"|flash(?:es|ing)|tafs|grope|\bfilm(?:s|ar|ade|ing|ed)\b|fotograferar|svart\s*arbet"
    r"|svartjobb|bedr[äa]g|fraud|\bscam|\blurar|\blurade|fuskar|\blangar|\bdeal(?:s|ing|ar)\b"
    r"|smuggl|\bvåld|violen|\babus|\bhurt|rattfull|drunk|berusad|onykter|stalk|förföljer"
    r"|trakasser|harass|pedofil|våldt|\brape"
    r"|kör\s+på\s+(?:folk|människor|barn|fotgängare|cyklister)|runs?\s+(?:people\s+)?over"
    r"|blott|exposes\s+(?:him|her)self|\battack|angrip|on\s+purpose|med\s+flit|amphetamine"
    r"|amfetamin|tjack|\bspeed\b"
    r"|deal:?(?:s|ing|ar|a)\b|break(?:s|ing)?-ins?\b|\bspark(?:ar|ade|at)\b|\bkick(?:s|ed|ing)?\b"
    r"|pocket(?:s|ed|ing)\s+(?:the\s+)?money|förskingr|embezzl|launder|tvättar\s+pengar"
    r"|wrong\s+change|fel\s+växel|\bryck(?:er|te)\s+(?:\w+\s+)?(?:väsk|mobil|telefon|plånb|kedj)"
    r"|snatch(?:es|ed|ing)?\b|adderall|ritalin|xanax|\boxy\w*|benso\w*|steroid"
    r"|(?:sells?|selling|sold|säljer|sålde|langar)\s+(?:\w+\s+)?(?:stolen|stulna|stöldgods)"
    r"|(?:serverar|serverade|säljer|sålde|ger|gav|serves?|served|sells?|sold|gives?|gave)\s+"
    r"(?:\w+\s+)?(?:sprit|alkohol|öl|alcohol|beer|booze|snus|cigaretter|cigarettes)\s+(?:till|to)\s+"
    r"(?:\d+-åringar|\d+[\s-]year[\s-]olds|minderåriga|barn|kids|minors|ungdomar|teens)|spray(?:ing|s|ed)?\s+(?:tags|graffiti)|\btagging\b|racist\w*"
    r"|rasist\w*|förgift|\bpoison|(?:lets|let|allows|låter|lät|släpper|släppte)"
    r"\s+(?:\w+\s+){0,2}?(?:take|steal|ta|stjäla|in\s+(?:sina|his|her|their)\s+\w+)|i\s+(?:egen|sin)\s+ficka|into\s+(?:his|her|their)\s+own\s+pocket|brothel|bordell|koppl[ea]r|\bpimp|prostitu"
    r"|körde?\s+på\s+(?:en\s+)?(?:cyklist|fotgängare|person|unge|kille|tjej|gammal)"
    r"|\bsmet\b|hit[\s-]and[\s-]run|\bran\s+over|\bhit\s+a\s+(?:cyclist|pedestrian|child|kid)"
    r"|(?:tar|tog)\s+bilder\s+på\s+(?:\w+\s+)?(?:barn|ungar|tjejer|kvinnor)|i\s+smyg|secretly"
    r"|takes?\s+(?:photos|pictures)\s+of\s+(?:\w+\s+)?(?:kids|children|girls|women)"
    r"|(?:deliver|sell|supplie)s?\w*\s+(?:\w+\s+)?to\s+(?:\d+[\s-]year[\s-]olds|kids|minors|children"
    r"|teens)|(?:levererar|säljer|langar)\s+(?:\w+\s+)?till\s+(?:\d+-åringar|barn|minderåriga"
    r"|ungdomar|tonåringar))"
)
_VALENCE_REFS = STRONG_REASONS | {
    "relation",
    "description",
    "role_place",
    "role_activity",
    "address",
    "nickname",
}
# Between the person and the deed: they help, witness, tell, or suffer — not do.
_NOT_THE_DOER = re.compile(
    r"\b(?i:det\s+(?:har\s+varit|har\s+blivit|är|var|finns|fanns|blir|sker)|there\s+(?:is|are|was"
    r"|were|have\s+been|has\s+been)|hjälpte|hjälper|helped|helps|ringde|called|såg|saw|told|berättade|berättar|sa|sade"
    r"|said|says|säger|tycker|thinks|think|reported|anmälde|anmäler|anmält|polisanmält|caught|catches|stopped|stops|stoppade(?!\s+pengar)|stoppar(?!\s+pengar)|grep|griper"
    r"|arrested|chased|jagade|varnade|warned|hittade|found"
    r"|fick|fått|got|had|blev|was|were|är\s+polis|som\s+polis|as\s+a\s+police|jobbade|jobbat"
    r"|arbetade|worked|working|pratade|talked|spoke|utbildar|teaches|kurs|course|mot\s+\w+|is\s+a\s+police|jobbar|works|arbetar"
    r"|efter|after|mot|against|om|about|vet|knows|know|fruktar|rädd|scared|afraid|oroliga?|worried)\b"
)


# In the wide net: between the person and a deed, they help, witness, report or stop it.
_HELPER = re.compile(
    r"\b(?i:hjälpte|hjälper|helped|helps|ringde|called|såg|saw|sees|reported|anmälde|anmält"
    r"|anmäler|caught|catches|stopped|stops|stoppade(?!\s+pengar)|stoppar(?!\s+pengar)|grep|griper|arrested|chased|jagade"
    r"|found|finds|hittade|hittar|warned|varnade|told|berättade|sa\s+till|sade\s+till|asked|bad"
    r"|tog\s+hand\s+om|took\s+care\s+of|threw\s+out|kicked\s+out|kastade\s+ut|slängde\s+ut"
    r"|körde\s+ut|vägrade|refused|against|mot|organi[sz]\w*|bekämpa\w*|fights?|fighting\s+against)\b"
)


def _sv_passive(sentence: str, start: int) -> bool:
    """'det stjäls', 'rånas', 'hotades': a Swedish s-passive has no named doer."""
    head = re.search(r"\w*$", sentence[:start])
    tail = re.match(r"\w*", sentence[start:])
    token = (head.group() if head else "") + (tail.group() if tail else "")
    english = len(re.findall(r"\b(?i:the|is|are|of|and|to|a|for|his|her|their)\b", sentence)) >= 2
    swedish = bool(re.search(r"[åäöÅÄÖ]", sentence)) and not english
    return swedish and token.endswith(("s", "des", "tes")) and not token.endswith("ss")


def _valence_deeds(sentence: str, refs: list[_Ref]) -> list[tuple[int, int, str]]:
    """Crime words closely after a strong reference, with nothing between that makes the
    person a helper, witness, reporter or victim."""
    found = []
    for m in _VALENCE.finditer(sentence):
        before = [r for r in refs if r.end <= m.start() and m.start() - r.end <= 100]
        if not before:
            continue
        nearest = max(before, key=lambda r: r.end)
        if _NOT_THE_DOER.search(sentence, nearest.end, m.start()):
            continue
        if _victim(sentence, m.start(), m.group()) or _sv_passive(sentence, m.start()):
            continue
        found.append((m.start(), m.end(), "valence"))
    return found


def _deeds(sentence: str) -> list[tuple[int, int, str]]:
    found = _crimes(sentence) + _wrongs(sentence)
    for kind, pattern in _broad_wrongdoing():
        for m in pattern.finditer(sentence):
            if not _victim(sentence, m.start(), m.group()):
                found.append((m.start(), m.end(), kind))
    return [d for d in found if not _SOMEONE_ELSE.search(sentence, max(0, d[0] - 50), d[0])]


def _blocked(sentence: str, refs: list[_Ref], lo: int, hi: int) -> bool:
    """Someone else (or reported speech) between the person and the deed."""
    return any(
        not any(r.start <= b.start() < r.end for r in refs)
        and not _OBJECT_BEFORE.search(sentence, 0, b.start())
        and not _OBJECT_AFTER_VERB.search(sentence, 0, b.start())
        and not _VERB_OBJECT_BEFORE.search(sentence, 0, b.start())
        and not _SAME_DOER_AFTER.match(sentence, b.end())
        and not b.group().lower().startswith("who")  # a relative clause about the same person
        for b in _BLOCKERS.finditer(sentence, lo, hi)
    )


# "skriker på barnen", "yells at students": in the wide net an indefinite word after these is the
# one the deed is done to.
_OBJECT_AFTER_VERB = re.compile(r"\b(?i:på|on|with|med|at)\s+$")
# "gave old people the wrong change", "run by a guy": the indefinite word is the object (or the
# same person), not someone else doing the deed.
_VERB_OBJECT_BEFORE = re.compile(
    r"\b(?i:gave|gives|give|ger|gav|sells?|sold|säljer|sålde|hits?|slår|slog|kicks?|kicked"
    r"|sparkar|sparkade|charges?|charged|robs?|robbed|rånar|rånade|lurar|lurade|scams?|scammed"
    r"|threatens?|threatened|hotar|hotade|by|av)\s+"
    r"(?:(?i:old|young|elderly|gamla|äldre|unga|små|little)\s+)?$"
)
# "när han slår folk": the clause goes on with he/she, most likely the person already named.
_SAME_DOER_AFTER = re.compile(r"\s+(?i:han|hon|hen|he|she)\b")


def _cooccurrence(text: str) -> Assessment | None:
    previous: list[_Ref] = []
    for sentence in (s for s in _SENTENCES.split(text) if s and s.strip()):
        refs = _broad_refs(sentence)
        strong = [r for r in refs if r.reason in _VALENCE_REFS]
        deeds = _deeds(sentence) + [
            d
            for d in _valence_deeds(sentence, strong)
            if not _SOMEONE_ELSE.search(sentence, max(0, d[0] - 50), d[0])
        ]
        for start, _end, kind in deeds:
            before = [r for r in refs if r.start < start]
            if before:
                nearest = max(before, key=lambda r: r.end)
                if _HELPER.search(sentence, nearest.end, start):
                    continue  # they help, witness, report or suffer
                if not _blocked(sentence, refs, nearest.end, start):
                    return Assessment(UNSURE, nearest.reason, kind)
                continue
            if previous and _PRONOUN_START.search(sentence):
                return Assessment(UNSURE, previous[0].reason, kind)
        previous = refs
    return None
