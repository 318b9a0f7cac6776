"""The local terminal chat: the real bot against the offline Bot API, no Telegram needed.

A newcomer runs ``make run`` without BOT_TOKEN and chats with the bot as a simulated resident,
moderator, council member or admin. Buttons are pressed by number. What the bot pushes to another
persona meanwhile (a council note to a resident, a digest to the council) is announced at once with
that persona's name and shown in full, buttons and all, on switching to it with ``:vem``.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.app import build_application, running
from bot.i18n import N_, translations
from bot.services import create_services
from bot.settings import Settings
from devkit.offline import OfflineBotApi, SentMessage, SimUser
from storage import roles


@dataclass(frozen=True)
class Persona:
    key: str
    user_id: int
    first_name: str
    language_code: str
    role: str | None  # stored role; "admin" comes from ADMIN_IDS
    label: str


PERSONAS: tuple[Persona, ...] = (
    Persona("invanare", 1001, "Anna", "sv", None, N_("invånare")),
    Persona("resident", 1002, "John", "en", None, N_("invånare (engelska)")),
    Persona("moderator", 1003, "Maja", "sv", "moderator", N_("moderator")),
    Persona("rad", 1004, "Rolf", "sv", "council", N_("rådsmedlem")),
    Persona("admin", 1005, "Ada", "sv", "admin", N_("administratör")),
)
PERSONA_BY_ID = {p.user_id: p for p in PERSONAS}
# Umeå centrum, for ":plats" without coordinates.
DEFAULT_LOCATION = (63.8256, 20.2636)


async def _stdin_lines() -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        yield line


class LocalChat:
    """Prints what the bot sends to the current persona and turns typed lines into updates."""

    def __init__(self, api: OfflineBotApi, out: TextIO, locale: str, files_dir: Path) -> None:
        self.api = api
        self.out = out
        self._ = translations(locale).gettext
        self.files_dir = files_dir
        self.persona = PERSONAS[0]
        self.buttons: list[tuple[str, str | None, SentMessage]] = []
        self.reply_buttons: list[dict[str, object]] = []
        # persona id -> bot messages to that persona not yet shown (in order, current state)
        self.unseen: dict[int, list[SentMessage]] = {}
        self._activity = asyncio.Event()
        for persona in PERSONAS:  # every persona's chat exists, so the bot can push to it
            api.user(
                persona.user_id,
                first_name=persona.first_name,
                language_code=persona.language_code,
            )
        api.on_message.append(self._show)
        api.on_callback_answer.append(self._show_answer)

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def settle(self, quiet: float = 0.3, limit: float = 5.0) -> None:
        """Wait until the bot has had its say (no new output for ``quiet`` seconds)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while loop.time() < deadline:
            self._activity.clear()
            try:
                await asyncio.wait_for(self._activity.wait(), timeout=quiet)
            except TimeoutError:
                return

    def _show(self, msg: SentMessage) -> None:
        self._activity.set()
        if msg.chat_id == self.persona.user_id:
            if not msg.deleted:
                self._render(msg, self._("Boten"))
            return
        persona = PERSONA_BY_ID.get(msg.chat_id)
        if persona is None:
            return
        waiting = self.unseen.setdefault(persona.user_id, [])
        if msg.deleted:
            if msg in waiting:
                waiting.remove(msg)
            return
        if msg in waiting:  # edited before anyone looked: shown once, as it is by then
            return
        waiting.append(msg)
        preview = (msg.plain_text or msg.filename or msg.kind).strip().split("\n", 1)[0]
        if len(preview) > 60:
            preview = preview[:59] + "…"
        self._print(
            self._("📬 Till {name} ({role}): {preview} · skriv :vem {key} för att se det").format(
                name=persona.first_name,
                role=self._(persona.label),
                preview=preview,
                key=persona.key,
            )
        )

    def _render(self, msg: SentMessage, label: str) -> None:
        """Print one bot message to the current persona; its buttons become the numbered ones."""
        edited = self._(" (ändrat)") if msg.edits else ""
        self._print(f"\n── {label}{edited} ──")
        body = msg.plain_text or msg.caption or ""
        if msg.kind in ("photo", "document") and msg.file_bytes is not None:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            name = msg.filename or f"{msg.kind}-{msg.message_id}.png"
            path = self.files_dir / name
            path.write_bytes(msg.file_bytes)
            body = (body + "\n" if body else "") + self._("[fil sparad: {path}]").format(path=path)
        self._print(body)
        markup = msg.reply_markup or {}
        if "inline_keyboard" in markup:
            self.buttons = [(t, d, msg) for row in msg.buttons for t, d in row]
            self._print("  ".join(f"[{i}] {t}" for i, (t, _, _) in enumerate(self.buttons, 1)))
        elif "keyboard" in markup:
            self.reply_buttons = [b for row in markup["keyboard"] for b in row]
            start = len(self.buttons) + 1
            self._print(
                "  ".join(
                    f"[{i}] {b['text'] if isinstance(b, dict) else b}"
                    for i, b in enumerate(self.reply_buttons, start)
                )
            )

    def _show_answer(self, query_id: str, answer: dict[str, object]) -> None:
        if answer.get("text"):
            self._print(f"  ({answer['text']})")

    def help(self) -> None:
        _ = self._
        self._print(
            _(
                "Skriv som i Telegram. Siffra = tryck på knappen med det numret.\n"
                ":vem NAMN byter användare ({names})\n"
                ":plats [LAT LON] delar din plats · :sticker · :foto · :rost skickar media\n"
                ":hjalp visar detta · :sluta avslutar"
            ).format(names=", ".join(p.key for p in PERSONAS))
        )

    def whoami(self) -> None:
        self._print(
            self._("Du är nu {name} ({role}).").format(
                name=self.persona.first_name, role=self._(self.persona.label)
            )
        )

    async def handle(self, line: str) -> bool:
        """Act on one typed line; False means quit."""
        line = line.strip()
        if not line:
            return True
        user = self.api.user(
            self.persona.user_id,
            first_name=self.persona.first_name,
            language_code=self.persona.language_code,
        )
        word, _, rest = line.partition(" ")
        if word in (":sluta", ":quit", ":q"):
            return False
        if word in (":hjalp", ":help", ":h"):
            self.help()
        elif word in (":vem", ":user", ":u"):
            found = [p for p in PERSONAS if p.key.startswith(rest.strip().lower())] if rest else []
            if found:
                self.persona, self.buttons, self.reply_buttons = found[0], [], []
                self.whoami()
                for msg in self.unseen.pop(self.persona.user_id, []):
                    self._render(msg, self._("Boten, medan du var borta"))
            else:
                self.help()
        elif word in (":plats", ":location"):
            try:
                lat, lon = (float(x) for x in rest.split()) if rest else DEFAULT_LOCATION
            except ValueError:
                self._print(self._("Skriv till exempel :plats 63.83 20.26"))
                return True
            await self.api.send_location(user, lat, lon)
        elif word == ":sticker":
            await self.api.send_sticker(user)
        elif word in (":foto", ":photo"):
            await self.api.send_photo(user)
        elif word in (":rost", ":voice"):
            await self.api.send_voice(user)
        elif line.isdigit():
            await self._press(user, int(line))
        else:
            await self.api.send_text(user, line)
        return True

    async def _press(self, user: SimUser, number: int) -> None:
        if 1 <= number <= len(self.buttons):
            _text, data, msg = self.buttons[number - 1]
            if data is None or data.startswith(("http://", "https://", "tg://")):
                self._print(self._("Länk: {url}").format(url=data))
            else:
                await self.api.press(user, msg, data)
            return
        index = number - len(self.buttons) - 1
        if 0 <= index < len(self.reply_buttons):
            button = self.reply_buttons[index]
            if isinstance(button, dict) and button.get("request_location"):
                await self.api.send_location(user, *DEFAULT_LOCATION)
            else:
                label = button["text"] if isinstance(button, dict) else button
                await self.api.send_text(user, str(label))
            return
        self._print(self._("Det finns ingen knapp {number}.").format(number=number))


async def run_local_chat(
    settings: Settings,
    lines: Callable[[], AsyncIterator[str]] = _stdin_lines,
    out: TextIO = sys.stdout,
) -> None:
    """Start the offline server and the real bot, then chat until EOF or ``:sluta``."""
    admin = next(p for p in PERSONAS if p.role == "admin")
    async with OfflineBotApi() as api:
        local = settings.model_copy(
            update={
                "telegram_api_url": api.base_url,
                "telegram_file_url": api.base_file_url,
                "admin_ids": (*settings.admin_ids, admin.user_id),
            }
        )
        services = await create_services(local)
        try:
            for persona in PERSONAS:
                if persona.role in ("moderator", "council"):
                    await roles.grant(
                        services.db,
                        persona.user_id,
                        persona.role,
                        granted_by=admin.user_id,
                        display_name=persona.first_name,
                    )
            app = build_application(services)
            chat = LocalChat(
                api,
                out,
                settings.default_locale,
                Path(settings.database_path).parent / "local-chat",
            )
            async with running(app):
                _ = chat._
                chat._print(_("Lokal chatt med trygghetsboten (ingen Telegram behövs)."))
                chat.help()
                chat.whoami()
                await chat.handle("/start")
                await chat.settle()
                async for line in lines():
                    if not await chat.handle(line):
                        break
                    await chat.settle()
        finally:
            await services.close()
