"""actions/data_request.py: «no tengo ese dato», unless the contracts the bot holds answer it."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.data_request import ActionDataRequest
from bot.content.faq import faq_catalog
from bot.content.render import render_answer
from bot.inforequests.dialogue import MARKER
from tests.actions.conftest import load_tracker


def _tracker(text: str) -> Any:
    tracker = load_tracker("faq_salary_selector_sure")
    for message in (tracker.latest_message, tracker.events[-1]["parse_data"]):
        message["text"] = text
        message["intent"] = {"name": "pedir_datos", "confidence": 0.9}
    tracker.events[-1]["text"] = text
    return tracker


async def test_what_a_company_was_paid_is_searched_in_the_contracts(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionDataRequest().run(dispatcher, _tracker("cuanto le pagaron a grupo siayec"), domain)
    assert dispatcher.messages == []
    assert events[-1]["parse_data"]["intent"]["name"] == "buscar_contratos"
    assert events[-1]["parse_data"]["rerouted_from"] == "pedir_datos"


async def test_what_the_mayor_is_paid_gets_the_data_request(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionDataRequest().run(
        dispatcher, _tracker("cuanto le pagaron al alcalde de metepec"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["custom"] == {MARKER: True}


def _with_selector(text: str, faq_id: str) -> Any:
    tracker = _tracker(text)
    ranking = [{"intent_response_key": f"faq/{faq_id}", "confidence": 0.5},
               {"intent_response_key": "faq/solicitud_anonima", "confidence": 0.1}]
    tracker.latest_message["response_selector"]["faq"]["ranking"] = ranking
    return tracker


async def test_the_cost_of_a_request_is_answered_not_drafted(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«Si mando una solicitud, ¿cuánto cobran?» asks about the request, not a figure."""
    events = await ActionDataRequest().run(
        dispatcher,
        _with_selector("si le mando una solicitud al ayuntamiento me va a costar algo? cuanto cobran",
                       "costo_solicitud"),
        domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["costo_solicitud"])
    assert message.get("custom") != {MARKER: True}


async def test_no_figure_asked_gets_the_answer_both_rankings_agree_on(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = ("en nuestro ayuntamiento somos tres personas en la oficina de informatica, que "
            "herramientas de datos abiertos para municipios nos recomiendan?")
    events = await ActionDataRequest().run(
        dispatcher, _with_selector(text, "herramientas_municipios"), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["herramientas_municipios"])


async def test_a_figure_asked_keeps_the_data_request_whatever_the_selector_says(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    await ActionDataRequest().run(
        dispatcher,
        _with_selector("cuantos agentes de transito hay en mi municipio", "informacion_ya_publica"),
        domain)
    [message] = dispatcher.messages
    assert message["custom"] == {MARKER: True}


async def test_the_cost_of_a_protection_order_gets_its_answer_not_the_data_reply() -> None:
    tracker = load_tracker("contracts_institution_spending")
    text = "la orden de proteccion cuanto se tarda y se paga algo por tramitarla?"
    ranking = [{"intent_response_key": "faq/ordenes_proteccion", "confidence": 0.35}]
    tracker.latest_message = {"text": text, "intent": {"name": "pedir_datos", "confidence": 0.6},
                              "response_selector": {"faq": {"ranking": ranking}}}
    dispatcher = CollectingDispatcher()
    await ActionDataRequest().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["ordenes_proteccion"])
