"""Every slash command in one table: Swedish name, English alias, description, audience.

Telegram command names are latin-only, so Swedish names drop å/ä/ö. Handlers register both
names with :func:`names`; the per-language command menus (setMyCommands) are built from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class Command:
    sv: str
    en: str
    description: str  # Swedish source string, translated at registration time
    public: bool = True  # shown in the residents' command menu

    @property
    def names(self) -> list[str]:
        return [self.sv] if self.sv == self.en else [self.sv, self.en]


START = Command("start", "start", N_("Börja här: vad boten gör"))
HELP = Command("hjalp", "help", N_("Hjälp och alla kommandon"))
ASK = Command("fraga", "ask", N_("Ställ en fråga"))
FEEDBACK = Command("tyck", "feedback", N_("Tyck till om tryggheten där du bor"))
PROMISES = Command("loften", "promises", N_("Medborgarlöftena"))
FOCUS = Command("fokus", "focus", N_("Rådets fokusområden"))
NEWS = Command("nytt", "news", N_("Vad rådet har gjort i ditt område"))
PRIVACY = Command("integritet", "privacy", N_("Vad vi sparar och varför"))
MYDATA = Command("minadata", "mydata", N_("Se allt vi har sparat om dig"))
STATUS = Command("status", "status", N_("Se hur det går med din synpunkt (ref)"))
DELETE = Command("radera", "delete", N_("Radera allt vi har sparat om dig"))
LANGUAGE = Command("sprak", "language", N_("Byt språk"))
CANCEL = Command("avbryt", "cancel", N_("Avbryt det du håller på med"))
# Staff commands (not in the public menu).
INVITE = Command("bjudin", "invite", N_("Bjud in en moderator eller rådsmedlem"), public=False)
ROLES = Command("roller", "roles", N_("Visa och ta bort roller"), public=False)
REVIEW = Command("granska", "review", N_("Granska återkoppling"), public=False)
LOG = Command("logg", "log", N_("Senaste händelserna i loggen"), public=False)
SUMMARY = Command("sammanfattning", "summary", N_("Lägesbild för område och period"), public=False)
EXPORT = Command("export", "export", N_("Exportera synpunkter som CSV eller Excel"), public=False)
REPORT = Command("rapport", "report", N_("Årlig uppföljning som HTML"), public=False)
SUBSCRIBE = Command("prenumerera", "subscribe", N_("Veckosammanfattning hit"), public=False)
UNSUBSCRIBE = Command("avsluta", "unsubscribe", N_("Sluta få veckosammanfattning"), public=False)
UPDATE = Command(
    "aterkoppla", "update", N_("Berätta vad rådet har gjort i ett område"), public=False
)
CONTENT = Command("innehall", "content", N_("Ändra botens innehåll (fil)"), public=False)
UNANSWERED = Command(
    "obesvarade", "unanswered", N_("Frågor boten inte kunde svara på"), public=False
)

ALL: tuple[Command, ...] = (
    START,
    HELP,
    ASK,
    FEEDBACK,
    PROMISES,
    FOCUS,
    NEWS,
    PRIVACY,
    MYDATA,
    STATUS,
    DELETE,
    LANGUAGE,
    CANCEL,
    INVITE,
    ROLES,
    REVIEW,
    LOG,
    SUMMARY,
    EXPORT,
    REPORT,
    SUBSCRIBE,
    UNSUBSCRIBE,
    UPDATE,
    CONTENT,
    UNANSWERED,
)
PUBLIC: tuple[Command, ...] = tuple(c for c in ALL if c.public)
