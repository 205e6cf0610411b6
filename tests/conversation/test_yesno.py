"""Yes and no as people in Mexico type them, and what follows a "no"."""

from __future__ import annotations

import pytest

from bot.conversation.yesno import after_no, bare_answer, yes_no

YES = ["sí", "Si", "si, confirmo", "sí, es correcto", "si, enviala", "sale", "va", "ándale", "ok",
       "simón", "claro que sí", "de acuerdo", "Sí, acepto", "sí, por favor", "va que va", "siii",
       "correcto", "está bien"]
NO = ["no", "No, gracias", "no gracias", "nel", "no quiero", "mejor no", "ahorita no", "nop",
      "para nada"]
NEITHER = ["no sé", "no, es de seguridad", "si pero quiero cambiar algo", "Movilidad", "Toluca",
           "que es una mesa de cocreacion?", "", "👍👍", "no me llega el agua desde hace un mes"]


@pytest.mark.parametrize("text", YES)
def test_yes_in_its_many_forms(text: str) -> None:
    assert yes_no(text) == "yes"


@pytest.mark.parametrize("text", NO)
def test_no_in_its_many_forms(text: str) -> None:
    assert yes_no(text) == "no"


@pytest.mark.parametrize("text", NEITHER)
def test_a_text_that_says_more_is_neither(text: str) -> None:
    assert yes_no(text) is None


def test_after_no_keeps_the_correction() -> None:
    assert after_no("No, es de seguridad") == "seguridad"
    assert after_no("no, mejor medio ambiente") == "medio ambiente"
    assert after_no("seguridad") == ""


@pytest.mark.parametrize("text", ["sí", "Va", "ok", "no", "no gracias", "después", "Luego", "al rato"])
def test_bare_answers(text: str) -> None:
    assert bare_answer(text)


@pytest.mark.parametrize("text", ["sí quiero hacer una propuesta", "no sé qué es el STL", "hola", "",
                                  "si claro que si por favor gracias"])
def test_not_bare_answers(text: str) -> None:
    assert not bare_answer(text)


@pytest.mark.parametrize("text", ["a huevo", "¡A huevo!", "ahuevo", "a webo", "simón, sale", "Ándale pues",
                                  "sale pues", "órale pues", "simona", "arre", "ok va", "sí, va",
                                  "a huevo, sí", "simón carnal", "sí pues", "me late"])
def test_yes_as_it_is_said_in_mexico(text: str) -> None:
    assert yes_no(text) == "yes"


@pytest.mark.parametrize("text", ["nel pastel", "pos no", "nel, gracias"])
def test_no_as_it_is_said_in_mexico(text: str) -> None:
    assert yes_no(text) == "no"


@pytest.mark.parametrize(("text", "meant"), [
    ("nelson", "no"), ("siempre no", "no"), ("Siempre no, gracias", "no"), ("ps no", "no"),
    ("nel mano", "no"), ("ps sí", "yes"), ("ps si, va", "yes"), ("simón mano", "yes")])
def test_walk10_yes_and_no_typed_the_way_people_type_them(text: str, meant: str) -> None:
    """Found walking the bot as a citizen (walk10): «siempre no» (she changed her mind), «nelson»,
    «ps sí» got «No estoy segura…» or were read as an answer to the question."""
    assert yes_no(text) == meant
    assert bare_answer(text)


def test_what_she_asks_instead_is_read_without_its_lead_in() -> None:
    """«nel, mejor dime qué es el STL»: «qué es el STL» is answered after the cancel (the round 10
    model was unsure of «mejor dime qué es el STL» and the fresh clone's citizen walk got the
    generic menu)."""
    from bot.conversation.yesno import change_of_mind

    assert change_of_mind("nel, mejor dime qué es el STL") == "qué es el STL"
    assert change_of_mind("olvídalo, mejor explícame cómo pido información") == "cómo pido información"
    assert change_of_mind("mejor no, quiero saber de los contratos") == "quiero saber de los contratos"
    assert change_of_mind("nel, mejor dime") == "mejor dime"


def test_a_change_of_mind_typed_without_a_comma_before_mejor() -> None:
    """Round 11 citizen walk: «nel mejor dime q es el stl» mid-interview was stored as the
    consequences of the problem. Without a comma only «mejor» marks the turn."""
    from bot.conversation.yesno import change_of_mind

    assert change_of_mind("nel mejor dime q es el stl") == "q es el stl"
    assert change_of_mind("no gracias mejor quiero ver contratos") == "quiero ver contratos"
    assert change_of_mind("ya no hay luz en toda la calle") is None
    assert change_of_mind("ya no mejoró nada el alumbrado") is None
