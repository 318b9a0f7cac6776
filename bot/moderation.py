"""What moderators and admins see: review cards, reminders, the audit log, role lists.

Pure functions (no Telegram, no database) so the wording can be tested directly. Every text
takes the user's translations ``t``; dynamic text is HTML-escaped here, once. A review card
never shows who wrote the feedback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from babel.support import NullTranslations

from bot import commands, labels
from bot.content import Council
from bot.escape import esc
from bot.i18n import N_, babel_locale, format_date, format_datetime, format_number
from storage.audit import AuditEntry
from storage.moderation import PendingItem, QueueCounts
from storage.roles import StaffMember
from storage.timestamps import parse_utc

REASON_LABELS: dict[str, str] = {
    "spam": N_("Spam"),
    "offensive": N_("Kränkande"),
    "personal": N_("Personuppgifter"),
    "other": N_("Övrigt"),
}
ROLE_LABELS: dict[str, str] = {
    "moderator": N_("moderator"),
    "council": N_("rådsmedlem"),
    "admin": N_("administratör"),
}
ACTION_LABELS: dict[str, str] = {
    "approve": N_("godkände"),
    "reject": N_("avvisade"),
    "edit": N_("redigerade"),
    "invite": N_("skapade inbjudan"),
    "invite_failed": N_("ogiltig inbjudan"),
    "role_granted": N_("fick roll"),
    "role_revoked": N_("tog bort roll"),
    "refused": N_("nekades"),
    "export": N_("exporterade"),
    "digest_subscribe": N_("startade veckans lägesbild"),
    "digest_unsubscribe": N_("stoppade veckans lägesbild"),
    "council_update": N_("publicerade nytt från rådet"),
    "content_changed": N_("ändrade innehållet"),
    "content_rollback": N_("gick tillbaka i innehållet"),
    "recategorize": N_("rättade område eller ämne"),
}
# A refused attempt names the staff action it tried (bot.access); shown as its command.
REFUSED_COMMANDS: dict[str, commands.Command] = {
    "review": commands.REVIEW,
    "moderation": commands.REVIEW,  # any button on a review card: moderation.<verb>
    "summary": commands.SUMMARY,
    "export": commands.EXPORT,
    "report": commands.REPORT,
    "subscribe": commands.SUBSCRIBE,
    "unsubscribe": commands.UNSUBSCRIBE,
    "council_update": commands.UPDATE,
    "invite": commands.INVITE,
    "roles": commands.ROLES,
    "revoke_role": commands.ROLES,
    "log": commands.LOG,
    "content": commands.CONTENT,
    "unanswered": commands.UNANSWERED,
}
# What each role can do, for the welcome after accepting an invitation.
ROLE_COMMANDS: dict[str, tuple[commands.Command, ...]] = {
    "moderator": (commands.REVIEW,),
    "council": (
        commands.SUMMARY,
        commands.EXPORT,
        commands.REPORT,
        commands.SUBSCRIBE,
        commands.UNSUBSCRIBE,
        commands.UPDATE,
        commands.UNANSWERED,
    ),
}


def role_label(role: str, t: NullTranslations) -> str:
    return t.gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def review_card(
    item: PendingItem,
    *,
    council: Council,
    locale: str,
    t: NullTranslations,
    left_after: int,
    skipped: int = 0,
    now: datetime | None = None,
) -> str:
    """One feedback item for review: where, what, how safe, when, the text; never who.

    ``left_after`` counts what this moderator can get next; ``skipped`` what they put aside
    (it comes back with a new /granska), so the count below the card is the whole queue.
    """
    _ = t.gettext
    if item.rating is None:
        rating = _("inte angiven")
    else:
        rating = _("{rating} av 5").format(rating=item.rating)
    lines = [
        _("<b>Återkoppling att granska</b>"),
        "",
        _("📍 Område: {district}").format(
            district=esc(labels.district_name(council, item.district, locale, t.gettext))
        ),
        _("🎯 Ämne: {topic}").format(
            topic=esc(labels.topic_name(council, item.topic, locale, t.gettext, with_area=True))
        ),
        _("⭐ Upplevd trygghet: {rating}").format(rating=rating),
        _("📅 Inkom: {date}").format(date=format_date(parse_utc(item.created_at), locale)),
    ]
    if now is not None:
        lines.append(
            _("⏳ Har väntat {time}").format(time=waited_text(now - parse_utc(item.created_at), t))
        )
    if item.edited:
        lines.append(_("✏️ Texten är redigerad av en moderator."))
    lines.append("")
    if item.text:
        lines.append(f"<blockquote>{esc(item.text)}</blockquote>")
    else:
        lines.append(_("<i>Ingen fritext.</i>"))
    lines.append("")
    lines.append(_queue_line(left_after, skipped, t))
    return "\n".join(lines)


def waited_text(waited: timedelta, t: NullTranslations) -> str:
    """How long an item has waited, in the largest whole unit: minutes, hours or days."""
    minutes = max(int(waited.total_seconds() // 60), 0)
    if minutes < 60:
        return t.ngettext("{n} minut", "{n} minuter", minutes).format(n=minutes)
    hours = minutes // 60
    if hours < 48:
        return t.ngettext("{n} timme", "{n} timmar", hours).format(n=hours)
    days = hours // 24
    return t.ngettext("{n} dag", "{n} dagar", days).format(n=days)


def _queue_line(left_after: int, skipped: int, t: NullTranslations) -> str:
    """How many are left after this card, the moderator's own skipped items included."""
    if left_after and skipped:
        total = left_after + skipped
        return t.ngettext(
            "{n} till väntar efter den här, varav {skipped} som du har hoppat över.",
            "{n} till väntar efter den här, varav {skipped} som du har hoppat över.",
            total,
        ).format(n=total, skipped=skipped)
    if skipped:
        return t.ngettext(
            "Efter den här väntar bara den du har hoppat över.",
            "Efter den här väntar bara de {n} du har hoppat över.",
            skipped,
        ).format(n=skipped)
    if left_after:
        return t.ngettext(
            "{n} till väntar efter den här.", "{n} till väntar efter den här.", left_after
        ).format(n=left_after)
    return t.gettext("Det här är den sista i kön.")


def decided_line(*, approved: bool, reason: str | None, t: NullTranslations, note: str = "") -> str:
    _ = t.gettext
    if approved:
        return _("✅ Godkänd. Rådet kan nu se den.")
    label = _(REASON_LABELS.get(reason or "", reason or ""))
    if note:
        label = _("{reason}: {note}").format(reason=label, note=note)
    return _("❌ Avvisad ({reason}). Den visas inte för rådet.").format(reason=esc(label))


def queue_empty(counts: QueueCounts, *, locale: str, t: NullTranslations) -> str:
    _ = t.gettext
    lines = [_("🎉 Det finns inget mer att granska just nu.")]
    if counts.taken_by_others:
        lines.append(
            t.ngettext(
                "{n} granskas av en annan moderator just nu.",
                "{n} granskas av andra moderatorer just nu.",
                counts.taken_by_others,
            ).format(n=counts.taken_by_others)
        )
    if counts.skipped:
        lines.append(
            t.ngettext(
                "Du har hoppat över {n}. Skriv /{command} för att gå igenom den igen.",
                "Du har hoppat över {n}. Skriv /{command} för att gå igenom dem igen.",
                counts.skipped,
            ).format(n=counts.skipped, command=labels.command_name(commands.REVIEW, locale))
        )
    return "\n".join(lines)


def reminder_digest(
    count: int, oldest: datetime, hours: int, *, locale: str, t: NullTranslations
) -> str:
    """One message for all overdue items, not one per item."""
    lines = [
        t.ngettext(
            "⏰ {n} återkoppling har väntat mer än {hours} timmar på granskning.",
            "⏰ {n} återkopplingar har väntat mer än {hours} timmar på granskning.",
            count,
        ).format(n=count, hours=hours),
        t.gettext("Den äldsta kom in {date}.").format(date=format_date(oldest, locale)),
        t.gettext("Skriv /{command} för att börja.").format(
            command=labels.command_name(commands.REVIEW, locale)
        ),
    ]
    return "\n".join(lines)


def welcome_staff(role: str, *, locale: str, t: NullTranslations) -> str:
    """Welcome after accepting an invitation: the new role and what it can do."""
    _ = t.gettext
    lines = [
        _("🎉 Välkommen! Du är nu <b>{role}</b> i trygghetsboten.").format(
            role=esc(role_label(role, t))
        ),
        "",
    ]
    if role == "moderator":
        lines.append(
            _(
                "Som moderator läser du invånarnas återkoppling innan rådet ser den. Du ser "
                "aldrig vem som har skrivit. Godkänn det som kan visas, avvisa det som inte "
                "hör hemma där, och ta bort personuppgifter med Redigera."
            )
        )
    else:
        lines.append(
            _(
                "Som rådsmedlem ser du granskad återkoppling från invånarna, sammanställd per "
                "område och period. Du ser aldrig vem som har skrivit."
            )
        )
    lines.append("")
    lines.append(_("Dina kommandon:"))
    for command in ROLE_COMMANDS.get(role, ()):
        lines.append(f"/{labels.command_name(command, locale)} – {esc(_(command.description))}")
    return "\n".join(lines)


def invite_text(
    role: str, link: str, expires_at: datetime, *, locale: str, t: NullTranslations
) -> str:
    _ = t.gettext
    return "\n\n".join(
        [
            _("Här är en inbjudan till rollen <b>{role}</b>:").format(
                role=esc(role_label(role, t))
            ),
            esc(link),
            _(
                "Länken fungerar en gång och gäller till {when}. Skicka den bara till den "
                "person som ska ha rollen."
            ).format(when=esc(when_text(expires_at, locale))),
        ]
    )


def staff_list(
    members: Iterable[StaffMember],
    *,
    locale: str,
    t: NullTranslations,
    admin_ids: Iterable[int] = (),
    names: Mapping[int, str] | None = None,
    header: bool = True,
) -> str:
    """Who holds which role since when, staff by name (admins by name once they have acted).

    ``header`` False: a later page of a long list (no title, no admins line)."""
    _ = t.gettext
    members = list(members)
    known = names or {}
    admins = _("Administratörer (ADMIN_IDS, ändras i konfigurationen): {ids}").format(
        ids=esc(", ".join(known.get(i) or str(i) for i in admin_ids) or "–")
    )
    if not members:
        return "\n\n".join(
            [
                _(
                    "Det finns inga moderatorer eller rådsmedlemmar ännu. Bjud in med /{command}."
                ).format(command=labels.command_name(commands.INVITE, locale)),
                admins,
            ]
        )
    lines = [_("<b>Roller</b>"), "", admins] if header else []
    for member in members:
        name = member.display_name or known.get(member.user_id) or str(member.user_id)
        since = format_date(parse_utc(member.granted_at), locale, "medium")
        lines.append(
            _("• {name} – {role}, sedan {date}").format(
                name=esc(name), role=esc(role_label(member.role, t)), date=esc(since)
            )
        )
    lines.append("")
    lines.append(_("Tryck på en knapp för att ta bort en roll."))
    return "\n".join(lines)


# Invitation outcomes an ``invite_failed`` row records (storage.staff.InviteOutcome values).
INVITE_FAILED_LABELS: dict[str, str] = {
    "expired": N_("inbjudan hade gått ut"),
    "used": N_("inbjudan var redan använd"),
    "unknown": N_("okänd inbjudan"),
}
# The audit details storage writes (codes, in storage/staff.py and storage/moderation.py),
# parsed here so the log reads in the admin's language whatever language wrote the row.
_EXPIRES = re.compile(r"expires (\S+)")
_VIA_INVITE = re.compile(r"(\w+) via invite")
_CHARACTERS = re.compile(r"(\d+) characters")


def when_text(value: datetime, locale: str) -> str:
    """A date and time read at a glance: "1 dec. 2026 08:27" / "1 Dec 2026, 08:27"."""
    loc = babel_locale(locale)
    pattern = str(loc.datetime_formats["medium"]).format(
        loc.time_formats["short"].pattern, loc.date_formats["medium"].pattern
    )
    return format_datetime(value, locale, pattern)


def _audit_target(
    entry: AuditEntry,
    names: Mapping[int, str],
    council: Council | None,
    locale: str,
    t: NullTranslations,
) -> str:
    """What an entry was about, in words: a person, a feedback item, a command, a district."""
    _ = t.gettext
    kind, _sep, ident = entry.target.partition(":")
    if entry.action == "refused":
        refused = REFUSED_COMMANDS.get(entry.target.split(".")[0])
        return "/" + labels.command_name(refused, locale) if refused else entry.target
    if kind == "user" and ident.isdigit():
        return names.get(int(ident)) or _("användare {id}").format(id=ident)
    if kind == "feedback" and ident.isdigit():
        return _("återkoppling nr {id}").format(id=ident)
    if entry.action == "invite":
        return role_label(entry.target, t)
    if entry.action in ("digest_subscribe", "digest_unsubscribe"):
        return _("chatt {id}").format(id=entry.target)
    if entry.action == "council_update" and council is not None:
        return labels.district_name(council, entry.target, locale, _)
    if entry.action == "export":
        return ""  # the period's start; the detail names the whole period
    if kind == "version" and ident.isdigit():
        return _("version {number}").format(number=ident)
    return entry.target


_RECATEGORIZED = re.compile(r"(district|topic): (\S*) -> (\S+)")


def _audit_detail(
    entry: AuditEntry, locale: str, t: NullTranslations, council: Council | None = None
) -> str:
    """The entry's detail in words: a role, a reason, an expiry, a length."""
    _ = t.gettext
    detail = entry.detail
    if not detail:
        return ""
    if entry.action == "reject" and detail.startswith("other: "):
        return _("{reason}: {note}").format(
            reason=_(REASON_LABELS["other"]), note=detail.partition(": ")[2]
        )
    if entry.action == "recategorize" and (match := _RECATEGORIZED.fullmatch(detail)):
        field, old, new = match.groups()
        if council is not None:
            name = labels.district_name if field == "district" else labels.topic_name
            old, new = name(council, old, locale, _), name(council, new, locale, _)
        label = _("område") if field == "district" else _("ämne")
        return f"{label}: {old} → {new}"
    if entry.action == "invite" and (match := _EXPIRES.fullmatch(detail)):
        when = when_text(parse_utc(match.group(1)), locale)
        return _("gäller till {when}").format(when=when)
    if entry.action == "role_granted" and (match := _VIA_INVITE.fullmatch(detail)):
        return _("{role}, via inbjudan").format(role=role_label(match.group(1), t))
    if entry.action in ("role_granted", "role_revoked"):
        return role_label(detail, t)
    if entry.action == "content_rollback" and detail.startswith("version:"):
        return _("från version {number}").format(number=detail.partition(":")[2])
    if entry.action == "reject" and detail in REASON_LABELS:
        return _(REASON_LABELS[detail])
    if entry.action == "invite_failed" and detail in INVITE_FAILED_LABELS:
        return _(INVITE_FAILED_LABELS[detail])
    if entry.action == "edit" and (match := _CHARACTERS.fullmatch(detail)):
        n = int(match.group(1))
        return t.ngettext("{n} tecken", "{n} tecken", n).format(n=format_number(n, locale))
    if entry.action == "council_update" and detail.isdigit():
        return _("nyhet nr {id}").format(id=detail)
    return detail


def audit_log(
    entries: Iterable[AuditEntry],
    names: Mapping[int, str],
    *,
    locale: str,
    t: NullTranslations,
    council: Council | None = None,
) -> str:
    """The latest audit entries, newest first: when, who, what, on what, all in words."""
    _ = t.gettext
    entries = list(entries)
    if not entries:
        return _("Loggen är tom.")
    lines = [_("<b>Senaste händelserna</b>"), ""]
    for entry in entries:
        when = format_datetime(parse_utc(entry.created_at), locale)
        if entry.actor_id is None:
            who = _("okänd")
        else:
            who = names.get(entry.actor_id) or str(entry.actor_id)
        action = ACTION_LABELS.get(entry.action)
        what = _(action) if action else entry.action
        target = _audit_target(entry, names, council, locale, t)
        detail = _audit_detail(entry, locale, t, council)
        parts = [p for p in (target, detail) if p]
        suffix = f" ({esc(', '.join(parts))})" if parts else ""
        lines.append(f"{esc(when)} · {esc(who)} · {esc(what)}{suffix}")
    return "\n".join(lines)
