"""Violence against women through the core, a trained Rasa model, the action server and
PostgreSQL: sourced answers, the nearest centres for a typed municipality, the quick exit, and
a tracker store that keeps no text of these conversations."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.content.faq import faq_catalog
from bot.content.render import render_answer
from bot.conversation.core import ConversationCore

pytestmark = pytest.mark.integration


def _answer(faq_id: str) -> str:
    return render_answer(faq_catalog().by_id()[faq_id])


def _stored(engine: Engine, sender: str) -> list[tuple[str, str | None, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("select type_name, intent_name, data from events where sender_id = :s order by id"),
            {"s": sender},
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("que es la violencia contra las mujeres?", "que_es_violencia_mujeres"),
        ("q es un feminicidio", "que_es_feminicidio"),
        ("que hago si sufro violencia en mi casa", "que_hacer_violencia"),
        ("que tipos de violencia hay segun la ley", "tipos_violencia"),
        ("que es la ley olimpia", "violencia_digital"),
        ("como ayudo a mi amiga que vive violencia", "ayudar_a_otra"),
        ("que programas hay para mujeres que viven violencia", "programas_violencia"),
        ("que es una orden de proteccion", "ordenes_proteccion"),
    ],
)
async def test_violence_questions_get_their_sourced_answer(
    core: ConversationCore, message: str, faq_id: str
) -> None:
    turn = await core.handle(f"it-v-{faq_id}", message)
    assert not turn.emergency
    assert turn.intent == "faq"
    assert [r.text for r in turn.replies] == [_answer(faq_id)]


async def test_the_emergency_button_leads_to_the_what_to_do_answer(core: ConversationCore) -> None:
    danger = await core.handle("it-v-button", "auxilio me esta pegando")
    assert danger.emergency
    info = await core.handle("it-v-button", danger.replies[0].buttons[1].payload)
    assert info.replies[0].text == _answer("que_hacer_violencia")


async def test_a_municipality_in_the_question_gets_the_three_nearest_centres(
    core: ConversationCore,
) -> None:
    turn = await core.handle("it-v-ecatepec", "donde hay un centro de justicia para mujeres en ecatepec")
    assert turn.intent == "buscar_centro"
    head, *centres = turn.replies
    assert "cabecera municipal de Ecatepec de Morelos" in head.text
    assert "800 108 40 53" in head.text
    assert len(centres) == 3
    assert centres[0].text.startswith("1. Centro de Justicia para las Mujeres Ecatepec — a ")
    assert all(c.custom and "location" in c.custom for c in centres), "each centre has its map point"


async def test_the_centre_button_asks_then_a_typed_municipality_is_answered(
    core: ConversationCore,
) -> None:
    sender = "it-v-ask"
    asked = await core.handle(sender, "/buscar_centro")
    assert asked.intent == "buscar_centro"
    assert "¿En qué municipio estás?" in asked.replies[0].text
    assert asked.replies[0].custom == {"request_location": True}
    answered = await core.handle(sender, "neza")
    head, *centres = answered.replies
    assert "Nezahualcóyotl" in head.text
    assert len(centres) == 3 and centres[0].text.startswith("1. UNIDAS Nezahualcóyotl")
    after = await core.handle(sender, "hola")
    assert after.intent == "greet", "the form is over: the next message is understood as usual"


async def test_a_shared_short_name_offers_buttons(core: ConversationCore) -> None:
    sender = "it-v-atizapan"
    turn = await core.handle(sender, "hay alguna unidas en atizapan")
    assert "Hay varios municipios con ese nombre" in turn.replies[0].text
    titles = {b.title: b.payload for b in turn.replies[0].buttons}
    assert set(titles) == {"Atizapán", "Atizapán de Zaragoza"}
    chosen = await core.handle(sender, titles["Atizapán de Zaragoza"])
    assert "cabecera municipal de Atizapán de Zaragoza" in chosen.replies[0].text
    assert chosen.replies[1].text.startswith("1. UNIDAS Atizapán de Zaragoza")


async def test_an_unknown_place_is_asked_again_then_let_go(core: ConversationCore) -> None:
    sender = "it-v-unknown"
    await core.handle(sender, "/buscar_centro")
    # Places the directory does not know, typed as people type them (pure gibberish is now
    # confidently out of scope for the model, and is answered as such).
    first = await core.handle(sender, "colonia las americas")
    assert "No encontré ese municipio" in first.replies[0].text
    second = await core.handle(sender, "san juanito de las flores")
    assert "No encontré ese municipio" in second.replies[0].text
    third = await core.handle(sender, "que es el stl")
    assert third.intent == "faq" and "Fuente:" in third.replies[0].text


async def test_quick_exit_in_other_words(core: ConversationCore) -> None:
    turn = await core.handle("it-v-exit", "borra todo porfa")
    assert turn.intent == "salida_rapida"
    assert turn.replies[0].custom == {"quick_exit": True}
    assert "Eliminar" in turn.replies[0].text


async def test_rasa_stores_no_text_of_a_violence_conversation(
    core: ConversationCore, pg_engine: Engine
) -> None:
    sender = "it-v-privacy"
    messages = [
        "holi buenas noches",
        "oye una duda rarisima, que es un feminicidio segun la ley xq no le entiendo",
        "y donde hay una unidas, ando por valle de chalco cerca del mercado",
        "/buscar_centro",
        "tlalne",
    ]
    for message in messages:
        await core.handle(sender, message)
    rows = _stored(pg_engine, sender)
    assert any(t == "user" for t, _, _ in rows), "the conversation is in the tracker store"
    user_intents = [i for t, i, _ in rows if t == "user"]
    assert "faq" in user_intents and "buscar_centro" in user_intents, "what the dialogue needs stays"
    stored = "\n".join(data for _, _, data in rows).lower()
    for fragment in [
        "rarisima", "segun la ley", "xq no le entiendo", "mercado", "ando por", "tlalne",
        "tlalnepantla", "valle de chalco", "unidas,", '"lat"', "request_location",
    ]:
        assert fragment not in stored, fragment
    first_user = next(json.loads(d) for t, _, d in rows if t == "user")
    assert first_user["text"] == "holi buenas noches", "before violence came up, text is kept"


async def test_an_everyday_conversation_is_kept_as_usual(
    core: ConversationCore, pg_engine: Engine
) -> None:
    """The scrubbing is selective: this shows the store works and the test above can fail."""
    sender = "it-v-everyday"
    await core.handle(sender, "que es el secretariado tecnico local")
    stored = "\n".join(data for _, _, data in _stored(pg_engine, sender))
    assert "que es el secretariado tecnico local" in stored


async def test_violence_that_is_over_gets_the_answer_with_the_911_line_in_front_and_no_text_kept(
    core: ConversationCore, pg_engine: Engine
) -> None:
    sender = "it-v-disclosure"
    message = "hace años mi exesposo me golpeaba, que hago si sufro violencia en mi casa"
    turn = await core.handle(sender, message)
    assert not turn.emergency, "a story of violence that is over is not the emergency block"
    first = turn.replies[0].text
    assert first.startswith("Si estás en peligro ahora, llama al 911")
    assert _answer("que_hacer_violencia") in first, "then the answer that was asked for"
    stored = "\n".join(data for _, _, data in _stored(pg_engine, sender))
    assert "golpeaba" not in stored and "exesposo" not in stored


async def test_invisible_characters_do_not_hide_danger_with_rasa_up(core: ConversationCore) -> None:
    turn = await core.handle("it-v-zw", "me está pe\u200bgando")
    assert turn.emergency
    assert turn.replies[0].text.startswith("Si estás en peligro ahora, llama al 911")
