"""The legal part of /integritet: who is responsible, on what basis, and where to complain.

GDPR art. 13 requires telling residents the data controller, the legal basis and their right to
complain to the supervisory authority. The controller's name comes from the council file; the
rest is the same for every Swedish municipality running the bot under its crime-prevention task.
"""

from __future__ import annotations

from gettext import NullTranslations
from html import escape

from storage.audit import RESIDENT_EVENT_DAYS


def legal_lines(t: NullTranslations, controller: str, per_day: int) -> list[str]:
    """Paragraphs (HTML; ``controller`` is escaped here) for /integritet."""
    return [
        t.gettext(
            "<b>Vem ansvarar?</b> {controller} är personuppgiftsansvarig. Uppgifterna behandlas "
            "för att utföra en uppgift av allmänt intresse (GDPR artikel 6.1 e): kommunens och "
            "polisens arbete mot brott och för trygghet. Ditt samtycke är alltså inte grunden, "
            "men du kan alltid se och radera det du har lämnat."
        ).format(controller=escape(controller)),
        t.gettext(
            "För gränsen på {n} återkopplingar per dygn sparas en räknare utan text och utan "
            "ditt id i 24 timmar. Den finns kvar i det dygnet även om du raderar dina "
            "uppgifter. Försöker någon använda ett kommando för personal sparas bara att det "
            "hände, inte vem, och det tas bort efter {days} dagar."
        ).format(n=per_day, days=RESIDENT_EVENT_DAYS),
        t.gettext(
            "Tycker du att vi hanterar dina uppgifter fel? Du har rätt att klaga hos "
            "Integritetsskyddsmyndigheten (IMY), imy.se."
        ),
    ]


def unsure_text(t: NullTranslations, tip: str) -> str:
    """What the resident reads when the guard is unsure (verdict ``unsure``); nothing is stored.

    ``tip`` is the council's "Tipsa polisen" line (escaped here). Offer the buttons from
    :func:`unsure_buttons`: rewrite the text, or cancel.
    """
    return "\n\n".join(
        [
            t.gettext(
                "Kan texten peka ut en viss person? Skriv om den utan det som pekar ut "
                "personen, eller tipsa polisen."
            ),
            escape(tip),
            t.gettext("Inget är sparat än."),
        ]
    )


def unsure_buttons(t: NullTranslations) -> tuple[str, str]:
    """Labels for the two choices after :func:`unsure_text`: rewrite, cancel."""
    return t.gettext("✏️ Skriv om"), t.gettext("Avbryt")
