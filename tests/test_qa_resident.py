"""QA findings from walking the resident flows in the local chat, end to end."""

from __future__ import annotations

from tests.helpers.bot import RunningBot
from tests.helpers.feedback import tap


async def test_focus_area_page_does_not_repeat_its_title(bot: RunningBot) -> None:
    """The page for "Öka förtroendet …" (no description beyond its title) printed it twice."""
    for lang, command, label in (
        ("sv", "/fokus", "Öka förtroendet"),
        ("en", "/focus", "Increase trust"),
    ):
        user = bot.api.user(7201 if lang == "sv" else 7202, language_code=lang)
        await bot.api.send_text(user, command)
        listing = await bot.api.next_message(user.id)
        await tap(bot.api, user, listing, label)
        detail = await bot.api.next_message(user.id)
        body = [line for line in detail.plain_text.splitlines() if line.strip()]
        assert body[0].startswith(label)
        assert sum(line.rstrip(".") == body[0] for line in body) == 1, detail.plain_text


async def test_hello_and_thanks_get_a_kind_word_not_dont_know(bot: RunningBot) -> None:
    """A resident's first "hej" was answered "Det vet jag tyvärr inte"."""
    anna = bot.api.user(7203)
    await bot.api.send_text(anna, "Hej!")
    hello = await bot.api.next_message(anna.id)
    assert hello.plain_text.startswith("Hej! Vad vill du veta?")
    assert "vet jag tyvärr inte" not in hello.plain_text
    assert any("Tyck till" in label for label in hello.button_texts)
    await bot.api.send_text(anna, "tack så mycket")
    thanks = await bot.api.next_message(anna.id)
    assert thanks.plain_text.startswith("Varsågod!")
    john = bot.api.user(7204, language_code="en")
    await bot.api.send_text(john, "hello")
    assert "What would you like to know?" in (await bot.api.next_message(john.id)).plain_text
    # A real question that starts with a greeting is still answered as a question.
    await bot.api.send_text(anna, "hej, vad är EST?")
    answer = await bot.api.next_message(anna.id)
    assert "Effektiv samordning för trygghet" in answer.plain_text


async def test_my_data_with_nothing_stored_does_not_offer_to_delete_it(bot: RunningBot) -> None:
    """After /radera, /minadata said "Här är allt … (0 återkopplingar). Vill du radera det?"."""
    nils = bot.api.user(7205)
    await bot.api.send_text(nils, "/start")  # leaves an empty chat-data row behind
    await bot.api.next_message(nils.id)
    await bot.api.send_text(nils, "/minadata")
    doc = await bot.api.next_message(nils.id)
    assert doc.kind == "document"
    assert doc.caption is not None and doc.caption.startswith("Vi har inte sparat något om dig.")
    assert "/radera" not in doc.caption
