"""actions/faq.py against JSON trackers: what a person receives for each kind of FAQ turn."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq, ActionFallbackTopics
from bot.content.chat import chat_content
from bot.content.faq import faq_catalog
from bot.content.render import render_answer
from tests.actions.conftest import load_tracker


def _payloads(message: dict[str, Any]) -> list[str]:
    return [b["payload"] for b in message.get("buttons") or []]


async def test_confident_question_gets_the_short_answer_with_details_and_sources(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionAnswerFaq().run(dispatcher, load_tracker("faq_confident"), domain)
    assert events == []
    [message] = dispatcher.messages
    entry = faq_catalog().by_id()["que_es_gobierno_abierto"]
    assert message["text"] == render_answer(entry)
    assert [b["title"] for b in message["buttons"]] == ["Más detalles", "Fuentes"]
    assert _payloads(message) == [
        '/faq_detalles{"tema":"que_es_gobierno_abierto"}',
        '/faq_fuentes{"tema":"que_es_gobierno_abierto"}',
    ]


async def test_unsure_question_offers_the_closest_entries_instead_of_guessing(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionAnswerFaq().run(dispatcher, load_tracker("faq_unsure"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == chat_content().core_text("not_sure")
    assert _payloads(message) == [
        '/elegir_tema{"tema":"que_es_transparencia"}',
        '/elegir_tema{"tema":"transparencia_proactiva"}',
        '/elegir_tema{"tema":"transparencia_para_el_pueblo"}',  # BM25 agrees on the third
        "/help",
    ]


async def test_chosen_entry_is_answered_whatever_the_confidence(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionAnswerFaq().run(dispatcher, load_tracker("faq_chosen_topic"), domain)
    assert events == []
    [message] = dispatcher.messages
    entry = faq_catalog().by_id()["que_paso_inai"]
    assert message["text"] == render_answer(entry)
    assert "⚠️" in message["text"]
    assert _payloads(message)[-1] == '/faq_fuentes{"tema":"que_paso_inai"}'


async def test_button_of_an_entry_that_left_content_gets_a_clear_reply(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionAnswerFaq().run(dispatcher, load_tracker("faq_chosen_gone"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == chat_content().core_text("unknown_topic")
    assert _payloads(message) == [b.payload for b in chat_content().menu.buttons]


async def test_low_intent_confidence_offers_topics(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionFallbackTopics().run(dispatcher, load_tracker("faq_unsure"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == chat_content().core_text("not_sure")
    assert len(message["buttons"]) == 4


async def test_a_salary_question_gets_the_data_request_even_if_the_selector_is_sure(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«¿Cuánto gana el presidente municipal?» with the selector sure of an answer about requests
    (anonymity): the figure is asked for, so the data-request behaviour answers, not that entry."""
    events = await ActionAnswerFaq().run(dispatcher, load_tracker("faq_salary_selector_sure"), domain)
    assert dispatcher.messages == []
    rewind, listen, user = events
    assert rewind == {"event": "rewind"}
    assert listen["name"] == "action_listen"
    assert user["parse_data"]["intent"]["name"] == "pedir_datos"
    assert user["parse_data"]["rerouted_from"] == "faq"

