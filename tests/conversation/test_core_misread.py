"""A request the model misread as the quick exit or a goodbye, and a thought of suicide told
calmly: what the core does with them (bot/violence/misread.py, bot/violence/crisis_talk.py)."""

from __future__ import annotations

import pytest

from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient, RasaResult
from bot.rasa.servers import free_port

QUICK_EXIT = "Listo. Quito de este chat los mensajes que te mandé."


class _MisreadingRasa(RasaClient):
    """A Rasa sure that every typed message is ``intent``; a payload gets its own intent."""

    def __init__(self, intent: str) -> None:
        super().__init__(f"http://127.0.0.1:{free_port()}", timeout=2.0)
        self.intent = intent
        self.sent: list[str] = []

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None
                   ) -> RasaResult:
        self.sent.append(text)
        if text.startswith("/buscar_centro"):
            return RasaResult(messages=[{"text": "Estos son los centros más cercanos."}],
                              intent="buscar_centro", confidence=1.0)
        reply = QUICK_EXIT if self.intent == "salida_rapida" else "¡Hasta pronto!"
        return RasaResult(messages=[{"text": reply}], intent=self.intent, confidence=0.97)


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize("intent", ["salida_rapida", "goodbye"])
async def test_a_place_of_help_read_as_a_one_word_intent_gets_the_centres(intent: str) -> None:
    rasa = _MisreadingRasa(intent)
    core = ConversationCore(rasa, record_usage=False)
    turn = await core.handle("u-mis1", "buenas noches necesito la direccion de un lugar de apoyo para "
                                       "mujeres en texcoco que me quede cerca porque no tengo para pasajes")
    await rasa.aclose()
    assert turn.intent == "buscar_centro"
    assert turn.replies[0].text == "Estos son los centros más cercanos."
    assert rasa.sent[-1].startswith('/buscar_centro{"municipio":')


@pytest.mark.usefixtures("app_db")
async def test_a_long_message_never_asking_for_the_quick_exit_is_not_erased() -> None:
    rasa = _MisreadingRasa("salida_rapida")
    core = ConversationCore(rasa, record_usage=False)
    turn = await core.handle("u-mis2", "fijese que fui a la presidencia a preguntar y nadie me supo "
                                       "decir a que oficina tenia que ir con mis papeles")
    said = await core.handle("u-mis3", "borra todo")
    await rasa.aclose()
    assert QUICK_EXIT not in turn.replies[0].text and "No estoy segura" in turn.replies[0].text
    assert said.intent == "salida_rapida"


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize(("text", "alarm"), [
    # giving his things away is a warning sign the net itself reads since round 12 (safety12)
    ("mi primo anda diciendo que preferiria estar muerto y ya regalo sus cosas, que hago", True),
    ("no quiero seguir con mi vida, lo he pensado mucho estas semanas", False),
])
async def test_a_thought_of_suicide_told_calmly_gets_the_crisis_line_first(text: str, alarm: bool) -> None:
    rasa = _MisreadingRasa("goodbye")
    core = ConversationCore(rasa, record_usage=False)
    turn = await core.handle("u-mis4", text)
    await rasa.aclose()
    assert turn.intent == "crisis" and turn.emergency is alarm  # the line; the alarm only if the net
    assert "800 911 2000" in turn.replies[0].text
    assert rasa.sent == []
