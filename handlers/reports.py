"""Council members' reports: /sammanfattning (summary + chart), /export (CSV or .xlsx),
/rapport (the annual follow-up as one HTML file).

Every command checks the role first (bot.access.require), then that the chat is private:
figures and exported rows are the council's and must not land in a group with residents.
Periods and places are read in any order (bot.summary.parse_summary_args); a period that has
not begun, a day count, or a time before the first feedback gets its own clear answer. Heavy
work (charts, the spreadsheet, the HTML report) runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot import charts, commands, export, report
from bot.access import Role, require
from bot.app import AnyApp
from bot.commands import Command
from bot.context import BotContext, now
from bot.escape import esc
from bot.i18n import format_date, format_number
from bot.labels import example_place, topic_aliases
from bot.periods import (
    Period,
    PeriodError,
    days_help,
    help_text,
    local_today,
    parse_period,
    year_period,
)
from bot.summary import (
    ALL,
    ArgumentError,
    Scope,
    compute_summary,
    parse_summary_args,
    render_summary,
)
from bot.suppression import period_view
from handlers.common import command_label, private_only, reply
from storage import audit
from storage import summary as summary_repo

EXCEL_WORDS = frozenset({"excel", "xlsx"})


def _help(context: BotContext, command: Command) -> str:
    place = example_place(context.council, context.locale)
    return esc(help_text(context.t, command_label(context, command), place))


async def _first_day(context: BotContext) -> datetime | None:
    first = await summary_repo.first_feedback_at(context.db)
    return datetime.fromisoformat(first.replace("Z", "+00:00")) if first else None


async def _no_data_text(context: BotContext, what: str) -> str:
    """ "Nothing from <what>": says when the first feedback came, so the member can pick."""
    _ = context._
    first = await _first_day(context)
    if first is None:
        return _("Det finns inga synpunkter än.")
    return _("Det finns inga synpunkter från {what}: den första kom {date}.").format(
        what=esc(what), date=format_date(first, context.locale)
    )


async def _period_error_text(context: BotContext, error: PeriodError, command: Command) -> str:
    _ = context._
    if error.kind == "days":
        return esc(days_help(context.t, error.text))
    if error.kind == "future":
        return esc(
            _("”{text}” har inte börjat än, så det finns inga synpunkter från den tiden.").format(
                text=error.text
            )
        )
    if error.kind == "before":
        return await _no_data_text(context, error.text)
    return (
        _("Jag förstod inte perioden ”{text}”.").format(text=esc(error.text))
        + "\n\n"
        + _help(context, command)
    )


def _argument_text(context: BotContext, error: ArgumentError, command: Command) -> str:
    _ = context._
    if error.kind == "place":
        first = _("Jag hittar inget område som heter ”{name}”.").format(name=esc(error.text))
    elif error.kind == "unknown":
        first = _("Jag förstod inte ”{text}”: det är varken en period eller ett område.").format(
            text=esc(error.text)
        )
    else:
        first = _("Jag förstod inte perioden ”{text}”.").format(text=esc(error.text))
    return first + "\n\n" + _help(context, command)


async def _read(
    update: Update, context: BotContext, command: Command, args: list[str]
) -> tuple[Scope, Period] | None:
    """Place and period from the arguments, or None after a kind answer (nothing raised)."""
    try:
        scope, period = parse_summary_args(context.council, args, now(context))
    except ArgumentError as error:
        await reply(update, _argument_text(context, error, command))
        return None
    except PeriodError as error:
        await reply(update, await _period_error_text(context, error, command))
        return None
    first = await _first_day(context)
    if first is None or period.end <= first:
        await reply(update, await _no_data_text(context, period.label(context.t, context.locale)))
        return None
    return scope, period


async def _allowed(update: Update, context: BotContext, action: str) -> bool:
    if not await require(update, context, Role.COUNCIL, action=action):
        return False
    return await private_only(update, context)


async def summary_command(update: Update, context: BotContext) -> None:
    if not await _allowed(update, context, "summary"):
        return
    read = await _read(update, context, commands.SUMMARY, list(context.args or []))
    if read is None:
        return
    scope, period = read
    summary = await compute_summary(context.db, context.council, scope, period)
    await reply(update, render_summary(summary, context.council, context.t, context.locale))
    if summary.figures_shown and summary.by_district:
        png = await asyncio.to_thread(
            charts.summary_chart, summary, context.council, context.t, context.locale
        )
        assert update.effective_chat
        await context.bot.send_photo(
            update.effective_chat.id,
            InputFile(png, filename=context._("lagesbild.png")),
            caption=esc(context._("Synpunkter och upplevd trygghet per område")),
        )


# ------------------------------------------------------------------ /export


async def export_command(update: Update, context: BotContext) -> None:
    if not await _allowed(update, context, "export"):
        return
    _ = context._
    args = list(context.args or [])
    excel = any(word.casefold() in EXCEL_WORDS for word in args)
    args = [word for word in args if word.casefold() not in EXCEL_WORDS]
    read = await _read(update, context, commands.EXPORT, args)
    if read is None:
        return
    scope, period = read
    aliases = topic_aliases(context.council)
    protection = (await period_view(context.db, period, aliases)).protection
    place = scope.label(context.council, context.t, context.locale)
    label = period.label(context.t, context.locale)
    filtered = scope != ALL
    if protection.total_hidden:
        await reply(
            update,
            _(
                "Hela kommunen har för få synpunkter under {period} för att visa rader utan "
                "att någon kan pekas ut, eller så döljs perioden så att en annan period inte "
                "kan räknas fram. Välj en längre period, till exempel ett helt år."
            ).format(period=esc(label)),
        )
        return
    if filtered and scope.districts and set(scope.districts) <= protection.districts:
        await reply(
            update,
            _(
                "{place} har för få synpunkter under {period} för att visa rader utan att "
                "någon kan pekas ut. Välj en längre period, till exempel ett helt år, eller "
                "hela kommunen."
            ).format(place=esc(place), period=esc(label)),
        )
        return
    rows = await summary_repo.export_rows(
        context.db, period.start_iso, period.end_iso, scope.districts, aliases
    )
    lines = export.generalise(rows, protection, drop_hidden=filtered)
    if not lines and any(row.status != "rejected" for row in rows):
        # Every row was left out by the small-group rules: say so, not "no feedback".
        await reply(
            update,
            _(
                "{place} har för få synpunkter under {period} för att visa rader utan att "
                "någon kan pekas ut. Välj en längre period, till exempel ett helt år, eller "
                "hela kommunen."
            ).format(place=esc(place[:1].upper() + place[1:]), period=esc(label)),
        )
        return
    if not lines:
        await reply(update, _("Inga synpunkter under {period}.").format(period=esc(label)))
        return
    user = update.effective_user
    await audit.record(context.db, user.id if user else None, "export", period.start_iso, label)
    generalised = sum(1 for line in lines if line.generalised)
    counted = [row for row in rows if row.status != "rejected"]
    kept = [row for row in counted if not protection.row_dropped_at(row.created_at)]
    left_out = len(kept) < len(counted)
    dropped = filtered and len(lines) < len(kept)
    about = export.notes(context.t, generalised, dropped, left_out, csv_file=not excel)
    name = label if not filtered else f"{place} {label}"
    if excel:
        summary = await compute_summary(context.db, context.council, scope, period)
        data = await asyncio.to_thread(
            export.to_xlsx, lines, summary, context.council, context.t, context.locale, about
        )
        file_name = export.filename(name, context.t, "xlsx")
    else:
        data = export.to_csv(lines)
        file_name = export.filename(name, context.t)
    caption = context.ngettext(
        "{count} synpunkt, {period}.", "{count} synpunkter, {period}.", len(lines)
    ).format(count=format_number(len(lines), context.locale), period=esc(label))
    if filtered:
        caption += " " + esc(_("Område: {place}.").format(place=place))
    caption += "\n" + esc(" ".join(about))
    assert update.effective_chat
    await context.bot.send_document(
        update.effective_chat.id, InputFile(data, filename=file_name), caption=caption[:1024]
    )


# ------------------------------------------------------------------ /rapport


async def report_command(update: Update, context: BotContext) -> None:
    if not await _allowed(update, context, "report"):
        return
    _ = context._
    current = now(context)
    raw = " ".join(context.args or [])
    try:
        # Alone, /rapport means this year (up to today).
        period = parse_period(raw, current) if raw else year_period(local_today(current).year)
    except PeriodError as error:
        await reply(update, await _period_error_text(context, error, commands.REPORT))
        return
    if period.kind != "year":
        await reply(
            update,
            _("Rapporten gäller ett helt år. Skriv till exempel /{command} {year}.").format(
                command=command_label(context, commands.REPORT), year=period.year
            ),
        )
        return
    year = period.year
    first = await _first_day(context)
    if first is None or period.end <= first:
        await reply(update, await _no_data_text(context, str(year)))
        return
    data = await report.compute_report(context.db, year, topic_aliases(context.council))
    text = await asyncio.to_thread(
        report.render_report, data, context.council, context.t, context.locale, current
    )
    assert update.effective_chat
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(text.encode("utf-8"), filename=_("uppfoljning_{year}.html").format(year=year)),
        caption=esc(
            _("Årlig uppföljning {year}. Öppna filen i en webbläsare; den går att skriva ut.")
        ).format(year=year),
    )


def register(app: AnyApp) -> None:
    app.add_handlers(
        [
            CommandHandler(commands.SUMMARY.names, summary_command),
            CommandHandler(commands.EXPORT.names, export_command),
            CommandHandler(commands.REPORT.names, report_command),
        ]
    )
