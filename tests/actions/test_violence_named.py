"""Violence answered with the answer it asks for, on JSON trackers (fixtures/violence_*.json).

Issue 14, round 8: a violence message answered with another, close violence answer. The selector
leans to «¿qué hacer si vives violencia?» for any story told in the first person, even when the
story ends asking for a protection order or a refuge; a message about another woman got the steps
for the woman who lives it; a woman ashamed of a voice note got the answer for violent men.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq, ActionFallbackTopics
from bot.content.faq import faq_catalog
from bot.content.render import render_answer
from tests.actions.conftest import load_tracker


def _answer(faq_id: str) -> str:
    return render_answer(faq_catalog().by_id()[faq_id])


def _texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [str(m.get("text") or "") for m in dispatcher.messages]


async def test_a_protection_order_asked_after_her_story_is_answered_though_the_selector_is_sure_of_what_to_do(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = load_tracker("violence_names_protection_order")
    assert await ActionAnswerFaq().run(dispatcher, tracker, domain) == []
    assert _texts(dispatcher) == [_answer("ordenes_proteccion")]


async def test_no_wish_to_report_keeps_what_to_do(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«No quiero denunciar» names reporting only to refuse it."""
    await ActionAnswerFaq().run(dispatcher, load_tracker("violence_no_wish_to_report"), domain)
    assert _texts(dispatcher) == [_answer("que_hacer_violencia")]


async def test_a_sure_specific_violence_answer_is_not_replaced_by_a_named_subject(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«¿Eso se puede denunciar?» about photos passed around: the selector's sure answer on
    digital violence stays (it says how to report it)."""
    await ActionAnswerFaq().run(dispatcher, load_tracker("violence_sure_specific_answer"), domain)
    assert _texts(dispatcher) == [_answer("violencia_digital")]


async def test_a_refuge_asked_for_is_answered_when_the_model_is_lost(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """The selector ranks a participation answer first with 0.1: the refuge she asks for, not
    the generic what to do nor the menu."""
    await ActionAnswerFaq().run(dispatcher, load_tracker("violence_names_refuge_model_lost"), domain)
    assert _texts(dispatcher) == [_answer("refugios_mujeres")]


async def test_another_woman_s_violence_gets_how_to_help_her_first(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """A nurse told by a patient what her husband does, the model unsure: how to help her comes
    first, then the closest violence topics; never the steps for the woman who lives it."""
    await ActionFallbackTopics().run(dispatcher, load_tracker("violence_another_woman_unsure"), domain)
    texts = _texts(dispatcher)
    assert texts[0] == _answer("ayudar_a_otra")
    assert _answer("que_hacer_violencia") not in texts


async def test_shame_over_a_voice_note_never_gets_the_answer_for_violent_men(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """«Me quiero morir de la pena…» names no man's violence nor help for men: the selector's
    sure answer for men does not fit her."""
    await ActionAnswerFaq().run(dispatcher, load_tracker("violence_ashamed_not_his_violence"), domain)
    assert _answer("hombres_violencia") not in _texts(dispatcher)
