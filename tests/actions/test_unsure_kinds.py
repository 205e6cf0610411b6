"""prop11: the status of a proposal asked in plain words, by whoever sent it (kinds seen on dev
slices: someone else sent it, «mandé una en …», «ya contestaron lo de …», «nadie me ha dicho»).
Our own wording."""

from __future__ import annotations

import pytest

from actions.unsure_kinds import asks_about_own_proposal, asks_for_data, words_ask_for


@pytest.mark.parametrize("text", [
    "mi tía mandó una propuesta de los topes y quiere saber en qué quedó",
    "la propuesta que hicimos los vecinos del mercado, ¿ya la revisaron?",
    "MANDÉ UNA EN ENERO SOBRE EL ALUMBRADO Y NADIE ME HA RESPONDIDO",
    "ya respondieron lo de la coladera tapada o sigue en el limbo?",
    "el reporte que mandamos de la barda caída sigue sin respuesta?",
])
def test_the_status_of_what_was_sent(text: str) -> None:
    assert asks_about_own_proposal(text)
    assert words_ask_for(text) == "mis_propuestas"


@pytest.mark.parametrize("text", [
    "hay un bache enorme en mi calle y nadie hace nada",
    "quiero hacer una propuesta sobre la basura",
    "mandé una solicitud de información y no me han contestado",
    "mi vecino hizo una fiesta y nadie me ha dicho nada del ruido",
])
def test_other_messages_are_not_a_status_question(text: str) -> None:
    assert not asks_about_own_proposal(text)


@pytest.mark.parametrize(("text", "figure"), [
    # «el número de …» asked formally: read as a proposal in slice l (after its measurement)
    ("Solicito el número de licencias de construcción otorgadas en mi municipio en 2024.", True),
    ("quiero el numero de policias que tiene mi municipio", True),
    ("solicito el numero de contratos de la secretaria de salud", False),  # the contracts answer it
    ("quiero proponer que den mas licencias a los comercios", False),
])
def test_a_number_asked_formally_is_a_figure_the_bot_does_not_hold(text: str, figure: bool) -> None:
    assert asks_for_data(text) is figure
