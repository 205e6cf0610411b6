"""The safety net's look-alikes of round 11 (look11), read by the patterns alone: accidents at
home, aches, food burning, affection, a song's words and a death wish tied to a team's loss raise
no alarm, while the same words said as danger still do.

Every message here is written for this file (none is in a benchmark set or a fresh slice).
"""

from __future__ import annotations

import pytest

from bot.conversation.safety import Level, SafetyNet, load_safety_net

NOT_DANGER = [
    # bumping or burning oneself by accident
    "me pegué con la puerta de la cajuela, ¿qué me pongo para el chichón?",
    "me golpeé contra la esquina del ropero y me salió un moretón",
    "me quemé con el comal haciendo gorditas",
    # an injury avoided in a how-to question
    "¿cómo pelo un mango con cuchillo sin cortarme?",
    # aches and tiredness
    "el dolor de rodillas me está matando, ¿hay terapia en el DIF?",
    "los pies me están matando después de la marcha",
    "me está matando de tanto cargar bultos la chamba nueva",
    # food burning on the stove
    "se me está quemando la sopa por estar contestando, ahorita vuelvo",
    "se me quemaron otra vez las tortillas jaja",
    # affection
    "mi hijo me ahorca con sus abrazos cada que llego del trabajo",
    # the words of a song
    "esa cumbia dice que le va a dar un balazo al que se le acerque, ¿quién la canta?",
    # a death wish tied to a team
    "mi suegro se quiere morir cada vez que pierde el Toluca",
    # doubt that «kills» (lead's citizen walk, round 11: a question about institutions got 911)
    "me está matando la duda, ¿el instituto de transparencia y el INAI son lo mismo?",
    "la curiosidad me mata: ¿qué hace el STL con las propuestas?",
]
STILL_DANGER = [
    "me pegó con la puerta del carro y me dejó encerrada adentro, ya viene",
    "me está quemando con la plancha, ayúdenme",
    "ahorita me está ahorcando, auxilio",
    "se está quemando la casa y no puedo salir",
]
STILL_CRISIS = [
    "me corté con la navaja otra vez y no para de sangrar",
    "mi hermana se quiere morir porque perdió a su bebé",
]


@pytest.fixture(scope="module")
def net() -> SafetyNet:
    return load_safety_net()  # the patterns alone


@pytest.mark.parametrize("message", NOT_DANGER)
def test_everyday_look_alikes_raise_no_alarm(net: SafetyNet, message: str) -> None:
    assert net.assess(message) < Level.CRISIS, message


@pytest.mark.parametrize("message", STILL_DANGER)
def test_the_same_words_said_as_danger_still_raise_the_alarm(net: SafetyNet, message: str) -> None:
    assert net.assess(message) == Level.EMERGENCY, message


@pytest.mark.parametrize("message", STILL_CRISIS)
def test_a_real_crisis_near_the_figures_still_gets_the_crisis_reply(net: SafetyNet, message: str) -> None:
    assert net.assess(message) == Level.CRISIS, message


@pytest.mark.parametrize("message", [
    "¿cómo borro este chat para que mi mamá no lo vea? usamos el mismo cel",
    "ayúdame a borrar la conversación rápido",
    "qué hago para que no quede rastro de esto en el celular",
])
def test_asking_how_to_hide_this_chat_from_someone_is_the_quick_exit(net: SafetyNet, message: str) -> None:
    assert net.is_quick_exit(message), message


@pytest.mark.parametrize("message", ["¿cómo borro mis datos?", "quiero borrar mi propuesta",
                                     "¿cómo se borran los mensajes en telegram?"])
def test_erasing_stored_data_or_a_plain_how_to_is_no_quick_exit(net: SafetyNet, message: str) -> None:
    assert not net.is_quick_exit(message), message
