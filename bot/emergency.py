"""Spot messages about ongoing danger so the bot answers "ring 112" before anything else.

A missed emergency is far worse than a false alarm, so the patterns are broad; they look for
danger happening now (a break-in in progress, someone being hit, fire, weapons, threats to
life), and skip plainly hypothetical or past-tense questions such as "hur anmäler jag ett
inbrott som hänt". Text is diacritic-folded first, so "pågår" and "pagar" both match.
"""

from __future__ import annotations

import re

from bot.textnorm import fold

# Patterns run on folded, lower-case text with single spaces.
_DANGER_SV = [
    r"inbrott (pagar|just nu|nu\b)",
    r"pagaende (inbrott|brand|misshandel|ran|brott)",
    r"(bryter|brot|tar) sig in (hos|i|pa|genom|just|nu)",
    r"(forsoker|forsok) (ta sig|bryta sig|komma) in",
    r"(nagon|han|hon|de|dom|dem|en kille|en man|nan) (bryter sig in|forsoker ta sig in)",
    r"\bblir (slagen|misshandlad|knivhuggen|hotad|ranad|nedslagen|attackerad|"
    r"forfoljd|overfallen|valdtagen|skjuten|strypt)",
    r"\b(slar|sparkar|misshandlar|knivhugger|stryper|attackerar|skjuter|ranar) "
    r"(henne|honom|mig|oss|dem|dom|nagon|en|ett|min|mitt|mina|barnet|barnen|ihjal)",
    r"\bdet brinner\b",
    r"\bbrinner (i|pa|det)\b",
    r"\b(har|med|viftar med|drog|drar) (en |ett )?(kniv|pistol|vapen|gevar|yxa|machete)",
    r"\bskottlossning\b",
    r"\b(skjuter|skjuts|skott) (nu|just nu|har|utanfor|vid|pa)\b",
    r"\bhot mot liv",
    r"\b(hotar|ska|kommer|vill|tanker) (att )?(doda|morda|skjuta|knivhugga) "
    r"(mig|oss|henne|honom|dig|barnen)",
    r"\bhotar (mig|oss|henne|honom) med",
    r"\b(andas inte|medvetslos|bloder)\b",
    r"\b(ta livet av mig|tar livet av mig|vill do|vill inte leva)\b",
    r"\b(forfoljd|forfoljer mig|foljer efter mig)\b",
    r"\b(jag|vi) (ar|blir) (i fara|hotad|hotade|instangd)",
    r"\bknivhuggen|knivhuggit|blivit skjuten\b",
    r"\b(ranar) (mig|oss|butiken|affaren)",
    r"\bjag blir ranad\b",
    r"\bkom fort\b",
    r"\bhjalp (han|hon|de|dom|nagon|mig)\b",
]
_DANGER_EN = [
    r"\b(is|are|s|re) (attacking|hitting|beating|stabbing|shooting|strangling|choking|"
    r"raping|robbing|following|chasing|threatening) (me|her|him|us|them|someone|my|a|the)",
    r"\b(attacking|hitting|beating|stabbing) (me|her|him|us)\b",
    r"\b(there s|there is|theres) (a )?fire\b",
    r"\b(on fire|is burning|are burning|house fire|building is burning)\b",
    r"\bfire in (my|the|our)\b",
    r"\b(has|have|with|holding|waving) (a )?(knife|gun|pistol|weapon|rifle|machete|axe)",
    r"\b(man|guy|someone|person|people) with (a )?(knife|gun|pistol|weapon)",
    r"\b(shots fired|shooting|gunshots?|being shot)\b",
    r"\b(breaking|broke|trying to get|trying to break) in(to)?\b.*\b(now|right now)\b",
    r"\b(is|are|s|re) breaking in(to)?\b",
    r"\bbreak ?in in progress\b",
    r"\b(going to|gonna|will|wants to|threatening to) (kill|shoot|stab|hurt) (me|us|her|him|you)",
    r"\b(stabbed|been shot|is bleeding|bleeding badly|not breathing|unconscious)\b",
    r"\b(kill myself|end my life|suicide)\b",
    r"\bhelp (he|she|they|someone|me)\b",
    r"\b(i am|i m|im|we are|we re) (in danger|being (attacked|followed|robbed|threatened))",
    r"\bi m being\b|\bim being\b",
]
_DANGER = re.compile("|".join(f"(?:{p})" for p in _DANGER_SV + _DANGER_EN))

# Past, habitual or hypothetical framing, unless the message also says it is happening now.
_NOT_NOW = re.compile(
    r"\b(hur anmaler|anmala|anmalan|igar|forra veckan|i somras|har hant|som hant|"
    r"vad gor man om|vad ska man gora om|vad gor jag om|om nagon|ibland|brukar|"
    r"what should i do if|what do i do if|if someone|how do i report|yesterday|last week|"
    r"sometimes|used to)\b"
)
_NOW = re.compile(r"\b(nu|just nu|pagar|hjalp|now|right now|help|happening)\b|!")


def _normalise(text: str) -> str:
    folded = fold(text).replace("'", " ").replace("’", " ")
    return re.sub(r"[^\w!]+", " ", folded).strip()


def is_emergency(text: str) -> bool:
    """True when the message describes danger happening now (show 112 first)."""
    norm = _normalise(text)
    if not _DANGER.search(norm):
        return False
    return not (_NOT_NOW.search(norm) and not _NOW.search(norm))
