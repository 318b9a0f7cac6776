"""The buttons on a review card: decide, give a reason, correct the district or the topic.

Typed callback data (``mod:<action>:<feedback id>[:<arg>]``); every press is re-checked against
the moderator role by handlers/moderation.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import labels
from bot import moderation as view
from bot.callback import CallbackData
from bot.context import BotContext
from storage import moderation as queue


@dataclass(frozen=True)
class ModButton(CallbackData, prefix="mod"):
    """``mod:<action>:<feedback id>[:<arg>]`` on a review card. ``arg`` is the reject reason
    (``rej``), or the district / topic id a moderator corrects to (``dist`` / ``topic``)."""

    action: Literal["ok", "no", "edit", "skip", "rej", "back", "fixd", "fixt", "dist", "topic"]
    feedback_id: int
    arg: str = ""


def _button(label: str, action: Any, feedback_id: int, arg: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=ModButton(action, feedback_id, arg).pack())


def card_keyboard(feedback_id: int, context: BotContext) -> InlineKeyboardMarkup:
    _ = context._
    return InlineKeyboardMarkup(
        [
            [
                _button(_("✅ Godkänn"), "ok", feedback_id),
                _button(_("❌ Avvisa"), "no", feedback_id),
            ],
            [
                _button(_("✏️ Redigera"), "edit", feedback_id),
                _button(_("⏭ Hoppa över"), "skip", feedback_id),
            ],
            [
                _button(_("📍 Rätta område"), "fixd", feedback_id),
                _button(_("🎯 Rätta ämne"), "fixt", feedback_id),
            ],
        ]
    )


def reasons_keyboard(feedback_id: int, context: BotContext) -> InlineKeyboardMarkup:
    _ = context._
    buttons = [
        _button(_(view.REASON_LABELS[reason]), "rej", feedback_id, reason)
        for reason in queue.REJECT_REASONS
    ]
    return InlineKeyboardMarkup(
        [buttons[:2], buttons[2:], [_button(_("↩️ Tillbaka"), "back", feedback_id)]]
    )


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def districts_keyboard(item: queue.PendingItem, context: BotContext) -> InlineKeyboardMarkup:
    """Every district, alphabetically, the current one marked, then "Annat område / vet inte"
    (as residents can choose it); and Tillbaka."""
    council, locale = context.council, context.locale
    places = sorted(council.districts, key=lambda d: labels.sv_sort_key(d.name.get(locale)))
    buttons = [
        _button(("• " if d.id == item.district else "") + d.name.get(locale), "dist", item.id, d.id)
        for d in places
    ]
    other = ("• " if item.district == labels.OTHER else "") + context._("Annat område / vet inte")
    buttons.append(_button(other, "dist", item.id, labels.OTHER))
    return InlineKeyboardMarkup(
        [*_rows(buttons, 2), [_button(context._("↩️ Tillbaka"), "back", item.id)]]
    )


def topics_keyboard(item: queue.PendingItem, context: BotContext) -> InlineKeyboardMarkup:
    """The residents' topics with the focus area each counts under, the current one marked; and
    Tillbaka."""
    council, locale, _ = context.council, context.locale, context._
    buttons = [
        _button(
            ("• " if topic == item.topic else "")
            + labels.topic_name(council, topic, locale, _, with_area=True),
            "topic",
            item.id,
            topic,
        )
        for topic in labels.topic_ids(council)
    ]
    return InlineKeyboardMarkup([*_rows(buttons, 1), [_button(_("↩️ Tillbaka"), "back", item.id)]])
