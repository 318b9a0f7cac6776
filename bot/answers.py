"""Render knowledge-base answers, medborgarlöften and focus areas as Telegram HTML (issue #3).

Pure functions: content in, ``Reply`` (HTML text + button rows) out, so rendering is tested
without Telegram. Rules kept here so no handler can forget them:

- every text from the content file is escaped (``<``, ``&``, ``>`` in content stay text);
- the key fact comes first, then the rest, then the source line, then "läs mer" buttons;
- nothing is stated that is not in the content file; when unsure we say so and give contacts;
- an emergency reply starts with 112, before anything else;
- a reply is never longer than Telegram's 4096 visible characters (UTF-16 units), and
  truncation never cuts inside a tag or an entity.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callback import CallbackData, MenuButton
from bot.content import (
    Council,
    FocusArea,
    KnowledgeEntry,
    LText,
    Promise,
    PromisePeriod,
    PromiseStatus,
)
from bot.emergency import asks_question
from bot.escape import esc
from bot.i18n import Gettext
from bot.knowledge import Answer

MAX_TEXT = 4096
ELLIPSIS = "…"


@dataclass(frozen=True)
class EntryButton(CallbackData, prefix="kb"):
    """``kb:<entry id>``: show a knowledge entry ("läs mer", a hedge's other topics)."""

    entry_id: str


@dataclass(frozen=True)
class PromiseButton(CallbackData, prefix="lofte"):
    """``lofte:<promise id>``: one medborgarlöfte in full."""

    promise_id: str


@dataclass(frozen=True)
class FocusButton(CallbackData, prefix="fokus"):
    """``fokus:<focus id>``: one focus area."""

    focus_id: str


MAX_RELATED = 3


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: callback ``data`` or a ``url``."""

    label: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """One bot message: HTML text (≤ 4096 visible characters) and inline button rows."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()

    def markup(self) -> InlineKeyboardMarkup | None:
        """The Telegram keyboard, or None when there are no buttons."""
        if not self.buttons:
            return None
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(b.label, url=b.url)
                    if b.url
                    else InlineKeyboardButton(b.label, callback_data=b.data)
                    for b in row
                ]
                for row in self.buttons
            ]
        )


def link(url: str, label: str | None = None) -> str:
    """An <a> tag; the label defaults to the bare host ("umea.se")."""
    return f'<a href="{html.escape(url, quote=True)}">{esc(label or display_url(url))}</a>'


def display_url(url: str) -> str:
    """ "https://www.umea.se/x" → "umea.se/x" (what people say and type)."""
    bare = re.sub(r"^https?://(www\.)?", "", url)
    return bare.rstrip("/")


def site_name(url: str) -> str:
    """Just the host ("umea.se"), for button labels."""
    return display_url(url).split("/")[0]


# ---------------------------------------------------------------- length-safe truncation

_TOKEN = re.compile(r"(<[^>]*>)|(&#?[A-Za-z0-9]+;)|([^<&]+)|(&)")
_TAG_NAME = re.compile(r"^</?\s*([A-Za-z0-9-]+)")


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(html_text: str) -> int:
    """What the user sees, in UTF-16 units: tags don't count, an entity counts as one char."""
    total = 0
    for tag, entity, text, amp in _TOKEN.findall(html_text):
        if tag:
            continue
        total += _units(html.unescape(entity)) if entity else _units(text or amp)
    return total


def truncate_html(html_text: str, limit: int = MAX_TEXT) -> str:
    """Cut ``html_text`` to at most ``limit`` visible units, at a safe place, with "…".

    Cuts only between characters of text (never inside a tag or an entity, never between the
    halves of a surrogate pair), prefers a word boundary, and closes every tag left open.
    """
    if visible_length(html_text) <= limit:
        return html_text
    budget = limit - _units(ELLIPSIS)
    out: list[str] = []
    open_tags: list[str] = []
    used = 0
    for tag, entity, text, amp in _TOKEN.findall(html_text):
        if tag:
            name_match = _TAG_NAME.match(tag)
            name = name_match.group(1).lower() if name_match else ""
            if tag.startswith("</"):
                if open_tags and open_tags[-1] == name:
                    open_tags.pop()
            elif not tag.endswith("/>"):
                open_tags.append(name)
            out.append(tag)
            continue
        piece = entity or text or amp
        size = _units(html.unescape(piece)) if entity else _units(piece)
        if used + size <= budget:
            out.append(piece)
            used += size
            continue
        if text:
            room = budget - used
            cut = ""
            for ch in text:
                if _units(cut + ch) > room:
                    break
                cut += ch
            space = cut.rfind(" ")
            if space >= len(cut) // 2:
                cut = cut[:space]
            out.append(cut.rstrip())
        break
    # Drop tags opened but left empty at the end (e.g. "<b>" right before the cut).
    result = "".join(out) + ELLIPSIS
    for name in reversed(open_tags):
        result += f"</{name}>"
    return result


def _finish(text: str, buttons: Sequence[Sequence[Button]] = ()) -> Reply:
    return Reply(truncate_html(text.strip()), tuple(tuple(row) for row in buttons if row))


# ---------------------------------------------------------------- knowledge answers


def _key_fact_first(answer: str) -> str:
    """First line in bold (the entries are written key fact first), the rest as is."""
    first, _sep, rest = answer.strip().partition("\n")
    text = f"<b>{esc(first.strip())}</b>"
    if rest.strip():
        text += "\n" + esc(rest.strip())
    return text


def source_line(sources: LText | Sequence[LText], locale: str, _: Gettext) -> str:
    """The italic source line under every factual answer, in the resident's language (an
    English answer must not cite "sidan …"); several sources are joined, each named once."""
    items = [sources] if isinstance(sources, LText) else list(sources)
    texts = list(dict.fromkeys(s.get(locale) for s in items))
    return "<i>" + esc(_("Källa: {source}").format(source="; ".join(texts))) + "</i>"


def entry_button(entry: KnowledgeEntry, locale: str) -> Button:
    """A button that shows a knowledge entry (callback ``kb:<id>``)."""
    return Button("📖 " + entry.title.get(locale), data=EntryButton(entry.id).pack())


def render_entry(
    entry: KnowledgeEntry,
    locale: str,
    _: Gettext,
    related: Sequence[KnowledgeEntry] = (),
) -> Reply:
    """A sourced answer: key fact first, source line, then "läs mer" buttons (related entries)."""
    text = _key_fact_first(entry.answer.get(locale)) + "\n\n" + source_line(entry.source, locale, _)
    buttons = [[entry_button(r, locale)] for r in related[:MAX_RELATED]]
    return _finish(text, buttons)


def contact_lines(council: Council, locale: str, _: Gettext) -> str:
    """Who can answer what the bot cannot: municipality and police, from the content file."""
    contacts = council.contacts
    municipality = contacts.municipality
    police = contacts.police
    return "\n".join(
        [
            _("• {name}: {phone}, {web}").format(
                name=esc(municipality.name.get(locale)),
                phone=esc(municipality.phone),
                web=link(municipality.web),
            ),
            _("• {name} (inte akut): {phone}, {web}").format(
                name=esc(police.name.get(locale)),
                phone=esc(contacts.police_non_urgent.number),
                web=link(police.web),
            ),
        ]
    )


def render_dont_know(
    alternatives: Sequence[KnowledgeEntry], council: Council, locale: str, _: Gettext
) -> Reply:
    """Honest "vet inte": closest topics as buttons, and who to ask instead."""
    parts = [_("<b>Det vet jag tyvärr inte.</b> Jag svarar bara på det jag säkert vet om rådet.")]
    if alternatives:
        parts.append(_("Menade du något av det här? Tryck på en knapp."))
    parts.append(_("Fråga gärna kommunen eller polisen direkt:"))
    parts.append(contact_lines(council, locale, _))
    parts.append(
        _("Pågår ett brott eller är någon i fara? Ring {number}.").format(
            number=esc(council.contacts.emergency.number)
        )
    )
    buttons = [[entry_button(e, locale)] for e in alternatives[:MAX_RELATED]]
    return _finish("\n\n".join(parts), buttons)


def emergency_text(council: Council, locale: str, _: Gettext) -> str:
    """The 112 block; it always opens the reply to a message about danger now."""
    contacts = council.contacts
    number = esc(contacts.emergency.number)
    return "\n".join(
        [
            _("🚨 <b>Ring {number} nu</b> om någon är i fara eller om brottet pågår.").format(
                number=number
            ),
            esc(contacts.emergency.purpose.get(locale)),
            _("Jag är en bot och kan inte larma åt dig. Ring {number} själv.").format(
                number=number
            ),
        ]
    )


def support_lines(council: Council, locale: str, _: Gettext) -> str:
    """Support lines for threats and violence by someone close (from the content file)."""
    lines = council.contacts.close_violence_support
    if not lines:
        return ""
    rows = [_("<b>Hot eller våld från någon du känner?</b> Du kan få stöd här:")]
    rows += [
        _("• {name}: {phone}. {purpose}").format(
            name=esc(line.name.get(locale)),
            phone=esc(line.number),
            purpose=esc(line.purpose.get(locale)),
        )
        for line in lines
    ]
    return "\n".join(rows)


def render_hedge(
    entry: KnowledgeEntry,
    alternatives: Sequence[KnowledgeEntry],
    locale: str,
    _: Gettext,
) -> Reply:
    """ "Jag tror att du undrar över …": the likely answer, said as a guess, with other topics
    as buttons (a plausible guess shown as a guess, never as a confident answer)."""
    buttons = [[entry_button(e, locale)] for e in alternatives if e.id != entry.id]
    text = _("Jag tror att du undrar över <b>{title}</b>.").format(
        title=esc(entry.title.get(locale).rstrip("?"))
    )
    if buttons:
        text += " " + _("Stämmer det inte? Tryck på en knapp nedan.")
    body = render_entry(entry, locale, _)
    return _finish(text + "\n\n" + body.text, buttons[:MAX_RELATED])


def render_small_talk(answer: Answer, locale: str) -> str:
    """The content file's fixed reply to a greeting, thanks, goodbye or "are you a human?"."""
    assert answer.small_talk is not None
    return esc(answer.small_talk.answer.get(locale))


def render_answer(
    answer: Answer,
    council: Council,
    locale: str,
    _: Gettext,
    related: Sequence[KnowledgeEntry] = (),
    question: str | None = None,
) -> Reply:
    """The reply to a free-text question, by band.

    Emergency → the 112 block first, the support lines when someone close is the danger, and
    then only a confident answer to a question the message also asks (``question``, the
    message, when known): never "vet inte", a hedge or topic buttons after an alarm, they
    bury 112 under guesses. Threats or violence by someone close told as the past → the
    support lines first, then the reply. ``answer`` → the entry with "läs mer" buttons for
    ``related``; ``hedge`` → "Jag tror att du undrar över …"; ``small_talk`` → its reply;
    else "vet inte".
    """
    support = support_lines(council, locale, _) if answer.close_violence else ""
    if answer.emergency:
        parts = [emergency_text(council, locale, _)]
        if support:
            parts.append(support)
        if (
            answer.band == "answer"
            and answer.entry is not None
            and (question is None or asks_question(question))
        ):
            parts.append(render_entry(answer.entry, locale, _).text)
        return _finish("\n\n".join(parts))
    if support and answer.band == "dont_know":
        parts = [
            support,
            _("Fråga gärna kommunen eller polisen direkt:"),
            contact_lines(council, locale, _),
            _("Pågår ett brott eller är någon i fara? Ring {number}.").format(
                number=esc(council.contacts.emergency.number)
            ),
        ]
        buttons = [[entry_button(e, locale)] for e in answer.alternatives[:MAX_RELATED]]
        return _finish("\n\n".join(parts), buttons)
    if answer.band == "answer" and answer.entry is not None:
        body = render_entry(answer.entry, locale, _, related)
    elif answer.band == "hedge" and answer.entry is not None:
        body = render_hedge(answer.entry, answer.alternatives, locale, _)
    elif answer.band == "small_talk" and answer.small_talk is not None:
        body = _finish(render_small_talk(answer, locale))
    else:
        body = render_dont_know(answer.alternatives, council, locale, _)
    if not support:
        return body
    return _finish(support + "\n\n" + body.text, body.buttons)


# ---------------------------------------------------------------- medborgarlöften


def promise_button(promise: Promise, locale: str) -> Button:
    """ "Läs mer" about one promise (callback ``lofte:<id>``)."""
    return Button("📖 " + promise.title.get(locale), data=PromiseButton(promise.id).pack())


def _promise_list(promises: Sequence[Promise], locale: str) -> str:
    """Promise titles grouped by their part (short; the buttons show each in full)."""
    lines: list[str] = []
    current_part: str | None = None
    for p in promises:
        part = p.part.get(locale) if p.part else None
        if part and part != current_part:
            lines.append(f"\n<b>{esc(part)}</b>")
            current_part = part
        lines.append(f"• {esc(p.title.get(locale))}")
    return "\n".join(lines).strip()


def render_promises(status: PromiseStatus, locale: str, _: Gettext) -> Reply:
    """/loften: the current promises, or, when their content is unknown, say exactly that and
    show the latest known promises clearly labelled as such."""
    parts: list[str] = []
    shown: tuple[Promise, ...] = ()
    period = status.period
    read_more: str | None = None
    sources: list[LText] = []
    if period is not None and status.period_known:
        parts.append(
            _("<b>Medborgarlöftena {label}</b> gäller nu.").format(label=esc(period.label))
        )
        parts.append(esc(period.summary.get(locale)))
        shown = status.promises
        read_more = period.read_more
        sources.append(period.source)
    else:
        if period is not None:
            # The summary says what is (not) known about the content: say it there, once.
            parts.append(
                _("<b>Medborgarlöftena för {label} gäller nu.</b>").format(label=esc(period.label))
            )
            parts.append(esc(period.summary.get(locale)))
            read_more = period.read_more
            sources.append(period.source)
        else:
            parts.append(_("<b>Vi känner inte till några medborgarlöften som gäller just nu.</b>"))
        latest = status.latest_known_period
        if latest is not None and status.latest_known:
            parts.append(
                _(
                    "Här är de <b>senast kända</b> löftena, från {label}. De gällde då och kan "
                    "ha ändrats sedan dess:"
                ).format(label=esc(latest.label))
            )
            shown = status.latest_known
            read_more = read_more or latest.read_more
            sources.append(latest.source)
    if shown:
        parts.append(_promise_list(shown, locale))
        parts.append(_("Tryck på ett löfte för att läsa det i sin helhet."))
    if sources:
        parts.append(source_line(sources, locale, _))
    buttons: list[list[Button]] = [[promise_button(p, locale)] for p in shown]
    if read_more:
        buttons.append(
            [Button(_("🔗 Läs mer på {site}").format(site=site_name(read_more)), url=read_more)]
        )
    return _finish("\n\n".join(parts), buttons)


def render_promise(
    promise: Promise, period: PromisePeriod | None, status: PromiseStatus, locale: str, _: Gettext
) -> Reply:
    """One promise in full, saying which period it belongs to and whether that is current."""
    label = esc(period.label) if period else ""
    parts = [f"<b>{esc(promise.title.get(locale))}</b>", esc(promise.text.get(locale))]
    if promise.part:
        parts.append(
            _("Del av medborgarlöftena {label}: {part}.").format(
                label=label, part=esc(promise.part.get(locale))
            )
        )
    elif period:
        parts.append(_("Medborgarlöftena {label}.").format(label=label))
    if period is not None and status.period is not None and period.id != status.period.id:
        note = (
            _("Obs! Det här löftet gällde {label}. Nu gäller löftena för {current}.")
            if status.period_known
            else _(
                "Obs! Det här löftet gällde {label}. Nu gäller löftena för {current}, "
                "men vi känner inte till vad de innehåller."
            )
        )
        parts.append(note.format(label=label, current=esc(status.period.label)))
    parts.append(source_line(promise.source, locale, _))
    buttons = [[Button(_("🤝 Alla medborgarlöften"), data=MenuButton("loften").pack())]]
    if period is not None:
        buttons.append(
            [
                Button(
                    _("🔗 Läs mer på {site}").format(site=site_name(period.read_more)),
                    url=period.read_more,
                )
            ]
        )
    return _finish("\n\n".join(parts), buttons)


# ---------------------------------------------------------------- focus areas


def focus_button(area: FocusArea, locale: str) -> Button:
    """ "Läs mer" about one focus area (callback ``fokus:<id>``)."""
    return Button("📖 " + area.title.get(locale), data=FocusButton(area.id).pack())


def render_focus_areas(council: Council, locale: str, _: Gettext) -> Reply:
    """/fokus: the council's focus areas, titles first, a button each to read more."""
    lines = [_("<b>Det här fokuserar rådet särskilt på:</b>")]
    lines += [
        f"{n}. {esc(area.title.get(locale))}" for n, area in enumerate(council.focus_areas, 1)
    ]
    text = "\n".join(lines) + "\n\n" + _("Tryck på ett område för att läsa mer.")
    text += "\n\n" + source_line([a.source for a in council.focus_areas], locale, _)
    buttons = [[focus_button(area, locale)] for area in council.focus_areas]
    return _finish(text, buttons)


def render_focus(area: FocusArea, locale: str, _: Gettext) -> Reply:
    """One focus area: its description (unless it only repeats the title) and source."""
    title, description = area.title.get(locale), area.description.get(locale)
    parts = [f"<b>{esc(title)}</b>"]
    if description.strip().rstrip(".").casefold() != title.strip().rstrip(".").casefold():
        parts.append(esc(description))
    parts.append(source_line(area.source, locale, _))
    text = "\n\n".join(parts)
    return _finish(text, [[Button(_("🎯 Alla fokusområden"), data=MenuButton("fokus").pack())]])
