"""Online and banking identifiers: links, social-media profiles, @handles, bank accounts.

A profile link or a Telegram username points at one person as surely as a phone number, and a
bank account or IBAN is tied to its holder. Public pages are kept: a bare domain without a path
("polisen.se", "umea.se") and links to public bodies carry the resident's point, not a person.
Returned spans refer to the text given (the caller passes the normalised view).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """Same shape as redact.Hit (start, end, kind); redact converts nothing."""

    start: int
    end: int
    kind: str


# Domains whose pages name a person: any path on them is a profile, a post or a chat.
SOCIAL_DOMAINS: frozenset[str] = frozenset(
    [
        "tiktok.com",
        "vm.tiktok.com",
        "instagram.com",
        "instagr.am",
        "facebook.com",
        "fb.com",
        "fb.me",
        "m.facebook.com",
        "messenger.com",
        "snapchat.com",
        "t.me",
        "telegram.me",
        "telegram.dog",
        "twitter.com",
        "x.com",
        "youtube.com",
        "youtu.be",
        "linkedin.com",
        "reddit.com",
        "discord.gg",
        "discord.com",
        "wa.me",
        "whatsapp.com",
        "threads.net",
        "pinterest.com",
        "twitch.tv",
        "kick.com",
        "onlyfans.com",
        "vk.com",
        "ok.ru",
        "tumblr.com",
        "mastodon.social",
        "bsky.app",
        "linktr.ee",
        "blocket.se",
        "tradera.com",
    ]
)
# Public bodies and services: their links are kept even with a path.
PUBLIC_DOMAINS: frozenset[str] = frozenset(
    [
        "polisen.se",
        "umea.se",
        "1177.se",
        "krisinformation.se",
        "bra.se",
        "regeringen.se",
        "kommun.se",
        "brottsofferjouren.se",
        "msb.se",
        "trafikverket.se",
        "ultra.se",
        "vasterbotten.se",
        "regionvasterbotten.se",
        "skatteverket.se",
        "imy.se",
        "domstol.se",
    ]
)
_TLD = r"(?:se|com|nu|net|org|me|io|eu|fi|no|dk|de|uk|tv|ru|app|social|ee|am|gg|dog|be|info|co)"
_URL = re.compile(
    rf"(?<![\w@.])(?:(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?:[a-z0-9-]+\.)+{_TLD}(?::\d+)?(?:/[^\s<>\"']*)?)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\""


def _host(url: str) -> str:
    host = re.sub(r"^(?:https?://)?", "", url, flags=re.IGNORECASE).split("/")[0].split("?")[0]
    host = host.split(":")[0].lower()
    return host[4:] if host.startswith("www.") else host


def public_host(host: str) -> bool:
    """A public body's or service's host (its links and shared mailboxes are no personal data)."""
    host = host.lower().strip(_TRAILING)
    return any(host == d or host.endswith("." + d) for d in PUBLIC_DOMAINS)


def _social(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in SOCIAL_DOMAINS)


# Hosts where the subdomain is one person's site ("namn.blogspot.com"): personal even without
# a scheme or a path, unlike a shop's or an authority's bare domain.
PERSONAL_HOSTING: frozenset[str] = frozenset(
    [
        "blogspot.com",
        "blogspot.se",
        "wordpress.com",
        "wixsite.com",
        "weebly.com",
        "tumblr.com",
        "substack.com",
        "medium.com",
        "github.io",
        "blogg.se",
        "bloggplatsen.se",
        "webblogg.se",
        "n.nu",
        "carrd.co",
        "linktr.ee",
        "onlyfans.com",
        "patreon.com",
        "ko-fi.com",
    ]
)


def _personal_site(host: str) -> bool:
    return any(host.endswith("." + d) for d in PERSONAL_HOSTING)


# Link shorteners hide where a link goes (often a private drive or profile): any path is taken.
_SHORT_LINK = re.compile(
    r"(?<![\w@.])(?:https?://)?(?:www\.|maps\.app\.|photos\.app\.)?(?:bit\.ly|t\.co|tinyurl\.com"
    r"|goo\.gl|ow\.ly|is\.gd"
    r"|buff\.ly|rb\.gy|cutt\.ly|t\.ly|tiny\.cc|shorturl\.at|lnkd\.in|rebrand\.ly|bl\.ink"
    r"|qrco\.de|s\.id|v\.gd|y2u\.be|dub\.sh|tiny\.one|shorturl\.com|trib\.al|adf\.ly"
    r"|forms\.gle|photos\.app\.goo\.gl|drive\.google\.com|1drv\.ms|dropbox\.com|we\.tl)"
    r"/[^\s<>\"']+",
    re.IGNORECASE,
)


# "min blogg annasumeatankar.se": a bare domain right after "my blog/site/page" is one person's.
_OWN_SITE = re.compile(
    r"\b(?i:my|min|mitt|our|vår|vårt|his|her|hans|hennes)\s+(?i:blogg|blog|hemsida|webbsida"
    r"|sajt|site|website|homepage|page|sida|portfolio)\s*(?i:is|är|:|=|på|at|heter|called)?\s*$"
)
_OWN_PAGE = re.compile(
    r"\b(?i:my|his|her|their|min|mitt|hans|hennes|deras|sonens|dotterns|kid'?s|son'?s"
    r"|daughter'?s)\s+(?:\w+\s+)?(?i:page|profile|site|blog|sida|sidan|profil|profilen|blogg)"
    r"\s*(?i:is|är|:|=|på|at)?\s*$"
)


def url_hits(text: str) -> list[Span]:
    """Links with a path, a scheme or www. (except public bodies), and any social-media link."""
    hits = []
    for m in _SHORT_LINK.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in _TRAILING:
            end -= 1
        hits.append(Span(m.start(), end, "url"))
    for m in _URL.finditer(text):
        url = m.group()
        end = m.end()
        while url and url[-1] in _TRAILING:
            url, end = url[:-1], end - 1
        host = _host(url)
        if "." not in host:
            continue
        # "his class page is https://skolan.umea.se/klass/…": a public body's site, but one
        # person's page on it.
        if public_host(host) and not (
            "/" in url.split("//", 1)[-1]
            and _OWN_PAGE.search(text, max(0, m.start() - 40), m.start())
        ):
            continue
        if public_host(host):
            hits.append(Span(m.start(), end, "url"))
            continue
        if not public_host(host) and _OWN_SITE.search(text, max(0, m.start() - 40), m.start()):
            hits.append(Span(m.start(), end, "url"))
            continue
        has_path = "/" in url.split("//", 1)[-1] or "?" in url
        explicit = url.lower().startswith(("http://", "https://", "www."))
        social = (_social(host) and (has_path or explicit)) or _personal_site(host)
        if social or (has_path and (explicit or not public_host(host))):
            hits.append(Span(m.start(), end, "url"))
    return hits


# @handles: Telegram (5-32), Instagram/TikTok (dots allowed), X. Not the middle of an e-mail.
_HANDLE = re.compile(r"(?<![\w.@/])@(?=[\w.]*[^\W\d_])[A-Za-z0-9_](?:[\w.]{0,30}\w)?(?![\w@])")
_HANDLE_CUE = re.compile(
    r"\b(?i:(?:snap(?:chat)?|insta(?:gram)?|ig|tiktok|telegram|tg|kik|discord|twitter|signal"
    r"|threads|steam|xbox|psn|playstation|roblox|minecraft|fortnite|twitch|battle\.?net"
    r"|reddit|tinder|bumble|grindr|wickr|skype)(?:-?(?:namn|namnet|name|konto|kontot"
    r"|account|tag|id))?|gamertag|användarnamn(?:et)?|username|user\s*name|handle|nickname"
    r"|smeknamn|log-?in|inlogg(?:ning)?(?:en)?|user\s*id|användar-?id)"
    r"(?:\s+(?i:på|on|at|i|in|hos|för|for)\s+\w+)?"
    r"(?:\s*[:=]\s*|\s+(?i:är|heter|is|:)\s+|\s+(?i:(?:som|as)\s+))"
    r"(?P<name>(?=[\w.]*[^\W\d_])[A-Za-z0-9_][\w.]{1,30}\w)(?![\w@])"
)
# "adda mig på snap tova.x": no colon, so the name must look like one (a dot, digit or _).
_HANDLE_ON = re.compile(
    r"\b(?:(?i:på|on|in|via)\s+)?(?i:snap(?:chat)?|insta(?:gram)?|tiktok|telegram|kik|discord"
    r"|twitter)(?:\s+(?i:user|användare(?:n)?|konto(?:t)?|account|profile|profilen))?"
    r"\s+(?:(?i:till|to|at|@)\s+)?"
    r"(?P<name>(?=[\w.]*[._\d])(?=[\w.]*[^\W\d_])[A-Za-z0-9_][\w.]{1,30}\w)(?![\w@])"
)
_WORD_PLATFORMS = frozenset(
    {"signal", "threads", "steam", "handle", "twitch", "session", "epic", "login", "nickname"}
)
_NOT_HANDLE = frozenset({"och", "and", "the", "jag", "han", "hon", "det", "min", "mitt", "my"})


# Reddit's "u/namn" (and "/u/namn"); "r/umea" is a forum, not a person, and is kept.
_REDDIT_USER = re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}(?![\w/])")


# A name that looks like a user name (an underscore or a digit, or CamelCase) after "heter",
# "called", "kanalen", "the account": "jag heter nattuggla_ume där", "kanalen UmeaVlogg".
_HANDLE_NAMED = re.compile(
    r"\b(?i:heter|called|named|kallas|kallar\s+sig|calls\s+(?:him|her)self|kanal(?:en)?|channel"
    r"|kontot|account|profilen|profile)\s+(?:(?i:is|är|heter|called)\s+)?"
    r"(?P<name>(?=[\w.]*[^\W\d_])(?=[\w.]{4,})(?:[A-Za-z0-9]*[_\d][\w.]*\w|[A-Z][a-z]+[A-Z]\w*"
    r"|[a-z0-9_]+\.[\w.]*\w))"
    r"(?![\w@])"
)
# Discord's old tags: "nightowl#1234".
_DISCORD_TAG = re.compile(r"(?<![\w#@])(?=[\w.]*[^\W\d_])[\w.]{2,32}#\d{4}(?!\w)")


# A school or service login: "LiU-id är annan123", "CAS-id: abcd0012", "mitt UmU-id är ab12cd".
_SERVICE_ID = re.compile(
    r"\b[A-Za-zÅÄÖåäö]+-(?i:id|login|konto)\s*(?:(?i:är|is)\s+|[:=]\s*)"
    r"(?P<name>(?=[\w.]*\d)(?=[\w.]*[^\W\d_])[A-Za-z0-9_][\w.]{1,30}\w)(?![\w@])"
)


def handle_hits(text: str) -> list[Span]:
    hits = [Span(m.start(), m.end(), "handle") for m in _HANDLE.finditer(text)]
    hits += [Span(m.start("name"), m.end("name"), "handle") for m in _SERVICE_ID.finditer(text)]
    hits += [Span(m.start(), m.end(), "handle") for m in _DISCORD_TAG.finditer(text)]
    hits += [Span(m.start("name"), m.end("name"), "handle") for m in _HANDLE_NAMED.finditer(text)]
    hits += [Span(m.start(), m.end(), "handle") for m in _REDDIT_USER.finditer(text)]
    for m in [*_HANDLE_CUE.finditer(text), *_HANDLE_ON.finditer(text)]:
        if m["name"].lower() in _NOT_HANDLE:
            continue
        # "the signal is weak", "steam is rising": a platform that is also a word needs a colon
        # or a name that looks like one (a digit, a dot or an underscore).
        cue = m.group().split()[0].lower().rstrip(":=")
        plain = ":" not in m.group() and "=" not in m.group()
        if cue in _WORD_PLATFORMS and plain and not re.search(r"[\d._]", m["name"]):
            continue
        hits.append(Span(m.start("name"), m.end("name"), "handle"))
    return hits


# --- bank accounts -----------------------------------------------------------------------------
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?(?!\w)")
_ACCOUNT_CUE = (
    r"(?i:clearing(?:nummer|nr|number)?|clearingnr|konto(?:nummer|nr|t)?|kontonr|bankkonto\w*"
    r"|account(?:\s+(?:number|no\.?))?|acct\.?|sort\s+code|bank(?:giro|girot)?|bg|plusgiro\w*"
    r"|pg|postgiro\w*|swish(?:a|ar|ade|nummer)?|swedbank|handelsbanken|nordea|seb|danske\s+bank"
    r"|icabanken|ica\s+banken|länsförsäkringar|sparbanken\s+\w+|skandiabanken|skandia)"
)
# After a cue: one run of digits with spaces, dashes or a comma between groups (7-20 digits).
_CUED_ACCOUNT = re.compile(
    rf"\b{_ACCOUNT_CUE}(?:\s+(?i:är|is|nummer|number|nr|no\.?))?\s*[:.]?\s*"
    r"(?:(?i:till|to)\s+)?"
    rf"(?P<acc>\d[\d]*(?:(?:[ -]|,\s?|\s(?i:konto(?:nummer|nr)?|account(?:\s+number)?)\s)\d+)*)"
)
# Without a cue: clearing-comma-account ("8327-9, 123 456 789-0") or bankgiro-like NNN(N)-NNNN.
_BARE_ACCOUNT = re.compile(
    r"(?<![\w-])\d{4}(?:-\d)?,\s?\d{1,4}(?:[ -]?\d{2,4}){1,4}(?:-\d)?(?![\w-])"
)


# A clearing number or a UK sort code on its own: short, but it narrows the account holder down.
_CLEARING = re.compile(
    r"\b(?i:clearing(?:nummer|nr|number)?|clnr|sort\s+code)\s*[:.]?\s*(?:(?i:är|is)\s+)?"
    r"(?P<acc>\d{4}(?:[ -]?\d){0,2})(?!\d)"
)


_AMOUNT_AFTER = re.compile(r"\s*(?i:kr\b|kronor|sek\b|:-|%|euro|eur\b)")
# A bank's name then a clearing number with its check digit: "Swedbank 8214-9".
_BANK_CLEARING = re.compile(rf"\b{_ACCOUNT_CUE}\s*[:,]?\s*(?P<acc>\d{{4}}\s?-\s?\d)(?![\d-])")


# "Swisha gärna till insamlingen för lampor i Tomtebo: 123 456 78 90": the account a few words
# after its cue, in the same sentence. An organisation's own number ("(föreningens nr)") stays.
_ACCOUNT_CUE_RE = re.compile(rf"\b{_ACCOUNT_CUE}\b")
_LATER_ACCOUNT = re.compile(r"(?<![\w.,/-])\d(?:(?:\s?-\s?|\s)?\d){6,19}(?![\w-]|[.,]\d)")
_CLAUSE_END = re.compile(r"[.!?](?:\s|$)|\n")
_ORG_OWNED = re.compile(
    r"(?i:föreningens|organisationens|företagets|kommunens|kyrkans|klubbens|skolans|bolagets"
    r"|insamlingens|the\s+(?:association|club|church|charity|organi[sz]ation|school)'?s"
    r"|(?:association|club|church|charity|organi[sz]ation)'s|official)"
)


def _later_account_hits(text: str) -> list[Span]:
    hits = []
    for m in _ACCOUNT_CUE_RE.finditer(text):
        end_m = _CLAUSE_END.search(text, m.end())
        limit = min(end_m.start() if end_m else len(text), m.end() + 120)
        acc = _LATER_ACCOUNT.search(text, m.end(), limit)
        if acc is None or any(ch.isdigit() for ch in text[m.end() : acc.start()]):
            continue
        if _AMOUNT_AFTER.match(text, acc.end()):
            continue
        around = text[m.end() : min(len(text), acc.end() + 40)]
        if _ORG_OWNED.search(around):
            continue
        hits.append(Span(acc.start(), acc.end(), "account"))
    return hits


def account_hits(text: str, iban_ok: Callable[[str], bool]) -> list[Span]:
    """IBAN (checked with python-stdnum, or an SE form), cued accounts, clearing + account."""
    hits = []
    for m in _IBAN.finditer(text):
        compact = m.group().replace(" ", "")
        if iban_ok(compact) or (compact.startswith("SE") and len(compact) == 24):
            hits.append(Span(m.start(), m.end(), "account"))
    for m in _CUED_ACCOUNT.finditer(text):
        acc = m["acc"].rstrip(" -,")
        if "," in acc and _AMOUNT_AFTER.match(text, m.start("acc") + len(acc)):
            acc = acc.rsplit(",", 1)[0]  # "bankgiro 5402-9681, 50 kr räcker": 50 is an amount
        digits = sum(ch.isdigit() for ch in acc)
        if 7 <= digits <= 20:
            hits.append(Span(m.start("acc"), m.start("acc") + len(acc), "account"))
    for m in _CLEARING.finditer(text):
        hits.append(Span(m.start("acc"), m.end("acc"), "account"))
    for m in _BANK_CLEARING.finditer(text):
        hits.append(Span(m.start("acc"), m.end("acc"), "account"))
    for m in _BARE_ACCOUNT.finditer(text):
        if 9 <= sum(ch.isdigit() for ch in m.group()) <= 20:
            hits.append(Span(m.start(), m.end(), "account"))
    return hits + _later_account_hits(text)
