"""/start, /hjalp, /sprak, /avbryt and the main menu."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import commands
from bot.callback import pack, pattern
from bot.context import LOCALE_KEY, BotContext
from bot.escape import esc
from bot.labels import command_name, example_place
from handlers.staff import staff_commands

MENU = "menu"
LANG = "lang"


def main_menu(context: BotContext) -> InlineKeyboardMarkup:
    _ = context._
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("❓ Ställ en fråga"), callback_data=pack(MENU, "ask")),
                InlineKeyboardButton(_("💬 Tyck till"), callback_data=pack(MENU, "tyck")),
            ],
            [
                InlineKeyboardButton(_("🤝 Medborgarlöften"), callback_data=pack(MENU, "loften")),
                InlineKeyboardButton(_("🎯 Fokusområden"), callback_data=pack(MENU, "fokus")),
            ],
            [
                InlineKeyboardButton(_("📣 Nytt från rådet"), callback_data=pack(MENU, "news")),
                InlineKeyboardButton(_("🔒 Integritet"), callback_data=pack(MENU, "privacy")),
            ],
            [InlineKeyboardButton("🌐 Svenska / English", callback_data=pack(MENU, "lang"))],
        ]
    )


def ask_prompt(context: BotContext) -> str:
    """What to write when asking (the menu's "Ställ en fråga", a bare /fraga)."""
    return context._(
        "Skriv din fråga med egna ord, till exempel: ”Vad lovar polisen?” eller "
        "”Vad gör ni mot narkotikan på {place}?”"
    ).format(place=esc(example_place(context.council, context.locale)))


def welcome_text(context: BotContext) -> str:
    _ = context._
    name = context.council.name.get(context.locale)
    return "\n\n".join(
        [
            _(
                "Hej! Jag är trygghetsboten för <b>{council}</b>, där kommunen och polisen "
                "arbetar tillsammans för mindre brott och mer trygghet."
            ).format(council=esc(name)),
            _(
                "Här kan du:\n• fråga om medborgarlöftena och vad rådet fokuserar på\n"
                "• tycka till om tryggheten där du bor"
            ),
            _(
                "⚠️ Det här är <b>inte</b> ett sätt att anmäla brott. Pågår något just nu? "
                "Ring <b>112</b>. Andra ärenden till polisen: 114 14 eller polisen.se."
            ),
            _("🔒 Det du skriver sparas utan ditt namn. Läs mer med /integritet."),
        ]
    )


def help_text(context: BotContext, staff: Sequence[commands.Command] = ()) -> str:
    """Public commands for everyone; a staff member also sees the commands of their role."""
    _ = context._
    lines = [_("<b>Så använder du boten</b>"), _("Skriv en fråga med egna ord, eller använd:")]
    for command in commands.PUBLIC:
        lines.append(f"/{command_name(command, context.locale)} – {_(command.description)}")
    if staff:
        lines += ["", _("<b>Kommandon för din roll</b>")]
        for command in staff:
            lines.append(f"/{command_name(command, context.locale)} – {_(command.description)}")
    lines.append("")
    lines.append(_("Vid nödläge: ring 112. Polisen i övrigt: 114 14."))
    return "\n".join(lines)


async def start(update: Update, context: BotContext) -> None:
    assert update.effective_message
    await update.effective_message.reply_text(
        welcome_text(context), reply_markup=main_menu(context)
    )


async def help_command(update: Update, context: BotContext) -> None:
    assert update.effective_message
    user = update.effective_user
    staff = await staff_commands(context, user.id) if user else []
    await update.effective_message.reply_text(
        help_text(context, staff), reply_markup=main_menu(context)
    )


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🇸🇪 Svenska", callback_data=pack(LANG, "sv")),
                InlineKeyboardButton("🇬🇧 English", callback_data=pack(LANG, "en")),
            ]
        ]
    )


async def language(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message
    await message.reply_text(
        context._("Välj språk / Choose your language:"), reply_markup=language_keyboard()
    )


async def set_language(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query and query.data
    locale = query.data.split(":")[1]
    if locale not in ("sv", "en"):
        await query.answer()
        return
    assert context.user_data is not None
    context.user_data[LOCALE_KEY] = locale
    context.locale = locale
    await query.answer()
    await query.edit_message_text(context._("Nu pratar jag svenska med dig."))
    assert query.message
    await context.bot.send_message(
        query.message.chat.id, welcome_text(context), reply_markup=main_menu(context)
    )


async def cancel(update: Update, context: BotContext) -> None:
    """/avbryt outside any dialogue: nothing to cancel, say so kindly."""
    assert update.effective_message
    await update.effective_message.reply_text(
        context._("Det finns inget att avbryta just nu."), reply_markup=main_menu(context)
    )


async def menu(update: Update, context: BotContext) -> None:
    """Menu buttons that need no feature module of their own."""
    query = update.callback_query
    assert query and query.data and query.message
    choice = query.data.split(":")[1]
    await query.answer()
    chat_id = query.message.chat.id
    if choice == "ask":
        await context.bot.send_message(chat_id, ask_prompt(context))
    elif choice == "lang":
        await context.bot.send_message(
            chat_id,
            context._("Välj språk / Choose your language:"),
            reply_markup=language_keyboard(),
        )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handlers(
        [
            CommandHandler(commands.START.names, start),
            CommandHandler(commands.HELP.names, help_command),
            CommandHandler(commands.LANGUAGE.names, language),
            CommandHandler(commands.CANCEL.names, cancel),
            CallbackQueryHandler(set_language, pattern=pattern(LANG)),
            CallbackQueryHandler(menu, pattern=r"^menu:(ask|lang)$"),
        ]
    )
