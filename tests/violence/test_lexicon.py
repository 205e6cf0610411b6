"""bot/violence/lexicon.py: which messages are clearly about violence against a woman."""

from __future__ import annotations

import pytest

from bot.violence.lexicon import clearly_violence


@pytest.mark.parametrize(
    "message",
    [
        "estuve casada doce años y el me insultaba y me humillaba enfrente de mis hijos, ya me sali",
        "oigan y los colores del violentometro que significan",
        "que es la violencia vicaria",
        "mi pareja me revisa el celular y no me deja ver a mi familia",
        "a mi prima su novio la cela de todo",
        "le di una cachetada a mi novia",
        "que hace la puerta violeta",
        "el 911 sirve para la violencia familiar?",
        # round 10: control, a pension taken, a neighbour hurt, told without the word violence
        "mi novio me sela hasta de mis compañeros del trabajo",
        "mi esposo me revisa mi cel cada noche",
        "el novio de mi sobrina le pide todas sus contraseñas",
        "mi novio se enoja si no le comparto mi ubicación",
        "el novio no la deja ver a su familia",
        "mi nieto se queda con mi pensión y no me deja salir",
        "la vecina de arriba anda golpeada seguido",
        "escuché a la vecina gritar toda la noche",
        "me dijo que si no eres mía no eres de nadie",
    ],
)
def test_violence_named_or_told_is_clear(message: str) -> None:
    assert clearly_violence(message)


@pytest.mark.parametrize(
    "message",
    [
        "cuanto gasto el gobierno en la alerta de genero",  # spending: another subject
        "quiero hacer una propuesta contra el acoso callejero en la parada",  # a proposal
        "contratos de la fiscalia para los centros de justicia para mujeres",  # contracts
        "se me pego la cancion del comercial",  # a figure of speech
        "cuanto tarda la respuesta a una solicitud de informacion",
        "las combis van a mil por la avenida",
        "mi hijo me pide dinero para la escuela",
        "los vecinos se pelean por el lugar de estacionamiento",
        "el señor de la tienda no me deja ver los precios",
        "mi mamá me revisa la tarea",
    ],
)
def test_other_subjects_and_figures_of_speech_are_left_to_the_model(message: str) -> None:
    assert not clearly_violence(message)


@pytest.mark.parametrize(
    "message",
    ["la empresa me amenaza con despedirme", "me acosan los cobradores del banco",
     "busco un refugio temporal para las familias de la inundacion"],
)
def test_threats_or_shelters_of_other_kinds_are_not_taken_for_violence(message: str) -> None:
    assert not clearly_violence(message)


@pytest.mark.parametrize(
    "message",
    [
        "mi señor no me deja trabajar ni ver a mis hermanas",  # control
        "mi pareja me quita el dinero de la quincena",  # money taken
        "desde que nos casamos mi marido me trata muy mal",
        "mi comadre vive violencia desde hace años",  # another woman lives it
        "cuando tenia 12 un vecino me hizo cosas y nunca lo dije",  # an assault told plainly
        "el que era mi jefe abuso de mi en la bodega",
        "su novio la obligo a tener relaciones",
        "me dijo que si lo denuncio no vuelvo a ver a mis hijos",  # a threat through the children
        "el padrastro de mi amiga la tenia bien controlada",
        "en el depa de arriba se oyen golpes y la señora llora",  # blows heard, a woman named
        "q tipos de biolencia hay",  # spelt as it sounds
        "el supervisor nos toca a las compañeras y nadie dice nada",
    ],
)
def test_violence_told_without_the_usual_words_is_clear(message: str) -> None:
    assert clearly_violence(message)


@pytest.mark.parametrize(
    "message",
    ["la maestra me trata mal en la clase", "se oyen golpes en la obra de al lado desde temprano",
     "me toca ir al registro civil el lunes", "sigue dandole vueltas al tema del agua",
     "mi jefe no me deja salir temprano los viernes"],
)
def test_everyday_words_near_those_kinds_are_not_violence(message: str) -> None:
    assert not clearly_violence(message)
