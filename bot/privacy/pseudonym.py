"""Stable pseudonyms for Telegram users.

Feedback is stored under a keyed hash instead of the Telegram id so that a leaked database does not
reveal who wrote what, while the same resident still maps to the same pseudonym (rate limits,
follow-ups). Without the key the pseudonym cannot be reversed by hashing all possible ids.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

MIN_ENV_KEY_CHARS = 16
KEY_BYTES = 32


def pseudonym(user_id: int, key: bytes) -> str:
    """HMAC-SHA256 (hex) of the decimal user id: keyed, so ids cannot be brute-forced without it."""
    return hmac.new(key, str(int(user_id)).encode("ascii"), hashlib.sha256).hexdigest()


def subscriber_alias(chat_id: int, key: bytes) -> str:
    """Key for a resident's update subscription: same secret, another label, so it never equals
    (and cannot be joined to) the feedback pseudonym without the key."""
    message = f"update-subscriber:{int(chat_id)}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def default_key_path(database_path: Path) -> Path:
    """Where the key file lives when PSEUDONYM_KEY is unset: NOT in the database folder.

    ``data/trygghetsbot.sqlite3`` → ``data-keys/pseudonym.key``: a copy (or backup) of the
    database folder alone cannot be re-identified; back the two folders up separately.
    """
    folder = database_path.resolve().parent
    return folder.with_name(f"{folder.name}-keys") / "pseudonym.key"


def load_or_create_key(env_value: str | None, key_path: Path) -> tuple[bytes, bool]:
    """Return ``(key, created)``.

    ``env_value`` (PSEUDONYM_KEY) wins when set: it is a secret *string*, used byte-for-byte as its
    UTF-8 encoding (no base64/hex decoding, no stripping), and must be at least 16 characters.
    An empty string counts as unset, because ``.env`` templates commonly contain ``PSEUDONYM_KEY=``.

    Otherwise the key lives in ``key_path`` (32 random bytes, mode 0600, parent folder created).
    ``created`` is True only when this call wrote the file, so the caller can warn that the key must
    be backed up: losing it changes every pseudonym. An existing but empty/short file is an error
    rather than silently replaced, for the same reason.
    """
    if env_value:
        if len(env_value) < MIN_ENV_KEY_CHARS:
            raise ValueError(f"PSEUDONYM_KEY must be at least {MIN_ENV_KEY_CHARS} characters long")
        return env_value.encode("utf-8"), False

    if key_path.exists():
        return _read_key(key_path), False

    key_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    # Write to a private temp file, then hard-link it into place: the link fails if another process
    # won the race, and nobody can ever read a half-written key file.
    tmp = key_path.with_name(f".{key_path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o600)
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, key_path)
        except FileExistsError:
            return _read_key(key_path), False
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return key, True


def _read_key(key_path: Path) -> bytes:
    key = key_path.read_bytes()
    if len(key) < MIN_ENV_KEY_CHARS:
        raise ValueError(
            f"pseudonym key file {key_path} is empty or too short; restore it from backup"
        )
    return key
