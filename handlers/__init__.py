"""Telegram-facing handlers, one module per concern.

Order matters: in group 0 the first matching handler wins. Conversations come first (their
fallbacks, like /avbryt, must win while a dialogue is active), then commands and buttons, then
free text as a question, and last the catch-all for stale buttons.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    from handlers import (
        content,
        digest,
        errors,
        fallback,
        feedback,
        moderation,
        moderation_reminder,
        news,
        notes,
        privacy,
        questions,
        reports,
        staff,
        start,
        unanswered,
    )

    # 0. A button press without a message (inline, forged) is answered before anything else.
    fallback.register_guard(app)
    # 1. Conversations (dialogues with state).
    moderation.register_conversations(app)
    notes.register_conversations(app)
    feedback.register_conversation(app)
    # 2. Commands and buttons.
    staff.register_deep_link(app)  # `/start inv-…` must come before the plain /start
    start.register(app)
    staff.register(app)
    content.register(app)  # its start-up hook must run before the knowledge base is built
    unanswered.register(app)
    moderation.register(app)
    moderation_reminder.register(app)
    reports.register(app)
    digest.register(app)
    notes.register(app)
    news.register(app)
    privacy.register(app)
    feedback.register_buttons(app)
    questions.register(app)
    # 3. Free text: questions to the knowledge base.
    questions.register_free_text(app)
    # 4. Catch-alls. Unknown commands last among message handlers, after every command above.
    questions.register_catch_all(app)
    fallback.register(app)
    app.add_error_handler(errors.on_error)
