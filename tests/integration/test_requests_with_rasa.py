"""The requests wired in issue 14, said in plain words, through the core and the real Rasa.

Subscriptions and privacy are answered by the core's own dialogues once Rasa recognises the
words; pedir_datos and hablar_persona by Rasa. The messages are ours, not the evaluation's.
"""

from __future__ import annotations

import uuid

import pytest

from bot.campaigns import subscriptions as subs
from bot.content.faq import faq_catalog
from bot.conversation.core import ConversationCore
from bot.conversation.replies import Turn
from bot.privacy.dialogue import notice_reply

pytestmark = pytest.mark.integration


def telegram_sender() -> str:
    return f"tg-{7_100_000_000 + uuid.uuid4().int % 99_999_999}"


def text(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)


@pytest.mark.parametrize(
    "message",
    ["me gustaria que me avisen cuando haya convocatorias nuevas", "anotame para las noticias porfa"],
)
async def test_subscribe_in_plain_words(core: ConversationCore, message: str) -> None:
    on_telegram = await core.handle(telegram_sender(), message, channel="telegram")
    assert on_telegram.intent == "suscribir"
    assert text(on_telegram).startswith(subs.subscription_content().message("intro"))
    in_terminal = await core.handle(f"it-sub-{uuid.uuid4().hex[:6]}", message)
    assert in_terminal.intent == "suscribir_fuera_de_telegram"
    assert "Búscame ahí y escribe /suscribir" in text(in_terminal)


@pytest.mark.parametrize(
    "message", ["ya no quiero que me lleguen sus avisos", "sacame de la lista de noticias"]
)
async def test_unsubscribe_in_plain_words(core: ConversationCore, message: str) -> None:
    on_telegram = await core.handle(telegram_sender(), message, channel="telegram")
    assert on_telegram.intent == "baja_sin_suscripcion"
    in_terminal = await core.handle(f"it-baja-{uuid.uuid4().hex[:6]}", message)
    assert in_terminal.intent == "baja_fuera_de_telegram"
    assert "no hay nada que dar de baja" in text(in_terminal)


@pytest.mark.parametrize(
    "message", ["me pasas el aviso de privacidad completo", "donde leo su politica de privacidad"]
)
async def test_privacy_notice_in_plain_words(core: ConversationCore, message: str) -> None:
    turn = await core.handle(f"it-priv-{uuid.uuid4().hex[:6]}", message)
    assert turn.intent == "privacidad"
    assert [r.text for r in turn.replies] == [r.text for r in notice_reply()]


@pytest.mark.parametrize(
    "message", ["que datos mios tienen guardados", "enseñame lo que sabes de mi"]
)
async def test_my_data_in_plain_words(core: ConversationCore, message: str) -> None:
    turn = await core.handle(f"it-mis-{uuid.uuid4().hex[:6]}", message)
    assert turn.intent == "mis_datos"


@pytest.mark.parametrize(
    "message", ["quiero que desaparezcan mis datos de su sistema", "borren toda mi informacion personal"]
)
async def test_erase_my_data_asks_for_confirmation(core: ConversationCore, message: str) -> None:
    turn = await core.handle(f"it-borrar-{uuid.uuid4().hex[:6]}", message)
    assert turn.intent == "borrar"
    assert any(b.payload.startswith("/borrar_si") for r in turn.replies for b in r.buttons)


@pytest.mark.parametrize(
    "message", ["puedo hablar con alguien de carne y hueso", "pasame con un asesor humano"]
)
async def test_a_person_gets_an_honest_reply(core: ConversationCore, message: str) -> None:
    turn = await core.handle(f"it-humano-{uuid.uuid4().hex[:6]}", message)
    assert turn.intent == "hablar_persona"
    assert text(turn).startswith("Aquí no te atiende una persona")
    assert "911" in text(turn)


@pytest.mark.parametrize(
    "message",
    ["cuanto gana el tesorero municipal de tecamac", "cuanto gasto el ayuntamiento en el alumbrado navideño"],
)
async def test_data_the_bot_does_not_hold(core: ConversationCore, message: str) -> None:
    turn = await core.handle(f"it-datos-{uuid.uuid4().hex[:6]}", message)
    # Understood by the model or handed over by the unsure path (actions/unsure.py): either way
    # the turn is a data request, so the information-request flow behind it is reached.
    assert turn.intent == "pedir_datos"
    assert text(turn).startswith("Ese dato no lo tengo.")
    assert faq_catalog().by_id()["como_pedir_informacion"].answer.strip() in text(turn)
    assert turn.replies[0].buttons[0].payload == '/elegir_tema{"tema":"como_pedir_informacion"}'
