"""The bot's messages and files as Telegram returns them: the shared core of the Bot API methods.

Finding the chat a send is for (usernames, blocked users), rendering a stored message as a
Telegram ``Message`` object, storing files (so ``getFile`` and re-sending by file_id work) and
announcing every new, edited or deleted bot message to waiters and hooks.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from devkit.offline.flood import Delivery
from devkit.offline.models import JSONDict, SentMessage
from devkit.offline.state import ApiError, ChatState, ServerState, StoredFile, Upload, bad

log = logging.getLogger("devkit.offline.server")


class MessageStore(ServerState):
    """Bot messages per chat, rendered as Telegram objects; files by id and path."""

    def _emit(self, state: ChatState, msg: SentMessage) -> None:
        state.signal.notify()
        self._changed.notify()
        for hook in self.on_message:
            try:
                hook(msg)
            except Exception:
                log.exception("offline api on_message hook failed")

    def _chat_for_send(self, params: JSONDict) -> ChatState:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad("chat_id is empty")
        if isinstance(chat_id, str):
            resolved = self._usernames.get(chat_id.lstrip("@").lower())
            if resolved is None:
                raise bad("chat not found")
            chat_id = resolved
        if not isinstance(chat_id, int):
            raise bad("chat not found")
        state = self._chats.get(chat_id)
        if state is None:
            raise bad("chat not found")
        if chat_id in self._blocked:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return state

    def _reply_target(self, state: ChatState, params: JSONDict) -> int | None:
        rp = params.get("reply_parameters")
        mid: Any = None
        allow = bool(params.get("allow_sending_without_reply"))
        if isinstance(rp, dict):
            mid = rp.get("message_id")
            allow = allow or bool(rp.get("allow_sending_without_reply"))
        elif params.get("reply_to_message_id") is not None:
            mid = params["reply_to_message_id"]
        if mid is None:
            return None
        if not isinstance(mid, int):
            raise bad("message to be replied not found")
        exists = mid in state.user_msgs or (mid in state.by_id and not state.by_id[mid].deleted)
        if not exists:
            if allow:
                return None
            raise bad("message to be replied not found")
        return mid

    def _reply_dict(self, state: ChatState, mid: int) -> JSONDict | None:
        if mid in state.user_msgs:
            return state.user_msgs[mid]
        bot_msg = state.by_id.get(mid)
        return self._message_dict(state, bot_msg, with_reply=False) if bot_msg else None

    def _message_dict(
        self, state: ChatState, m: SentMessage, *, with_reply: bool = True
    ) -> JSONDict:
        d: JSONDict = {
            "message_id": m.message_id,
            "from": self.bot_user,
            "chat": state.chat,
            "date": m.date,
        }
        if m.kind == "text":
            d["text"] = m.plain_text
            if m.entities:
                d["entities"] = m.entities
        else:
            stored = self._files.get(m.file_id or "")
            if stored is not None:
                if m.kind == "photo":
                    d["photo"] = self._photo_sizes(stored)
                else:
                    d["document"] = self._document(stored)
            if m.caption is not None:
                d["caption"] = m.plain_text
                if m.entities:
                    d["caption_entities"] = m.entities
        if m.reply_markup and "inline_keyboard" in m.reply_markup:
            d["reply_markup"] = {"inline_keyboard": m.reply_markup["inline_keyboard"]}
        if m.edit_date is not None:
            d["edit_date"] = m.edit_date
        if with_reply and m.reply_to_message_id is not None:
            replied = self._reply_dict(state, m.reply_to_message_id)
            if replied is not None:
                d["reply_to_message"] = replied
        return d

    def _store_file(
        self,
        data: bytes | None,
        filename: str | None,
        mime_type: str | None,
        folder: str,
        *,
        width: int = 0,
        height: int = 0,
    ) -> StoredFile:
        seq = next(self._file_seq)
        ext = ""
        if filename and "." in filename:
            ext = filename.rsplit(".", 1)[1][:8]
        path = f"{folder}/file_{seq}" + (f".{ext}" if ext else "")
        stored = StoredFile(
            file_id=f"OFFL{folder[:3].upper()}{self.bot_id % 1000:03d}{seq:09d}",
            file_unique_id=f"U{seq:09d}",
            data=data,
            filename=filename,
            mime_type=mime_type,
            file_path=path,
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[path] = stored
        return stored

    @staticmethod
    def _photo_sizes(f: StoredFile) -> list[JSONDict]:
        return [
            {
                "file_id": f.file_id,
                "file_unique_id": f.file_unique_id,
                "width": f.width or 320,
                "height": f.height or 240,
                "file_size": f.size,
            }
        ]

    @staticmethod
    def _document(f: StoredFile) -> JSONDict:
        d: JSONDict = {
            "file_id": f.file_id,
            "file_unique_id": f.file_unique_id,
            "file_size": f.size,
        }
        if f.filename:
            d["file_name"] = f.filename
        if f.mime_type:
            d["mime_type"] = f.mime_type
        return d

    def _media_input(
        self, params: JSONDict, uploads: dict[str, Upload], name: str, folder: str
    ) -> StoredFile:
        value = params.get(name)
        upload = uploads.get(name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = uploads.get(value[len("attach://") :])
            if upload is None:
                raise bad(f"there is no {name} in the request")
        if upload is not None:
            if not upload.data:
                raise bad("file must be non-empty")
            return self._store_file(upload.data, upload.filename, upload.mime_type, folder)
        if isinstance(value, str) and value:
            known = self._files.get(value)
            if known is not None:
                return known
            if value.startswith(("http://", "https://")):
                name_part = value.rsplit("/", 1)[-1] or None
                return self._store_file(None, name_part, None, folder)
            raise bad("wrong file identifier/HTTP URL specified")
        raise bad(f"there is no {name} in the request")

    def _find_bot_message(self, params: JSONDict, missing: str) -> tuple[ChatState, SentMessage]:
        if params.get("inline_message_id"):
            raise bad("MESSAGE_ID_INVALID")
        state = self._chat_for_send(params)
        mid = params.get("message_id")
        if mid is None:
            raise bad("message identifier is not specified")
        msg = state.by_id.get(mid) if isinstance(mid, int) else None
        if msg is None or msg.deleted:
            if (
                isinstance(mid, int)
                and mid in state.user_msgs
                and missing.startswith("message to edit")
            ):
                raise bad("message can't be edited")
            raise bad(missing)
        return state, msg

    def _new_bot_message(self, state: ChatState, msg: SentMessage) -> JSONDict:
        state.log.append(msg)
        state.by_id[msg.message_id] = msg
        self.deliveries.append(
            Delivery(msg.chat_id, msg.message_id, msg.kind, msg.plain_text, time.monotonic())
        )
        self._emit(state, msg)
        return self._message_dict(state, msg)
