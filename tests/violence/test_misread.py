"""A long request the model read as the quick exit or a goodbye (bot/violence/misread.py)."""

from __future__ import annotations

import pytest

from bot.violence.misread import CENTRE_PAYLOAD, misread


@pytest.mark.parametrize("text", [
    "buenas, me urge la dirección de algún lugar donde apoyen a mujeres en texcoco, "
    "es que no conozco nada por acá",
    "oiga y hay unidas en chalco o me queda mas cerca la de ixtapaluca",
])
def test_a_place_of_help_asked_for_is_the_centre_finder(text: str) -> None:
    for intent in ("salida_rapida", "goodbye"):
        redo = misread(intent, text)
        assert redo is not None and redo.startswith(CENTRE_PAYLOAD)


def test_the_municipality_named_goes_along() -> None:
    redo = misread("salida_rapida",
                   "necesito la direccion de un centro de apoyo para mujeres en texcoco por favor")
    assert redo is not None and '"municipio"' in redo


def test_a_long_message_that_never_says_erase_is_not_the_quick_exit() -> None:
    text = ("fijese que el otro dia fui a preguntar a la presidencia y nadie me supo decir a que oficina "
            "ir con mis papeles")
    assert misread("salida_rapida", text) == ""


@pytest.mark.parametrize("text", [
    "borra todo", "alguien viene, borra todo rapido", "salida rapida",
    "ahi viene mi esposo, por favor borra esta conversacion ya que si la ve me va a ir muy mal",
    "oye como le hago para que no quede nada de esto en el telefono, lo usamos entre todos en la casa",
])
def test_the_quick_exit_said_in_so_many_words_stands(text: str) -> None:
    assert misread("salida_rapida", text) is None


@pytest.mark.parametrize(("intent", "text"), [
    ("goodbye", "gracias, hasta luego"), ("greet", "hola buenas tardes"), ("faq", "que es el stl"),
])
def test_other_readings_stand(intent: str, text: str) -> None:
    assert misread(intent, text) is None


def test_a_long_question_read_as_a_goodbye_is_not_said_goodbye() -> None:
    text = ("anoche se oyeron golpes y gritos en el depa de al lado y hoy todo como si nada, "
            "¿qué puedo hacer sin meterme en problemas?")
    assert misread("goodbye", text) == ""
    said = "muchas gracias por todo, ya me voy, ¿mañana sigo con lo de mi solicitud?"
    assert misread("goodbye", said) is None
