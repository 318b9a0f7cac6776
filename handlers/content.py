"""/innehall (/content): the council's administrators change the bot's content in the chat.

``/innehall`` sends the live content as a YAML file. An administrator edits it and sends it back
as a document; the bot checks it fully (bot.content_admin), says what would change, and waits
for **Använd** / **Avbryt**. On Använd the knowledge base is rebuilt (in a thread: it takes a few
seconds) and only then are the content and knowledge base swapped, so residents get either the
old or the new content, never a mix, and never a broken file. ``/innehall tillbaka`` goes back
one version. Every version is kept in the database and the newest one wins at start-up.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import commands
from bot.access import Role, require
from bot.callback import CallbackData
from bot.content import Council
from bot.content_admin import (
    MAX_FILE_BYTES,
    ContentProblem,
    changes,
    parse_content,
    render_changes,
    render_problem,
)
from bot.content_parity import render_warnings, upload_problems
from bot.context import AnyApp, BotContext, now
from bot.escape import esc
from bot.knowledge import KnowledgeBase
from bot.labels import command_name
from bot.moderation import when_text
from bot.services import Services
from handlers.common import edit_quietly, on_startup, private_only
from handlers.questions import knowledge_base
from storage import content as repo
from storage.timestamps import parse_utc

log = logging.getLogger(__name__)

BACK_WORDS = frozenset({"tillbaka", "back", "undo", "angra", "ångra"})
HISTORY_WORDS = frozenset({"historik", "history", "versioner", "versions"})


@dataclass(frozen=True)
class ContentButton(CallbackData, prefix="cnt"):
    """``cnt:<use|cancel>:<upload id>`` under the summary of an uploaded file."""

    action: Literal["use", "cancel"]
    upload_id: int


def _lock(services: Services) -> asyncio.Lock:
    return services.content_lock


async def go_live(services: Services, council: Council) -> None:
    """Build the new knowledge base first, then swap content and knowledge base together."""
    _swap(services, council, await asyncio.to_thread(KnowledgeBase.from_council, council))


def _swap(services: Services, council: Council, kb: KnowledgeBase) -> None:
    """Content and knowledge base change together, between two updates (no await here)."""
    services.council = council
    services.knowledge = kb
    knowledge_base(services)  # also hands the new emergency detector to dialogues


async def _live_text(context: BotContext) -> tuple[int, str, repo.ContentVersion | None]:
    version = await repo.live_version(context.db)
    if version is not None:
        return version.id, version.yaml, version
    path = Path(context.settings.council_file)
    return repo.FILE_VERSION, await asyncio.to_thread(path.read_text, "utf-8"), None


async def _live_council(context: BotContext) -> tuple[int, Council]:
    """The live version's number and its content as it is in use now."""
    version = await repo.live_version(context.db)
    return (version.id if version else repo.FILE_VERSION), context.council


async def content(update: Update, context: BotContext) -> None:
    """``/innehall`` sends the live file; ``/innehall tillbaka`` goes back one version."""
    message = update.effective_message
    assert message and update.effective_user
    if not await require(update, context, Role.ADMIN, action="content"):
        return
    if not await private_only(update, context):
        return
    word = context.args[0].casefold() if context.args else ""
    if word in BACK_WORDS:
        await _back(update, context)
        return
    if word in HISTORY_WORDS:
        await _history(update, context)
        return
    _ = context._
    number, text, version = await _live_text(context)
    if version is None:
        caption = _(
            "Innehållet som gäller nu: version 0, startfilen (COUNCIL_FILE). Ingen har ändrat "
            "det i chatten än."
        )
    else:
        caption = _("Innehållet som gäller nu: version {version}, ändrat {when} av {name}.").format(
            version=number,
            when=esc(when_text(parse_utc(version.created_at), context.locale)),
            name=esc(version.author_name or str(version.created_by)),
        )
    name = command_name(commands.CONTENT, context.locale)
    caption += "\n\n" + _(
        "Ändra i filen och skicka tillbaka den hit som fil. Jag kontrollerar den och visar vad "
        "som ändras innan något används. /{command} tillbaka går tillbaka till versionen före, "
        "/{command} historik visar alla versioner."
    ).format(command=name)
    await message.reply_document(
        InputFile(
            text.encode("utf-8"),
            filename=_("innehall-v{version}.yaml").format(version=number),
        ),
        caption=caption,
    )


async def _history(update: Update, context: BotContext) -> None:
    """``/innehall historik``: the latest versions, which is live, who made each and what."""
    message = update.effective_message
    assert message
    _ = context._
    versions = await repo.history(context.db)
    current = await repo.live_version(context.db)
    live = current.id if current else repo.FILE_VERSION
    lines = [_("<b>Innehållets versioner</b> (nyast först)")]
    for v in versions:
        when = when_text(parse_utc(v.created_at), context.locale)
        state = _("gäller nu") if v.id == live else (_("tillbakatagen") if v.withdrawn else "")
        head = _("Version {version}, {when}, {name}").format(
            version=v.id, when=when, name=v.author_name or str(v.created_by)
        )
        lines.append(f"• {esc(head)}" + (f" <b>({esc(state)})</b>" if state else ""))
        if v.summary:
            lines.append(f"  {esc(v.summary[:300])}")
    file_state = f" <b>({esc(_('gäller nu'))})</b>" if live == repo.FILE_VERSION else ""
    lines.append("• " + esc(_("Version 0, startfilen (COUNCIL_FILE)")) + file_state)
    await message.reply_text("\n".join(lines))


async def _back(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message and update.effective_user
    _ = context._
    async with _lock(context.services):
        candidates = await repo.live_versions(context.db)
        previous = candidates[1] if len(candidates) > 1 else None
        if not candidates:
            await message.reply_text(
                _("Det finns ingen tidigare version: startfilen (version 0) gäller redan.")
            )
            return
        try:
            council = await _parse_stored(previous, context.settings.council_file)
        except ContentProblem as problem:
            await message.reply_text(
                _("Versionen före kan inte användas: {problem}. Inget är ändrat.").format(
                    problem=esc(render_problem(problem, _))
                )
            )
            return
        await go_live(context.services, council)
        result = await repo.withdraw_live(
            context.db, actor_id=update.effective_user.id, now=now(context)
        )
    assert result is not None
    log.info("Content version %d withdrawn; %d is live", result.withdrawn, result.live)
    await message.reply_text(
        _("Version {old} används inte längre. Nu gäller version {new} igen.").format(
            old=result.withdrawn, new=result.live
        )
    )


async def _parse_stored(version: repo.ContentVersion | None, council_file: Path) -> Council:
    if version is None:
        from bot.content import load_council

        return await asyncio.to_thread(load_council, council_file)
    return await asyncio.to_thread(parse_content, version.yaml)


def _is_yaml(name: str | None, mime: str | None) -> bool:
    return (name or "").lower().endswith((".yaml", ".yml")) or "yaml" in (mime or "")


async def receive_file(update: Update, context: BotContext) -> None:
    """An administrator sends an edited content file: check it and show what would change."""
    message = update.effective_message
    user = update.effective_user
    assert message and message.document and user
    if not await require(update, context, Role.ADMIN, action="content"):
        return
    _ = context._
    document = message.document
    name = command_name(commands.CONTENT, context.locale)
    if not _is_yaml(document.file_name, document.mime_type):
        await message.reply_text(
            _(
                "Skicka innehållet som en .yaml-fil, den du får med /{command}. Inget är ändrat."
            ).format(command=name)
        )
        return
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await message.reply_text(
            _("Filen är för stor för att vara innehållsfilen. Inget är ändrat.")
        )
        return
    try:
        data = bytes(await (await document.get_file()).download_as_bytearray())
    except TelegramError as exc:
        log.warning("Could not download a content file: %s", type(exc).__name__)
        await message.reply_text(_("Jag kunde inte hämta filen. Skicka den gärna igen."))
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        await message.reply_text(
            _(
                "Filen är inte sparad som UTF-8-text. Spara den som UTF-8 och skicka igen. "
                "Inget är ändrat."
            )
        )
        return
    try:
        new = await asyncio.to_thread(parse_content, text)
    except ContentProblem as problem:
        await message.reply_text(
            _("Filen kan inte användas. {problem}\n\nDet som gäller nu är oförändrat.").format(
                problem=esc(render_problem(problem, _))
            )
        )
        return
    base, old = await _live_council(context)
    diff = changes(old, new)
    if not diff:
        await message.reply_text(
            _(
                "Filen är likadan som det som gäller nu (version {version}). Inget att ändra."
            ).format(version=base)
        )
        return
    lines = render_changes(diff, _)
    summary = "; ".join(render_changes(diff, lambda s: s))  # the audit log keeps Swedish
    warning = ""
    if diff.districts.removed:
        stored = await repo.feedback_in_districts(context.db, diff.districts.removed)
        if stored:
            warning = "\n\n" + context.ngettext(
                "Obs: {n} återkoppling gäller ett område som tas bort. Den finns kvar men "
                "visas med områdets id.",
                "Obs: {n} återkopplingar gäller områden som tas bort. De finns kvar men "
                "visas med områdets id.",
                stored,
            ).format(n=stored)
    parity = await asyncio.to_thread(upload_problems, old, new, text)
    if parity:
        # A warning, not a refusal: the administrator decides (Använd / Avbryt).
        warning += (
            "\n\n⚠️ "
            + _(
                "Obs: på de här ställena säger den engelska texten kanske inte samma sak som "
                "den svenska (ett förbehåll eller ett årtal kan ha fallit bort). Läs dem innan "
                "du trycker Använd:"
            )
            + "\n"
            + "\n".join(f"• {esc(line)}" for line in render_warnings(parity, _))
        )
    author = " ".join(p for p in (user.first_name, user.last_name) if p)
    upload_id = await repo.save_upload(
        context.db,
        created_by=user.id,
        author_name=author,
        base_version=base,
        yaml=text,
        summary=summary,
        now=now(context),
    )
    body = "\n".join(f"• {esc(line)}" for line in lines)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✅ Använd"), callback_data=ContentButton("use", upload_id).pack()
                ),
                InlineKeyboardButton(
                    _("Avbryt"), callback_data=ContentButton("cancel", upload_id).pack()
                ),
            ]
        ]
    )
    await message.reply_text(
        _("Filen är kontrollerad. Jämfört med version {version} ändras:").format(version=base)
        + "\n"
        + body
        + warning
        + "\n\n"
        + _("Använd den nu?"),
        reply_markup=keyboard,
    )


async def on_button(update: Update, context: BotContext) -> None:
    """Använd makes the waiting file live at once; Avbryt forgets it."""
    query = update.callback_query
    assert query and update.effective_user
    if not await require(update, context, Role.ADMIN, action="content"):
        return
    button = ContentButton.parse(query.data)
    if button is None:
        await query.answer()
        return
    _ = context._
    if button.action == "cancel":
        await repo.discard_upload(context.db, button.upload_id)
        await query.answer()
        await edit_quietly(query, _("Avbrutet. Det som gäller nu är oförändrat."))
        return
    async with _lock(context.services):
        upload = await repo.get_upload(context.db, button.upload_id)
        if upload is None:
            await query.answer(_("Den filen är redan använd eller avbruten."), show_alert=True)
            await edit_quietly(query)
            return
        await query.answer(_("Ett ögonblick, jag bygger om kunskapsbanken …"))
        council = await asyncio.to_thread(parse_content, upload.yaml)
        kb = await asyncio.to_thread(KnowledgeBase.from_council, council)
        result = await repo.apply_upload(
            context.db, button.upload_id, actor_id=update.effective_user.id, now=now(context)
        )
        if result.outcome is repo.ApplyOutcome.APPLIED:
            _swap(context.services, council, kb)
    if result.outcome is repo.ApplyOutcome.APPLIED:
        log.info("Content version %d is live", result.version)
        await edit_quietly(
            query,
            _("✅ Version {version} gäller nu, för alla, utan omstart.").format(
                version=result.version
            ),
        )
    elif result.outcome is repo.ApplyOutcome.STALE:
        await edit_quietly(
            query,
            _(
                "Innehållet har ändrats sedan du skickade filen (nu gäller version {version}). "
                "Hämta det nya med /{command} och gör din ändring där. Inget är ändrat."
            ).format(
                version=result.version, command=command_name(commands.CONTENT, context.locale)
            ),
        )
    else:
        await edit_quietly(query, _("Den filen är redan använd eller avbruten."))


async def restore_live(app: AnyApp) -> None:
    """Start-up: the newest stored version wins over COUNCIL_FILE (an unreadable one is skipped).

    Runs before the knowledge base is built (handlers.questions), which then uses it.
    """
    services: Services = app.bot_data["services"]
    for version in await repo.live_versions(services.db):
        try:
            council = await asyncio.to_thread(parse_content, version.yaml)
        except ContentProblem as problem:
            log.warning("Stored content version %d is not usable: %s", version.id, problem)
            continue
        services.council = council
        services.knowledge = None
        log.info("Content version %d is live", version.id)
        return


def register(app: AnyApp) -> None:
    """Commands, the file upload and the buttons (before the media catch-all)."""
    on_startup(app, restore_live)
    # Only administrators' files are content; a resident's file gets the usual "text only".
    admins = filters.User(user_id=app.bot_data["services"].settings.admin_ids)
    app.add_handlers(
        [
            CommandHandler(commands.CONTENT.names, content),
            MessageHandler(
                filters.UpdateType.MESSAGE
                & filters.ChatType.PRIVATE
                & filters.Document.ALL
                & admins,
                receive_file,
            ),
            CallbackQueryHandler(on_button, pattern=ContentButton.pattern()),
        ]
    )
