"""The simulated side of Telegram: users, groups, what they send, and the queue of updates.

Tests, benchmarks and the local chat call these methods to act as residents (``send_text``,
``press`` a button, share a location, send a photo…); each action becomes an update in the queue
the bot fetches with getUpdates and confirms with the next offset (``_confirm``).
"""

from __future__ import annotations

import re

from devkit.offline.models import JSONDict, SentMessage, SimChat, SimUser
from devkit.offline.state import ChatRef, ChatState, chat_id_of, now
from devkit.offline.store import MessageStore

COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")


class SimulatedWorld(MessageStore):
    """Simulated users and chats, their messages and button presses, and the update queue."""

    def user(
        self,
        user_id: int,
        *,
        first_name: str = "Test",
        language_code: str | None = "sv",
        username: str | None = None,
        last_name: str | None = None,
    ) -> SimUser:
        """Create (or update) a simulated user; their private chat id equals ``user_id``."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        sim = SimUser(user_id, first_name, language_code, username, last_name)
        self._users[user_id] = sim
        chat = SimChat(
            user_id, "private", first_name=first_name, last_name=last_name, username=username
        ).to_dict()
        state = self._chats.get(user_id)
        if state is None:
            self._chats[user_id] = ChatState(chat)
        else:
            state.chat = chat
        if username:
            self._usernames[username.lower()] = user_id
        return sim

    def group(
        self, chat_id: int, title: str = "Testgrupp", *, username: str | None = None
    ) -> SimChat:
        """Create a group (or supergroup if ``chat_id <= -10**12``) the bot is a member of."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        kind = "supergroup" if chat_id <= -(10**12) else "group"
        sim = SimChat(chat_id, kind, title=title, username=username)
        state = self._chats.get(chat_id)
        if state is None:
            self._chats[chat_id] = ChatState(sim.to_dict())
        else:
            state.chat = sim.to_dict()
        if username:
            self._usernames[username.lower()] = chat_id
        return sim

    def block_user(self, chat_id: int | SimUser | SimChat) -> None:
        """User blocked the bot (or, for a group, the bot was kicked): sends get 403."""
        self._blocked.add(chat_id_of(chat_id))

    def unblock_user(self, chat_id: int | SimUser | SimChat) -> None:
        """Undo :meth:`block_user`."""
        self._blocked.discard(chat_id_of(chat_id))

    def _sim_user(self, user: SimUser | int) -> SimUser:
        if isinstance(user, SimUser):
            if user.id not in self._users:  # made elsewhere: register it and its chat
                self.user(
                    user.id,
                    first_name=user.first_name,
                    language_code=user.language_code,
                    username=user.username,
                    last_name=user.last_name,
                )
            return user
        return self._users.get(user) or self.user(user)

    def _state_for(self, user: SimUser, chat: ChatRef | None) -> ChatState:
        chat_id = user.id if chat is None else chat_id_of(chat)
        state = self._chats.get(chat_id)
        if state is None:
            if isinstance(chat, SimChat):
                state = self._chats[chat_id] = ChatState(chat.to_dict())
            else:
                raise KeyError(f"unknown chat {chat_id}; create it with api.group()")
        return state

    def _push_update(self, payload: JSONDict) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        payload["update_id"] = update_id
        self._updates.append(payload)
        self._updates_signal.notify()
        self._changed.notify()
        return update_id

    def _user_message(self, state: ChatState, user: SimUser, content: JSONDict) -> JSONDict:
        mid = state.new_message_id()
        msg: JSONDict = {
            "message_id": mid,
            "from": user.to_dict(),
            "chat": state.chat,
            "date": now(),
            **content,
        }
        state.user_msgs[mid] = msg
        return msg

    async def send_text(
        self,
        user: SimUser | int,
        text: str,
        *,
        chat: ChatRef | None = None,
        reply_to: int | None = None,
    ) -> int:
        """The user sends ``text`` (no length/content limits); returns the update_id.

        A leading ``/command`` (also ``/cmd@botname`` and ``/cmd payload``) gets a bot_command
        entity like Telegram adds.
        """
        sim = self._sim_user(user)
        state = self._state_for(sim, chat)
        content: JSONDict = {"text": text}
        m = COMMAND_RE.match(text)
        if m:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": m.end()}]
        if reply_to is not None:
            replied = state.user_msgs.get(reply_to)
            bot_msg = state.by_id.get(reply_to)
            if replied is None and bot_msg is not None:
                replied = self._message_dict(state, bot_msg, with_reply=False)
            if replied is not None:
                content["reply_to_message"] = replied
        msg = self._user_message(state, sim, content)
        return self._push_update({"message": msg})

    async def send_location(
        self, user: SimUser | int, lat: float, lon: float, *, chat: ChatRef | None = None
    ) -> int:
        """The user shares a location."""
        sim = self._sim_user(user)
        content = {"location": {"latitude": lat, "longitude": lon}}
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_sticker(
        self, user: SimUser | int, *, emoji: str = "👍", chat: ChatRef | None = None
    ) -> int:
        """The user sends a sticker."""
        sim = self._sim_user(user)
        f = self._store_file(
            b"RIFF\x00\x00\x00\x00WEBPVP8 ", "sticker.webp", "image/webp", "stickers"
        )
        content = {
            "sticker": {
                "file_id": f.file_id,
                "file_unique_id": f.file_unique_id,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
                "file_size": f.size,
            }
        }
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_photo(
        self,
        user: SimUser | int,
        *,
        caption: str | None = None,
        data: bytes | None = None,
        chat: ChatRef | None = None,
    ) -> int:
        """The user sends a photo (downloadable via getFile)."""
        sim = self._sim_user(user)
        payload = data or b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
        f = self._store_file(payload, "photo.jpg", "image/jpeg", "photos", width=800, height=600)
        content: JSONDict = {"photo": self._photo_sizes(f)}
        if caption is not None:
            content["caption"] = caption
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_voice(
        self, user: SimUser | int, *, duration: int = 3, chat: ChatRef | None = None
    ) -> int:
        """The user sends a voice message."""
        sim = self._sim_user(user)
        f = self._store_file(b"OggS\x00\x02" + b"\x00" * 64, "voice.oga", "audio/ogg", "voice")
        content = {
            "voice": {
                "file_id": f.file_id,
                "file_unique_id": f.file_unique_id,
                "duration": duration,
                "mime_type": "audio/ogg",
                "file_size": f.size,
            }
        }
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_document(
        self,
        user: SimUser | int,
        *,
        filename: str = "dokument.pdf",
        data: bytes = b"%PDF-1.4\n%offline\n",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        chat: ChatRef | None = None,
    ) -> int:
        """The user sends a file."""
        sim = self._sim_user(user)
        f = self._store_file(data, filename, mime_type, "documents")
        content: JSONDict = {"document": self._document(f)}
        if caption is not None:
            content["caption"] = caption
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def send_contact(
        self,
        user: SimUser | int,
        *,
        phone_number: str = "+46701234567",
        chat: ChatRef | None = None,
    ) -> int:
        """The user shares their own contact card."""
        sim = self._sim_user(user)
        content = {
            "contact": {
                "phone_number": phone_number,
                "first_name": sim.first_name,
                "user_id": sim.id,
            }
        }
        return self._push_update(
            {"message": self._user_message(self._state_for(sim, chat), sim, content)}
        )

    async def press(
        self,
        user: SimUser | int,
        message: SentMessage | int,
        data: str,
        *,
        chat: ChatRef | None = None,
    ) -> str:
        """The user presses an inline button: a callback_query with the message's current state.

        Not validated against the keyboard on purpose (tests forge and replay callbacks). An
        unknown message id yields an inaccessible message (date 0). Returns the query id.
        """
        sim = self._sim_user(user)
        if isinstance(message, SentMessage):
            chat_id = message.chat_id if chat is None else chat_id_of(chat)
            mid = message.message_id
        else:
            chat_id = sim.id if chat is None else chat_id_of(chat)
            mid = message
        state = self._chats.get(chat_id)
        if state is None:
            raise KeyError(f"unknown chat {chat_id}")
        current = state.by_id.get(mid)
        msg_dict = (
            self._message_dict(state, current)
            if current is not None
            else {"message_id": mid, "chat": state.chat, "date": 0}
        )
        query_id = f"{self.bot_id % 100000}{next(self._query_seq):012d}"
        self._pending_queries[query_id] = (chat_id, mid)
        callback = {
            "id": query_id,
            "from": sim.to_dict(),
            "message": msg_dict,
            "chat_instance": str(abs(chat_id) * 31 + 7),
            "data": data,
        }
        self._push_update({"callback_query": callback})
        return query_id

    def add_raw_update(self, update: JSONDict) -> int:
        """Queue any update dict (``update_id`` is assigned unless given); returns its id."""
        payload = dict(update)
        given = payload.get("update_id")
        for key in ("message", "edited_message"):
            msg = payload.get(key)
            if isinstance(msg, dict) and isinstance(msg.get("chat"), dict):
                chat_id = msg["chat"].get("id")
                if isinstance(chat_id, int):
                    state = self._chats.setdefault(chat_id, ChatState(dict(msg["chat"])))
                    mid = msg.get("message_id")
                    if isinstance(mid, int):
                        state.user_msgs[mid] = msg
                        state.next_message_id = max(state.next_message_id, mid + 1)
        cq = payload.get("callback_query")
        if isinstance(cq, dict) and "id" in cq:
            message = cq.get("message") or {}
            self._pending_queries[str(cq["id"])] = (
                (message.get("chat") or {}).get("id", 0),
                message.get("message_id", 0),
            )
        if isinstance(given, int):
            self._next_update_id = max(self._next_update_id, given + 1)
            self._updates.append(payload)
            self._updates_signal.notify()
            return given
        return self._push_update(payload)

    def _confirm(self, offset: int) -> None:
        removed = False
        if offset > 0:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
                removed = True
        else:
            while len(self._updates) > -offset:
                self._updates.popleft()
                removed = True
        if removed:
            self._changed.notify()
