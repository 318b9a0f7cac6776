"""What the "tyck till" dialogue says and which buttons it shows: texts and keyboards, no I/O.

handlers/feedback*.py decide *when* (the flow); this module decides *what*, so every prompt and
keyboard can be read and tested without Telegram. Every dynamic value is escaped for HTML here.
Buttons carry a ``FeedbackButton`` whose ``sid`` ties them to one dialogue: a button from an older
or finished dialogue is recognised by its sid and answered harmlessly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from babel.support import NullTranslations
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot import feedback as fb
from bot.callback import CallbackData
from bot.content import Council, District
from bot.escape import esc
from bot.i18n import N_
from bot.labels import OTHER, example_place, sv_sort_key, topic_ids, topic_name
from bot.privacy.notice import unsure_buttons, unsure_text

Action = Literal["d", "p", "l", "c", "cy", "cn", "t", "r", "s", "e", "ef", "eb", "w"]


@dataclass(frozen=True)
class FeedbackButton(CallbackData, prefix="fb"):
    """``fb:<sid>:<action>[:<arg>]``. Actions: d district, p page, l share location, c cancel,
    cy/cn confirm a proposed place, t topic, r rating, s send, e edit, ef edit a field, eb back,
    w write the text again (after the art. 10 guard was unsure)."""

    sid: str
    action: Action
    arg: str = ""


@dataclass(frozen=True)
class UpdatesButton(CallbackData, prefix="fbu"):
    """``fbu:<ref>:y|n``: the question after sending, whether to get the council's updates."""

    ref: str
    answer: Literal["y", "n"]


REDACTION_KINDS = {
    "personnummer": N_("personnummer"),
    "phone": N_("telefonnummer"),
    "email": N_("e-postadress"),
    "plate": N_("registreringsnummer"),
    "account": N_("kontonummer"),
    "orgnr": N_("organisationsnummer"),
    "url": N_("länk"),
    "handle": N_("användarnamn"),
    "name": N_("namn"),
    "address": N_("husnummer"),
    "number": N_("kod eller annat id-nummer"),
    "birthdate": N_("födelsedatum"),
}


@dataclass(frozen=True)
class View:
    """The dialogue's texts and keyboards in one resident's language."""

    t: NullTranslations
    council: Council
    locale: str

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    def _btn(
        self, text: str, draft: fb.Draft, action: Action, arg: object = ""
    ) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text, callback_data=FeedbackButton(draft.sid, action, str(arg)).pack()
        )

    def cancel_row(self, draft: fb.Draft) -> list[InlineKeyboardButton]:
        return [self._btn(self._("✖️ Avbryt"), draft, "c")]

    def cancel_keyboard(self, draft: fb.Draft) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([self.cancel_row(draft)])

    def district_label(self, district_id: str) -> str:
        return fb.district_name(self.council, district_id, self.locale, self._)

    def chosen(self, label: str) -> str:
        """The note under a pressed question: what was chosen."""
        return "✓ " + esc(label)

    def districts(self) -> list[District]:
        """The districts in Swedish alphabetical order of the names shown (å, ä, ö last), so a
        resident can find a name on the pages without knowing the council file's grouping."""
        return sorted(self.council.districts, key=lambda d: sv_sort_key(d.name.get(self.locale)))

    def topic_label(self, topic_id: str) -> str:
        """A topic as the resident reads it (without the council's focus area)."""
        return topic_name(self.council, topic_id, self.locale, self._)

    # ------------------------------------------------------------------ keyboards

    def district_keyboard(self, draft: fb.Draft, page: int, private: bool) -> InlineKeyboardMarkup:
        _ = self._
        shown = fb.paginate(self.districts(), page)
        rows: list[list[InlineKeyboardButton]] = []
        items = list(shown.items)
        for i in range(0, len(items), 2):
            rows.append(
                [self._btn(d.name.get(self.locale), draft, "d", d.id) for d in items[i : i + 2]]
            )
        if shown.pages > 1:
            nav = []
            if shown.has_prev:
                nav.append(self._btn(_("◀️ Föregående"), draft, "p", shown.page - 1))
            label = _("Sida {page} av {pages}").format(page=shown.page + 1, pages=shown.pages)
            nav.append(self._btn(label, draft, "p", shown.page))
            if shown.has_next:
                nav.append(self._btn(_("Nästa ▶️"), draft, "p", shown.page + 1))
            rows.append(nav)
        rows.append([self._btn(_("Annat område / vet inte"), draft, "d", OTHER)])
        if private:
            rows.append([self._btn(_("📍 Dela plats"), draft, "l")])
        rows.append(self.cancel_row(draft))
        return InlineKeyboardMarkup(rows)

    def topic_keyboard(self, draft: fb.Draft) -> InlineKeyboardMarkup:
        """The council's resident topics (belysning, trafik …), two to a row."""
        buttons = [
            self._btn(self.topic_label(topic), draft, "t", topic)
            for topic in topic_ids(self.council)
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        rows.append(self.cancel_row(draft))
        return InlineKeyboardMarkup(rows)

    def rating_keyboard(self, draft: fb.Draft) -> InlineKeyboardMarkup:
        rows = [
            [self._btn(f"{n} – {self._(label)}", draft, "r", n)]
            for n, label in fb.RATING_LABELS.items()
        ]
        rows.append([self._btn(self._("Hoppa över"), draft, "r", fb.SKIP)])
        rows.append(self.cancel_row(draft))
        return InlineKeyboardMarkup(rows)

    def review_keyboard(self, draft: fb.Draft) -> InlineKeyboardMarkup:
        _ = self._
        return InlineKeyboardMarkup(
            [
                [self._btn(_("✅ Skicka"), draft, "s")],
                [self._btn(_("✏️ Ändra"), draft, "e"), self._btn(_("✖️ Avbryt"), draft, "c")],
            ]
        )

    def edit_keyboard(self, draft: fb.Draft) -> InlineKeyboardMarkup:
        _ = self._
        return InlineKeyboardMarkup(
            [
                [self._btn(_("Område"), draft, "ef", "d"), self._btn(_("Ämne"), draft, "ef", "t")],
                [
                    self._btn(_("Trygghet"), draft, "ef", "r"),
                    self._btn(_("Text"), draft, "ef", "x"),
                ],
                [self._btn(_("↩️ Tillbaka"), draft, "eb")],
            ]
        )

    def place_keyboard(self, draft: fb.Draft) -> InlineKeyboardMarkup:
        _ = self._
        return InlineKeyboardMarkup(
            [
                [self._btn(_("✅ Ja, det stämmer"), draft, "cy")],
                [self._btn(_("Nej, jag väljer i listan"), draft, "cn")],
                self.cancel_row(draft),
            ]
        )

    def location_keyboard(self) -> ReplyKeyboardMarkup:
        return ReplyKeyboardMarkup(
            [
                [KeyboardButton(self._("📍 Skicka min plats"), request_location=True)],
                [KeyboardButton(self._("Välj i listan i stället"))],
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )

    def updates_keyboard(self, ref: str) -> InlineKeyboardMarkup:
        _ = self._
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Ja tack"), callback_data=UpdatesButton(ref, "y").pack()
                    ),
                    InlineKeyboardButton(
                        _("Nej tack"), callback_data=UpdatesButton(ref, "n").pack()
                    ),
                ]
            ]
        )

    # ------------------------------------------------------------------ texts

    def intro(self) -> str:
        _ = self._
        return "\n\n".join(
            [
                _("💬 <b>Tyck till om tryggheten där du bor</b>"),
                _(
                    "Det här är <b>inte</b> en polisanmälan. Pågår något just nu? Ring "
                    "<b>112</b>. Brott anmäler du på polisen.se eller på 114 14."
                ),
                self.district_prompt(),
            ]
        )

    def group_notice(self) -> str:
        return self._(
            "Det du skriver här syns för alla i gruppen. Skriv /tyck till mig i en privat "
            "chatt i stället, så stannar det mellan oss."
        )

    def district_prompt(self) -> str:
        return self._(
            "<b>Var gäller det?</b> Välj ett område i listan (i bokstavsordning), eller skriv "
            "namnet, till exempel {example}:"
        ).format(example=esc(example_place(self.council, self.locale)))

    def topic_prompt(self) -> str:
        return self._("<b>Vad handlar det om?</b> Välj det som passar bäst:")

    def rating_prompt(self) -> str:
        return self._("<b>Hur trygg känner du dig där?</b> 1 = mycket otrygg, 5 = mycket trygg.")

    def text_prompt(self) -> str:
        return self._(
            "<b>Berätta med egna ord.</b> Vad gör att det känns tryggt eller otryggt där? "
            "Skriv högst {max} tecken. Skriv inte namn på personer."
        ).format(max=fb.MAX_TEXT_CHARS)

    def resumed(self, step: int | None) -> str:
        """After a restart: the dialogue is still there, and where the resident was."""
        where = {
            fb.DISTRICT: N_("vilket område det gäller"),
            fb.CONFIRM_PLACE: N_("vilket område det gäller"),
            fb.TOPIC: N_("vad det handlar om"),
            fb.RATING: N_("hur trygg du känner dig"),
            fb.TEXT: N_("din text"),
            fb.REVIEW: N_("granskningen innan du skickar"),
            fb.EDIT: N_("vad du vill ändra"),
        }.get(step if step is not None else -1)
        if where is None:
            return self._("Jag startades om, men din synpunkt finns kvar.")
        return self._("Jag startades om, men din synpunkt finns kvar. Vi var vid: {step}.").format(
            step=self._(where)
        )

    def review(self, draft: fb.Draft) -> str:
        return fb.review_text(draft, self.council, self.locale, self._)

    def limit(self, per_day: int) -> str:
        return self.t.ngettext(
            "Du har redan skickat {n} synpunkt det senaste dygnet, och det är max. "
            "Tack för ditt engagemang! Du kan tycka till igen om ett dygn.",
            "Du har redan skickat {n} synpunkter det senaste dygnet, och det är max. "
            "Tack för ditt engagemang! Du kan tycka till igen om ett dygn.",
            per_day,
        ).format(n=per_day)

    def timed_out(self, minutes: int) -> str:
        return self.t.ngettext(
            "Dialogen avslutades eftersom det var tyst i {n} minut. Inget har sparats. "
            "Skriv /tyck när du vill börja om.",
            "Dialogen avslutades eftersom det var tyst i {n} minuter. Inget har sparats. "
            "Skriv /tyck när du vill börja om.",
            minutes,
        ).format(n=minutes)

    def ask_location(self) -> str:
        return self._(
            "Tryck på knappen nedan för att dela din plats. Jag använder den bara för att "
            "hitta närmaste område – platsen sparas inte."
        )

    def propose(self, question: str, district_id: str) -> str:
        return question.format(district=esc(self.district_label(district_id)))

    def too_long(self, length: int) -> str:
        return self._(
            "Din text är {length} tecken lång, men det får vara högst {max}. Skriv gärna en "
            "kortare version – det viktigaste räcker."
        ).format(length=length, max=fb.MAX_TEXT_CHARS)

    def accusation(self) -> str:
        _ = self._
        return "\n\n".join(
            [
                _(
                    "Jag kan inte spara en text som pekar ut en viss person för ett brott – "
                    "sådana uppgifter får rådet inte samla in här."
                ),
                _("Vet du något om ett brott? {tip}").format(
                    tip=esc(self.council.contacts.tip_police.get(self.locale))
                ),
                _("Du får gärna skriva om texten utan personen: vad som händer, var och när."),
            ]
        )

    def unsure(self, draft: fb.Draft) -> tuple[str, InlineKeyboardMarkup]:
        """The guard is unsure whether the text points out a person: ask before storing."""
        rewrite, cancel = unsure_buttons(self.t)
        text = unsure_text(self.t, self.council.contacts.tip_police.get(self.locale))
        row = [self._btn(rewrite, draft, "w"), self._btn(cancel, draft, "c")]
        return text, InlineKeyboardMarkup([row])

    def redacted(self, count: int, kinds: list[str]) -> str:
        names = ", ".join(self._(REDACTION_KINDS.get(k, k)) for k in kinds)
        return self.t.ngettext(
            "🔒 Jag tog bort {n} personuppgift ({kinds}) ur texten innan den sparas.",
            "🔒 Jag tog bort {n} personuppgifter ({kinds}) ur texten innan den sparas.",
            count,
        ).format(n=count, kinds=esc(names))

    def thanks(self, ref: str) -> str:
        return self._(
            "Tack! Din synpunkt är sparad (ref {ref}). En moderator läser den innan den "
            "blir en del av rådets lägesbild. Vill du se hur det går? Skriv {status}."
        ).format(ref=f"<code>{esc(ref)}</code>", status=f"<code>/status {esc(ref)}</code>")

    def updates_question(self, district_id: str) -> str:
        return self._(
            "Vill du få korta uppdateringar från rådet om vad som görs i {district}? "
            "Då sparar jag ditt chatt-id för det."
        ).format(district=esc(self.district_label(district_id)))

    def updates_answer(self, yes: bool, district_id: str) -> str:
        if not yes:
            return self._("Okej, inga uppdateringar. Tack för att du tyckte till!")
        return self._(
            "Bra! Du får uppdateringar om {district} när rådet har något att berätta. Vill du "
            "sluta? Tryck på ”Sluta få uppdateringar” under en uppdatering från rådet."
        ).format(district=esc(self.district_label(district_id)))
