"""Pure privacy logic for resident feedback: redaction, art. 10 accusations, pseudonyms."""

from bot.privacy.accusation import (
    ACCUSE,
    OK,
    UNSURE,
    Accusation,
    Assessment,
    assess,
    detect_accusation,
)
from bot.privacy.pseudonym import load_or_create_key, pseudonym, subscriber_alias
from bot.privacy.redact import Redaction, redact

__all__ = [
    "ACCUSE",
    "OK",
    "UNSURE",
    "Accusation",
    "Assessment",
    "Redaction",
    "assess",
    "detect_accusation",
    "load_or_create_key",
    "pseudonym",
    "redact",
    "subscriber_alias",
]
