"""«Más detalles» and «Fuentes» after an FAQ answer, tapped or typed, with Rasa down.

The answer itself comes from the real action (actions/faq.py) run on a JSON tracker, relayed
as the core relays Rasa's messages; the follow-ups need no Rasa, so the core here points at a
closed port, as in test_core.py.
"""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq
from bot.content.faq import faq_catalog
from bot.content.render import render_sources
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.conversation.replies import Reply
from bot.rasa.servers import free_port
from tests.actions.conftest import load_tracker


@pytest.fixture
async def down_core():  # type: ignore[no-untyped-def]
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    yield ConversationCore(client, record_usage=False)
    await client.aclose()


async def _answered(core: ConversationCore, sender: str, fixture: str = "faq_confident") -> Reply:
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, load_tracker(fixture), {})
    replies = [Reply.from_rasa(m) for m in dispatcher.messages]
    core.followups.remember(sender, replies)
    return replies[0]


async def test_tapping_details_shows_them_with_the_sources_button(down_core: ConversationCore) -> None:
    answer = await _answered(down_core, "f1")
    details = next(b for b in answer.buttons if b.title == "Más detalles")
    turn = await down_core.handle("f1", details.payload)
    entry = faq_catalog().by_id()["que_es_gobierno_abierto"]
    assert turn.intent == "faq_detalles"
    assert turn.replies[0].text == (entry.details or "").strip()
    assert [b.title for b in turn.replies[0].buttons] == ["Fuentes"]


async def test_tapping_sources_lists_every_url(down_core: ConversationCore) -> None:
    answer = await _answered(down_core, "f2")
    sources = next(b for b in answer.buttons if b.title == "Fuentes")
    turn = await down_core.handle("f2", sources.payload)
    entry = faq_catalog().by_id()["que_es_gobierno_abierto"]
    assert turn.intent == "faq_fuentes"
    assert turn.replies[0].text == render_sources(entry)
    assert all(s.ref in turn.replies[0].text for s in entry.sources)


@pytest.mark.parametrize(
    ("typed", "intent"),
    [("más detalles", "faq_detalles"), ("Mas detalles!", "faq_detalles"), ("ver más", "faq_detalles"),
     ("fuentes", "faq_fuentes"), ("FUENTES?", "faq_fuentes")],
)
async def test_typed_words_follow_the_last_answer(
    down_core: ConversationCore, typed: str, intent: str
) -> None:
    await _answered(down_core, "f3", "faq_chosen_topic")
    turn = await down_core.handle("f3", typed)
    entry = faq_catalog().by_id()["que_paso_inai"]
    assert turn.intent == intent
    expected = (entry.details or "").strip() if intent == "faq_detalles" else render_sources(entry)
    assert turn.replies[0].text == expected


async def test_the_answer_followed_is_the_latest_one(down_core: ConversationCore) -> None:
    await _answered(down_core, "f4", "faq_confident")
    await _answered(down_core, "f4", "faq_chosen_topic")
    turn = await down_core.handle("f4", "fuentes")
    assert turn.replies[0].text == render_sources(faq_catalog().by_id()["que_paso_inai"])


async def test_typed_words_without_an_answer_get_a_clear_reply(down_core: ConversationCore) -> None:
    turn = await down_core.handle("f5", "más detalles")
    assert turn.intent == "faq_detalles"
    assert turn.replies[0].text.startswith("¿De qué respuesta?")
    assert turn.replies[0].buttons, "with the menu"


async def test_ver_mas_elsewhere_is_left_to_rasa(down_core: ConversationCore) -> None:
    """«ver más» also means «more contracts»: without an FAQ answer just before, Rasa decides."""
    turn = await down_core.handle("f6", "ver más")
    assert turn.intent is None
    assert "problema técnico" in turn.replies[0].text


async def test_stale_button_gets_a_clear_reply(down_core: ConversationCore) -> None:
    turn = await down_core.handle("f7", '/faq_detalles{"tema":"entrada_que_ya_no_existe"}')
    assert turn.intent == "faq_detalles"
    assert "ya no está disponible" in turn.replies[0].text
    assert turn.replies[0].buttons


async def test_details_of_an_answer_without_details_offer_its_sources(
    down_core: ConversationCore,
) -> None:
    turn = await down_core.handle("f8", '/faq_detalles{"tema":"solicitud_anonima"}')
    assert "no tiene más detalles" in turn.replies[0].text
    assert [b.payload for b in turn.replies[0].buttons] == ['/faq_fuentes{"tema":"solicitud_anonima"}']


async def test_sigue_after_an_answer_inside_a_guided_flow_is_left_to_the_flow(
    down_core: ConversationCore,
) -> None:
    """A question asked mid-interview is answered, then the interview asks again: «sigue» or «más»
    answer the interview (Rasa), not the FAQ entry; «más detalles» still means the entry."""
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, load_tracker("faq_confident"), {})
    replies = [Reply.from_rasa(m) for m in dispatcher.messages]
    replies.append(Reply("Sigamos con tu propuesta.\n(Paso 1 de 8) ¿De qué tema es tu propuesta?"))
    down_core.followups.remember("f9", replies)
    for typed in ("sigue", "más"):
        turn = await down_core.handle("f9", typed)
        assert turn.intent is None and "problema técnico" in turn.replies[0].text, "it went to Rasa"
    turn = await down_core.handle("f9", "más detalles")
    entry = faq_catalog().by_id()["que_es_gobierno_abierto"]
    assert turn.intent == "faq_detalles" and turn.replies[0].text == (entry.details or "").strip()
