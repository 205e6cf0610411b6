"""Interface strings kept in content YAML: translated when read, extracted with their line."""

from __future__ import annotations

import io

from bot.content.chat import chat_content, load_chat, telegram_commands
from bot.content.faq import faq_catalog
from bot.conversation.core import ConversationCore
from bot.i18n import use_locale
from bot.i18n_content import localize
from bot.i18n_extract import extract_content
from bot.proposals import service as proposals


async def test_the_core_answers_in_the_current_locale() -> None:
    core = ConversationCore(rasa=None, record_usage=False)
    turn = await core.handle("i18n-1", "")
    assert turn.replies[0].text.startswith("No me llegó ningún texto")
    assert turn.replies[0].buttons[0].title == "¿Qué es el gobierno abierto?"
    with use_locale("en"):
        turn = await core.handle("i18n-1", "")
    assert turn.replies[0].text == "I didn't get any text. Write me your question or choose an option:"
    assert turn.replies[0].buttons[0].title == "What is open government?"


def test_translation_keeps_payloads_and_spanish_content() -> None:
    spanish = chat_content()
    with use_locale("en"):
        english = chat_content()
        commands = telegram_commands()
        intake = proposals.proposal_content()
        answers = {e.id: e.answer for e in faq_catalog().entries}
    assert [b.payload for b in english.menu.buttons] == [b.payload for b in spanish.menu.buttons]
    assert english.menu.buttons[3].title == "Make a proposal"
    assert english.core_text("too_long", length="5,000", limit="4,000").startswith(
        "Your message is very long (5,000 characters)"
    )
    # Rasa's responses are built from chat.yml as written, so they stay as the model has them.
    assert english.responses == spanish.responses
    assert [c.command for c in commands.commands][:2] == ["start", "ayuda"]
    assert commands.commands[-1].description == "Delete your data"
    assert intake.message("not_found", folio="P-2026-000001") == "I couldn't find proposal P-2026-000001."
    assert intake.steps["proposal_contact_consent"].accept == "Yes, I accept"  # type: ignore[attr-defined]
    assert intake.statuses["en_revision"].label == "Under review"
    assert intake.theme_title("movilidad") == "Movilidad"  # themes are programme data
    assert answers == {e.id: e.answer for e in faq_catalog().entries}  # FAQ answers: Spanish
    assert load_chat().menu.buttons[3].title == "Hacer una propuesta"  # what nlu build reads


def test_localize_works_on_a_copy_and_skips_other_files() -> None:
    data = {
        "menu": {"text": "Ver todos los temas", "buttons": []},
        "core": {"x": "Cancelar", "y": "Un texto sin traducción"},
        "responses": {"utter_x": [{"text": "Cancelar"}]},
    }
    translated = localize(data, "chat.yml", "en")
    assert translated["menu"]["text"] == "See all topics"
    assert translated["core"] == {"x": "Cancel", "y": "Un texto sin traducción"}
    assert translated["responses"] == data["responses"]  # not an interface path
    assert data["menu"]["text"] == "Ver todos los temas"
    assert localize(data, "hotlines.yml", "en") is data


def test_the_extractor_yields_interface_strings_with_their_lines() -> None:
    text = (
        "menu:\n"
        "  text: >-\n"
        "    Elige una\n"
        "    opción\n"
        "  buttons:\n"
        "    - {title: Uno, payload: /uno}\n"
        "responses:\n"
        "  utter_x: [{text: No se extrae}]\n"
        "core:\n"
        "  a: Hola {name}\n"
        "  n: 3\n"
    )
    source = io.BytesIO(text.encode())
    source.name = "chat.yml"  # type: ignore[attr-defined]
    found = list(extract_content(source, {}, [], {}))
    assert [(line, message) for line, _f, message, _c in found] == [
        (2, "Elige una opción"),
        (6, "Uno"),
        (10, "Hola {name}"),
    ]
    other = io.BytesIO(b"steps:\n  a:\n    ask: Pregunta\n    min: 3\n")
    other.name = "otro.yml"  # type: ignore[attr-defined]
    assert [m for _l, _f, m, _c in extract_content(other, {}, [], {"paths": "steps.*.*"})] == ["Pregunta"]
