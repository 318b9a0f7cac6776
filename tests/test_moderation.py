"""The moderation queue end to end: review cards, decisions, forged buttons, parallel review."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage import moderation as queue
from tests.helpers.bot import ADMIN_ID, RunningBot
from tests.helpers.staff import (
    add_feedback,
    audit_rows,
    command,
    feedback_row,
    make_staff,
    press,
)

MOD_A = 601
MOD_B = 602
COUNCIL = 603
RESIDENT = 604


def card_id(message: object) -> int:
    data = message.callback_for("Godkänn")  # type: ignore[attr-defined]
    return int(data.split(":")[2])


async def test_card_shows_the_item_but_never_the_author(bot: RunningBot) -> None:
    await make_staff(bot.db, MOD_A, "moderator")
    fid = await add_feedback(
        bot.db,
        text="Knark <b>säljs</b> vid Ålidhems centrum & ingen gör något",
        age=timedelta(days=2),
        pseudonym="pseudo-SECRET",
    )
    await add_feedback(bot.db, district="other", topic="other", rating=None, text=None)
    ref = (await feedback_row(bot.db, fid))["ref"]
    card = await command(bot.api, bot.api.user(MOD_A), "/granska")
    text = card.plain_text
    assert card_id(card) == fid
    assert "Ålidhem och Ålidbacken" in text
    assert "Krafttag mot narkotika" in text
    assert "2 av 5" in text
    assert "<b>säljs</b> vid Ålidhems centrum & ingen" in text  # escaped, shown literally
    assert "<b>säljs</b>" not in (card.text or "").replace("&lt;b&gt;säljs&lt;/b&gt;", "")
    assert "1 till väntar" in text
    assert any(
        m in text
        for m in (
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        )
    )
    assert "pseudo-SECRET" not in text and ref not in text
    assert card.button_texts == [
        "✅ Godkänn",
        "❌ Avvisa",
        "✏️ Redigera",
        "⏭ Hoppa över",
        "📍 Rätta område",
        "🎯 Rätta ämne",
    ]

    answer = await press(bot.api, bot.api.user(MOD_A), card, card.callback_for("Godkänn"))
    assert answer["text"] == "Godkänd."
    second = await bot.api.next_message(MOD_A)
    assert "Annat område" in second.plain_text
    assert "Annat ämne" in second.plain_text
    assert "inte angiven" in second.plain_text
    assert "Ingen fritext" in second.plain_text
    assert "sista i kön" in second.plain_text
    row = await feedback_row(bot.db, fid)
    assert (row["status"], row["moderated_by"], row["claimed_by"]) == ("approved", MOD_A, None)
    assert "Godkänd" in bot.api.message(MOD_A, card.message_id).plain_text
    approvals = await audit_rows(bot.db, "approve")
    assert [(r["actor_id"], r["target"]) for r in approvals] == [(MOD_A, f"feedback:{fid}")]


async def test_reject_with_reason(bot: RunningBot) -> None:
    await make_staff(bot.db, MOD_A, "moderator")
    spam = await add_feedback(bot.db, text="Köp billiga klockor!!!")
    personal = await add_feedback(bot.db, text="Min granne Sven Svensson på Rindvägen 3 …")
    mod = bot.api.user(MOD_A)
    card = await command(bot.api, mod, "/granska")
    assert card_id(card) == spam
    await press(bot.api, mod, card, card.callback_for("Avvisa"))
    reasons = await bot.api.wait_for(
        lambda: card if "Spam" in card.button_texts else None  # edits update it in place
    )
    assert reasons.button_texts == [
        "Spam",
        "Kränkande",
        "Personuppgifter",
        "Övrigt",
        "↩️ Tillbaka",
    ]
    # Nothing is decided until a reason is chosen.
    assert (await feedback_row(bot.db, spam))["status"] == "pending"
    await press(bot.api, mod, reasons, reasons.callback_for("Spam"))
    card2 = await bot.api.next_message(MOD_A)
    assert card_id(card2) == personal
    assert "Avvisad (Spam)" in bot.api.message(MOD_A, card.message_id).plain_text

    await press(bot.api, mod, card2, card2.callback_for("Avvisa"))
    await press(bot.api, mod, card2, f"mod:rej:{personal}:personal")
    done = await bot.api.next_message(MOD_A)
    assert "inget mer att granska" in done.plain_text

    row = await feedback_row(bot.db, spam)
    assert (row["status"], row["reject_reason"], row["text"]) == (
        "rejected",
        "spam",
        "Köp billiga klockor!!!",
    )
    row = await feedback_row(bot.db, personal)
    # Rejected for personal data: the text is removed at once.
    assert (row["status"], row["reject_reason"], row["text"]) == ("rejected", "personal", None)
    assert row["text_removed_at"] is not None
    rejects = await audit_rows(bot.db, "reject")
    assert [(r["actor_id"], r["target"], r["detail"]) for r in rejects] == [
        (MOD_A, f"feedback:{spam}", "spam"),
        (MOD_A, f"feedback:{personal}", "personal"),
    ]


async def test_forged_approve_from_resident_and_council_changes_nothing(bot: RunningBot) -> None:
    await make_staff(bot.db, COUNCIL, "council")
    fid = await add_feedback(bot.db)
    for uid, lang in ((RESIDENT, "sv"), (COUNCIL, "sv")):
        user = bot.api.user(uid, language_code=lang)
        await bot.api.send_text(user, "/hjalp")
        msg = await bot.api.next_message(user)
        answer = await press(bot.api, user, msg, f"mod:ok:{fid}")
        assert answer.get("show_alert") is True
        assert "bara för moderatorer" in answer["text"]
        # Also the reason button and the edit entry point.
        answer = await press(bot.api, user, msg, f"mod:rej:{fid}:spam")
        assert "bara för moderatorer" in answer["text"]
        answer = await press(bot.api, user, msg, f"mod:edit:{fid}")
        assert "bara för moderatorer" in answer["text"]
    row = await feedback_row(bot.db, fid)
    assert (row["status"], row["moderated_by"], row["claimed_by"], row["edited"]) == (
        "pending",
        None,
        None,
        0,
    )
    refused = await audit_rows(bot.db, "refused")
    assert [(r["actor_id"], r["target"]) for r in refused] == [
        # A resident's id is not kept in the audit log (storage.audit), staff ids are.
        (None, "moderation.ok"),
        (None, "moderation.rej"),
        (None, "moderation.edit"),
        (COUNCIL, "moderation.ok"),
        (COUNCIL, "moderation.rej"),
        (COUNCIL, "moderation.edit"),
    ]
    assert await audit_rows(bot.db, "approve") == []
    # A refused command too.
    reply = await command(bot.api, bot.api.user(COUNCIL), "/granska")
    assert "bara för moderatorer" in reply.plain_text


async def test_two_moderators_in_parallel_never_get_the_same_item(bot: RunningBot) -> None:
    await make_staff(bot.db, MOD_A, "moderator")
    await make_staff(bot.db, MOD_B, "moderator")
    first = await add_feedback(bot.db, age=timedelta(hours=3))
    second = await add_feedback(bot.db, age=timedelta(hours=2))
    a, b = bot.api.user(MOD_A), bot.api.user(MOD_B)
    await bot.api.send_text(a, "/granska")
    await bot.api.send_text(b, "/granska")
    card_a = await bot.api.next_message(a)
    card_b = await bot.api.next_message(b)
    assert {card_id(card_a), card_id(card_b)} == {first, second}

    # A finishes; the item B holds is not offered to A.
    approve_a = card_a.callback_for("Godkänn")
    await press(bot.api, a, card_a, approve_a)
    done_a = await bot.api.next_message(a)
    assert "inget mer att granska" in done_a.plain_text
    assert "1 granskas av en annan moderator" in done_a.plain_text

    # A replayed approve (a second press) is applied once only and keeps "✅ Godkänd".
    answer = await press(bot.api, a, card_a, approve_a)
    assert answer["text"] == "Redan godkänd."
    assert card_a.plain_text.startswith("✅ Godkänd")
    # B's approve on A's finished item would say it was handled; here B approves its own.
    await press(bot.api, b, card_b, card_b.callback_for("Godkänn"))
    await bot.api.next_message(b)
    approvals = await audit_rows(bot.db, "approve")
    assert sorted(r["target"] for r in approvals) == [f"feedback:{first}", f"feedback:{second}"]


async def test_claims_are_atomic_under_concurrency(bot: RunningBot) -> None:
    ids = [await add_feedback(bot.db) for _ in range(3)]
    claimed = await asyncio.gather(*(queue.claim_next(bot.db, 700 + i) for i in range(6)))
    got = [item.id for item in claimed if item is not None]
    assert sorted(got) == ids
    assert sum(item is None for item in claimed) == 3
    # Decisions race: exactly one wins.
    results = await asyncio.gather(
        *(queue.decide(bot.db, ids[0], moderator_id=700 + i, approve=True) for i in range(4))
    )
    assert results.count(True) == 1
    assert len(await audit_rows(bot.db, "approve")) == 1


async def test_abandoned_claim_is_taken_over(bot: RunningBot) -> None:
    from datetime import UTC, datetime

    fid = await add_feedback(bot.db)
    assert (await queue.claim_next(bot.db, 801)).id == fid  # type: ignore[union-attr]
    assert await queue.claim_next(bot.db, 802) is None
    later = datetime.now(UTC) + queue.CLAIM_TTL + timedelta(minutes=1)
    assert (await queue.claim_next(bot.db, 802, now=later)).id == fid  # type: ignore[union-attr]


async def test_edit_then_approve(bot: RunningBot) -> None:
    await make_staff(bot.db, MOD_A, "moderator")
    fid = await add_feedback(bot.db, text="Sven på nummer 12 langar, han heter Sven Berg")
    mod = bot.api.user(MOD_A)
    card = await command(bot.api, mod, "/granska")
    await press(bot.api, mod, card, card.callback_for("Redigera"))
    prompt = await bot.api.next_message(MOD_A)
    assert "rensade texten" in prompt.plain_text
    assert "Sven Berg" in prompt.plain_text  # the current text, to copy and clean

    # This text is the edit, not a question to the bot.
    await bot.api.send_text(mod, "Någon langar narkotika vid nummer 12.")
    confirm = await bot.api.next_message(MOD_A)
    assert "Texten är ändrad" in confirm.plain_text
    new_card = await bot.api.next_message(MOD_A)
    assert card_id(new_card) == fid
    assert "Någon langar narkotika vid nummer 12." in new_card.plain_text
    assert "redigerad av en moderator" in new_card.plain_text
    row = await feedback_row(bot.db, fid)
    assert (row["status"], row["edited"]) == ("pending", 1)

    await press(bot.api, mod, new_card, new_card.callback_for("Godkänn"))
    await bot.api.next_message(MOD_A)
    row = await feedback_row(bot.db, fid)
    assert (row["status"], row["text"], row["edited"]) == (
        "approved",
        "Någon langar narkotika vid nummer 12.",
        1,
    )
    actions = [(r["action"], r["actor_id"]) for r in await audit_rows(bot.db)]
    assert actions == [("edit", MOD_A), ("approve", MOD_A)]
    # The audit log never holds the feedback text.
    assert all("langar" not in r["detail"] for r in await audit_rows(bot.db))

    # After the edit, text goes to the normal handlers again (no edit is pending).
    await bot.api.send_text(mod, "/granska")
    assert "inget mer" in (await bot.api.next_message(MOD_A)).plain_text


async def test_edit_can_be_cancelled(bot: RunningBot) -> None:
    await make_staff(bot.db, MOD_A, "moderator")
    fid = await add_feedback(bot.db, text="Originaltext")
    mod = bot.api.user(MOD_A)
    card = await command(bot.api, mod, "/granska")
    await press(bot.api, mod, card, card.callback_for("Redigera"))
    await bot.api.next_message(MOD_A)
    reply = await command(bot.api, mod, "/avbryt")
    assert "oförändrad" in reply.plain_text
    again = await bot.api.next_message(MOD_A)
    assert card_id(again) == fid
    row = await feedback_row(bot.db, fid)
    assert (row["text"], row["edited"]) == ("Originaltext", 0)
    assert await audit_rows(bot.db, "edit") == []


async def test_skip_passes_the_item_on(bot: RunningBot) -> None:
    await make_staff(bot.db, MOD_A, "moderator")
    await make_staff(bot.db, MOD_B, "moderator")
    first = await add_feedback(bot.db, age=timedelta(hours=2))
    second = await add_feedback(bot.db, age=timedelta(hours=1))
    a, b = bot.api.user(MOD_A), bot.api.user(MOD_B)
    card = await command(bot.api, a, "/granska")
    assert card_id(card) == first
    await press(bot.api, a, card, card.callback_for("Hoppa över"))
    nxt = await bot.api.next_message(a)
    assert card_id(nxt) == second
    # B gets the item A skipped.
    card_b = await command(bot.api, b, "/granska")
    assert card_id(card_b) == first
    await press(bot.api, a, nxt, nxt.callback_for("Godkänn"))
    done = await bot.api.next_message(a)
    assert "hoppat över 1" in done.plain_text
    assert (await feedback_row(bot.db, first))["status"] == "pending"


async def test_admin_can_review_in_english(bot: RunningBot) -> None:
    fid = await add_feedback(bot.db, district="centrum", rating=4, age=timedelta(days=1))
    admin = bot.api.user(ADMIN_ID, language_code="en")
    card = await command(bot.api, admin, "/review")
    assert "Feedback to review" in card.plain_text
    assert "City centre" in card.plain_text
    assert "Tackling narcotics" in card.plain_text
    assert "4 of 5" in card.plain_text
    assert card.button_texts == [
        "✅ Approve",
        "❌ Reject",
        "✏️ Edit",
        "⏭ Skip",
        "📍 Correct district",
        "🎯 Correct topic",
    ]
    await press(bot.api, admin, card, card.callback_for("Reject"))
    updated = await bot.api.wait_for(
        lambda: (
            bot.api.message(ADMIN_ID, card.message_id)
            if "Offensive" in bot.api.message(ADMIN_ID, card.message_id).button_texts
            else None
        )
    )
    await press(bot.api, admin, updated, updated.callback_for("Offensive"))
    done = await bot.api.next_message(admin)
    assert "Nothing more to review" in done.plain_text
    assert "Rejected (Offensive)" in bot.api.message(ADMIN_ID, card.message_id).plain_text
    assert (await feedback_row(bot.db, fid))["reject_reason"] == "offensive"


async def test_revoking_a_moderator_returns_their_item_to_the_queue(bot: RunningBot) -> None:
    from storage import staff as staff_repo

    await make_staff(bot.db, MOD_A, "moderator")
    fid = await add_feedback(bot.db)
    assert (await queue.claim_next(bot.db, MOD_A)).id == fid  # type: ignore[union-attr]
    assert await queue.claim_next(bot.db, MOD_B) is None
    assert await staff_repo.revoke_role(bot.db, MOD_A, "moderator", actor_id=ADMIN_ID)
    assert (await queue.claim_next(bot.db, MOD_B)).id == fid  # type: ignore[union-attr]


async def test_queue_count_includes_what_the_moderator_skipped(bot: RunningBot) -> None:
    """Skipped items are still waiting: the count under the card says so, never 'the last'."""
    await make_staff(bot.db, MOD_A, "moderator")
    for hours in (3, 2, 1):
        await add_feedback(bot.db, age=timedelta(hours=hours))
    mod = bot.api.user(MOD_A)
    first = await command(bot.api, mod, "/granska")
    assert "2 till väntar efter den här." in first.plain_text
    await press(bot.api, mod, first, first.callback_for("Hoppa över"))
    second = await bot.api.next_message(MOD_A)
    assert "2 till väntar efter den här, varav 1 som du har hoppat över." in second.plain_text
    await press(bot.api, mod, second, second.callback_for("Godkänn"))
    third = await bot.api.next_message(MOD_A)
    assert "Efter den här väntar bara den du har hoppat över." in third.plain_text
    assert "sista i kön" not in third.plain_text


async def test_queue_count_with_skipped_items_in_english(bot: RunningBot) -> None:
    for hours in (4, 3, 2, 1):
        await add_feedback(bot.db, age=timedelta(hours=hours))
    admin = bot.api.user(ADMIN_ID, language_code="en")
    card = await command(bot.api, admin, "/review")
    for _ in range(2):
        await press(bot.api, admin, card, card.callback_for("Skip"))
        card = await bot.api.next_message(ADMIN_ID)
    assert "3 more are waiting after this one, 2 of them skipped by you." in card.plain_text
    await press(bot.api, admin, card, card.callback_for("Approve"))
    last = await bot.api.next_message(ADMIN_ID)
    assert "After this one, only the 2 you skipped are waiting." in last.plain_text
