"""Offline Telegram Bot API server for tests, benchmarks and the local terminal chat."""

from devkit.offline.flood import Delivery, FloodLimits
from devkit.offline.html_check import HtmlParseError, parse_html, strip_html, utf16_len
from devkit.offline.models import SentMessage, SimChat, SimUser
from devkit.offline.server import ApiError, OfflineBotApi

__all__ = [
    "ApiError",
    "Delivery",
    "FloodLimits",
    "HtmlParseError",
    "OfflineBotApi",
    "SentMessage",
    "SimChat",
    "SimUser",
    "parse_html",
    "strip_html",
    "utf16_len",
]
