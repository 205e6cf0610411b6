"""prop12: «¿qué es esto?, ¿cómo se usa?» gets what Participa is and the menu; a bare thanks the
thanks; neither ever reaches the model's guess."""

from __future__ import annotations

import pytest

from bot.content.chat import chat_content
from bot.conversation.core import ConversationCore
from bot.conversation.first_contact import asks_what_this_is, only_thanks
from bot.conversation.rasa_client import RasaResult


class _Rasa:
    """Stands for a model that guesses an FAQ for everything; records what it is sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None) -> RasaResult:
        self.sent.append(text)
        return RasaResult(messages=[{"text": "No estoy segura de haber entendido."}],
                          intent="faq", confidence=0.4)


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize("text", [
    "oiga y esto para que sirve? me lo paso mi nuera",
    "hola mi nieto me instalo esto, como se usa",
    "no le entiendo a este chat, como se usa",
    "me pasaron el link en la junta de padres, de qué se trata?",
])
async def test_what_is_this_gets_who_we_are_and_the_menu(text: str) -> None:
    rasa = _Rasa()
    core = ConversationCore(rasa, record_usage=False)  # type: ignore[arg-type]
    turn = await core.handle("u-first", text, channel="terminal")
    assert turn.intent == "help"
    assert turn.replies[0].text.startswith("Participa es un asistente automático")
    assert turn.replies[-1].text == chat_content().menu.text
    assert turn.replies[-1].buttons, "the menu's buttons"
    assert rasa.sent == []


@pytest.mark.usefixtures("app_db")
async def test_a_bare_thanks_gets_the_thanks() -> None:
    rasa = _Rasa()
    core = ConversationCore(rasa, record_usage=False)  # type: ignore[arg-type]
    turn = await core.handle("u-thx", "grasias!! super bien explicado jaja", channel="terminal")
    assert turn.intent == "thanks"
    assert turn.replies[0].text.startswith("¡Con gusto!")
    assert rasa.sent == []


@pytest.mark.parametrize("text", [
    "que es esto del gobierno abierto", "como funciona esto de las propuestas", "para que sirve el STL",
    "no hay agua en mi colonia, que hago", "mi esposo me puso una golpiza que hago",
    "me pasaron el link, ¿cómo pido información al municipio?",
    "¿cómo le hago para que me lleguen sus avisos? mi nieta me instaló esto y no sé",
])
def test_a_question_about_a_topic_is_no_first_contact(text: str) -> None:
    assert not asks_what_this_is(text)


@pytest.mark.parametrize("text", [
    "gracias pero como pido informacion", "gracias, otra cosa: que es el stl", "gracias?",
    "gracias por nada, no sirves", "gracias, hay basura en mi calle",
])
def test_a_thanks_with_something_more_is_no_bare_thanks(text: str) -> None:
    assert not only_thanks(text)
