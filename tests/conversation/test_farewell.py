"""prop11: thanks with a goodbye is the goodbye; «X q hace?» is read as «¿qué hace X?»."""

from __future__ import annotations

import pytest

from bot.conversation.core import ConversationCore
from bot.conversation.farewell import thanks_and_goodbye
from bot.conversation.rasa_client import RasaResult
from bot.textnorm import what_first


class _Rasa:
    """Stands for a model that takes everything for «thanks»; records what it is sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None) -> RasaResult:
        self.sent.append(text)
        return RasaResult(messages=[{"text": "¡Con gusto! Si tienes otra duda, escríbeme"}],
                          intent="thanks", confidence=0.6)


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize("text", [
    "va, mil gracias, muy amable, nos vemos mañana",
    "le agradezco mucho señorita ya entendí lo del trámite del predial, mañana temprano voy, "
    "que tenga bonita tarde",
])
async def test_thanks_with_a_goodbye_gets_the_goodbye(text: str) -> None:
    rasa = _Rasa()
    core = ConversationCore(rasa, record_usage=False)  # type: ignore[arg-type]
    turn = await core.handle("u-bye", text, channel="terminal")
    assert turn.intent == "goodbye"
    assert turn.replies[0].text.startswith("¡Hasta pronto!")
    assert rasa.sent == [], "answered without a guess"


@pytest.mark.parametrize("text", ["gracias", "adiós", "gracias, hasta luego, pero ¿dónde queda la oficina?",
                                  "gracias nos vemos, una duda más: cuánto cuesta"])
def test_a_thanks_alone_or_a_question_is_no_goodbye(text: str) -> None:
    assert not thanks_and_goodbye(text)


@pytest.mark.parametrize(("typed", "read"), [
    ("el STL q hace?", "¿qué hace el STL?"),
    ("y la PNT k es", "¿qué es la PNT?"),
    ("las hojas de ruta que son??", "¿qué son las hojas de ruta?"),
    ("IPOMEX q hace", "¿qué hace IPOMEX?"),
])
def test_a_question_asked_backwards_is_read_forwards(typed: str, read: str) -> None:
    assert what_first(typed) == read


@pytest.mark.parametrize("typed", ["mi hijo no sabe q hace", "hola que hace", "el que hace la basura"])
def test_other_sentences_stay_as_typed(typed: str) -> None:
    assert what_first(typed) == typed


@pytest.mark.usefixtures("app_db")
async def test_rasa_reads_the_question_forwards() -> None:
    rasa = _Rasa()
    core = ConversationCore(rasa, record_usage=False)  # type: ignore[arg-type]
    await core.handle("u-backwards", "el comité de participación ciudadana q hace?", channel="terminal")
    assert rasa.sent == ["¿qué hace el comité de participación ciudadana?"]
