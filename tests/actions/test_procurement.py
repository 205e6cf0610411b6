"""actions/procurement.py: a search, unless the words ask what contracts are or for another view;
what a search offers depends on where the person writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.procurement import ActionSearchContracts
from bot.content.faq import faq_catalog
from bot.content.render import render_answer
from bot.procurement import service as svc
from tests.actions.conftest import load_tracker

SAMPLE = (Path(__file__).resolve().parents[2] / "content" / "procurement" / "compranet"
          / "compranet_contratos_2017_muestra1pct.raw.csv")


@pytest.fixture
def contracts(app_db: str, tmp_path: Path) -> None:
    part = tmp_path / "parte.csv"
    part.write_text("".join(SAMPLE.read_text("utf-8").splitlines(keepends=True)[:300]), "utf-8")
    svc.load_source(str(part))


def _search(channel: str) -> Tracker:
    text = "contratos de la Comisión Federal de Electricidad"
    return Tracker("s-1", {}, {"text": text, "entities": [], "metadata": {"channel": channel}},
                   [], False, None, None, "")


@pytest.mark.usefixtures("contracts")
async def test_the_terminal_search_does_not_offer_to_follow_what_only_telegram_delivers(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Leftover of round 5: the terminal offered «Seguir a esta institución», and pressing it
    only said that follows work in Telegram."""
    await ActionSearchContracts().run(dispatcher, _search("telegram"), domain)
    assert "Seguir a esta institución" in [b["title"] for b in dispatcher.messages[0]["buttons"]]
    dispatcher.messages.clear()
    await ActionSearchContracts().run(dispatcher, _search("terminal"), domain)
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles and "Seguir a esta institución" not in titles
    assert "Descargar CSV" in titles or any("CSV" in t for t in titles)  # the rest stays


def _tracker(text: str, faq_ids: list[str]) -> Any:
    tracker = load_tracker("faq_salary_selector_sure")
    ranking = [{"intent_response_key": f"faq/{faq_id}", "confidence": 0.3} for faq_id in faq_ids]
    for message in (tracker.latest_message, tracker.events[-1]["parse_data"]):
        message["text"] = text
        message["intent"] = {"name": "buscar_contratos", "confidence": 0.8}
    tracker.latest_message["response_selector"]["faq"]["ranking"] = ranking
    tracker.events[-1]["text"] = text
    return tracker


async def test_what_a_direct_award_is_gets_the_answer_not_a_search(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """It came back as «No encontré contratos sobre puedes explicar pocos puntos…»."""
    text = "oye que significa adjudicacion directa y en que casos se permite, es para una tarea"
    events = await ActionSearchContracts().run(
        dispatcher, _tracker(text, ["tipos_de_procedimiento", "senales_contratos"]), domain)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["tipos_de_procedimiento"])


async def test_the_dearest_emergency_contracts_go_to_the_emergency_list(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "muestrame las compras mas caras del covid y quien las vendio"
    events = await ActionSearchContracts().run(dispatcher, _tracker(text, ["senales_contratos"]), domain)
    assert dispatcher.messages == []
    assert events[-1]["parse_data"]["intent"]["name"] == "contratos_emergencia"
    assert events[-1]["parse_data"]["rerouted_from"] == "buscar_contratos"


def _bot(*payloads: str) -> dict[str, Any]:
    return {"event": "bot", "text": "…", "data": {"buttons": [{"title": p, "payload": p} for p in payloads]}}


def test_typed_more_goes_on_from_the_page_on_screen() -> None:
    """«más», then «siguiente»: pages 2 and 3, not page 2 twice (the «más» button's own page)."""
    from actions.procurement import LAST_PAGE, offered_more

    more = '/ver_mas_contratos{"q":"abc123","p":2}'
    events = [{"event": "user", "text": "contratos"}, _bot(more, '/descargar_contratos{"q":"abc123"}'),
              {"event": "user", "text": "siguiente"}]
    assert offered_more(events) == ("abc123", 2)
    last = [*events, _bot('/descargar_contratos{"q":"abc123"}', "/elegir_tema{}")]
    assert offered_more(last) == LAST_PAGE
    assert offered_more([{"event": "user", "text": "más"}]) is None


async def test_what_an_institution_spent_is_asked_for_not_searched() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSearchContracts().run(
        dispatcher, load_tracker("contracts_institution_spending"), {})
    assert dispatcher.messages == []
    assert events and events[0]["event"] == "rewind"
    assert events[-1]["parse_data"]["intent"]["name"] == "pedir_datos"
