"""A psychologist or a lawyer asked for is told apart from talking to the STL's team."""

from __future__ import annotations

import pytest

from bot.violence.professional import asks_for_a_professional, entry_for


@pytest.mark.parametrize(
    "message",
    ["ya no quiero bots, necesito que me atienda una psicóloga de a de veras",
     "me pueden pasar con una abogada? es por lo de mi ex",
     "quisiera platicar con un terapeuta, una persona que me escuche",
     "con quien hablo para una asesoria legal, no tengo dinero"],
)
def test_a_professional_asked_for(message: str) -> None:
    assert asks_for_a_professional(message)


@pytest.mark.parametrize(
    "message",
    ["quiero hablar con una persona del equipo",
     "me comunican con alguien del STL sobre mi propuesta de la abogada del municipio?",
     "quiero hablar con un humano, no con un robot"],
)
def test_no_professional_asked_for(message: str) -> None:
    assert not asks_for_a_professional(message)


def test_a_man_who_wants_to_stop_gets_the_answer_for_men() -> None:
    his = "necesito un psicologo, ya le pegue a mi esposa y no quiero ser asi"
    assert entry_for(his) == "hombres_violencia"
    assert entry_for("necesito una psicologa, no aguanto lo que vivi") == "programas_violencia"
