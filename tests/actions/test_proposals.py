"""actions/proposals.py against JSON trackers: the summary before sending, and cancelling."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.proposal_form import ALL_SLOTS
from actions.proposals import (
    ActionAdhereProposal,
    ActionCancelProposal,
    ActionProposalSummary,
    ActionSaveProposal,
)
from bot.proposals import service as svc
from bot.proposals.service import proposal_content
from tests.actions.conftest import FIXTURES, load_tracker


async def test_the_summary_shows_every_answer_with_a_button_to_correct_each(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionProposalSummary().run(dispatcher, load_tracker("proposal_complete"), domain)
    assert events == [SlotSet("proposal_offered_similar", False)]
    [message] = dispatcher.messages
    lines = message["text"].splitlines()
    assert lines[0] == proposal_content().message("summary")
    assert "• Municipio: Toluca" in lines
    assert "• Solución: Un programa de bacheo con fechas públicas" in lines
    assert "• Avisos y contacto: no" in lines
    titles = [b["title"] for b in message["buttons"]]
    assert titles[0] == "Enviar propuesta" and titles[-1] == "Cancelar"
    assert "Corregir solución" in titles
    assert '/editar_propuesta{"campo":"solution"}' in [b["payload"] for b in message["buttons"]]


async def test_no_summary_until_every_step_is_answered(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionProposalSummary().run(dispatcher, load_tracker("proposal_incomplete"), domain)
    assert events == [] and dispatcher.messages == []


async def test_cancelling_with_answers_asks_first(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionCancelProposal().run(dispatcher, load_tracker("proposal_cancel_in_course"),
                                              domain)
    assert events == [], "nothing forgotten yet"
    [question] = dispatcher.messages
    assert question["text"] == proposal_content().message("leave_confirm")
    assert [b["payload"] for b in question["buttons"]] == ["/cancelar_si", "/seguir_propuesta"]


async def test_cancelling_once_confirmed_forgets_every_answer(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = load_tracker("proposal_cancel_in_course")
    tracker.latest_message["metadata"] = {"cancel_confirmed": True}  # «Sí, cancelarla» (the core)
    events = await ActionCancelProposal().run(dispatcher, tracker, domain)
    assert events == [SlotSet(slot, None) for slot in ALL_SLOTS]
    assert dispatcher.messages[0]["text"] == proposal_content().message("cancelled")


async def test_cancelling_with_nothing_in_course_says_so(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionCancelProposal().run(dispatcher, load_tracker("proposal_cancel_nothing"),
                                              domain)
    assert events == [SlotSet(slot, None) for slot in ALL_SLOTS]
    assert dispatcher.messages[0]["text"].startswith("No hay nada en curso que cancelar.")


async def test_a_stale_send_or_correct_button_does_not_say_she_has_no_proposals(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Found on the citizen walk: «Enviar propuesta» pressed again after sending (or after a
    restart) said «Todavía no tienes propuestas registradas» to someone with a folio."""
    from rasa_sdk import Tracker

    from actions.proposals import ActionConfirmProposal, ActionEditProposal, ActionSaveProposal

    tracker = Tracker("tg-77", {}, {"intent": {"name": "confirmar_propuesta"}, "entities": []},
                      [], False, None, None, "")
    for action in (ActionConfirmProposal(), ActionEditProposal(), ActionSaveProposal()):
        dispatcher.messages.clear()
        await action.run(dispatcher, tracker, domain)
        [message] = dispatcher.messages
        assert message["text"] == proposal_content().message("none_in_progress")
        assert "/mis_propuestas" in message["text"] and "Todavía no tienes" not in message["text"]


async def test_support_without_a_folio_asks_which_one(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«/apoyar_propuesta» alone said «No encontré la propuesta .» (an empty folio)."""
    tracker = Tracker("tg-5", {}, {"text": "/apoyar_propuesta", "entities": []}, [], False, None, None, "")
    events = await ActionAdhereProposal().run(dispatcher, tracker, domain)
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [
        "¿Qué propuesta quieres apoyar? Escribe /apoyar_propuesta y su folio, por ejemplo: "
        "/apoyar_propuesta P-2026-000123"]


def _with_consent(channel: str) -> Tracker:
    data = json.loads((FIXTURES / "proposal_complete.json").read_text("utf-8"))
    data["slots"].update(proposal_contact_consent="yes", proposal_contact_info="7221234567")
    data["latest_message"]["metadata"] = {"channel": channel}
    return Tracker.from_dict(data)


@pytest.mark.usefixtures("app_db")
async def test_sent_from_the_terminal_it_does_not_promise_a_notice_there(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    await ActionSaveProposal().run(dispatcher, _with_consent("terminal"), domain)
    saved = dispatcher.messages[0]["text"]
    assert "Te avisaré aquí" not in saved
    assert "En esta terminal no te llegan avisos: consulta cómo va con /mis_propuestas." in saved
    dispatcher.messages.clear()
    await ActionSaveProposal().run(dispatcher, _with_consent("telegram"), domain)
    assert "Te avisaré aquí cuando cambie su estado." in dispatcher.messages[0]["text"]


@pytest.mark.usefixtures("app_db")
async def test_supporting_from_the_terminal_offers_no_avisame(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    draft = svc.Draft(theme="movilidad", municipality_code="15106", municipality="Toluca",
                      problem="Los baches de la avenida principal dañan los coches", causes=None,
                      effects=None, affected=None, solution="Bachear la avenida")
    folio = str(svc.submit(draft, intake_key="k-walk6", sender="tg-9", channel="telegram",
                           consent=False).folio)
    tracker = Tracker("terminal-9", {}, {"text": "x", "entities": [{"entity": "folio", "value": folio}],
                                         "metadata": {"channel": "terminal"}}, [], False, None, None, "")
    await ActionAdhereProposal().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"] == (f"¡Gracias! Registré tu apoyo a la propuesta {folio}. Tu propuesta no se "
                               "guardó por separado.")
    assert not message.get("buttons")


async def test_a_stale_correct_button_does_not_start_an_empty_interview(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """Found on the citizen walk: «Corregir tema» pressed after sending said «No tienes ninguna
    propuesta en curso» and then asked «(Paso 1 de 8) ¿De qué tema…?» (the rule ran the form)."""
    from rasa_sdk.events import ActiveLoop, FollowupAction

    from actions.proposals import ActionEditProposal

    tracker = Tracker("tg-78", {}, {"intent": {"name": "editar_propuesta"},
                                    "entities": [{"entity": "campo", "value": "theme"}]},
                      [], False, None, None, "")
    events = await ActionEditProposal().run(dispatcher, tracker, domain)
    assert events == [ActiveLoop(None), FollowupAction("action_listen")]
