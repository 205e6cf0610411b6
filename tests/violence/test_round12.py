"""Round 12 kinds of violence messages, read on their words (bot/violence/named.py, lexicon.py)."""

from __future__ import annotations

import pytest

from bot.violence.lexicon import clearly_violence
from bot.violence.named import asks_where_to_go, named_subjects, overrides_a_sure_answer


@pytest.mark.parametrize("text", [
    "de niña mi padrastro me tocaba y nunca lo conte, a donde puedo acudir para que me escuchen",
    "hace años mi ex me golpeaba, ya no vivo con el pero quiero saber a donde voy para que me orienten",
    "necesito un lugar donde me orienten, lo que paso con mi pareja todavia me pesa",
])
def test_a_story_that_asks_where_to_go(text: str) -> None:
    assert asks_where_to_go(text)


@pytest.mark.parametrize("text", ["a quien le marco", "donde puedo llamar para denunciar",
                                  "que hago si mi pareja me cela"])
def test_a_number_or_what_to_do_is_not_where_to_go(text: str) -> None:
    assert not asks_where_to_go(text)


def test_obstetric_violence_told_without_the_words() -> None:
    text = ("en mi parto en la clinica el doctor me grito que me callara y me dejaron sola horas, "
            "eso se vale?")
    assert named_subjects(text)[0] == "violencia_obstetrica"
    assert "violencia_obstetrica" not in named_subjects("estoy embarazada y mi esposo me grita, que hago")


@pytest.mark.parametrize("text", ["q es un femisidio", "diferencia entre feminisidio y homicidio"])
def test_feminicide_spelt_as_heard(text: str) -> None:
    assert clearly_violence(text)
    assert named_subjects(text) == ["que_es_feminicidio"]


def test_what_violence_against_women_is_asked_plainly_wins() -> None:
    assert overrides_a_sure_answer("para una tarea: que es la violencia contra las mujeres y donde pasa")
    assert not overrides_a_sure_answer("mi vecina vive violencia, como la ayudo")


def test_programmes_asked_with_two_words() -> None:
    assert "programas_violencia" in named_subjects(
        "que apoyos o programas tiene el gobierno para mujeres que salen de la violencia")


@pytest.mark.parametrize("text", [
    "el domingo vi como un muchacho jalaba de los cabellos a su novia afuera del mercado, "
    "que se hace en esos casos",
    "iba en la combi y un señor venia arrastrando a una señora del brazo, me quede con el pendiente",
])
def test_an_assault_on_a_woman_witnessed_is_violence_and_another_womans(text: str) -> None:
    from bot.violence.own_violence import about_another_woman
    assert clearly_violence(text) and about_another_woman(text)


@pytest.mark.parametrize("text", ["jala la puerta de la señora", "el camion avento a una señora al bajar"])
def test_pushing_things_or_accidents_are_not(text: str) -> None:
    assert not clearly_violence(text)
