"""The last line of defence: log once, apologise in the user's language.

One log line per failed update: its id, the exception type and where it happened (file, line,
function of each frame) — but never the exception's message or local values, because those can
quote what the resident wrote, and never a URL (it carries the token). Network trouble has
already been logged per attempt by bot.transport; here it gets one summary line.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.context import BotContext

log = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parent.parent
# Frames shown per error: the innermost ones, where it went wrong.
MAX_FRAMES = 6


def where(error: BaseException) -> str:
    """``handlers/x.py:12 in f ← bot/y.py:34 in g`` (innermost first), without any values."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if _is_ours(f.filename)] or list(frames)
    parts = []
    for frame in reversed(ours[-MAX_FRAMES:]):
        parts.append(f"{_short(frame.filename)}:{frame.lineno} in {frame.name}")
    return " ← ".join(parts) or "unknown place"


def _is_ours(filename: str) -> bool:
    path = Path(filename).resolve()
    return path.is_relative_to(_ROOT) and ".venv" not in path.parts


def _short(filename: str) -> str:
    path = Path(filename).resolve()
    if path.is_relative_to(_ROOT):
        return path.relative_to(_ROOT).as_posix()
    parts = path.parts
    return (
        "/".join(parts[parts.index("site-packages") + 1 :])
        if "site-packages" in parts
        else path.name
    )


def _short_description(text: str) -> str:
    """Telegram's reason without its details ("can't parse entities: <the text's tag>…")."""
    head = ":".join(text.split(":")[:2])
    return head[:100]


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    if error is None:  # pragma: no cover - PTB always sets it for error handlers
        return
    update_id = update.update_id if isinstance(update, Update) else None
    if update is None and context.job is not None:
        log.error(
            "Job %s: unexpected %s at %s", context.job.name, type(error).__name__, where(error)
        )
        return
    if isinstance(error, Forbidden):
        log.info("Update %s: the user has blocked the bot (or it left the chat)", update_id)
        return
    if isinstance(error, BadRequest) and "not modified" in str(error).lower():
        return
    if isinstance(error, (NetworkError, RetryAfter)):
        # Telegram's description never holds the token or user input; bot.transport already
        # logged each attempt, this is the one line for the update as a whole.
        log.warning("Update %s: Telegram problem: %s: %s", update_id, type(error).__name__, error)
    elif isinstance(error, BadRequest):
        log.error(
            "Update %s: Telegram refused a request: %s at %s",
            update_id,
            _short_description(str(error)),
            where(error),
        )
    else:
        log.error("Update %s: unexpected %s at %s", update_id, type(error).__name__, where(error))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.callback_query:
        # Stop the button's spinner; the handler may already have answered, that is fine.
        try:
            await update.callback_query.answer()
        except Exception as exc:
            log.debug("Update %s: callback already answered: %s", update_id, type(exc).__name__)
    try:
        await context.bot.send_message(
            update.effective_chat.id,
            context._("Förlåt, något gick fel hos mig. Försök gärna igen om en stund."),
        )
    except Exception as exc:
        log.warning("Update %s: could not send the apology: %s", update_id, type(exc).__name__)
