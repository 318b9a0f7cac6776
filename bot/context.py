"""A CallbackContext that knows the user's language and the bot's services.

The locale is decided per update (stored choice from /sprak, else Telegram's language_code, else
DEFAULT_LOCALE), so concurrent users never share a "current language".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from babel.support import NullTranslations
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import pick_locale, translations

if TYPE_CHECKING:
    from bot.content import Council
    from bot.services import Services
    from bot.settings import Settings
    from storage.db import Database

# The application type every handler module registers on (its six type parameters are ours).
AnyApp = Application[Any, Any, Any, Any, Any, Any]

LOCALE_KEY = "locale"


def now(context: CallbackContext[Any, Any, Any, Any]) -> datetime:
    """The bot's one clock: the current moment (UTC), or the pinned one in tests.

    Every rule that depends on time (periods, invitations, dialogue timeouts, retention) asks
    here, so ``services.clock = lambda: ...`` moves the whole bot, and the suite can run 400 days
    ahead under faketime.
    """
    return app_now(context.application)


def app_now(app: AnyApp) -> datetime:
    """:func:`now` where only the application is at hand (a handler's check_update, a job)."""
    clock: Callable[[], datetime] | None = getattr(app.bot_data.get("services"), "clock", None)
    return clock() if clock else datetime.now(UTC)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        services = application.bot_data.get("services")
        self.locale: str = services.settings.default_locale if services else "sv"

    @classmethod
    def from_update(
        cls, update: object, application: Application[Any, Any, Any, Any, Any, Any]
    ) -> BotContext:
        context = super().from_update(update, application)
        if isinstance(update, Update) and update.effective_user:
            stored = (
                (context.user_data or {}).get(LOCALE_KEY) if context.user_data is not None else None
            )
            context.locale = stored or pick_locale(
                update.effective_user.language_code, context.locale
            )
        return context

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]  # type: ignore[no-any-return,unused-ignore]

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def council(self) -> Council:
        return self.services.council

    @property
    def t(self) -> NullTranslations:
        return translations(self.locale)

    def locale_of(self, user_id: int) -> str:
        """Another user's language for a message we push to them (a reminder, a notice): their
        /sprak choice, else DEFAULT_LOCALE (their Telegram language is only known per update)."""
        stored = self.application.user_data.get(user_id, {}).get(LOCALE_KEY)
        return stored or self.settings.default_locale

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.t.ngettext(singular, plural, n)
