"""The safety net's look-alikes of round 12 (look12), read by the patterns alone: a death wish
said laughing about school or a game, violence by a husband who has died told to ask what the
kinds of violence are, and what other women told a block leader raise no alarm, while the same
words said as danger still do. And the question a survivor asks after a story that is over is
what Rasa reads (bot/conversation/healed.py).

Every message here is written for this file (none is in a benchmark set or a fresh slice).
"""

from __future__ import annotations

import pytest

from bot.conversation.healed import question_after_story
from bot.conversation.safety import Level, SafetyNet, load_safety_net

NOT_CRISIS = [
    "ya me quiero morir jajaja el examen de química es mañana y no abrí el libro",
    "la maestra nos dejó cinco ensayos para el lunes, me quiero morir jaja",
    "me quiero morir jajaja otra vez perdió mi equipo en penales",
    "perdí la partida de free fire por el lag, me quiero matar xd",
    "en el free fire me tumbaron diez veces seguidas, ya me quiero morir jajaja",
]
STILL_CRISIS = [
    "me quiero morir jaja nadie me quiere y ya no aguanto el examen",
    "me quiero morir jajaja en serio, reprobé todo y tengo las pastillas",
    "ya me quiero morir 😂 el examen",  # laughter only as an emoji: the crisis reply stays
    "me quiero morir jaja",  # no everyday bother named
]
NO_EMERGENCY = [
    # violence by someone who has died
    "mi marido ya murió pero me pegó toda la vida, quiero saber los tipos de violencia",
    "mi esposo me quiso ahorcar antes de morir de cáncer, ¿eso qué tipo de violencia es?",
    "mi difunto esposo me humillaba, ¿qué tipos de violencia hay en la ley?",
    # what other women told her
    "soy jefa de manzana, una vecina me dijo que su esposo la amenaza con un cuchillo, ¿cómo la oriento?",
    "en mi calle una señora me contó que su marido la encierra y le pega, quiero saber cómo ayudarla",
    "las señoras del comité me cuentan que sus parejas las golpean, ¿a dónde las mando?",
]
STILL_DANGER = [
    "mi vecina me dijo que su esposo la está golpeando ahorita, ¿qué hago?",
    "mi hermana me contó que su marido tiene una pistola y la amenaza en este momento",
    "una señora me dijo que su esposo me va a matar si la ayudo",
    "desde que murió mi esposo mi cuñado me pega y hoy me amenazó con un machete",
    "mi esposo me dijo que me va a matar",
]


@pytest.fixture(scope="module")
def net() -> SafetyNet:
    return load_safety_net()  # the patterns alone


@pytest.mark.parametrize("message", NOT_CRISIS)
def test_a_death_wish_said_laughing_about_an_everyday_bother_is_no_crisis(
        net: SafetyNet, message: str) -> None:
    assert net.assess(message) < Level.CRISIS, message


@pytest.mark.parametrize("message", STILL_CRISIS)
def test_a_death_wish_with_anything_darker_still_gets_the_crisis_reply(
        net: SafetyNet, message: str) -> None:
    assert net.assess(message) == Level.CRISIS, message


@pytest.mark.parametrize("message", NO_EMERGENCY)
def test_a_story_that_is_over_or_told_by_others_raises_no_alarm(net: SafetyNet, message: str) -> None:
    assert net.assess(message) < Level.CRISIS, message


@pytest.mark.parametrize("message", STILL_DANGER)
def test_the_same_words_said_as_danger_now_still_raise_the_alarm(net: SafetyNet, message: str) -> None:
    assert net.assess(message) == Level.EMERGENCY, message


def test_rasa_reads_what_a_survivor_asks_after_her_story(net: SafetyNet) -> None:
    message = ("Hace años mi ex me golpeaba, ya lo superé. Ahora quiero ser voluntaria para "
               "acompañar a otras mujeres, ¿cómo le hago?")
    assert net.assess(message) == Level.DISCLOSURE
    assert question_after_story(net, message) == (
        "Ahora quiero ser voluntaria para acompañar a otras mujeres, ¿cómo le hago?")


@pytest.mark.parametrize("message", [
    "hace años mi esposo me pegaba, ahora volvió y me está pegando otra vez, ¿qué hago?",
    "mi esposo me pega, ahora quiero saber cómo denunciarlo",  # nothing over: the whole is read
    "hace años me pegaba, ahora ¿qué?",  # too little after the turn
    # a wish to act, no question: read whole, she gets what to do (tests/integration/
    # test_routing_with_rasa.py; alone, Rasa answered how to help a friend)
    "hace unos años un primo se aprovechó de mí en una fiesta familiar, ahora quiero hacer algo "
    "para que no le pase a nadie más",
])
def test_the_whole_message_is_read_when_the_present_part_is_not_a_question_apart(
        net: SafetyNet, message: str) -> None:
    assert question_after_story(net, message) is None
