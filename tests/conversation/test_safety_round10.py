"""The safety net's patterns for the kinds of round 10 (batch 10 and dev slices a-i), read alone
(no learned model): danger said without the usual words raises the alarm, its look-alikes do not.

Every message here is written for this file (none is in a benchmark set or a fresh slice).
"""

from __future__ import annotations

import pytest

from bot.conversation.safety import Level, SafetyNet, load_safety_net

DANGER = [
    # someone unconscious, gas and fainting
    "mi tía está tirada en la cocina y no responde, él se fue corriendo",
    "se siente mucho gas en la escalera y la señora del 3 se desmayó",
    # a location sent crying, no answer; a veiled threat
    "mi sobrina me mandó su ubicación gritando y ya no contesta",
    "mi hija no aparece desde ayer y su novio me escribió que ya la arregló",
    "me dijo que al rato me va a enseñar lo que es bueno, tengo miedo",
    # groped now, intruders, hiding, a door thrown down
    "en el camión un señor está manoseando a una niña y nadie dice nada",
    "se metieron tres tipos a mi casa por la azotea",
    "estoy debajo de la cama con mi hermanito, oigo que rompen cosas",
    "tumbó la puerta del cuarto y ya está adentro",
    "dice que no salgo de aquí hasta que me muera",
    # a driver off the route; a restraining order broken
    "el taxista cerró las puertas y se fue por un camino que no conozco",
    "tiene orden de restricción y ahorita está parado afuera de la reja",
    # Spanglish
    "there's a guy con un knife afuera de mi puerta",
    # a murder-suicide threat while driving
    "va a toda velocidad diciendo que nos vamos a morir los dos",
]
CRISIS = [
    "son 25 pastillas de mi tío, ya me tomé casi todas",
    "estoy del lado de afuera del barandal del puente peatonal",
    "mañana ya no voy a despertar, ya lo tengo todo planeado",
    "nadie se va a dar cuenta cuando ya no esté",
    "adiós a todos, perdón por todo",
    "ya le dejé mi gato a mi prima y mis libros a mi hermano, gracias por todo",
    "escribí cartas para todos, no quiero que me busquen",
    "hoy lo termino todo, ya tengo la soga",
    "mi hermano se encerró en el cuarto con unas navajas",
    "a veces pienso en aventarme al metro cuando voy a la escuela",
    "mi compañera está regalando sus cosas y dice que ya no quiere seguir",
]
NOT_DANGER = [
    "nos agarramos a golpes jugando futbol con los primos jaja",
    "en el partido de ayer se agarraron a golpes las porras",
    "mi esposo me va a secuestrar el domingo para una cena sorpresa",
    "me secuestró mi abuela toda la tarde para pelar chícharos jaja",
    "ya me quiero morir de tanto papeleo",
    "hace años quise quitarme la vida, ahora estoy bien y quiero ayudar a otros, ¿cómo?",
    "se me volvió a quemar la sopa, ¿tienen recetas fáciles?",
    "quiero dejarlo pero no tengo a dónde ir con mis hijos, ¿existen refugios?",
    "mi prima me encerró en el baño de broma, ya me abrió",
    "no quiero vivir así con él, me grita todo el día, ¿qué hago?",
    "help con mi solicitud por favor",
    "ya no me manden nada x favor",
    "mi mamá me va a enseñar lo que es bueno si repruebo el examen",
    "ya le dejé mi ropa a mi hermana porque me mudo a Querétaro, gracias por todo",
]


@pytest.fixture(scope="module")
def net() -> SafetyNet:
    return load_safety_net()  # the patterns alone


@pytest.mark.parametrize("message", DANGER)
def test_danger_said_without_the_usual_words_raises_the_alarm(net: SafetyNet, message: str) -> None:
    assert net.assess(message) == Level.EMERGENCY, message


@pytest.mark.parametrize("message", CRISIS)
def test_a_suicidal_crisis_said_indirectly_gets_the_crisis_reply(net: SafetyNet, message: str) -> None:
    assert net.assess(message) == Level.CRISIS, message


@pytest.mark.parametrize("message", NOT_DANGER)
def test_look_alikes_raise_no_alarm(net: SafetyNet, message: str) -> None:
    assert net.assess(message) < Level.CRISIS, message


def test_a_bare_help_asks_whether_she_is_in_danger_now(net: SafetyNet) -> None:
    level = net.assess("sos")
    assert level == Level.EMERGENCY
    assert net.reply_for(level, "sos").text == net.check_in.reply().text  # type: ignore[union-attr]


def test_someone_else_giving_things_away_gets_how_to_help_them(net: SafetyNet) -> None:
    message = "mi amigo regaló su bici y su guitarra y dice que es una carga para todos"
    assert net.assess(message) == Level.CRISIS
    assert net.reply_for(Level.CRISIS, message).text == net.crisis_other.reply().text  # type: ignore[union-attr]
