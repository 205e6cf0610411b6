"""Subscribing said in plain words (prop11): «dame de alta», «quiero recibir noticias de …»
open the subscription in the core, before Rasa (rasa=None here: a message that reached Rasa
would get the core's "problema técnico" notice)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bot.campaigns import subscriptions as subs
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaResult
from bot.conversation.replies import Turn

SENDER = "tg-5151"


@pytest.fixture
def core(db_engine: Engine) -> ConversationCore:
    return ConversationCore(None, record_usage=False, engine=db_engine)


async def say(core: ConversationCore, text: str, sender: str = SENDER, channel: str = "telegram") -> Turn:
    return await core.handle(sender, text, channel=channel)


@pytest.mark.parametrize("words", [
    "oigan denme de alta porfa",
    "kiero resivir sus avisos x telegram",
    "¿me podrían avisar cuando organicen un taller por mi colonia?",
    "quisiera que me lleguen novedades de lo que hace el STL",
    "anótenme en la lista, gracias",
    "avísenme cuando tengan resultados de mi propuesta",
])
async def test_plain_words_show_the_topics(core: ConversationCore, words: str) -> None:
    turn = await say(core, words)
    assert turn.intent == "suscribir"
    assert "noticias del programa de gobierno abierto" in turn.replies[0].text
    assert [b.title for b in turn.replies[0].buttons] == [t.title for t in subs.subscription_content().topics]


@pytest.mark.parametrize(("words", "topic"), [
    ("dame de alta pa los avisos de contratos", "Contrataciones públicas"),
    ("quiero recibir las alertas de violencia contra la mujer", "Violencia contra las mujeres"),
])
async def test_a_topic_named_goes_straight_to_its_notice(core: ConversationCore, words: str,
                                                          topic: str) -> None:
    turn = await say(core, words)
    assert "Aviso de privacidad simplificado" in turn.replies[0].text
    assert [b.title for b in turn.replies[0].buttons] == ["Sí, acepto", "No, gracias"]
    accepted = await say(core, turn.replies[0].buttons[0].payload)
    assert f"«{topic}»" in " ".join(r.text for r in accepted.replies) or topic in accepted.replies[0].text


@pytest.mark.parametrize("words", [
    "avísame cómo va P-2026-000123",
    "quiero darme de alta en el SAT",
    "quiero recibir la respuesta de mi solicitud",
    "mándame el aviso de privacidad",
])
def test_look_alikes_are_not_subscribing(words: str) -> None:
    assert not subs.is_subscribe_request(words)


async def test_the_terminal_says_honestly_where_news_arrive(core: ConversationCore) -> None:
    turn = await say(core, "dame de alta para las noticias", sender="term-9", channel="terminal")
    assert turn.intent == "suscribir_fuera_de_telegram"
    assert "solo llegan por Telegram" in turn.replies[0].text


async def test_unsubscribing_still_wins(core: ConversationCore) -> None:
    turn = await say(core, "ya no quiero recibir noticias")
    assert turn.intent in ("baja", "baja_sin_suscripcion")


async def test_during_the_interview_the_words_are_its_answer(
    core: ConversationCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interview's consent step talks about «avisos»: there the words are not a subscription."""
    async def in_interview(sender: str) -> bool:
        return True

    monkeypatch.setattr(core, "_in_interview", in_interview)
    turn = await say(core, "quiero recibir avisos por aqui")
    assert turn.intent != "suscribir"


class _SubscribeRasa:
    """Stands for a model that is sure the message asks to subscribe."""

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None) -> RasaResult:
        return RasaResult(messages=[{"text": "Escribe /menu para ver lo que puedo hacer."}],
                          intent="suscribir", confidence=0.9)


async def test_the_models_subscribe_on_words_that_say_stop_is_an_unsubscribe(db_engine: Engine) -> None:
    """«… que ya no me lleguen sus avisos, es que mi pareja revisa el cel» read as «subscribe»
    (the opposite) showed the topics to subscribe to."""
    core = ConversationCore(_SubscribeRasa(), record_usage=False, engine=db_engine)  # type: ignore[arg-type]
    turn = await say(core, "oye qué hago para que ya no me lleguen sus avisos, es que mi pareja "
                           "revisa el cel")
    assert turn.intent in ("baja", "baja_sin_suscripcion")
    assert "noticias del programa de gobierno abierto" not in turn.replies[0].text
    wanted = await say(core, "me late lo que hacen, cómo sigo enterada de sus talleres y eso")
    assert wanted.intent == "suscribir"


@pytest.mark.parametrize("words", ["unsubscribe, ya son demasiados mensajes",
                                   "mi tío quiere que le manden los avisos a este chat"])
def test_more_plain_words(words: str) -> None:
    content = subs.subscription_content()
    assert content.is_unsubscribe(words) or content.is_subscribe(words)
