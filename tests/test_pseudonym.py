"""Pseudonyms must be stable, key-dependent and backed by a private, reused key file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.privacy.pseudonym import load_or_create_key, pseudonym


def test_pseudonym_is_stable_hex_and_not_the_id() -> None:
    key = b"k" * 32
    p = pseudonym(123456789, key)
    assert p == pseudonym(123456789, key)
    assert len(p) == 64 and int(p, 16) >= 0
    assert "123456789" not in p


def test_different_users_and_keys_give_different_pseudonyms() -> None:
    assert pseudonym(1, b"a" * 32) != pseudonym(2, b"a" * 32)
    assert pseudonym(1, b"a" * 32) != pseudonym(1, b"b" * 32)


def test_known_vector() -> None:
    # HMAC-SHA256(key="key", msg="42"): pins the encoding (decimal ASCII of the id).
    import hashlib
    import hmac

    assert pseudonym(42, b"key") == hmac.new(b"key", b"42", hashlib.sha256).hexdigest()


def test_env_value_wins_and_is_utf8(tmp_path: Path) -> None:
    key, created = load_or_create_key("hemlig-nyckel-åäö-123", tmp_path / "k")
    assert key == "hemlig-nyckel-åäö-123".encode()
    assert created is False
    assert not (tmp_path / "k").exists()


def test_short_env_value_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="16"):
        load_or_create_key("too-short", tmp_path / "k")


def test_empty_env_value_falls_back_to_file(tmp_path: Path) -> None:
    key, created = load_or_create_key("", tmp_path / "k")
    assert created is True and len(key) == 32


def test_key_file_created_once_with_0600_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "nested" / "pseudonym.key"
    key1, created1 = load_or_create_key(None, path)
    assert created1 is True
    assert path.read_bytes() == key1 and len(key1) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    key2, created2 = load_or_create_key(None, path)
    assert created2 is False
    assert key2 == key1
    assert pseudonym(7, key1) == pseudonym(7, key2)
    assert sorted(p.name for p in path.parent.iterdir()) == ["pseudonym.key"]  # no temp leftovers


def test_empty_key_file_is_an_error_not_silently_replaced(tmp_path: Path) -> None:
    path = tmp_path / "pseudonym.key"
    path.write_bytes(b"")
    with pytest.raises(ValueError):
        load_or_create_key(None, path)
    assert path.read_bytes() == b""
