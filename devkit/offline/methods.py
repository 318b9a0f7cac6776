"""The other Bot API methods: the bot itself, webhooks and getUpdates, callback answers, chat
actions, commands, the menu button, chats, files and the bot's name and descriptions.
"""

from __future__ import annotations

import asyncio
import itertools
import logging

from devkit.offline.models import JSONDict
from devkit.offline.state import ApiError, Handler, Upload, bad
from devkit.offline.validation import (
    CHAT_ACTIONS,
    QUERY_TOO_OLD,
    scope_key,
    validate_commands,
)
from devkit.offline.world import SimulatedWorld

log = logging.getLogger("devkit.offline.server")


class ServiceMethods(SimulatedWorld):
    """getMe, webhooks, getUpdates, answerCallbackQuery, commands, menu button, chats, files."""

    async def _true(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        return True

    async def _get_me(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _delete_webhook(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
            self._changed.notify()
        return True

    async def _set_webhook(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
            self._changed.notify()
        self._updates_signal.notify()  # a waiting getUpdates now conflicts
        return True

    async def _get_webhook_info(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _get_updates(self, params: JSONDict, uploads: dict[str, Upload]) -> list[JSONDict]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int) and offset != 0:
            self._confirm(offset)
        limit = params.get("limit", 100)
        limit = min(max(limit if isinstance(limit, int) else 100, 1), 100)
        timeout_raw = params.get("timeout", 0)
        try:
            timeout = max(0.0, float(timeout_raw))
        except (TypeError, ValueError):
            timeout = 0.0
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.notify()  # an older, still waiting getUpdates now conflicts
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._updates and not self._closing:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            self._polls_waiting += 1
            self._changed.notify()
            try:
                await self._updates_signal.wait(remaining)
            finally:
                self._polls_waiting -= 1
            if generation != self._poll_generation or self.webhook_url:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        return list(itertools.islice(self._updates, limit))

    async def _answer_callback_query(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._pending_queries:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and len(text) > 200:
            raise bad("MESSAGE_TOO_LONG")
        del self._pending_queries[query_id]
        answer: JSONDict = {
            "text": text,
            "show_alert": bool(params.get("show_alert", False)),
            "url": params.get("url"),
            "cache_time": params.get("cache_time"),
        }
        self.callback_answers[query_id] = answer
        self._changed.notify()
        for hook in self.on_callback_answer:
            try:
                hook(query_id, answer)
            except Exception:
                log.exception("offline api on_callback_answer hook failed")
        return True

    async def _send_chat_action(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        state = self._chat_for_send(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        self.chat_actions.append((state.chat["id"], str(action)))
        self._changed.notify()
        return True

    async def _set_my_commands(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        clean = validate_commands(params.get("commands"))
        key = (scope_key(params.get("scope")), str(params.get("language_code") or ""))
        if clean:
            self.commands[key] = clean
        else:
            self.commands.pop(key, None)
        self._changed.notify()
        return True

    async def _get_my_commands(
        self, params: JSONDict, uploads: dict[str, Upload]
    ) -> list[JSONDict]:
        key = (scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return list(self.commands.get(key, []))

    async def _delete_my_commands(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        key = (scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self.commands.pop(key, None)
        self._changed.notify()
        return True

    async def _set_chat_menu_button(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            chat_id = self._chat_for_send(params).chat["id"]
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise bad("can't parse menu button JSON object")
        self.menu_buttons[chat_id] = button
        return True

    async def _get_chat_menu_button(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            chat_id = self._chat_for_send(params).chat["id"]
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "commands"}

    async def _get_chat(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        chat_id = params.get("chat_id")
        state = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if state is None:
            state = self._chat_for_send(params)
        return {
            **state.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_file(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    def _setting(self, key: str) -> Handler:
        async def handler(params: JSONDict, uploads: dict[str, Upload]) -> bool:
            lang = str(params.get("language_code") or "")
            self.bot_settings.setdefault(key, {})[lang] = params.get(key)
            return True

        return handler

    def _get_setting(self, key: str) -> Handler:
        async def handler(params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
            lang = str(params.get("language_code") or "")
            value = self.bot_settings.get(key, {}).get(lang) or ""
            return {key: value}

        return handler
