"""actions/vague.py: a vague follow-up gets «¿me cuentas un poco más?», not a confident guess."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq
from actions.vague import is_vague_followup
from bot.content.faq import faq_catalog
from bot.content.render import render_answer
from tests.actions.conftest import load_tracker


async def test_a_vague_followup_asks_for_more_with_the_closest_topics(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = load_tracker("faq_vague_followup")
    assert await ActionAnswerFaq().run(dispatcher, tracker, domain) == []
    [message] = dispatcher.messages
    assert message["text"].startswith("¿Me cuentas un poco más?")
    assert render_answer(faq_catalog().by_id()["que_es_gobierno_abierto"]) not in message["text"]
    payloads = [b["payload"] for b in message["buttons"]]
    assert '/elegir_tema{"tema":"que_es_gobierno_abierto"}' in payloads
    assert payloads[-1] == "/help"


async def test_a_followup_that_names_a_topic_is_answered(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = load_tracker("faq_followup_naming_a_topic")
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["plan_accion_local"])


@pytest.mark.parametrize("text", [
    "y que dijeron en la junta?",
    "lo que dijeron ayer, como quedo eso",
    "oiga y en que quedo lo de la reunion",
    "lo de la otra vez como quedo",
    "ya se sabe algo de lo que se hablo?",
    "que onda con lo del otro dia",
])
def test_vague_followups(text: str) -> None:
    assert is_vague_followup(text)


@pytest.mark.parametrize("text", [
    "que dijeron en la junta del plan de accion local?",
    "como quedo mi solicitud de informacion",
    "que paso con lo que mande la otra vez, ya lo vieron?",
    "me dijeron en la junta de vecinos que hay mesas de cocreacion, que son",
    "que es el gobierno abierto",
    "lo que dijeron del INFOEM es cierto, ya desaparecio?",
    "que paso con lo de mi propuesta",
    "y que acordaron del STL?",
])
def test_not_vague(text: str) -> None:
    assert not is_vague_followup(text)
