"""What residents ask that the bot cannot answer yet: grouping and the /obesvarade text.

This is how the council's content grows where residents need it: the same question in ten
phrasings should show as one line with a count, not ten lines. Grouping is by character
n-gram similarity (robust to typos, inflection and word order), greedy and newest first.
Pure functions: no Telegram, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from bot.content import Council
from bot.escape import esc
from storage.questions_log import EntryVotes, LoggedQuestion

SIMILAR = 0.45
"""Cosine similarity of character 2–4-grams at which two questions count as the same one."""
SHOWN_GROUPS = 20
SHOWN_CHARS = 160  # of each question: the whole list stays readable (stored up to 500)
SHOWN_VOTES = 10

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


@dataclass
class QuestionGroup:
    """Similar questions: the newest phrasing shown, how many, how many only hedged, votes."""

    text: str
    latest: str  # created_at of the newest
    count: int = 0
    hedged: int = 0
    helpful: int = 0
    unhelpful: int = 0
    members: list[LoggedQuestion] = field(default_factory=list)


def group_questions(questions: Sequence[LoggedQuestion]) -> list[QuestionGroup]:
    """Group similar questions; groups ordered by their newest question, newest first."""
    items = [q for q in questions if q.text]
    if not items:
        return []
    ordered = sorted(items, key=lambda q: (q.created_at, q.id), reverse=True)
    texts = [q.text.casefold() for q in ordered]
    try:
        matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit_transform(texts)
        similarity = cosine_similarity(matrix)
    except ValueError:  # only punctuation: every question stands alone
        similarity = None
    heads: list[int] = []
    groups: list[QuestionGroup] = []
    for i, question in enumerate(ordered):
        home = None
        if similarity is not None:
            for g, head in enumerate(heads):
                if similarity[i, head] >= SIMILAR:
                    home = g
                    break
        if home is None:
            heads.append(i)
            groups.append(QuestionGroup(text=question.text, latest=question.created_at))
            home = len(groups) - 1
        group = groups[home]
        group.count += 1
        group.hedged += question.band == "hedge"
        group.helpful += question.helpful
        group.unhelpful += question.unhelpful
        group.members.append(question)
    return groups


def render(
    groups: Sequence[QuestionGroup],
    votes: Sequence[EntryVotes],
    council: Council,
    *,
    title: str,
    locale: str,
    _: Gettext,
    ngettext: Ngettext,
    when: Callable[[str], str],
) -> str:
    """The /obesvarade message (HTML): groups with counts, then 👍/👎 per answer."""
    total = sum(g.count for g in groups)
    lines = [_("<b>Frågor jag inte kunde svara på: {period}</b>").format(period=esc(title))]
    if not groups:
        lines.append(_("Inga obesvarade frågor under perioden."))
    else:
        # Two counts, each with its own plural ("1 fråga i 1 grupp", "5 frågor i 2 grupper").
        questions = ngettext("{n} fråga", "{n} frågor", total).format(n=total)
        in_groups = ngettext("{n} grupp", "{n} grupper", len(groups)).format(n=len(groups))
        lines.append(
            _("{questions} i {groups}, nyast först. Vem som frågade sparas aldrig.").format(
                questions=questions, groups=in_groups
            )
        )
        lines.append("")
        for number, group in enumerate(groups[:SHOWN_GROUPS], start=1):
            details = [
                ngettext("{n} gång", "{n} gånger", group.count).format(n=group.count),
                _("senast {when}").format(when=when(group.latest)),
            ]
            if group.hedged:
                details.append(
                    ngettext("{n} osäkert svar", "{n} osäkra svar", group.hedged).format(
                        n=group.hedged
                    )
                )
            if group.helpful or group.unhelpful:
                details.append(f"👍 {group.helpful} 👎 {group.unhelpful}")
            shown = group.text
            if len(shown) > SHOWN_CHARS:
                shown = shown[: SHOWN_CHARS - 1].rstrip() + "…"
            # Translators: a resident's question quoted in the list; English quotes it “so”.
            quoted = _("”{text}”").format(text=esc(shown))
            lines.append(f"{number}. {quoted}\n   {esc(' · '.join(details))}")
        if len(groups) > SHOWN_GROUPS:
            more = len(groups) - SHOWN_GROUPS
            lines.append(
                ngettext("… och {n} grupp till.", "… och {n} grupper till.", more).format(n=more)
            )
    if votes:
        lines += ["", _("<b>Fick du svar?</b> (👍 ja, 👎 nej, per svar)")]
        for vote in votes[:SHOWN_VOTES]:
            entry = council.knowledge_entry(vote.entry) if vote.entry else None
            name = entry.title.get(locale) if entry else (vote.entry or _("”Vet inte”-svar"))
            lines.append(f"• {esc(name)}: 👍 {vote.helpful} 👎 {vote.unhelpful}")
    return "\n".join(lines)
