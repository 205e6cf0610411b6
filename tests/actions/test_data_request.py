"""actions/data_request.py: «no tengo ese dato», unless the contracts the bot holds answer it."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.data_request import ActionDataRequest
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
