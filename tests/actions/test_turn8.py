"""turn8 (a citizen walk): one answer per turn, a name after a violence answer, spending asked of
an institution, the cost or time of a procedure."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.data_request import ActionDataRequest
from actions.faq import ActionAnswerFaq
from actions.procurement import ActionSearchContracts
from actions.unsure import reply_when_unsure
from bot.content.faq import faq_catalog
from bot.content.render import render_answer
from bot.content.retrieval import Hit, is_data_question, spending_of_an_institution
from tests.actions.conftest import load_tracker


class _Ranking:
    def __init__(self, ranking: list[tuple[str, float]]) -> None:
        self.ranking = ranking

    def rank(self, text: str) -> list[Hit]:
        return [Hit(faq_id, score) for faq_id, score in self.ranking]


def _message(text: str, selector: list[tuple[str, float]], intent: str = "faq") -> dict[str, Any]:
    ranking = [{"intent_response_key": f"faq/{i}", "confidence": c} for i, c in selector]
    return {"text": text, "intent": {"name": intent, "confidence": 0.6},
            "response_selector": {"faq": {"ranking": ranking}}}


def _restated(events: list[dict[str, Any]]) -> str:
    assert events and events[0]["event"] == "rewind"
    return str(events[-1]["parse_data"]["intent"]["name"])


def test_violence_help_is_one_message_with_the_closest_topics_as_buttons(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """«No sé a dónde ir» after her story: what to do, and no second «No estoy segura…»."""
    monkeypatch.setattr("actions.unsure.faq_index", lambda: _Ranking(
        [("violentometro", 20.0), ("ordenes_proteccion", 18.0), ("hombres_violencia", 15.0)]))
    text = "mi esposo me empuja cuando se enoja y no tengo a quien acudir"
    dispatcher = CollectingDispatcher()
    user = {"event": "user", "text": text, "metadata": {"channel": "telegram", "sensitive": True}}
    outcome, _events = reply_when_unsure(
        dispatcher, _message(text, [("noviazgo_violento", 0.3), ("que_hacer_violencia", 0.1)]), [user])
    assert outcome == "violence_help"
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["que_hacer_violencia"])
    payloads = [b["payload"] for b in message["buttons"]]
    assert any(p.startswith("/faq_fuentes") for p in payloads), "the answer keeps its sources"
    assert any(p.startswith("/elegir_tema") for p in payloads), "the closest topics one tap away"


async def test_a_name_alone_after_a_violence_answer_gets_the_centres() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFaq().run(
        dispatcher, load_tracker("faq_bare_municipality_after_violence_answer"), {})
    assert dispatcher.messages == []
    assert _restated(events) == "buscar_centro"


async def test_what_an_institution_spent_is_asked_for_not_searched() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSearchContracts().run(
        dispatcher, load_tracker("contracts_institution_spending"), {})
    assert dispatcher.messages == []
    assert _restated(events) == "pedir_datos"


@pytest.mark.parametrize("text", [
    "¿y cuánto se tarda en salir, tengo que pagar algo por pedirla?",
    "cuanto cuesta sacar una orden de proteccion",
])
def test_the_cost_or_time_of_a_procedure_is_no_figure(text: str) -> None:
    assert not is_data_question(text)


def test_spending_and_pay_stay_figures() -> None:
    assert is_data_question("cuanto se gasto el ayuntamiento en luminarias")
    assert is_data_question("cuanto gana la presidenta municipal")


async def test_the_cost_of_a_protection_order_gets_its_answer_not_the_data_reply() -> None:
    tracker = load_tracker("contracts_institution_spending")
    text = "la orden de proteccion cuanto se tarda y se paga algo por tramitarla?"
    tracker.latest_message = _message(text, [("ordenes_proteccion", 0.35)], intent="pedir_datos")
    dispatcher = CollectingDispatcher()
    await ActionDataRequest().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["ordenes_proteccion"])


def test_spending_with_nobody_named_stays_a_contract_search() -> None:
    """The contract data answers «¿cuánto se gastó en material de curación?» (CI's integration
    test); only a named institution's spending goes to the information request."""
    assert not spending_of_an_institution("cuanto se gasto en material de curacion")
    assert spending_of_an_institution("cuánto gastó la fiscalía en patrullas en 2024")
    assert not spending_of_an_institution("cuanto gasto la secretaria de salud en contratos con la empresa x")
