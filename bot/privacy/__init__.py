"""Pure privacy logic for resident feedback: redaction, art. 10 accusations, pseudonyms."""

from bot.privacy.accusation import Accusation, detect_accusation
from bot.privacy.pseudonym import load_or_create_key, pseudonym
from bot.privacy.redact import Redaction, redact

__all__ = [
    "Accusation",
    "Redaction",
    "detect_accusation",
    "load_or_create_key",
    "pseudonym",
    "redact",
]
