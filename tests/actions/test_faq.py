"""actions/faq.py against JSON trackers: what a person receives for each kind of FAQ turn."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
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



def _sure_tracker(text: str, faq_id: str) -> Tracker:
    """The selector sure (0.9) of ``faq_id`` for ``text``: the words still decide the behaviour."""
    tracker = load_tracker("faq_salary_selector_sure")
    ranking = [{"intent_response_key": f"faq/{faq_id}", "confidence": 0.9, "id": 0}]
    for message in (tracker.latest_message, tracker.events[-1]["parse_data"]):
        message["text"] = text
        message["response_selector"]["faq"]["ranking"] = ranking
    tracker.events[-1]["text"] = text
    return tracker


@pytest.mark.parametrize(
    ("text", "selected", "intent"),
    [
        ("contratos del imss", "datos_contratos_participa", "buscar_contratos"),
        ("oi que en la pandemia todo fue sin licitar, donde veo esos contratos?",
         "tipos_de_procedimiento", "contratos_emergencia"),
        ("necesito la base completa de los contratos, se puede bajar en excel?",
         "buscar_datos_abiertos", "descargar_contratos"),
        ("centro pa mujeres en toluca", "que_es_cjm", "buscar_centro"),
    ],
)
async def test_the_words_ask_for_a_behaviour_the_selector_did_not_see(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], text: str, selected: str, intent: str
) -> None:
    events = await ActionAnswerFaq().run(dispatcher, _sure_tracker(text, selected), domain)
    assert dispatcher.messages == []
    assert events[-1]["parse_data"]["intent"]["name"] == intent
    assert events[-1]["text"] == text


async def test_how_to_ask_about_a_contract_gets_the_steps_not_how_to_read_one(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "encontre aqui un contrato de patrullas carisimo y quiero pedir mas informacion, como le hago"
    events = await ActionAnswerFaq().run(dispatcher, _sure_tracker(text, "revisar_contrato"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["pedir_info_contrato"])


def _restated(events: list[dict[str, Any]]) -> str:
    """The intent a hand-over re-states the message as (rewind, listen, the same text)."""
    rewind, listen, user = events
    assert rewind == {"event": "rewind"}
    assert listen["name"] == "action_listen"
    return str(user["parse_data"]["intent"]["name"])


@pytest.mark.parametrize(("tracker", "intent"), [
    # The selector is sure of «¿cómo puedo participar?»: the words ask to propose.
    ("faq_sure_but_wants_to_propose", "proponer"),
    ("faq_sure_but_asks_for_news", "suscribir"),
])
async def test_words_asking_to_propose_or_for_news_hand_over_however_sure_the_selector_is(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], tracker: str, intent: str
) -> None:
    events = await ActionAnswerFaq().run(dispatcher, load_tracker(tracker), domain)
    assert _restated(events) == intent
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "selected"),
    [
        ("quiero saber cuanto gasto mi municipio en luminarias, antes de pedirlo no estara ya "
         "publicado en algun lado?", "informacion_ya_publica"),
        ("quiero hacer graficas con cuanto gasto el estado en escuelas, donde bajo esos datos",
         "buscar_datos_abiertos"),
    ],
)
async def test_a_figure_wanted_and_where_to_find_it_gets_where_to_look_not_a_draft(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], text: str, selected: str
) -> None:
    events = await ActionAnswerFaq().run(dispatcher, _sure_tracker(text, selected), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()[selected])


async def test_a_figure_asked_for_still_gets_the_draft_when_the_selector_chose_a_definition(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "cuantas ordenes de proteccion dieron en chalco el año pasado"
    events = await ActionAnswerFaq().run(dispatcher, _sure_tracker(text, "ordenes_proteccion"), domain)
    assert dispatcher.messages == []
    assert _restated(events) == "pedir_datos"


async def test_a_name_alone_after_a_violence_answer_gets_the_centres() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFaq().run(
        dispatcher, load_tracker("faq_bare_municipality_after_violence_answer"), {})
    assert dispatcher.messages == []
    assert _restated(events) == "buscar_centro"


@pytest.mark.parametrize(
    ("text", "selected", "answered"),
    [
        # the context after the question leans to «where do I find data»
        ("que son los datos abiertos?? el maestro de estadistica dijo que bajaramos unos pa la tarea",
         "buscar_datos_abiertos", "datos_abiertos"),
        # the term first, the question word after
        ("ocds k es, lo vi en el archivo que baje", "datos_contratos_participa", "que_es_ocds"),
        ("transparencia proactiva que significa", "transparencia_proactiva", "transparencia_proactiva"),
    ],
)
async def test_a_what_is_that_names_a_title_gets_that_entry_however_sure_the_selector(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], text: str, selected: str, answered: str
) -> None:
    events = await ActionAnswerFaq().run(dispatcher, _sure_tracker(text, selected), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()[answered])


async def test_two_what_is_questions_answer_the_first_and_offer_the_second(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "oigan que es una hoja de ruta y que es el arbol de problemas, nos toca en la mesa del jueves"
    events = await ActionAnswerFaq().run(dispatcher, _sure_tracker(text, "hojas_ruta"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["hojas_ruta"])
    assert _payloads(message)[-1] == '/elegir_tema{"tema":"arbol_problemas"}'


async def test_a_title_named_inside_a_longer_question_does_not_override_a_sure_selector(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«¿qué es el gobierno abierto en mi municipio?» is more than the definition: the selector's."""
    text = "que es el gobierno abierto en un municipio chiquito como el mio"
    events = await ActionAnswerFaq().run(
        dispatcher, _sure_tracker(text, "herramientas_municipios"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["herramientas_municipios"])
