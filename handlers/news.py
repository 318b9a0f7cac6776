"""/nytt and the menu's "Nytt från rådet": everyone reads what the council has done, per area.

Public: no role is needed. Six districts with long notes do not fit in one Telegram message, so the
notes are packed into as few messages as fit, never cutting a note in two.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import commands
from bot.answers import visible_length
from bot.context import AnyApp, BotContext
from bot.council import split_district
from bot.escape import esc
from bot.i18n import format_date
from bot.labels import district_name, example_place
from handlers.common import command_label, reply
from storage import council as council_repo
from storage.timestamps import parse_utc

NEWS_LIMIT = 10
NEWS_PAGE_CHARS = 4000  # Telegram allows 4,096 per message; a little room to spare


def _district_name(context: BotContext, district: str) -> str:
    return district_name(context.council, district, context.locale, context._)


async def news_pages(context: BotContext, args: list[str]) -> list[str]:
    """/nytt as one or more messages, each within Telegram's 4,096 characters (six districts
    with long notes do not fit in one); a note is never cut in two."""
    _ = context._
    district = None
    if args:
        district, _rest = split_district(context.council, " ".join(args))
        if district is None:  # say so (as /aterkoppla does) instead of showing every area
            return [
                _("Jag hittar inget område som heter ”{name}”.").format(name=esc(args[0][:60]))
                + "\n\n"
                + _(
                    "Skriv till exempel /{command} {place}, eller bara /{command} för alla områden."
                ).format(
                    command=command_label(context, commands.NEWS),
                    place=esc(example_place(context.council, context.locale)),
                )
            ]
    if district:
        notes = await council_repo.notes_for(context.db, district)
    else:
        notes = await council_repo.latest_notes(context.db, NEWS_LIMIT)
    if not notes:
        if district:
            return [
                _("Rådet har inte publicerat något om {district} ännu.").format(
                    district=esc(_district_name(context, district))
                )
            ]
        return [
            _(
                "Rådet har inte publicerat något ännu. Här berättar rådet vad det har gjort i "
                "olika områden, till exempel efter synpunkter från invånare."
            )
        ]
    blocks = []
    for note in notes:
        when = parse_utc(note.created_at)
        blocks.append(
            f"<b>{esc(_district_name(context, note.district))}</b> · "
            f"{esc(format_date(when, context.locale))}\n" + esc(note.text)
        )
    if not district:
        blocks.append(
            _("Bara ett område? Skriv till exempel /{command} {place}.").format(
                command=command_label(context, commands.NEWS),
                place=esc(example_place(context.council, context.locale)),
            )
        )
    return pack_pages("<b>" + esc(_("📣 Nytt från rådet")) + "</b>", blocks)


def pack_pages(heading: str, blocks: list[str], limit: int = NEWS_PAGE_CHARS) -> list[str]:
    """Blocks joined by blank lines into as few messages as fit ``limit`` visible characters
    (counted as Telegram does: UTF-16 units of the text without HTML tags)."""
    pages: list[str] = []
    current = heading
    for block in blocks:
        candidate = current + "\n\n" + block
        if current and visible_length(candidate) > limit:
            pages.append(current)
            candidate = block
        current = candidate
    pages.append(current)
    return pages


async def news_command(update: Update, context: BotContext) -> None:
    for page in await news_pages(context, list(context.args or [])):
        await reply(update, page)


async def news_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query and query.message
    await query.answer()
    for page in await news_pages(context, []):
        await context.bot.send_message(query.message.chat.id, page)


def register(app: AnyApp) -> None:
    app.add_handlers(
        [
            CommandHandler(commands.NEWS.names, news_command),
            CallbackQueryHandler(news_button, pattern=r"^menu:news$"),
        ]
    )
