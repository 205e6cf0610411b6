"""The interview's answers typed the way people type them (found trying it as a citizen)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.proposal_form import ValidateProposalForm, correction


def test_a_yes_but_change_is_a_correction() -> None:
    """«sí pero cambia el tema a movilidad» at a later step changed nothing before."""
    assert correction("sí pero cambia el tema a movilidad", "proposal_contact_info") == {
        "proposal_theme": "movilidad"}
    change = correction("Sí, pero cambia el municipio a neza", "proposal_solution")
    assert change is not None and change["proposal_municipality"] == "Nezahualcóyotl"
    assert correction("sí", "proposal_contact_info") is None


def test_a_bare_yes_to_leave_a_contact_asks_for_it_kindly(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = Tracker("tg-1", {}, {}, [], False, None, None, "")
    result = ValidateProposalForm().validate_proposal_contact_info("simón", dispatcher, tracker, domain)
    assert result == {"proposal_contact_info": None}
    [message] = dispatcher.messages
    assert message["text"].startswith("¡Va! Escríbelo aquí: tu correo")
    assert "No reconocí" not in message["text"]
    result = ValidateProposalForm().validate_proposal_contact_info("nel", dispatcher, tracker, domain)
    assert result == {"proposal_contact_info": "—"}
