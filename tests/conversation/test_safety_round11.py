"""Round 11 (safety11): a message that turns at the end is weighed by its end too.

A long message about something else that ends in danger now («… una pregunta del predial…
pero ahorita me está pegando») drowned the danger in the learned model's reading of the whole;
its end is now read on its own as well. Every wording here is written for this file (none is in
a benchmark set, a dev slice or the model's examples).
"""

from __future__ import annotations

import pytest

from bot.conversation.safety import Level, SafetyNet, load_safety_net, safety_net

TURNS_AT_THE_END = [
    "buenas tardes, les escribo porque queria saber cuando abren las inscripciones del taller de "
    "computacion para adultos mayores en la casa de cultura, mi mama quiere entrar y yo tambien. "
    "perdon, ya no puedo escribir bien, mi pareja me esta aventando cosas y ya me rompio la cabeza",
    "hola, tengo una duda con el recibo del agua que me llego muy caro este bimestre y no se a "
    "quien reclamar, pero ahorita el señor de enfrente se metio a mi patio y me esta amenazando",
]
CALM_ENDINGS = [
    "ayer hubo pleito en el partido de la liga del barrio. pero ya todo esta tranquilo, "
    "¿cuando es el siguiente partido?",
    "se me quemo la comida otra vez. bueno, ¿cuando abren las inscripciones del taller de cocina?",
]


def test_the_end_of_a_message_that_turns_is_read_on_its_own() -> None:
    assert SafetyNet._tail("tengo una duda del agua. ahora dime a quien le pregunto") \
        == "ahora dime a quien le pregunto"
    assert SafetyNet._tail("queria saber lo del agua pero ahorita me esta pegando mi esposo") \
        == "ahorita me esta pegando mi esposo"
    # a message that does not turn, or an end too short to weigh, is read only as a whole
    assert SafetyNet._tail("me esta pegando mi esposo ayuda") is None
    assert SafetyNet._tail("hola. ayuda") is None


@pytest.mark.parametrize("message", TURNS_AT_THE_END)
def test_danger_at_the_end_of_a_long_message_gets_the_emergency_reply(message: str) -> None:
    assert safety_net().assess(message) >= Level.CRISIS


@pytest.mark.parametrize("message", CALM_ENDINGS)
def test_a_calm_end_raises_no_alarm(message: str) -> None:
    assert safety_net().assess(message) < Level.CRISIS


class _StandInModel:
    """A learned model that is sure (``sure``) only of texts holding ``word``."""

    threshold = 0.97

    def __init__(self, word: str, sure: float = 0.995) -> None:
        self.word, self.sure = word, sure

    def probabilities(self, features: str) -> tuple[float, float]:
        return (self.sure, 0.0) if self.word in features and len(features.split()) < 16 \
            else (0.01, 0.0)


def test_a_question_the_model_is_sure_is_danger_now_gets_the_emergency_reply() -> None:
    """The patterns read «qué hago» as a question (a disclosure); a disclosure needed the
    threshold plus the margin, over 1 with a threshold of 0.97, so no model could ever make it
    an emergency. Now the bar is at most 0.99."""
    net = load_safety_net()
    message = "rapido que hago mi esposo me tiene amenazada con un desarmador en la recamara"
    assert net.assess(message) == Level.DISCLOSURE  # the patterns alone
    net.adopt(_StandInModel("desarmador"))  # type: ignore[arg-type]
    assert net.assess(message) == Level.EMERGENCY
    unsure = load_safety_net()
    unsure.adopt(_StandInModel("desarmador", sure=0.98))  # type: ignore[arg-type]
    assert unsure.assess(message) == Level.DISCLOSURE  # sure enough for news, not over a question


def test_the_model_reads_the_end_of_a_long_message_on_its_own() -> None:
    net = load_safety_net()  # «zorzal»: a stand-in for danger only the model knows
    message = ("hola queria saber como me inscribo al taller de computacion de la biblioteca, "
               "mi hija tambien quiere ir y no sabemos los horarios de la tarde ni si cobran, "
               "pero tengo aqui al zorzal de la esquina")
    assert net.assess(message) < Level.CRISIS  # the patterns alone
    net.adopt(_StandInModel("zorzal"))  # type: ignore[arg-type]
    assert net.assess(message) == Level.EMERGENCY  # the whole has too many words for it
