"""Council members' reports: /sammanfattning (summary + chart), /export (CSV), /rapport (the
annual follow-up as one HTML file).

Every command checks the role first (bot.access.require). Heavy work (charts, the HTML report)
runs in a worker thread.
"""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot import charts, commands, export, report
from bot.access import Role, require
from bot.app import AnyApp
from bot.context import BotContext, now
from bot.escape import esc
from bot.i18n import format_number
from bot.labels import example_place
from bot.periods import PeriodError, help_text, parse_period
from bot.summary import ArgumentError, compute_summary, parse_summary_args, render_summary
from handlers.common import command_label, reply
from storage import audit
from storage import summary as summary_repo


def _argument_help(context: BotContext, error: ArgumentError | PeriodError) -> str:
    _ = context._
    if isinstance(error, ArgumentError) and error.kind == "place":
        first = _("Jag hittar inget område som heter ”{name}”.").format(name=esc(error.text))
    elif isinstance(error, ArgumentError) and error.kind == "unknown":
        first = _("Jag förstod inte ”{text}”: det är varken en period eller ett område.").format(
            text=esc(error.text)
        )
    else:
        first = _("Jag förstod inte perioden ”{text}”.").format(text=esc(error.text))
    place = example_place(context.council, context.locale)
    return (
        first + "\n\n" + esc(help_text(context.t, command_label(context, commands.SUMMARY), place))
    )


async def summary_command(update: Update, context: BotContext) -> None:
    if not await require(update, context, Role.COUNCIL, action="summary"):
        return
    try:
        scope, period = parse_summary_args(context.council, list(context.args or []), now(context))
    except ArgumentError as error:
        await reply(update, _argument_help(context, error))
        return
    summary = await compute_summary(context.db, context.council, scope, period)
    await reply(update, render_summary(summary, context.council, context.t, context.locale))
    if summary.total.count:
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
    if not await require(update, context, Role.COUNCIL, action="export"):
        return
    _ = context._
    try:
        period = parse_period(" ".join(context.args or []), now(context))
    except PeriodError as error:
        await reply(
            update,
            _("Jag förstod inte perioden ”{text}”.").format(text=esc(error.text))
            + "\n\n"
            + esc(help_text(context.t, command_label(context, commands.EXPORT))),
        )
        return
    rows = await summary_repo.export_rows(context.db, period.start_iso, period.end_iso)
    label = period.label(context.t, context.locale)
    if not rows:
        await reply(update, _("Inga synpunkter under {period}.").format(period=esc(label)))
        return
    data = export.to_csv(rows)
    user = update.effective_user
    await audit.record(context.db, user.id if user else None, "export", period.start_iso, label)
    assert update.effective_chat
    caption = context.ngettext(
        "{count} synpunkt, {period}. Text finns bara för godkända synpunkter.",
        "{count} synpunkter, {period}. Text finns bara för godkända synpunkter.",
        len(rows),
    ).format(count=format_number(len(rows), context.locale), period=esc(label))
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(data, filename=export.filename(label, context.t)),
        caption=caption,
    )


# ------------------------------------------------------------------ /rapport


async def report_command(update: Update, context: BotContext) -> None:
    if not await require(update, context, Role.COUNCIL, action="report"):
        return
    _ = context._
    args = context.args or []
    current = now(context)
    year = int(args[0]) if len(args) == 1 and args[0].isdigit() and len(args[0]) == 4 else None
    if year is not None and not 2000 <= year <= current.year:
        await reply(
            update,
            _("Det finns ingen rapport för {year}. Välj ett år från 2000 till {last}.").format(
                year=year, last=current.year
            ),
        )
        return
    if year is None:
        await reply(
            update,
            _("Skriv vilket år rapporten gäller, till exempel /{command} {year}.").format(
                command=command_label(context, commands.REPORT), year=current.year - 1
            ),
        )
        return
    data = await report.compute_report(context.db, year)
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
