"""The requests wired in issue 14, said in plain words, through the core and the real Rasa.

Subscriptions, privacy and pedir_datos (the drafted information request) are answered by
the core's own dialogues once Rasa recognises the words; hablar_persona by Rasa outside Telegram
(in Telegram, by the attention dialogue: bot/attention/). The messages are ours, not the
evaluation's.
"""

from __future__ import annotations

import uuid

import pytest

from bot.campaigns import subscriptions as subs
from bot.conversation.core import ConversationCore
from bot.conversation.replies import Turn
from bot.privacy.dialogue import notice_reply

pytestmark = pytest.mark.integration


def telegram_sender() -> str:
    return f"tg-{7_100_000_000 + uuid.uuid4().int % 99_999_999}"


def text(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)


@pytest.mark.parametrize(
    ("message", "topic"),
    [("me gustaria que me avisen cuando haya convocatorias nuevas", "Convocatorias y eventos"),
     ("anotame para las noticias porfa", None)],
)
async def test_subscribe_in_plain_words(core: ConversationCore, message: str, topic: str | None) -> None:
    on_telegram = await core.handle(telegram_sender(), message, channel="telegram")
    if topic is None:
        assert on_telegram.intent == "suscribir"
        assert text(on_telegram).startswith(subs.subscription_content().message("intro"))
    else:  # the topic she named: straight to its notice
        assert on_telegram.intent == "suscribir_aviso"
        assert text(on_telegram).startswith(f"Para mandarte noticias de «{topic}» necesito tu permiso.")
    in_terminal = await core.handle(f"it-sub-{uuid.uuid4().hex[:6]}", message)
    assert in_terminal.intent == "suscribir_fuera_de_telegram"
    assert "solo llegan por Telegram" in text(in_terminal) and "/suscribir" in text(in_terminal)


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
    # core.handle's channel is the terminal: its notice names no «este chat» (walk8)
    assert [r.text for r in turn.replies] == [r.text for r in notice_reply("terminal")]
    assert "este chat" not in text(turn)


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
    "message", ["puedo hablar con alguien de carne y hueso", "pasame con un asesor humano"]
)
async def test_on_telegram_asking_for_a_person_opens_the_attention_request(
        core: ConversationCore, message: str) -> None:
    """Issue 19: Rasa recognises the words, the core's attention dialogue answers (the notice)."""
    turn = await core.handle(telegram_sender(), message, channel="telegram")
    assert turn.intent == "atencion_aviso"
    assert "Aviso de privacidad" in text(turn) and "Secretariado Técnico Local (STL)" in text(turn)
    assert [b.payload for b in turn.replies[0].buttons] == ["/atencion_acepto", "/atencion_no"]


@pytest.mark.parametrize(
    ("message", "first_line"),
    [("cuanto gana el tesorero municipal de tecamac",
      "A la Unidad de Transparencia del Ayuntamiento de Tecámac:"),
     ("oye cuanto gana un diputado local",
      "A la Unidad de Transparencia del Poder Legislativo")],
)
async def test_data_the_bot_does_not_hold_gets_a_drafted_request(
    core: ConversationCore, message: str, first_line: str
) -> None:
    turn = await core.handle(f"it-datos-{uuid.uuid4().hex[:6]}", message)
    # Understood by the model or handed over by the unsure path (actions/unsure.py): either way
    # the turn is a data request, so the information-request flow behind it is reached.
    assert turn.intent == "pedir_datos"
    assert text(turn).startswith("Ese dato no lo tengo.")
    assert turn.replies[1].text.startswith(first_line)
    assert "Dónde presentarla:" in text(turn) and "Fuentes: https://" in text(turn)


async def test_a_data_question_without_a_body_asks_for_it_and_a_typed_answer_drafts(
    core: ConversationCore,
) -> None:
    sender = f"it-datos-{uuid.uuid4().hex[:6]}"
    turn = await core.handle(sender, "cuanto gasto el ayuntamiento en el alumbrado navideño")
    assert turn.intent == "pedir_datos" or "¿A qué institución" in text(turn)
    assert "¿A qué institución" in text(turn)
    turn = await core.handle(sender, "izcalli")
    assert turn.intent == "solicitud_borrador"
    assert "del Ayuntamiento de Cuautitlán Izcalli" in turn.replies[1].text
