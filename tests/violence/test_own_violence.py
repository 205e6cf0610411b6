"""A man who hurts his partner and asks for help to stop is told apart from a woman who is hurt."""

from __future__ import annotations

import pytest

from bot.violence.own_violence import misfits, wants_to_stop_own_violence


@pytest.mark.parametrize(
    "message",
    [
        "ya le he pegado a mi esposa tres veces cuando tomo, hay algun lugar donde me ayuden a cambiar",
        "soy hombre y en una pelea empuje a mi esposa, hay talleres para hombres en toluca?",
        "existen grupos pa hombres que se enojan feo y avientan cosas?",
        "le grito a mi novia por todo y ella dice que le doy miedo, a donde voy",
        "no quiero seguir siendo un golpeador como mi papá",
        "quiero dejar de humillar a mi mujer, quien me ayuda",
        "se me pasa la mano con mi pareja cuando me enojo y me arrepiento, necesito ayuda",
    ],
)
def test_his_own_violence_and_a_wish_to_stop_are_recognised(message: str) -> None:
    assert wants_to_stop_own_violence(message)


@pytest.mark.parametrize(
    "message",
    [
        "mi esposo me pega y no se a donde ir en toluca",
        "hay ayuda para hombres que sufren violencia de su esposa?",
        "el cjm atiende a hombres?",
        "mi papá le pegó a mi mamá anoche, ya se calmó, como la ayudo",
        "mi novio dice que soy controladora por preguntarle a donde va",
        "hay grupos de apoyo para mujeres en ecatepec",
    ],
)
def test_a_woman_who_is_hurt_or_a_plain_question_is_not_taken_for_him(message: str) -> None:
    assert not wants_to_stop_own_violence(message)


def test_her_own_story_does_not_fit_the_answers_about_someone_else() -> None:
    from bot.violence.own_violence import misfits

    assert misfits("mi esposo me grita diario, que hago") == {
        "hombres_violencia", "vecina_violencia", "ayudar_a_otra"}
    assert misfits("mi esposo me grita y mi hermana vive lo mismo") == {
        "hombres_violencia", "vecina_violencia"}
    assert misfits("la vecina de arriba llora cada noche") == {"hombres_violencia"}
    assert misfits("ya le pegue a mi esposa y me grita que me va a dejar, donde hay talleres") == {
        "vecina_violencia", "ayudar_a_otra"}


@pytest.mark.parametrize(
    "message",
    [
        "le di una cachetada a mi novia",
        "le grito a mi esposa y me arrepiento",
        "anoche le pegué a mi mujer, nunca lo había hecho",
        "le pego a mi esposa cuando tomo y no sé cómo parar",
        "me pongo bien agresivo con mi pareja",
    ],
)
def test_his_own_acts_told_without_a_question_are_his(message: str) -> None:
    """Only he can say these forms: told with his partner named, with remorse or not, they are his."""
    assert wants_to_stop_own_violence(message)


@pytest.mark.parametrize(
    "message",
    ["mi esposo le gritó a mi hija", "él le pegó a mi hermana", "mi novio le dio una cachetada a su ex"],
)
def test_someone_elses_acts_are_not_his(message: str) -> None:
    assert not wants_to_stop_own_violence(message)


def test_the_neighbours_answer_needs_someone_else_in_the_message() -> None:
    from bot.violence.own_violence import misfits

    assert "vecina_violencia" in misfits("¿el 911 sirve para violencia?")
    assert "vecina_violencia" not in misfits("escucho gritos en la casa de al lado, llamo al 911?")
    assert "vecina_violencia" not in misfits("a la señora de enfrente la golpea su esposo")


@pytest.mark.parametrize(
    "message",
    [
        "me quiero morir de la pena, le mandé un mensaje equivocado a mi suegro",
        "hace años mi jefe abusó de mí y nunca lo conté, todavía se puede hacer algo?",
        "el señor de la casa donde trabajo me toca cuando no hay nadie",
        "mi pareja me dio una cachetada el domingo y luego lloró, no sé qué pensar",
    ],
)
def test_the_answer_for_men_does_not_fit_a_message_that_speaks_of_no_man_s_violence(message: str) -> None:
    from bot.violence.own_violence import misfits

    assert "hombres_violencia" in misfits(message)


@pytest.mark.parametrize(
    "message",
    [
        "como aprendo a manejar el enojo sin violencia",
        "mi hermano es violento con su esposa y quiere cambiar, a donde va",
        "hay grupos de reflexion para hombres?",
        "le grite feo a mi novia y me siento fatal",
    ],
)
def test_the_answer_for_men_fits_his_violence_or_help_for_men(message: str) -> None:
    from bot.violence.own_violence import misfits

    assert "hombres_violencia" not in misfits(message)


def test_helping_another_woman_fits_only_when_another_person_is_named() -> None:
    from bot.violence.own_violence import misfits

    assert "ayudar_a_otra" in misfits("mi marido me insulta desde hace años, que hago")
    assert "ayudar_a_otra" not in misfits("mi compañera de trabajo llega golpeada, como la apoyo")
    assert "ayudar_a_otra" not in misfits("como ayudo a una victima de violencia")
    assert "ayudar_a_otra" not in misfits("a mi prima su novio la cela de todo")


def test_her_own_story_naming_a_sister_she_talks_to_does_not_fit_helping_another_woman() -> None:
    from bot.violence.own_violence import misfits

    assert "ayudar_a_otra" in misfits("mi pareja me revisa el celular y ya no me deja hablar con mi prima")
    assert "ayudar_a_otra" not in misfits("mi esposo me grita y a mi hermana su novio la golpea")
    assert "ayudar_a_otra" not in misfits("mi ex me pegaba, ya lo superé y quiero ayudar a otras mujeres")


def test_a_sister_s_violence_is_not_the_neighbour_s_answer() -> None:
    from bot.violence.own_violence import misfits

    assert "vecina_violencia" in misfits("mi prima vive violencia con su esposo y no lo deja, que hago")
    assert "vecina_violencia" not in misfits("a la señora del depa de arriba la golpea su esposo")


def test_a_man_hurt_by_his_partner_asking_for_help_for_men_is_not_the_one_who_hurts() -> None:
    text = ("soy hombre, mi pareja me golpeó hace unos días y ya me salí de la casa, "
            "¿hay ayuda para hombres o nada más para mujeres?")
    assert not wants_to_stop_own_violence(text)
    assert "hombres_violencia" in misfits(text)
