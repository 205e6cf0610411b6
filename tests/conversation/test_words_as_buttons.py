"""Flows answered by the core itself (subscriptions, privacy) completed typing words only.

No Rasa here (rasa=None): had a typed word gone to Rasa, the reply would be the core's outage
notice. The conversations with Rasa are in tests/integration/test_dialogue_with_rasa.py.
"""

from __future__ import annotations

import uuid

from sqlalchemy.engine import Engine

from bot.campaigns import subscriptions as subs
from bot.conversation.core import ConversationCore
from bot.conversation.replies import Button, Reply, Turn
from bot.proposals import service as svc


def text(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)


def someone() -> tuple[int, str]:
    chat = uuid.uuid4().int % 10**9
    return chat, f"tg-{chat}"


def with_proposal(engine: Engine, sender: str) -> None:
    draft = svc.Draft(theme="seguridad", municipality_code="15106", municipality="Toluca",
                      problem="El parque de la colonia no tiene alumbrado y de noche da miedo pasar",
                      causes=None, effects=None, affected=None, solution="Poner luminarias")
    svc.submit(draft, intake_key=uuid.uuid4().hex, sender=sender, channel="telegram",
               consent=True, contact_info="7221234567", engine=engine)


async def test_subscribing_in_words(db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    chat, me = someone()
    await core.handle(me, "/suscribir", channel="telegram")
    notice = await core.handle(me, "convocatorias y eventos", channel="telegram")
    assert "Aviso de privacidad simplificado" in text(notice), "the topic typed, not tapped"
    accepted = await core.handle(me, "sale", channel="telegram")
    assert "Te voy a mandar aquí las noticias" in text(accepted), "«sale» accepts"
    await core.handle(me, "neza", channel="telegram")
    current = subs.get(chat, db_engine)
    assert current is not None and current.municipality == "Nezahualcóyotl"


async def test_erasing_in_words_asks_and_a_no_keeps_everything(db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    _, me = someone()
    with_proposal(db_engine, me)
    await core.handle(me, "/borrar", channel="telegram")
    kept = await core.handle(me, "nel", channel="telegram")
    assert "no borré nada" in text(kept)
    assert svc.mine(me, engine=db_engine)
    await core.handle(me, "/borrar", channel="telegram")
    done = await core.handle(me, "sí, bórralo", channel="telegram")
    assert "borré tus datos" in text(done)
    assert svc.mine(me, engine=db_engine) == []


async def test_a_no_outside_a_question_is_just_text(db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    _, me = someone()
    turn = await core.handle(me, "no", channel="telegram")
    assert "problema técnico" in text(turn), "nothing offered: it goes on to Rasa (down here)"


async def test_an_ok_after_an_faq_answer_is_thanked_not_guessed(db_engine: Engine) -> None:
    """turn8: «ándale» under an answer's «Más detalles» / «Fuentes» asks nothing (Rasa guessed a
    topic: «No estoy segura…»); a yes-no question still gets its yes."""
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    _, me = someone()
    answer = Reply("Una mesa de cocreación es…", [
        Button("Más detalles", '/faq_detalles{"tema":"que_es_gobierno_abierto"}'),
        Button("Fuentes", '/faq_fuentes{"tema":"que_es_gobierno_abierto"}')])
    for typed in ("ándale", "sale", "va"):
        await core.offers.remember(me, [answer])
        turn = await core.handle(me, typed, channel="telegram")
        assert turn.intent == "thanks", typed
        assert "Con gusto" in text(turn), typed
    await core.offers.remember(me, [answer])
    turn = await core.handle(me, "¿y cuánto tarda?", channel="telegram")
    assert "problema técnico" in text(turn), "a question still goes on to Rasa (down here)"
