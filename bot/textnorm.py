"""Text normalisation for matching residents' questions: folding, tokens, stems, synonyms, typos.

Residents write on phones: no å/ä/ö, typos, slang ("knarket", "snuten"), compounds
("knarkhandeln"). Everything here is pure Python and deterministic; the knowledge base builds
its index with these functions once and then only does dictionary look-ups per question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[a-z0-9]+")
_SPECIAL = str.maketrans({"æ": "ae", "ø": "o", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th"})

_SV = snowballstemmer.stemmer("swedish")
_EN = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Casefold and strip diacritics (å/ä→a, ö→o, é→e) so "overenskommelse" matches."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Folded word tokens; punctuation and emoji are separators."""
    return _TOKEN.findall(fold(text))


# Colloquial spellings and irregular verb forms → one written form (all folded), applied to both
# the entries and the questions before stemming and phrase matching: "nån" is "någon", "sen när"
# is "sedan när", and "skrivit under"/"skrev under" or "gick ut"/"går ut" become the same phrase.
# Snowball only strips suffixes, so strong verbs ("skrev", "gick") need this table.
NORMAL_FORMS: dict[str, str] = {
    # spoken / texted spellings
    "nan": "nagon",
    "nat": "nagot",
    "nara": "nagra",
    "ngn": "nagon",
    "ngt": "nagot",
    "nanting": "nagonting",
    "sen": "sedan",
    "dom": "de",
    "mej": "mig",
    "dej": "dig",
    "sej": "sig",
    # strong and irregular verbs
    "skrev": "skriva",
    "skrivit": "skriva",
    "skriver": "skriva",
    "skrivs": "skriva",
    "skrevs": "skriva",
    "skrivits": "skriva",
    "gick": "ga",
    "gatt": "ga",
    "gar": "ga",
    "gas": "ga",
    "gallde": "galler",
    "gallt": "galler",
    "galla": "galler",
    "lopte": "loper",
    "lopt": "loper",
    "lopa": "loper",
    "fick": "fa",
    "fatt": "fa",
    "far": "fa",
    "tog": "ta",
    "tagit": "ta",
    "tar": "ta",
    "syntes": "syns",
    "synts": "syns",
    "synas": "syns",
    # interrogatives: "vilka är med" and "vem är med" ask the same (both are function words, so
    # this only makes keyword phrases match either way)
    "vilka": "vem",
    "vilken": "vem",
    "vilket": "vem",
}

# Multi-word expressions that mean one thing the entries say in one word (after NORMAL_FORMS).
EXPRESSIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("tag", "pa"): ("kontakta",),  # "få (jag) tag på"
    ("fa", "kontakt", "med"): ("kontakta",),
    ("komma", "i", "kontakt", "med"): ("kontakta",),
    ("get", "hold", "of"): ("contact",),
    ("get", "in", "touch", "with"): ("contact",),
}
_EXPRESSION_STARTS = {key[0] for key in EXPRESSIONS}

# Expressions whose first and last word may have a few words between them: "utan att säga
# (sitt) namn", "without giving my name" mean anonymously, which is what the entries say.
GAPPED_EXPRESSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("utan", "namn"): ("anonymt",),
    ("without", "name"): ("anonymously",),
}
GAP = 3


def _gapped(result: list[str]) -> list[str]:
    """Replace each ``GAPPED_EXPRESSIONS`` span (first … last word, ≤ ``GAP`` between)."""
    for (first, last), replacement in GAPPED_EXPRESSIONS.items():
        if first not in result:
            continue
        i = result.index(first)
        tail = result[i + 1 : i + 2 + GAP]
        if last in tail:
            j = i + 1 + tail.index(last)
            result = result[:i] + list(replacement) + result[j + 1 :]
    return result


def words(text: str) -> list[str]:
    """Folded tokens in one normal form (``NORMAL_FORMS``, then the expressions)."""
    result = _gapped([NORMAL_FORMS.get(t, t) for t in tokens(text)])
    if not _EXPRESSION_STARTS.intersection(result):
        return result
    out: list[str] = []
    i = 0
    while i < len(result):
        for key, replacement in EXPRESSIONS.items():
            if tuple(result[i : i + len(key)]) == key:
                out.extend(replacement)
                i += len(key)
                break
        else:
            out.append(result[i])
            i += 1
    return out


_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=65536)
def stem_sv(token: str) -> str:
    """Swedish stem of a folded token (folding first keeps index and query aligned).

    Snowball Swedish leaves the definite neuter "-et" ("avtalet", "knarket") and some plurals
    ("medborgarlöftena" → "medborgarlöften"); we strip "-et" and stem once more so the
    inflections people actually write end up on the same stem.
    """
    stem = str(_SV.stemWord(token))
    if (
        len(stem) >= 6
        and stem.endswith("et")
        and not stem.endswith("het")
        and stem[-3] not in _VOWELS
    ):
        stem = stem[:-2]
    return str(_SV.stemWord(stem))


@lru_cache(maxsize=65536)
def stem_en(token: str) -> str:
    """English Snowball stem of a folded token."""
    return str(_EN.stemWord(token))


def stems(token: str) -> frozenset[str]:
    """Both stems of a token: questions mix languages, so we match either reading."""
    return frozenset((stem_sv(token), stem_en(token)))


def _words(text: str) -> tuple[str, ...]:
    """Split a whitespace-separated word list (keeps the data below readable)."""
    return tuple(text.split())


# Function words and question filler that carry no topic. Folded (no diacritics).
STOPWORDS_SV = frozenset(
    _words(
        "aldrig alla alls allt alltid allting alltsa andra annan annars annat ar ass assa att "
        "av bara behover blev bli blir borde borja borjar borjat borta bra da dag dar darfor de "
        "dem den denna deras dess det detta dig din dina ditt dom du e efter eftersom egen "
        "egentligen eget egna eh ej eller en ens er era ert ett fa faktiskt fanns far fel fick "
        "finnas finns fler for forra fraga fragar fran ga gar gick gillar gjorde gjort gor gora "
        "hade hallo han hande hander hans hant har hej hela helt hem hemma henne hennes heter "
        "betyder betyda fungerar funkar hit hmm hon honom hur hurdan i ibland idag igar igen "
        "imorgon inga ingen inget inne innebar innebara "
        "inte ja jag ju just kan kanske kolla kom komma kommer kunde laser later ligger liksom "
        "lite man manga massa med men menar menas mer mig min mina mitt mkt mm mot mycke mycket "
        "na nagon "
        "nagonting nagot nagra nar nasta nat nej ngn ni nog nu nyss o och ocksa ofta ok okej om "
        "oss overallt pa ratt runt sa sadan sadant sag saga sager sagt samma sant satt se ser "
        "sig sin sina sitt sjalv sjalva ska skulle snalla snart som sta star tack tex till tva "
        "tycks typ umea undrar upp uppe ut ute va vad vanlig vanligt var vara varfor varit vars "
        "vart vecka veckan vem vems verkar verkligen vet veta vi vid vilka vilken vilket vill "
        "visst utan "
        # generic "work" verbs, as "work" is in English: the topic is what follows them
        "jobba jobbar jobbat jobbade arbeta arbetar arbetat arbetade "
        # people in general carry no topic ("killar som kör som galningar")
        "kille killar killarna tjej tjejer tjejerna grabb grabbar grabbarna folk personer "
        "manniskor"
    )
)
STOPWORDS_EN = frozenset(
    _words(
        "a about again all also always am an and any anything are as at be been being but by "
        "came can come comes could d did do does doing don done dont down even ever every "
        "everywhere for from get gets go goes going gone got had has have having he hello her "
        "here hey hi him his how i i'm if im in into is it its just know like ll lot lots m "
        "made make many may me mean means meant might more most much must my need needs never "
        "no not now of often ok okay on one only or other others our out over own please re "
        "really s said same saw say says see seen shall she should so some something still such "
        "t tell than thanks that the their them then there there's theres these they thing "
        "things this through to today tomorrow too up us ve very via wanna want was we went "
        "were what whats where which who why will with without work works would yesterday you "
        "your yours guy guys people persons"
    )
)
STOPWORDS = STOPWORDS_SV | STOPWORDS_EN

# Colloquial and slang words → words the knowledge base uses. Written naturally; they are folded
# and stemmed at build time, so most inflections ("snutarna") need no separate entry.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "narkotika": _words(
        "knark knarket knarka knarkare droger drogerna drog langning hasch braj gräs cannabis "
        "kokain kola tjack amfetamin spice drugs weed dealer dealers pusher narkotikan"
    ),
    "polis": _words(
        "snut snuten snutar snutarna aina ainor ainorna cops cop police polisen poliser "
        "poliserna konstapel"
    ),
    "trygghet": _words(
        "otrygg otryggt otrygga otrygghet rädd rädda skrämmande läskigt läskig obehagligt "
        "obehaglig osäker osäkert farligt farlig unsafe scary scared afraid dangerous "
        "frightened insecure"
    ),
    "medborgarlöfte": _words(
        "löfte löften löftena lovar lovade lovat utlovat utlovade promise promises promised "
        "pledge pledges"
    ),
    "samverkansöverenskommelse överenskommelse avtal": _words(
        "avtal avtalet avtalen överenskommelse överenskommelsen samverkansavtal "
        "samverkansavtalet agreement contract"
    ),
    "tipsa": _words("tjalla tjallar gola golar golare tjallare tipsar"),
    "stöld": _words("stulen stulet stulit stal snott snodd snodde norpat norpade stolen"),
    "moped": _words("moppe mopper moppen epa epor epatraktor atraktor"),
    "ungdomar": _words(
        "unga ungdom ungdomarna ungar ungarna kids kidsen tonåringar tonåring teens teenagers "
        "youth youngsters barn"
    ),
    "våld": _words("slagen slår slog misshandel misshandlad misshandlar misshandlade"),
    "gäng": _words("gängen gängkriminalitet gängkriminella gangs gangsters"),
    "cykel": _words("cykla cyklar cyklade cyklist cyklister cyklisterna bike bikes bicycle"),
    "synpunkt": _words("synpunkter åsikt åsikter klaga klagomål feedback tyckte"),
    "kommun": _words("kommunen kommunens municipality"),
    "prostitution": _words("horor hora sexköp sexköpare"),
    "alkohol": _words("fylla fyllan supa super sprit brännvin öl fulla berusade"),
    "klotter": _words("tagg taggar taggning graffiti sprejar"),
    "reflex": _words("reflexer reflexväst reflectors"),
    # Validity of the agreement: "när tar avtalet slut", "when does the agreement end".
    "upphör expire": _words("slut slutar end ends ended ending"),
    "kontakta contact": _words("reach reaching"),
    "samverkan samverkar": _words("samverka samverkat samarbete samarbetar samarbeta"),
    "trafik": _words("kör körde kört köra drive drives driving drivers"),
    "buskörning": _words("galning galningar vansinneskörning vårdslöst"),
}

# Everyday topics a crime-prevention council does not handle. A question about them is out of
# scope even if it also names a district or "polisen": such a word counts strongly against
# confidence. Exact word forms always count; other inflections only when the knowledge base
# does not know the word.
OFF_TOPIC = _words(
    "parkering parkeringen parkera parkerar parkerat parkeringsbot parkeringsböter "
    "felparkering väder vädret regn snö temperatur öppettider öppnar stänger öppet buss bussen "
    "bussar busskort tidtabell flyg flygplats tåg bygglov sopor soptunna sophämtning "
    "återvinning skatt skatter skatteverket deklaration pass passport körkort förskola "
    "förskoleavgift barnomsorg hockey fotboll match matchen sport björklöven ikfu recept pizza "
    "pizzeria restaurang bio film filmer dikt kung kungen tandläkare bostadskö lägenhet hyra "
    "elavtal bredband wifi invånare befolkning huvudstad weather rain snow parking opening "
    "hours bus buses timetable flight airport train tax taxes passport license football soccer "
    "hockey recipe restaurant cinema movie poem king dentist apartment rent electricity "
    "population capital shop mall kostar kosta kostnad kostnader pris priser priset cost costs "
    "price prices sommarlov sommarlovet lovet sportlov skollov jullov "
    # pay, budgets and compensation: never in a council's content file
    "lön löner lönen tjänar tjäna salary salaries wage wages earn earns budget budgeten "
    "skadestånd ersättning försäkring försäkringen compensation insurance "
    # who holds a post (names of office-holders date quickly; the file does not keep them)
    "chef chefen chefer boss "
    # school staff and homework
    "rektor rektorn lärare läraren läxor läxa headmaster principal teacher homework"
)
OFF_TOPIC_FORMS = frozenset(w for word in OFF_TOPIC for w in tokens(word))
OFF_TOPIC_STEMS = frozenset(s for w in OFF_TOPIC_FORMS for s in stems(w))


def build_synonym_map(synonyms: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Map every stem of every variant to the stems of its canonical word."""
    result: dict[str, set[str]] = {}
    for canonical, variants in synonyms.items():
        targets: set[str] = set()
        for tok in tokens(canonical):
            targets |= stems(tok)
        for variant in variants:
            for tok in tokens(variant):
                for key in stems(tok) | {tok}:
                    result.setdefault(key, set()).update(targets)
    return {k: frozenset(v) for k, v in result.items()}


def damerau_levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance; returns ``limit`` + 1 early once it cannot be ≤ limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def max_typos(word: str) -> int:
    """Edits tolerated for a word: none under 5 letters, 1 up to 7, 2 from 8."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 8 else 2


def trigrams(word: str) -> set[str]:
    """Character trigrams with boundary markers, used to find typo candidates quickly."""
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class TypoIndex:
    """Finds the closest vocabulary word within ``max_typos`` edits (trigram candidates)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._postings: dict[str, list[str]] = {}
        self._words = sorted({w for w in vocabulary if len(w) >= 4})
        for word in self._words:
            for tri in trigrams(word):
                self._postings.setdefault(tri, []).append(word)

    def correct(self, word: str) -> str | None:
        """The best vocabulary word within tolerance, or None; ties go to the shorter edit."""
        limit = max_typos(word)
        if limit == 0:
            return None
        counts: dict[str, int] = {}
        for tri in trigrams(word):
            for cand in self._postings.get(tri, ()):
                if abs(len(cand) - len(word)) <= limit:
                    counts[cand] = counts.get(cand, 0) + 1
        if not counts:
            return None
        # Each edit destroys at most three trigrams; require enough overlap to bother checking.
        need = max(1, len(word) - 3 * limit)
        ranked = sorted((c for c in counts.items() if c[1] >= need), key=lambda c: -c[1])[:12]
        best: tuple[int, str] | None = None
        for cand, _ in ranked:
            dist = damerau_levenshtein(word, cand, limit)
            if dist <= limit and (best is None or dist < best[0]):
                best = (dist, cand)
        return best[1] if best else None
