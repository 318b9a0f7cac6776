"""/start, /hjalp, /sprak, /avbryt and the main menu."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import commands
from bot.callback import LanguageButton, MenuButton
from bot.context import LOCALE_KEY, BotContext
from bot.escape import esc
from bot.labels import command_name, example_place
from handlers.common import edit_quietly, is_private
from handlers.staff import staff_commands


def main_menu(context: BotContext) -> InlineKeyboardMarkup:
    _ = context._
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("❓ Ställ en fråga"), callback_data=MenuButton("ask").pack()
                ),
                InlineKeyboardButton(_("💬 Tyck till"), callback_data=MenuButton("tyck").pack()),
            ],
            [
                InlineKeyboardButton(
                    _("🤝 Medborgarlöften"), callback_data=MenuButton("loften").pack()
                ),
                InlineKeyboardButton(
                    _("🎯 Fokusområden"), callback_data=MenuButton("fokus").pack()
                ),
            ],
            [
                InlineKeyboardButton(
                    _("📣 Nytt från rådet"), callback_data=MenuButton("news").pack()
                ),
                InlineKeyboardButton(
                    _("🔒 Integritet"), callback_data=MenuButton("privacy").pack()
                ),
            ],
            [InlineKeyboardButton("🌐 Svenska / English", callback_data=MenuButton("lang").pack())],
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
    # In a group the role list would tell everyone there who is on the council: public only.
    staff = await staff_commands(context, user.id) if user and is_private(update) else []
    await update.effective_message.reply_text(
        help_text(context, staff), reply_markup=main_menu(context)
    )


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🇸🇪 Svenska", callback_data=LanguageButton("sv").pack()),
                InlineKeyboardButton("🇬🇧 English", callback_data=LanguageButton("en").pack()),
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
    assert query
    button = LanguageButton.parse(query.data)
    await query.answer()
    if button is None or button.locale not in ("sv", "en"):
        return
    assert context.user_data is not None
    context.user_data[LOCALE_KEY] = button.locale
    context.locale = button.locale
    await edit_quietly(query, context._("Nu pratar jag svenska med dig."))
    chat = update.effective_chat
    if chat is None:  # an inline message (no chat): the choice is kept, nothing to send to
        return
    await context.bot.send_message(chat.id, welcome_text(context), reply_markup=main_menu(context))


async def cancel(update: Update, context: BotContext) -> None:
    """/avbryt outside any dialogue: nothing to cancel, say so kindly."""
    assert update.effective_message
    await update.effective_message.reply_text(
        context._("Det finns inget att avbryta just nu."), reply_markup=main_menu(context)
    )


async def menu(update: Update, context: BotContext) -> None:
    """Menu buttons that need no feature module of their own."""
    query = update.callback_query
    assert query
    button = MenuButton.parse(query.data)
    await query.answer()
    chat = update.effective_chat
    if button is None or chat is None:  # an inline or very old message: nowhere to answer
        return
    if button.choice == "ask":
        await context.bot.send_message(chat.id, ask_prompt(context))
    elif button.choice == "lang":
        await context.bot.send_message(
            chat.id,
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
            CallbackQueryHandler(set_language, pattern=LanguageButton.pattern()),
            CallbackQueryHandler(menu, pattern=MenuButton.pattern(choice=("ask", "lang"))),
        ]
    )
