"""Talk to a person through the conversation core, with no Rasa (rasa=None).

Had a message gone to Rasa, the reply would be the core's "problema técnico" notice; while a
request is open the bot must not answer as a bot at all.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.attention import service
from bot.conversation.core import ConversationCore
from bot.conversation.replies import Reply, Turn
from bot.storage.db import session_scope
from bot.storage.models import AttentionMessage, AttentionRequest, Consent

SENDER = "tg-5150"


@pytest.fixture
def core(db_engine: Engine) -> ConversationCore:
    return ConversationCore(None, record_usage=False, engine=db_engine)


async def say(core: ConversationCore, text: str, sender: str = SENDER) -> Turn:
    return await core.handle(sender, text, channel="telegram")


def payload(reply: Reply, title: str) -> str:
    for button in reply.buttons:
        if button.title == title:
            return button.payload
    raise AssertionError(f"no button {title!r} in {[b.title for b in reply.buttons]}")


def count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def person_texts(engine: Engine) -> list[str | None]:
    with session_scope(engine) as session:
        return list(session.scalars(select(AttentionMessage.text)
                                    .where(AttentionMessage.author == "person")
                                    .order_by(AttentionMessage.id)).all())


async def open_request(core: ConversationCore) -> Turn:
    notice = await say(core, "/hablar_persona")
    return await say(core, payload(notice.replies[0], "Sí, acepto"))


async def test_asking_shows_the_notice_and_stores_nothing_before_consent(
        core: ConversationCore, db_engine: Engine) -> None:
    turn = await say(core, "/hablar_persona")
    text = turn.replies[0].text
    assert "Aviso de privacidad" in text and "Secretariado Técnico Local (STL)" in text
    assert count(db_engine, AttentionRequest) == 0 and count(db_engine, Consent) == 0
    declined = await say(core, payload(turn.replies[0], "No, gracias"))
    assert "no guardé nada" in declined.replies[0].text
    assert count(db_engine, AttentionRequest) == 0 and count(db_engine, Consent) == 0


async def test_accepting_opens_a_request_and_says_who_when_and_what_meanwhile(
        core: ConversationCore, db_engine: Engine) -> None:
    turn = await open_request(core)
    text = turn.replies[0].text
    assert "equipo del STL" in text and "lunes a viernes" in text and "9:00 a 18:00 h" in text
    assert "terminar" in text and "911" in text
    assert count(db_engine, AttentionRequest) == 1 and count(db_engine, Consent) == 1
    again = await say(core, "/hablar_persona")
    assert "Ya tienes una conversación abierta" in again.replies[0].text
    assert count(db_engine, AttentionRequest) == 1


async def test_typing_yes_to_the_notice_accepts_it(core: ConversationCore, db_engine: Engine) -> None:
    await say(core, "/hablar_persona")
    turn = await say(core, "sí, acepto")
    assert turn.intent == "atencion_abre"
    assert count(db_engine, AttentionRequest) == 1


async def test_the_bot_steps_aside_while_the_request_is_open(
        core: ConversationCore, db_engine: Engine) -> None:
    await open_request(core)
    first = await say(core, "Hola, quiero saber qué pasó con mi propuesta de baches")
    assert first.intent == "atencion_mensaje"
    assert "Recibido" in first.replies[0].text and "terminar" in first.replies[0].text
    second = await say(core, "¿qué es el gobierno abierto?")  # a question the bot would answer
    assert second.replies == []  # quiet: the team answers, not the bot
    assert person_texts(db_engine) == ["Hola, quiero saber qué pasó con mi propuesta de baches",
                                       "¿qué es el gobierno abierto?"]


async def test_an_emergency_during_the_handover_still_gets_the_emergency_reply(
        core: ConversationCore, db_engine: Engine) -> None:
    await open_request(core)
    turn = await say(core, "mi esposo me está golpeando ahorita, ayúdenme")
    assert turn.emergency and "911" in turn.replies[0].text
    assert person_texts(db_engine) == []  # its text is stored nowhere


async def test_quick_exit_still_works(core: ConversationCore) -> None:
    await open_request(core)
    turn = await say(core, "/salida_rapida")
    assert turn.intent == "salida_rapida"


async def test_a_violence_message_is_queued_without_its_text(
        core: ConversationCore, db_engine: Engine) -> None:
    await open_request(core)
    turn = await say(core, "mi pareja me pegaba hace años y quiero saber qué hacer")
    assert "no guardé el texto" in turn.replies[0].text
    assert person_texts(db_engine) == [None]


async def test_terminar_gives_the_bot_back(core: ConversationCore, db_engine: Engine) -> None:
    await open_request(core)
    ended = await say(core, "Terminar")
    assert ended.intent == "atencion_termina" and "Vuelves a hablar con Participa" in ended.replies[0].text
    assert ended.replies[0].buttons  # the menu
    after = await say(core, "¿qué es el gobierno abierto?")
    assert after.intent != "atencion_mensaje"  # back to the bot (here: Rasa down notice)
    assert service.open_request_id(SENDER, db_engine) is None
    stale = await say(core, "/terminar")
    assert "No tienes una conversación abierta" in stale.replies[0].text


async def test_privacy_commands_still_answered_while_open(core: ConversationCore) -> None:
    await open_request(core)
    turn = await say(core, "/mis_datos")
    assert turn.intent != "atencion_comando"
    other = await say(core, "/propuesta")
    assert other.intent == "atencion_comando" and "terminar" in other.replies[0].text


async def test_outside_telegram_it_says_so(core: ConversationCore, db_engine: Engine) -> None:
    turn = await say(core, "/hablar_persona", sender="terminal-1")
    assert "solo funciona en Telegram" in turn.replies[0].text
    assert count(db_engine, AttentionRequest) == 0


@pytest.mark.parametrize("text", ["", "😀😀", "<b>hola</b>", "'; DROP TABLE attention_requests; --",
                                  "x" * 5000])
async def test_odd_messages_while_open_lose_nothing(
        core: ConversationCore, db_engine: Engine, text: str) -> None:
    await open_request(core)
    turn = await say(core, text)
    assert turn.replies == [] or turn.replies[0].text  # a clear answer or the quiet queue
    assert service.open_request_id(SENDER, db_engine) is not None
