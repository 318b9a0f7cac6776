"""Bot API methods on messages: send (text, photo, document), edit and delete.

Each validates like Telegram (see :mod:`devkit.offline.validation`), records a
:class:`~devkit.offline.models.SentMessage` (edits keep the earlier versions) and answers with the
``Message`` object Telegram would return.
"""

from __future__ import annotations

from typing import Any

from devkit.offline.models import JSONDict, SentMessage
from devkit.offline.state import ApiError, ChatState, Upload, bad, now
from devkit.offline.store import MessageStore
from devkit.offline.validation import (
    NOT_MODIFIED,
    validate_caption,
    validate_markup,
    validate_text,
)


class MessageMethods(MessageStore):
    """sendMessage, sendPhoto, sendDocument, editMessage*, deleteMessage(s)."""

    async def _send_message(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        state = self._chat_for_send(params)
        text, plain, ents, mode = validate_text(
            params, edit=False, strict_ampersand=self.strict_html_ampersand
        )
        markup = validate_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        msg = SentMessage(
            message_id=state.new_message_id(),
            chat_id=state.chat["id"],
            kind="text",
            text=text,
            parse_mode=mode,
            reply_markup=markup,
            entities=ents,
            plain_text=plain,
            date=now(),
            reply_to_message_id=reply_to,
            params=params,
        )
        return self._new_bot_message(state, msg)

    async def _send_media(
        self, params: JSONDict, uploads: dict[str, Upload], kind: str, folder: str
    ) -> JSONDict:
        state = self._chat_for_send(params)
        caption, plain, ents, mode = validate_caption(
            params, strict_ampersand=self.strict_html_ampersand
        )
        markup = validate_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        stored = self._media_input(params, uploads, kind, folder)
        if kind == "photo" and stored.width == 0:
            stored.width, stored.height = 1280, 960
        msg = SentMessage(
            message_id=state.new_message_id(),
            chat_id=state.chat["id"],
            kind=kind,
            caption=caption,
            parse_mode=mode,
            reply_markup=markup,
            entities=ents,
            plain_text=plain,
            file_bytes=stored.data,
            filename=stored.filename,
            mime_type=stored.mime_type,
            file_id=stored.file_id,
            date=now(),
            reply_to_message_id=reply_to,
            params=params,
        )
        return self._new_bot_message(state, msg)

    async def _send_photo(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        return await self._send_media(params, uploads, "photo", "photos")

    async def _send_document(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        return await self._send_media(params, uploads, "document", "documents")

    def _apply_edit(self, state: ChatState, msg: SentMessage, **changes: Any) -> JSONDict:
        msg.edits.append(msg.snapshot())
        for key, value in changes.items():
            setattr(msg, key, value)
        msg.edit_date = now()
        self._emit(state, msg)
        return self._message_dict(state, msg)

    @staticmethod
    def _inline_of(msg: SentMessage) -> JSONDict | None:
        return msg.reply_markup if msg.is_inline_keyboard else None

    async def _edit_message_text(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        state, msg = self._find_bot_message(params, "message to edit not found")
        if msg.kind != "text":
            raise bad("there is no text in the message to edit")
        text, plain, ents, mode = validate_text(
            params, edit=True, strict_ampersand=self.strict_html_ampersand
        )
        markup = validate_markup(params.get("reply_markup"), inline_only=True)
        if plain == msg.plain_text and ents == msg.entities and markup == self._inline_of(msg):
            raise ApiError(400, NOT_MODIFIED)
        new_markup = markup if markup is not None or msg.is_inline_keyboard else msg.reply_markup
        return self._apply_edit(
            state,
            msg,
            text=text,
            plain_text=plain,
            entities=ents,
            parse_mode=mode,
            reply_markup=new_markup,
        )

    async def _edit_message_caption(self, params: JSONDict, uploads: dict[str, Upload]) -> JSONDict:
        state, msg = self._find_bot_message(params, "message to edit not found")
        if msg.kind == "text":
            raise bad("there is no caption in the message to edit")
        caption, plain, ents, mode = validate_caption(
            params, strict_ampersand=self.strict_html_ampersand
        )
        markup = validate_markup(params.get("reply_markup"), inline_only=True)
        if plain == msg.plain_text and ents == msg.entities and markup == self._inline_of(msg):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(
            state,
            msg,
            caption=caption,
            plain_text=plain,
            entities=ents,
            parse_mode=mode,
            reply_markup=markup,
        )

    async def _edit_message_reply_markup(
        self, params: JSONDict, uploads: dict[str, Upload]
    ) -> JSONDict:
        state, msg = self._find_bot_message(params, "message to edit not found")
        markup = validate_markup(params.get("reply_markup"), inline_only=True)
        if markup == self._inline_of(msg):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(state, msg, reply_markup=markup)

    async def _delete_message(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        state = self._chat_for_send(params)
        mid = params.get("message_id")
        if mid is None:
            raise bad("message identifier is not specified")
        if isinstance(mid, int) and state.user_msgs.pop(mid, None) is not None:
            return True
        msg = state.by_id.get(mid) if isinstance(mid, int) else None
        if msg is None or msg.deleted:
            raise bad("message to delete not found")
        msg.deleted = True
        self._emit(state, msg)
        return True

    async def _delete_messages(self, params: JSONDict, uploads: dict[str, Upload]) -> bool:
        state = self._chat_for_send(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message_ids must be a non-empty array of at most 100 identifiers")
        for mid in ids:
            if not isinstance(mid, int):
                continue
            state.user_msgs.pop(mid, None)
            msg = state.by_id.get(mid)
            if msg is not None and not msg.deleted:
                msg.deleted = True
                self._emit(state, msg)
        return True
