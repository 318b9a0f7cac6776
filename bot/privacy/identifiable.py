"""Structural cues for the art. 10 guard's learned model: who is pointed at, and is a wrong told?

The hand rules (accusation_rules.py, accusation_net.py) know the phrasings they were written for;
fresh texts show they miss most new ones ("the ticket inspector on the Saturday buses pockets the
fines", "B-Å J i Västerslätt har kört över en cyklist"). This module does not decide anything: it
finds *cues* — an identifiable person (name, initials, nickname, handle, plate, address or door,
a role at a place or a time, a relation to the writer, a distinctive description) and words that
often tell of a wrong — and hands them to guard_model.py as features next to the text's n-grams,
so the learned model weighs "someone identifiable × something wrong" per language. A text with no
person cue at all is never sent to the model: without an identifiable person there is nothing
art. 10 protects.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.privacy.accusation_net import _VALENCE, _broad_refs, _deeds
from bot.privacy.accusation_rules import _AMBIGUOUS_NAMES, _SENTENCES, NAMES, PLACES, _words

_P = r"(?:the|a|an|that|this|our|my|their|his|her)"
_ROLE_EN = (
    r"(?:(?:bus|taxi|cab|delivery|van|lorry|truck|tram|train|school\s+bus)\s+driver|driver"
    r"|cashier|(?:security\s+)?guard|bouncer|doorman|janitor|caretaker|(?:pe\s+|gym\s+)?teacher"
    r"|substitute|coach|trainer|instructor|nurse|doctor|dentist|pharmacist|(?:head\s+)?chef|cook"
    r"|waiter|waitress|bartender|barman|barmaid|receptionist|(?:night\s+)?porter|landlord|landlady"
    r"|manager|owner|boss|supervisor|(?:ticket\s+)?inspector|conductor|cleaner|tattooist|priest"
    r"|pastor|imam|mechanic|clerk|shopkeeper|vendor|seller|courier|postman|postwoman|lifeguard"
    r"|principal|headteacher|headmaster|childminder|nanny|babysitter|warden|steward|attendant"
    r"|hairdresser|barber|leader|youth\s+worker|social\s+worker|carer|care\s+worker|volunteer"
    r"|(?:parking\s+)?attendant|employee|worker|staff\s+member|salesman|dealer|tenant|lodger"
    r"|(?:\w+\s+)?(?:guy|man|woman|lady|lad|girl|bloke)\s+(?:at|in|on|behind)\s+the\s+(?:till"
    r"|counter|desk|kiosk|bar|door|front\s+desk|checkout|reception))"
)
_ROLE_SV = (
    r"(?:\w*(?:chaufför|förare|kassör|kassörsk|vakt|väktare|vaktmästare|lärare|lärarinn|vikarie"
    r"|tränare|ledare|föreståndare|rektor|sjukskötersk|underskötersk|läkare|tandläkare|apotekare"
    r"|kock|servitör|servitris|bartender|portier|hyresvärd|värd|chef|ägare|städare|städersk"
    r"|expedit|kontrollant|konduktör|mekaniker|frisör|dagmamm|barnvakt|brevbärare|bud|personal"
    r"|anställd|säljare|försäljare|präst|pastor|imam|instruktör|handledare|assistent|skötare"
    r"|pedagog|mentor|bagare|slaktare|hyresgäst|inneboende|granne|grann)"
    r"(?:en|n|et|an|na|ns|ens|ans)?|killen\s+i\s+kassan|tjejen\s+i\s+kassan)"
)
_REL_EN = (
    r"(?:ex|ex-\w+|(?:step|half-?)?(?:dad|father|mum|mom|mother|brother|sister|son|daughter"
    r"|parent)|\w+-in-law|husband|wife|partner|boyfriend|girlfriend|fianc[ée]e?|uncle|aunt"
    r"|cousin|nephew|niece|grand\w+|flatmate|roommate|housemate|mate|friend|colleague|boss"
    r"|landlord|landlady|neighbou?rs?|classmate|teammate|lodger|tenant|kids?|child|children"
    r"|family|relative)"
)
_REL_SV = (
    r"(?:ex|ex\w+|\w*(?:pappa|mamma|far|mor|bror|brorsa|syster|syrra|son|dotter|förälder"
    r"|föräldrar|farsa|morsa|man|fru|maka|make|sambo|särbo|pojkvän|flickvän|partner|kusin"
    r"|moster|faster|morbror|farbror|mormor|morfar|farmor|farfar|svåger|svägerska|kompis"
    r"|vän|väninna|kollega|chef|hyresvärd|granne|grannar|klasskompis|rumskamrat|inneboende"
    r"|barn|unge|ungar|släkting))"
)
_PERSON = (
    r"(?:guy|man|woman|lady|bloke|lad|girl|boy|kid|fella|fellow|dude|chap|teen|teenager|couple"
    r"|person|one|kille|killen|kvinnan|kvinna|mannen|tjej|tjejen|gubbe|gubben|tant|tanten|damen"
    r"|snubben|typen|grabben|pojken|flickan|paret|han|hon)"
)
_CAPITAL = r"[A-ZÅÄÖ][a-zåäöé][\wåäöé'-]*"
# "Gamla Vägen", "Västra Esplanaden": a street, not a first name and a surname.
_STREET_END = r"(?i:vägen|gatan|gränd|gränden|stigen|backen|allén|torget|leden|esplanaden|plan)"

CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        # "P-O L.", "J-E S.", "A-K B", "T.H.", "R.K.", "B-Å J": hyphenated or dotted initials.
        (
            "initials",
            r"(?<![\w.-])[A-ZÅÄÖ](?:[.-]\s?[A-ZÅÄÖ]){1,2}\.?(?:\s[A-ZÅÄÖ]\.?)?(?=[\s,]|$)"
            r"|(?<![\w.-])[A-ZÅÄÖ]\.\s?[A-ZÅÄÖ][a-zåäö]+",
        ),
        (
            "nickname",
            r"\b(?i:calls?|called|call\s+(?:him|her)|kallar|kallas|kallad|smeknamn\w*|går\s+under"
            r"\s+namnet|known\s+as|goes\s+by|nicknamed)\s+(?:(?i:him|her|honom|henne)\s+)?['\"‘’“”«]?"
            r"[A-ZÅÄÖ]\w+|\b(?i:every(?:one|body)\s+knows|alla\s+känner(?:\s+till)?)\s+[A-ZÅÄÖ]\w+"
            r"|\b(?i:every(?:one|body)|alla)\s+(?:\S+\s+){0,3}?(?i:knows?|vet)\s+(?i:that\s+|att\s+)?"
            r"[A-ZÅÄÖ][a-zåäö]+\s+(?i:is|är|was|var|har|has)\b",
        ),
        (
            "handle",
            r"(?<!\w)@[\w.]{3,}|\b(?i:account|user(?:name)?|profile|användaren|användare|kontot"
            r"|profilen|konto)\s+(?:(?i:called|named|som\s+heter|heter)\s+)?@?[\w.]*[\d_][\w.]*"
            r"|\b(?i:tiktoker\w*|youtuber\w*|streamer\w*|kontot|profilen|account)\s+(?i:som\s+heter"
            r"|called|named)\s+\S+|\b(?i:kontot|profilen|account|user)\s+\w+\s+(?i:på|on)"
            r"\s+(?i:insta\w*|tiktok|snap\w*|telegram|facebook|youtube|x|twitter|discord)\b",
        ),
        (
            "plate",
            r"\b(?i:reg(?:\.|nr|nummer|istration)?|(?:number\s+)?plates?|registreringsnummer"
            r"|nummerplåt\w*|regskylt\w*|nummerskylt\w*|(?:med\s+)?skylt(?=\s+[A-Za-z]{3}\s?\d))\b"
            r"|(?<![\w-])(?:[A-Z]{3}|[a-z]{3})\s?\d{2}[A-Za-z\d](?![\w-])",
        ),
        (
            "address",
            rf"\b{_CAPITAL}(?:vägen|gatan|gränd|stigen|allén|backen|torget|leden|esplanaden)"
            r"\s+\d{1,3}[A-Za-z]?\b|\b\d{1,4}\s+[A-Z]\w+\s+(?:Road|Street|Avenue|Lane|Way)\b",
        ),
        (
            "door",
            r"\b(?i:flat|apartment|apt|lägenhet|lgh|number|nummer|nr|no\.|door|port|porten|dörr"
            r"|house|huset|hus)\s+(?:nr\s+)?\d{1,4}[A-Za-z]?\b",
        ),
        (
            "house",
            r"\b(?i:the\s+(?:\w+\s+){0,2}(?:house|villa|cottage|bungalow|flat|garage|shed)"
            r"|(?:det\s+|den\s+)?(?:\w+\s+)?(?:huset|villan|gårdshuset|radhuset|stugan|lägenheten))"
            r"\s+(?i:with|on|at|by|behind|opposite|next\s+to|at\s+the\s+end|med|på|vid|bakom"
            r"|mittemot|bredvid|längst|i\s+hörnet|där)\b",
        ),
        (
            "role",
            rf"\b(?i:{_P}\s+(?:\w+\s+){{0,2}}?{_ROLE_EN}s?)\b"
            rf"|\b(?i:{_ROLE_SV})\s+(?i:på|vid|i|hos|för|som|till|av|från)\b"
            rf"|\b(?i:vår|min|mitt|vårt)\s+(?:\w+\s+)?(?i:{_ROLE_SV})\b",
        ),
        # Any agent noun tied to a place or a time: "the referee at the under-14 games",
        # "the ice cream van man who comes on Wednesdays", "pedagogen på eftis".
        (
            "role",
            r"\b(?i:the|our|a|an)\s+(?:[\w-]+\s+){0,3}?(?i:\w*(?:er|or|ist|ian|ee|ant|ent|man"
            r"|woman|guy|lady|boy|girl|lad))\s+(?i:at|on|in|from|of|by|behind|who\s+(?:comes"
            r"|works|runs|is|was|does|sells|drives))\b"
            r"|\b(?!(?i:källaren|sommaren|vintern|kvarteren|centern|lägern|hamnen|kaféet)\b)"
            r"(?i:\w+(?:aren|ören|ern|ogen|isten|anten|enten|mannen|kvinnan|killen|tjejen"
            r"|gubben|tanten|damen))\s+(?i:på|vid|i|hos|som\s+(?:jobbar|kommer|står|kör|säljer"
            r"|sköter|har))\b",
        ),
        (
            "role_activity",
            rf"\b(?i:{_PERSON})\s+(?i:who|that|som)\s+(?:(?i:does|do|works|runs|owns|drives"
            r"|sells|manages|cleans|guards|delivers|serves|hangs|sits|stands|walks|feeds|lives"
            r"|jobbar|driver|kör|äger|sköter|säljer|står|sitter|hänger|går|matar|bor|städar"
            r"|serverar)\b)"
            rf"|\b(?i:{_PERSON})\s+(?i:selling|running|working|driving|behind|at\s+the)\b",
        ),
        (
            "relation",
            rf"\b(?i:my|our|min|mitt|mina|vår|vårt|våra)\s+(?:[\w'-]+\s+){{0,2}}?(?i:{_REL_EN}"
            rf"|{_REL_SV})\b|\b(?i:the\s+neighbou?rs?|grannen|grannarna)\b"
            # Someone's relative: "grannens son", "the neighbour's son", "my flatmate's boyfriend".
            r"|\b(?i:grannens|grannarnas|kompisens|sambons|mammas|pappas|the\s+neighbou?r'?s'?"
            r"|\w+'s)\s+(?i:son|dotter|kille|tjej|pojkvän|flickvän|bror|syster|man|fru|sambo"
            r"|barn|ungar|son|daughter|boyfriend|girlfriend|husband|wife|brother|sister|kids?"
            r"|partner|ex|lodger|tenant)\b"
            # A possessive before a relation word: "kusinens kompis", "my sister's fiance".
            r"|\b(?i:\w{2,}(?:ens|ans|ets|ns|arnas|ernas|ornas|'s|s'))\s+"
            rf"(?i:{_REL_EN}|{_REL_SV}|fiance\w*|fästman|fästmö|kille|tjej)\b",
        ),
        (
            "description",
            rf"\b(?i:{_PERSON})\s+(?i:with|med|in\s+a|in\s+the|i\s+(?:en|ett|den|det)|wearing"
            r"|som\s+(?:bär|har\s+en|har\s+ett|alltid))\b"
            rf"|\b(?i:(?:the|a|an|den|det|en)\s+(?:\w+\s+){{1,2}}{_PERSON})\s+(?i:who|that|som)\b",
        ),
        (
            "located",
            rf"\b(?i:{_PERSON}|people|family|familjen|those|de|dom|folket)\s+(?i:living|who\s+lives?"
            r"|that\s+lives?|som\s+bor|from|on|in|at|upstairs|downstairs|above|below|på|i|från"
            r"|ovanför|under|bredvid|mittemot)\s+(?:(?i:the|flat|nummer|number|nr|lägenhet)\s+)?"
            r"(?:\d|[A-ZÅÄÖ]|(?i:floor|våning|flat|apartment|lägenhet|above|below|next|upstairs"
            r"|downstairs|ovanför|under|bredvid|mittemot|first|second|third|top|andra|tredje"
            r"|översta))",
        ),
        (
            "name",
            # Two capitalised words, or a capitalised word (not the sentence's first) then a
            # relative clause or a place.
            rf"(?<![.!?]\s)(?<!^)(?<=\s){_CAPITAL}\s+(?!\w*{_STREET_END}\b){_CAPITAL}\b"
            rf"|^{_CAPITAL}\s+[A-ZÅÄÖ][a-zåäö]+(?:son|berg|ström|qvist|kvist|gren|lund|holm|blad"
            r"|dahl|sson|man|er|ell|ing)\b"
            rf"|(?<![.!?:]\s)(?<=[\w,]\s){_CAPITAL}\s+(?i:who|that|som|from|in\s+class|i\s+klass)\b"
            rf"|(?<![.!?:]\s)(?<=[\w,]\s){_CAPITAL}\s+(?i:på|i|in|at)\s+(?:\d+\w?\b|[A-ZÅÄÖ])",
        ),
        # Round 10 (W-10's texts): kinds the patterns above did not reach, written generally.
        (
            "nickname",
            # A quoted name ('"Mad Max" in Västerslätt'), what someone calls themselves or goes by
            # in any case ("han kallar sig u.m.e_dealer"), "they call him …".
            r"[\"“”«»][A-ZÅÄÖ][\w-]*(?:\s+[A-ZÅÄÖ0-9][\w-]*){0,2}[\"“”»]"
            r"|\b(?i:kallar\s+sig|calls\s+(?:him|her|them)sel(?:f|ves)|goes\s+by|known\s+as"
            r"|kallas(?:\s+för)?|they\s+call|de\s+kallar|dom\s+kallar)\s+(?:(?i:him|her|honom"
            r"|henne)\s+)?(?!(?i:a|an|the|en|ett|för|it|det|that|så)\b)['\"‘’“”«]?[\w.@-]{2,}",
        ),
        (
            "capital_place",
            # A capitalised word or two opening a sentence, then a place: "Skägget på Ersboda",
            # "Lillebror i Mariedal", "Farbror Blå på kolonilotterna", "Lundgren in building 14"
            # (a nickname or a surname; a place opening a sentence is weighed by the model).
            rf"(?:^|(?<=[.!?]\s))\W*{_CAPITAL}(?:[\s-]+[A-ZÅÄÖ][\wåäö-]*)?\s+(?:på|i|vid|från"
            r"|in|at|on|from|with|med|near|nära)\s+(?:the\s+|de[nt]?\s+)?(?:[A-ZÅÄÖ]|\d"
            r"|\w+(?:en|et|an|na|arna|erna|orna|n)\b|(?i:building|block|flat|house|floor"
            r"|allotment|våning|huset|lägenhet))",
        ),
        (
            "handle",
            # A user name: a word with an underscore ("saevar_sippin", "x_bolle_x"), or a
            # dotted or numbered word after a platform ("insta handle carlshojd.fixer",
            # "tiktok-kontot ersboda.kungen").
            r"(?<![\w@/.])[A-Za-z0-9.]*[A-Za-z0-9]_[\w.]*\w"
            r"|\b(?i:snap\w*|insta\w*|ig|tiktok\w*|telegram\w*|kik|discord|twitter|facebook\w*|fb"
            r"|youtube\w*|twitch|x)(?:-\w+)?\s+(?:\S+\s+){0,2}?"
            r"(?![\w.]*\.(?:se|com|nu|org|net|io)\b)[a-z0-9]+(?:[._][a-z0-9]+)+\b",
        ),
        (
            "door",
            r"\b(?i:building|block|unit|entrance|stairwell|trapphus|uppgång|trappuppgång|port"
            r"|house|hus)\s+(?:nr\.?\s+|no\.?\s+|number\s+)?\d{1,4}[A-Za-z]?\b",
        ),
        (
            "house",
            # A home told by its look or its place, with or without an article, at the start:
            # "blue house with the boat in the driveway", "huset närmast ICA", "the red cabin by".
            r"(?:^\W*(?:\w+\s+){0,2}|\b(?i:the|that|this|den|det)\s+(?:\w+\s+){0,2})"
            r"(?i:house|villa|cottage|cabin|bungalow|flat|apartment|garage|shed|caravan|trailer"
            r"|huset|villan|stugan|kåken|radhuset|lägenheten|husvagnen|garaget|hus|villa|stuga"
            r"|gården)\s+(?i:with|on|at|by|behind|opposite|next\s+to|near|nearest|closest|in"
            r"|med|på|vid|bakom|mittemot|bredvid|längst|närmast|intill|nära|i)\b",
        ),
        (
            "located",
            # "han där", "the guy there": someone at a place the text has just told.
            r"\b(?i:han|hon|dom|de|killen|mannen|kvinnan|tjejen|gubben|tanten|familjen"
            r"|(?:the|that)\s+(?:guy|man|woman|lady|bloke|family|people|owner|tenant)|he|she)"
            r"\s+(?i:där|there)\b(?!\s+(?i:is|are|was|were|är|var)\s+(?:a|an|no|inga|ingen|en|ett)\b)",
        ),
        (
            "plate",
            # A vehicle, then letters and digits: "moped WPT 08", "Ford transit NUK 652".
            r"\b(?i:moped\w*|car|bil\w*|van|volvo|saab|audi|bmw|golf|skoda|ford|transit|tesla"
            r"|toyota|mc|motorcykel\w*|scooter|truck|lastbil\w*|epa\w*|a-?trakt\w*|a-?tract\w*"
            r"|tractor|traktor\w*|quad|fyrhjuling\w*|crossen|cross)\s+(?:\w+\s+)?[A-Z]{3}"
            r"\s?\d{2,3}[A-Z]?\b",
        ),
        (
            "role_activity",
            # Whoever runs a place: "whoever manages the pizzeria", "den som äger kiosken".
            r"\b(?i:whoever|the\s+(?:one|person|guy|man|woman|people)\s+(?:who|that)|den\s+som"
            r"|han\s+som|hon\s+som|de\s+som|dom\s+som)\s+(?i:runs|run|owns|own|manages|manage"
            r"|rents|drives|äger|driver|sköter|hyr\s+ut|har\s+hand\s+om)\b",
        ),
        (
            "relation",
            # A relation said without "my": "svärfar i Sävar", "grannfrun", "brorsan", "exet".
            r"\b(?i:svär(?:far|mor|son|dotter|föräldrar|fadern|modern)|svågern|svägerskan"
            r"|styv(?:far|mor|pappa|mamma|son|dotter|bror|syster|barn)\w*|bonus(?:pappa|mamma"
            r"|barn|bror|syster)\w*|grann(?:frun|gubben|tanten|killen|tjejen|pojken|flickan"
            r"|familjen|barnen|ungarna|mannen|kvinnan|damen|frun)|farsan|morsan|brorsan|syrran"
            r"|exet|exmannen|exfrun|expojkvännen|exflickvännen|kusinen|\w+-in-law|stepdad"
            r"|stepmum|stepmom|stepfather|stepmother|stepbrother|stepsister)\b",
        ),
        (
            "initials",
            # Initials in lower case ("w.g. in our building"), not e.g./i.e./s.k.
            r"(?<![\w.])(?!(?i:e\.g|i\.e|s\.k|p\.s|a\.m|p\.m|o\.k|f\.d|t\.ex|m\.m|e\.d|v\.g"
            r"|t\.o|d\.v)\.)[a-zåäö]\.[a-zåäö]\.(?![\w.])",
        ),
    )
)

# Words that often tell of a wrong (not decisive: the model weighs them with the text).
_WRONG = re.compile(
    r"(?i:\b(?:(?:takes?|took|taking|taken|tar|tog|tagit)\s+(?:\S+\s+){0,3}?(?:money|cash|pension"
    r"|wallet|purse|phones?|bikes?|parcels?|things|stuff|jewell?ery|pills|medicine|savings"
    r"|pengar\w*|kassan|plånbok\w*|mobil\w*|cykl\w*|paket\w*|pension\w*|medicin\w*|grejer"
    r"|saker|smycken|lön\w*|out\s+of|from|ur|från|betalt|bilder|photos|pictures|their|his|her"
    r"|people's|\w+'s|\w+s'|deras|hans|hennes|andras|\w+(?:arnas|ernas|ornas))"
    r"|sets?\s+(?:\S+\s+){0,3}?on\s+fire|setting\s+(?:\S+\s+){0,3}?on\s+fire|steals?|stole|stolen|pockets?|pocketed|keeps?\s+the|spits?"
    r"|hits?|kicks?|kicked|punch\w*|shov(?:e|es|ed|ing)|push\w*|slaps?|beats?|beat|hurt\w*|threat\w*|dump\w*"
    r"|pour\w*|burns?|burned|burning|locks?\s+(?:\S+\s+){0,3}?in|empt(?:ies|ied|ying)\s+(?:\S+\s+){0,3}?into"
    r"|into\s+the\s+(?:stream|river|lake|ditch|creek|sea|woods|forest)|without\s+(?:food|water)"
    r"|utan\s+(?:mat|vatten)|tömmer|tömde|häller\s+ut|lock(?:s|ed)?\s+(?:them|him|her|the)"
    r"|sells?|selling|sold|deal(?:s|ing|er|ers|t)?(?!\s+with)|buys?\s+\w+\s+for|without\s+(?:paying|asking|id|a\s+"
    r"prescription|a\s+licen[cs]e|permission|consent|receipts?)|doesn'?t\s+pay|never\s+(?:pays"
    r"|sends)|rips?\s+off|fake|lures?|poison\w*|attack\w*|follows?|touch\w*|grop(?:e|es|ed|ing)"
    r"|photos?\s+of|pictures\s+of|films?|filming|drunk|drinking|drinks|(?:gets?|got|getting|is|was|were)\s+high|high\s+on|stoned|speeding|races?"
    r"|racing|scams?|cheats?|lies|forg\w+|smash\w*|breaks?|broke|vandal\w*|spray\w*|tags?"
    r"|threw|throws?|shouts?\s+at|yells?\s+at|screams?\s+at|swears?\s+at|laughs?\s+at|bull(?:y|ies)"
    r"|harass\w*|stalk\w*|messages?\s+me|won'?t\s+let|makes?\s+(?:us|them|the|kids)\s+(?:work|hide|carry|sell|run|pay|do|steal|fight)|abus\w*"
    r"|neglect\w*|leaves?\s+\w+\s+alone|alone\s+at\s+home|hands?\s+out|supplies|gives?\s+\w+\s+to"
    r"\s+(?:kids|minors|teens)|underage|minors|\d+-year-olds|pees?|urinat\w*|exposes?|weed|drugs?"
    r"|pills|coke|vapes?|booze|alcohol|snus|cannabis|illegal\w*|black\s+market|cash\s+in\s+hand"
    r"|under\s+the\s+table|on\s+purpose|gambl\w*|launder\w*|fraud\w*|nicked|knocked|shoots?"
    r"|shot|knife|gun|weapon|fights?|fighting|(?<!\ba\s)(?<!\bA\s)bit(?!\s+of)|bites|went\s+for)\b"
    r"|\b(?:(?:tände|tänt|tänder|satt|sätter|satte)\s+eld|tömmer|tömde|häller\s+ut|utan\s+mat"
    r"|utan\s+vatten|stjäl|stal|stulit|stulna|snor|snodde|knycker|knyckte|slår|slog|slagit"
    r"|sparkar|sparkade|knuffa\w*|spottar|spottade|hotar|hotade|hotat|dumpa\w*|slänger|slängde"
    r"|häller|hällde|bränner|brände|eldar|låser\s+in|lämnar\s+\w+\s+\w*\s*ensam\w*|ensam\s+hemma"
    r"|säljer|sålde|langar|langade|köper\s+ut|utan\s+(?:att\s+betala|kvitto|recept|lov|tillstånd)"
    r"|betalar\s+(?:inte|aldrig|dem\s+inget)|svart\w*|lurar|lurade|lurat|fejk\w*|falsk\w*"
    r"|förgift\w*|attacker\w*|följer\s+efter|tafsa\w*|tar\s+bilder|filmar|smygfilm\w*|full"
    r"|fyllan|berusad|dricker|drack|påverkad|hög|kör\s+för\s+fort|rejsar|bedrar|fuskar|ljuger"
    r"|förfalskar|krossa\w*|slår\s+sönder|slagit\s+sönder|river\s+sönder|förstör\w*|klottra\w*"
    r"|sprayar|kastar|kastade|skriker\s+på|skriker\s+åt|svär\s+åt|skrattar\s+åt|mobbar|trakasser\w*"
    r"|förföljer|skickar\s+(?:konstiga|äckliga|hot\w*)|tvingar|misshandla\w*|kissar|pissar"
    r"|blottar|knark|gräs|hasch|piller|tabletter|tjack|alkohol|sprit|snus|olagli\w*|spelhak"
    r"|med\s+flit|spelar\s+bort|tvättar\s+pengar|bedrägeri\w*|skjuter|sköt|skjutit|kniv|vapen"
    r"|bråkar|slåss|bits|bet|minderåriga|\d+-åringar|fjortonåriga|femtonåriga|sextonåringar"
    r"|kört\s+över|körde\s+över|smet|åkt\s+därifrån|locka\w*\s+in)\b)"
)
# The person suffers the deed: "was attacked", "had her bag stolen", "blev misshandlad", "stjäls".
_SUFFERS = re.compile(
    r"(?i:\b(?:was|were|got|gets|been|being|is|are)\s+(?:\w+\s+)?(?:\w+ed|stolen|beaten|hit|bitten"
    r"|robbed|attacked|broken\s+into|broken|smashed|slashed|kicked|threatened|mugged|shot"
    r"|stabbed|hurt)\b|\b(?:had|has|have|got)\s+(?:\S+\s+){0,3}?"
    r"(?:stolen|slashed|smashed|broken|taken|vandali[sz]ed|damaged|snatched|nicked|grabbed"
    r"|knocked\s+\w+|robbed|hacked|scratched|dented|keyed)\b"
    r"|\b(?:blev|blivit|har\s+blivit|bli|blir)\s+(?:\w+\s+)?\w+(?:ad|at|en|d|t)\b"
    r"|\b(?:my|our|his|her|min|mitt|mina|vår|vårt|våra)\s+(?:\w+\s+)?(?:stolen|stulna|stulen"
    r"|stulet|missing|lost|borttappade|försvunna)\b"
    r"|\b\w+(?:ades|ats|des|tes|ts|jäls|ns)\b|\bfick\s+(?:sin|sitt|sina)\s+\w+\s+\w+(?:d|t|en|na)\b)"
)
# They help, witness or report: "ringde polisen", "stopped a fight", "called an ambulance".
_HELPS = re.compile(
    r"(?i:\b(?:ringde|ringer|called|calls|stopped|stops|stoppade|stoppar|reported|anmälde|anmält"
    r"|tog\s+hand\s+om|took\s+care|helped|hjälpte|saw|såg|told|berättade|warned|varnade"
    r"|caught|grep|chased|jagade|kastade\s+ut|threw\s+out|found|finds|hittade|hittar|sa\s+till"
    r"|sa\s+åt|says?|said|säger|sa\s+att|spoke|talked|talks|pratade|pratar|vill\s+stoppa"
    r"|wants?\s+to\s+stop|against|mot|bekämpa\w*|fight\w*|lugna\w*|calmed|told\s+off"
    r"|asked|bad|frågade|ta\s+hand\s+om|take\s+care\s+of|returned|lämnade\s+tillbaka)\b)"
)
# More everyday wrongs (a second list, so each stays readable): spying, control, cruelty to
# animals, dangerous driving, luring children, fencing and fraud, dumping, hurting.
_WRONG_MORE = re.compile(
    r"(?i:\b(?:sneak\w*|secretly|spies|spying|peep\w*|reads?\s+(?:her|his|my|their)\s+(?:phone"
    r"|messages|diary|post|mail)|sends?\s+(?:her|him|them|kids|girls|boys)\s+(?:messages|pictures"
    r"|photos)|won'?t\s+let|doesn'?t\s+let|egg(?:s|ed|ing)|burnouts?|doughnuts|wheelies"
    r"|tailgat\w*|red\s+lights?|ran\s+over|run\s+over|runs\s+over|kill(?:s|ed|ing|er|ers)?|traps?|trapping"
    r"|cages?|cruel\w*|mistreat\w*|starv\w*|offers?\s+(?:sweets|candy|money|lifts?|rides?)"
    r"|grabs?|grabbing|snatch\w*|forces?|forcing|makes?\s+(?:the\s+)?(?:kids|children|younger"
    r"|them|him|her)\s+(?!feel|smile|laugh|happy|safe)\w+|gets?\s+(?:the\s+)?(?:younger\s+)?kids\s+to|bull(?:y|ies|ying)"
    r"|mocks?|humiliat\w*|moonshine|hooch|homebrew|bootleg\w*|counterfeit|knock-?offs?"
    r"|fences\s+(?:stolen|goods|phones|bikes)|resells?|overcharg\w*|charges?\s+(?:for|people|them|double)|fiddl\w*|cheat\w*"
    r"|rigg\w*|tamper\w*|sabotag\w*|slash\w*|keys?\s+cars|scratch\w*\s+cars|spit\w*|urinat\w*"
    r"|defecat\w*|fly-?tip\w*|tips?\s+(?:rubbish|waste|garden\s+waste)|pelt\w*|hurl\w*"
    r"|pellet|bb\s+gun|air\s?gun|air\s+rifle|slingshot|sets?\s+(?:his|her|their)\s+dogs?"
    r"|unleash\w*|whips?|whipp\w*|slaps?|pinch\w*|drags?|dragg\w*|pulls?\s+(?:\w+\s+)?(?:hair"
    r"|arms?|ears?)|yanks?|shakes?\s+the\s+baby|smacks?|spank\w*|leaves?\s+(?:the|his|her|their)"
    r"\s+(?:kids|children|baby|dog)|blackmail\w*|extort\w*|loan\s+shark|posts?\s+(?:pictures"
    r"|photos|videos|nudes)|nudes|sexual\w*|inappropriate\w*|creep\w*|flash\w*|stalks?)\b"
    r"|\b(?:peek\w*|snoop\w*|rummag\w*|looks?\s+up\s+(?:\S+\s+){0,2}?(?:records|files"
    r"|details|addresses)|pull\w*\s+(?:\S+\s+){0,3}?off|other\s+people's|people's|\w+s'\s"
    r"|swears?|shoves?|sublet\w*|keeps?\s+the\s+(?:rent|money|deposit|change))\b"
    r"|\b(?:andras|folks|grannarnas|grannars|ensamma|hämtar\s+andras|öppnar\s+(?:folks|andras"
    r"|dem|våra|deras)|smyger|smygfot\w*|spionera\w*|tjuvkika\w*|läser\s+(?:hennes|hans|min|mina|deras)"
    r"\s+\w+|låter\s+(?:henne|honom|dem|oss|mig)\s+inte|kastar\s+ägg|äggar|sladda\w*|bränner"
    r"\s+gummi|mot\s+rött|kört\s+ihjäl|körde\s+ihjäl|dödar|dödat|dödade|fångar|burar|plåga\w*"
    r"|svälter|erbjuder\s+(?:godis|pengar|skjuts)|lockar|rycker|tvingar|får\s+(?:barnen|de\s+yngre"
    r"|yngre|ungarna)\s+att|mobbar|hånar|förnedra\w*|hembränt|hemkört|smuggel\w*|piratkop\w*"
    r"|förfalska\w*|säljer\s+vidare|häleri|överpris|skattefusk|manipulera\w*|sabotera\w*"
    r"|skär\s+sönder|repar|spottar|kissar|bajsar|skräpar\s+ner|dumpar|eldar\s+sopor|slåss"
    r"|skjuter\s+på|hetsar|släpper\s+(?:hunden|hundarna)|piskar|nyper|drar\s+(?:barnen|henne"
    r"|honom|dem|ungarna)|rycker\s+i|skakar|daskar|försumma\w*|lämnar\s+(?:barnen|ungarna"
    r"|hunden)|rattfyll\w*|påverkad|mobilen\s+när|lagt\s+ut\s+bilder|lägger\s+ut\s+bilder"
    r"|sprider\s+bilder|nakenbild\w*|utpress\w*|ockra\w*|tar\s+betalt|fuska\w*|snyltar"
    r"|trakassera\w*|förföljer|skrämmer|hotfull\w*|aggressiv\w*|våldsam\w*|elak\w*|olovligt"
    r"|utan\s+körkort|utan\s+bälte)\b)"
)


def _en_verbs(words: str) -> str:
    """Every inflection of English verbs ("steal" -> steals, stealing; "ram" -> rammed). A word
    marked with "~" is also a noun ("key", "fence", "torch"): only its -ed and -ing forms."""
    forms: set[str] = set()
    for word in words.split():
        w = word.lstrip("~")
        past = {w + "ed", w + "d", w + "ing", w + w[-1] + "ed", w + w[-1] + "ing"}
        past |= {w[:-1] + "ing"} if w.endswith("e") else set()
        forms |= past if word.startswith("~") else past | {w, w + "s", w + "es"}
        if w.endswith("y") and w[-2] not in "aeiou":
            forms |= {w[:-1] + "ied"} | (set() if word.startswith("~") else {w[:-1] + "ies"})
    return "|".join(sorted(forms, key=len, reverse=True))


def _sv_verbs(stems: str) -> str:
    """Every inflection of Swedish verbs from their stems ("hack" -> hackar, hackade, hackat)."""
    ends = ("a", "ar", "ade", "at", "as", "er", "de", "te", "t", "s", "it", "en", "na", "")
    forms = {stem + end for stem in stems.split() for end in ends}
    return "|".join(sorted(forms, key=len, reverse=True))


# Verbs of wrongs in every inflection (round 10: "keying the cars", "has taken money", "siphons
# diesel", "stryper", "snattar"), and wrongs told by what is done to others ("peoples bags",
# "buys beer for teens", "utan lön", "lägger ut gift").
_WRONG_VERBS = re.compile(
    r"(?i:\b(?:"
    + _en_verbs(
        "nick hack siphon ~ram scratch ~key choke strangle pickpocket groom poison ~torch loot rob"
        " ~mug burgle swindle embezzle defraud bribe smuggle trespass vandalise vandalize grope"
        " molest harass bully stalk intimidate terrorise terrorize assault ~punch stab slash"
        " torment abuse exploit ~trick ~con cheat scam ~fence launder poach pretend"
    )
    + r"|rams\s+(?:\S+\s+)?(?:cars|people|vehicles|into)|broke\s+into|breaks?\s+into|kicks?\s+in"
    r"|tips?\s+off|tipped\s+off|sets?\s+(?:the|his|her|their)\s+dogs?\s+on"
    r"|(?:fires?|firing|fired|shoots?|shooting|throws?|throwing|threw|aims?|aiming)\s+"
    r"(?:\S+\s+){0,2}?at\s+(?:people|peoples|cars|windows|kids|children|houses|us|them|him|her"
    r"|dogs|cats|birds|the)|buys?\s+(?:\S+\s+){0,2}?for\s+(?:teens|kids|minors|children"
    r"|teenagers|\d+[\s-]year[\s-]olds|underage)|lets?\s+(?:teens|kids|minors|children)\s+\w+"
    r"|peoples\s+\w+|other\s+people|goes\s+into\s+(?:\S+\s+)?(?:bags|flats|apartments|rooms"
    r"|cars|sheds|storage)|went\s+(?:into|through)\s+(?:\S+\s+)?(?:bags|flats|things|rooms)"
    r"|pays?\s+(?:\S+\s+){0,2}?nothing|keeps?\s+(?:their|his|her)\s+(?:passports|wages|pay"
    r"|money|ids?)|claims?\s+benefits|benefit\s+fraud|grows?\s+weed|growing\s+weed"
    r"|(?:takes?|took|taking|taken)\s+(?:our|the|their|people'?s|peoples|his|her|my)\s+"
    r"(?:deliveries|packages|parcels|post|mail|cards|keys|food|bikes?|things|stuff)"
    r"|(?:pins?|pinned|pinning|pushe[sd]|pushing|held|holds?|holding|forced?)\s+(?:\S+\s+){0,2}?"
    r"(?:down|to\s+the\s+(?:ground|floor))|for\s+no\s+reason|too\s+rough|rough\s+with"
    r"|(?:kör|körde|kört|drives?|drove|driving|doing|gör)\s+(?:i\s+|at\s+)?(?:1[0-9]{2}|[5-9]0)\b"
    r"|fires?\s+(?:he|she|they)\s+(?:sets?|started|starts|lit|lights?)"
    r"|(?:gets?|getting|got|breaks?|breaking|broke|goes|going|went)\s+into\s+(?:\S+\s+){0,2}?"
    r"(?:storage|cellars?|basements?|sheds?|garages?|lockers?|people'?s|peoples|other)"
    r"|for\s+fun|on\s+purpose|brag(?:s|ged|ging)?\s+about|(?:sets?|setting|start(?:s|ed|ing)?"
    r"|lights?|lit)\s+(?:\S+\s+){0,3}?fires"
    r")\b"
    r"|\b(?:"
    + _sv_verbs(
        "hack kap strypt stryp kväv snatt plundr råna lur bedr muta smuggl trakasser mobb"
        " förfölj hot misshandl knivhugg tafs antast utnyttj förgift tjuvkoppl"
        " fuska svindl förskingr låtsa"
    )
    + r"|tagit\s+(?:\S+\s+){0,2}?(?:pengar\w*|kassan|grejer|saker|paket\w*)|stulna?|stulet"
    r"|lägger\s+ut\s+\w*gift|la\s+ut\s+\w*gift|lagt\s+ut\s+\w*gift|råttgift|gift\s+för"
    r"|utan\s+(?:lön|betalt|ersättning|kvitton?|tillstånd)|tar\s+emot\s+stulna|stulna\s+\w+"
    r"|går\s+in\s+i\s+(?:\S+\s+)?(?:lägenhet\w*|förråd\w*|bilar\w*|rum\w*)"
    r"|köper\s+(?:\S+\s+){0,2}?(?:åt|till)\s+(?:ungdomar\w*|ungar\w*|barn\w*|tonåringar\w*"
    r"|\d+-åringar\w*|minderåriga)|\d+-åring\w*|åt\s+(?:ungdomar\w*|tonåringar\w*)"
    r"|(?:trycker|tryckte|tryckt|brottar|brottade|håller|höll|tvingar|tvingade)\s+(?:\S+\s+){0,3}?"
    r"ner\b|tar\s+i\s+(?:\S+\s+)?för\s+hårt|utan\s+anledning|hårdhänt\w*"
    r"|trimm\w*\s+(?:\S+\s+)?(?:mopeder|moppe\w*|moped\w*|epa\w*)|häleri\w*|tvättar\s+pengar"
    r"|andras\s+\w+|folks\s+\w+|med\s+flit|för\s+skojs\s+skull|skryter|jobbar\s+svart"
    r"|skjuter\s+(?:\S+\s+){0,2}?(?:mot|på)|kastar\s+(?:\S+\s+){0,2}?(?:mot|på)"
    r"|kört\s+på|körde\s+på|kör\s+på\s+(?:folk|barn|hundar)|säljs|langas|dealas"
    r")\b)"
)
# "X is the one who …", "det är X som …": the text singles someone out as the doer.
_SINGLES_OUT = re.compile(
    r"\b(?i:(?:is|was|are|were)\s+the\s+ones?\s+(?:who|that)|it'?s\s+\w+\s+who|är\s+(?:den|de"
    r"|dom)\s+som|det\s+är\s+\w+\s+som|det\s+var\s+\w+\s+som|ligger\s+bakom|is\s+behind"
    r"|(?:it'?s|its|it\s+is|it\s+was)\s+(?:him|her|them)|det\s+är\s+(?:han|hon|dom|de)"
    r"|det\s+var\s+(?:han|hon|dom|de))\b"
)
# A wrong told without a doer: "det har varit inbrott", "there have been break-ins".
_NO_DOER = re.compile(
    r"\b(?i:det\s+(?:har\s+varit|har\s+blivit|är\s+mycket|var\s+mycket|finns|fanns|sker|händer)"
    r"|there\s+(?:is|are|was|were|have\s+been|has\s+been)|det\s+\w+s\b)"
)
# Help, praise and neutral telling: a person is mentioned, no wrong is told.
_KIND = re.compile(
    r"(?i:\b(?:thanks?|thank\s+you|kind|friendly|helps?|helped|helpful|lovely|great|amazing|always"
    r"\s+smiling|smiles|organi[sz]\w*|good\s+job|great\s+job|well\s+done|bra\s+jobb\w*"
    r"|jättebra|toppen|supersnäll\w*|grym\w*|legend\w*|hero|hjälte|adore\w*|loved|älskad\w*"
    r"|brilliant|lovely|underbar\w*|volunteers?|told\s+(?:me|us)|said|says|tack|snäll\w*"
    r"|vänlig\w*|hjälp\w*|fantastisk\w*|trevlig\w*|ordnat|ordnar|startat|sa\s+att|säger\s+att"
    r"|berättade|tycker)\b)"
)
_EN = re.compile(r"\b(?i:the|and|is|are|my|our|he|she|they|of|to|with|who|at|on|was|has)\b")
_SV = re.compile(r"\b(?i:och|är|på|som|har|min|mitt|vår|han|hon|de|dom|det|att|med|vid|av)\b|[åäö]")


def language(text: str) -> str:
    """sv or en, by the commonest function words (good enough for a feature)."""
    return "en" if len(_EN.findall(text)) > len(_SV.findall(text)) else "sv"


# The writer's own role ("I'm a youth leader in Holmsund", "som förälder på Teg"): no one else.
_WRITER = re.compile(
    r"\b(?i:I'?m|I\s+am|as|jag\s+är|jag\s+jobbar\s+som|som|being)\s+(?i:a|an|en|ett|the)?\s*"
    r"(?:\w+\s+)?$"
)
# Only the first person: "I'm the caretaker at the school" (not "vakten som jobbar …").
_WRITER_SELF = re.compile(
    r"\b(?i:I'?m|I\s+am|jag\s+är|jag\s+jobbar\s+som)\s+(?i:a|an|en|ett|the)?\s*(?:\w+\s+)?$"
)
_TOKEN = re.compile(r"(?<![\w@])([A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?)\b")
# A surname by its ending, anywhere ("Pettersson on the second floor", "Lundgren in building 14").
_SURNAME = re.compile(
    r"(?<![\w@.])([A-ZÅÄÖ][a-zåäöé]+(?:sson|son|ström|berg|qvist|kvist|gren|lund|blad|dahl"
    r"|stedt|lind|bäck|gård|holm|vall|stam|sjö|man))\b"
)
_NOT_SURNAMES = _words(
    "person reason season lesson prison poison comparison liaison garrison venison woman human "
    "german roman norman ombudsman postman fireman policeman chairman spokesman salesman "
    "nydalasjö tavelsjö stöcksjö röbäck storsjö ersmark holmsund"
)
# "Muskel-Janne", "Kniv-Kalle": a word and a given name joined by a hyphen.
_HYPHEN_NAME = re.compile(r"(?<![\w-])([A-ZÅÄÖ][a-zåäö]+)-([A-ZÅÄÖ][a-zåäö]+)(?![\w-])")
# Two capitals opening a sentence, then a verb: "FA sells alcohol to teens", "JK langar".
_CAPS_INITIALS = re.compile(
    r"(?:^|(?<=[.!?]\s))\W*(?!(?:OK|TV|IT|EU|UK|US|SL|ID|HR|VD|AI|PT|DJ|BB|CV|PM|GP|SM|VM|OS)\b)"
    r"[A-ZÅÄÖ]{2}\s+(?=[a-zåäö]+(?:s|ar|er|ir|or|ur|de|te)\b)"
)
_GIVEN = frozenset(n for n in NAMES if n not in _AMBIGUOUS_NAMES)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCES.split(text) if s and s.strip()]


@lru_cache(maxsize=2048)
def person_cues(text: str) -> tuple[str, ...]:
    """The kinds of identifiability cue in ``text`` (sorted, without repeats): these patterns,
    the hand rules' references (accusation_net._broad_refs) and known given names."""
    kinds = {
        kind
        for kind, pattern in CUES
        if any(not _WRITER.search(text, 0, m.start()) for m in pattern.finditer(text))
    }
    if any(m[1].lower() in _GIVEN for m in _TOKEN.finditer(text)):
        kinds.add("name")
    if any(m[1].lower() not in _NOT_SURNAMES for m in _SURNAME.finditer(text)):
        kinds.add("name")
    if any(
        (m[1].lower() in _GIVEN or m[2].lower() in _GIVEN) and m[0].lower() not in PLACES
        for m in _HYPHEN_NAME.finditer(text)
    ):
        kinds.add("nickname")
    if _CAPS_INITIALS.search(text):
        kinds.add("initials")
    kinds.update(
        f"rule_{r.reason}"
        for s in _sentences(text)
        for r in _broad_refs(s)
        if not (r.reason.startswith("role") and _WRITER_SELF.search(s, 0, r.start))
    )
    return tuple(sorted(kinds))


@lru_cache(maxsize=2048)
def wrong_cues(text: str) -> int:
    """How many words that often tell of a wrong occur in ``text`` (this module's list, the
    crime stems and the hand rules' deeds)."""
    deeds = sum(len(_deeds(s)) for s in _sentences(text))
    found = _WRONG.findall(text) + _WRONG_MORE.findall(text) + _VALENCE.findall(text)
    found += _WRONG_VERBS.findall(text)
    return len(found) + deeds


# An indefinite doer opens the text: "Någon langar vid nummer 12", "People keep dumping …".
_SOMEONE_FIRST = re.compile(
    r"^\W*(?i:någon|nån|några|folk|ungdomar|unga|killar|tjejer|someone|somebody|people|kids|youths"
    r"|teenagers|teens|guys|men|women|(?:a|an)\s+(?:\w+\s+)?(?:bunch|group|gang|couple|crowd)\s+of"
    r"|ett\s+(?:\w+\s+)?(?:gäng|par)|en\s+(?:\w+\s+)?(?:grupp|massa|hop))\b(?!\s+(?i:i|in|på|at|from|från|som\s+bor|who\s+lives?)\b)"
)
_POINTING = frozenset({"name", "initials", "nickname", "handle", "address", "rule_named_person"})


# A definite doer after a passive: "av grannen", "av sin pojkvän", "by the guy at number 5", "av
# Kalle" (not "av ett gäng", "av falska hantverkare", "by people she never sees").
DEFINITE_AGENT = (
    r"(?i:av|by)\s+(?:(?i:min|mitt|mina|sin|sitt|sina|hans|hennes|deras|vår|vårt|våra|den|det|dom"
    r"|the|my|his|her|their|our|that|this)\b|(?-i:[A-ZÅÄÖ])\w+|(?!(?i:ungdomar|någon|några)\b)"
    r"(?i:\w+(?:en|et|na|an|arna|erna|orna))\b)"
)
# What someone suffers, told in the passive ("blev vandaliserad", "got vandalised", "had his bag
# taken"), unless a definite doer follows ("av grannen", "by the guy at number 9").
_VICTIM_SPAN = re.compile(
    r"(?i:\b(?:(?:was|were|got|gets|been|being|is|are)\s+(?:(?!by\b)\w+ly\s+|just\s+|also\s+)?"
    r"|(?:had|has|have)\s+(?!been\b)(?:(?!by\b)\S+\s+){1,3}?)(?:\w+(?<!e)ed|stolen|beaten|hit"
    r"|bitten|broken"
    r"(?:\s+into)?|taken|shot|stabbed|hurt|thrown)\b"
    r"|\b(?:blev|blivit|bli|blir|fick)\s+(?:(?!av\b)\S+\s+){0,3}?\w+(?:ad|at|ade|ada|en|et|na"
    r"|d|t)\b"
    r"|\b(?:my|our|his|her|their|min|mitt|mina|vår|vårt|våra|hans|hennes|deras)\s+(?:\w+\s+)?"
    r"(?:stolen|stulna|stulen|stulet)\s+\w+"
    r"|\b(?:rånad|misshandlad|bestulen|vandaliserad|inbrott\w*|break-?ins?"
    r"|burglar(?:y|ies)|shoplifting|snatteri\w*|klotter|graffiti|skadegörelse)\b)"
    r"(?!\s+" + DEFINITE_AGENT + ")"
)


def singles_out(text: str) -> bool:
    """The text names someone as the doer: "X is the one who …", "det är X som …"."""
    return bool(_SINGLES_OUT.search(text))


def victim_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` tells what someone suffered, with no definite doer after it."""
    return [m.span() for m in _VICTIM_SPAN.finditer(text)]


# What something is against ("rules against bullying", "förebygga klotter"), or what no one in
# particular does ("when something breaks", "någon har sprejat").
_AGAINST_SPAN = re.compile(
    r"\b(?i:against|prevent\w*|förebygg\w*|bekämpa\w*|anti)[\s-]+(?:\w+\s+){0,1}\w+"
    r"|(?:^|[.,;:!?]\s*|\b(?i:when|if|after|since|where|that|när|om|innan|efter\s+att|där|att)\s+)"
    r"(?i:someone|somebody|something|någon|nån|något|nåt)\s+(?:\w+\s+)?\w+"
)


def active_wrongs(text: str) -> int:
    """Words that tell of a wrong outside what someone suffers ("min kompis bil blev
    vandaliserad", "got robbed") or what something is against ("rules against bullying"): a
    victim, a witness or the writer is not accused by them."""
    if _SINGLES_OUT.search(text):
        return wrong_cues(text)
    blank = _VICTIM_SPAN.sub(lambda m: " " * len(m[0]), text)
    return wrong_cues(_AGAINST_SPAN.sub(lambda m: " " * len(m[0]), blank))


# Someone stepping in against a wrong: "sa till en kille som rökte hasch", "called the police when".
_INTERVENES = re.compile(
    r"\b(?i:ringde|ringer|called|calls|rang|phoned)\s+(?:the\s+)?(?i:polisen|police|112|114\s?14"
    r"|väktar\w*|security|ambulans\w*|an\s+ambulance)"
    r"|\b(?i:sa\s+till|sa\s+åt|told\s+(?:\S+\s+){0,3}?off|stoppade|stopped|kastade\s+ut|threw\s+out"
    r"|körde\s+iväg|chased\s+(?:\S+\s+)?(?:off|away)|jagade\s+(?:\S+\s+)?(?:iväg|bort)"
    r"|grep|caught|tog\s+fast|larmade|alerted|reported|anmälde|varnade|warned)\b"
)

#: With no word that tells of a wrong, the model must be this sure (a person alone is no wrong).
NO_WRONG_WORD_THRESHOLD = 0.7
#: When the person pointed at steps in ("sa till en kille som rökte hasch", "called the police"),
#: the wrong told is most likely someone else's.
INTERVENES_THRESHOLD = 0.8


def model_may_judge(text: str) -> float | None:
    """The probability the learned model must reach, or None when it is not asked: no one
    identifiable is cued, or the text opens with an indefinite doer ("someone", "people") while
    no name, initials, nickname, handle or address points at anyone. Without a word that tells of
    a wrong the bar is :data:`NO_WRONG_WORD_THRESHOLD`, else the model's own threshold."""
    from bot.privacy.guard_model import THRESHOLD

    cues = person_cues(text)
    if not cues or (_SOMEONE_FIRST.search(text) and not _POINTING & set(cues)):
        return None
    if wrong_cues(text) and not active_wrongs(text):
        return None  # only what someone suffered: a victim is no one to protect from the text
    if _INTERVENES.search(text) and not singles_out(text):
        return max(THRESHOLD, INTERVENES_THRESHOLD)
    if not wrong_cues(text):
        return max(THRESHOLD, NO_WRONG_WORD_THRESHOLD)
    return THRESHOLD


def features(text: str) -> dict[str, float]:
    """Structural features for guard_model: person cue × wrongdoing cue, per language."""
    lang = language(text)
    people = person_cues(text)
    wrongs = wrong_cues(text)
    kind = bool(_KIND.search(text))
    out: dict[str, float] = {f"lang={lang}": 1.0}
    has_person, has_wrong = bool(people), wrongs > 0
    for cue in people:
        out[f"p={cue}"] = 1.0
        out[f"{lang}:p={cue}"] = 1.0
        if has_wrong:
            out[f"p={cue}*w"] = 1.0
    out["p"] = float(has_person)
    out["w"] = min(wrongs, 3) / 3
    out["p*w"] = float(has_person and has_wrong)
    out[f"{lang}:p*w"] = float(has_person and has_wrong)
    out["kind"] = float(kind)
    out["kind*w"] = float(kind and has_wrong)
    suffers, helps = bool(_SUFFERS.search(text)), bool(_HELPS.search(text))
    out["suffers"] = float(suffers)
    out["suffers*p*w"] = 3.0 * float(suffers and has_person and has_wrong)
    singles, no_doer = bool(_SINGLES_OUT.search(text)), bool(_NO_DOER.search(text))
    out["singles_out*p*w"] = 3.0 * float(singles and has_person and has_wrong)
    out["no_doer*p*w"] = 2.0 * float(no_doer and has_person and has_wrong)
    out["helps"] = float(helps)
    out["helps*p*w"] = 3.0 * float(helps and has_person and has_wrong)
    return out
