"""Round 11 kinds, in our own words: each one used to get another answer (issue 14)."""

from __future__ import annotations

import pytest

from bot.violence.lexicon import clearly_violence, names_another_subject
from bot.violence.named import (
    asks_what_not_where,
    named_subjects,
    overrides_a_sure_answer,
    parent_worried_about_her_boyfriend,
)
from bot.violence.own_violence import NEIGHBOUR_ENTRY, misfits


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        # a parent worried about a girl's controlling boyfriend
        ("mi hija de 14 anda con un chavo que le checa el whats y le prohibe ir a fiestas, como le hablo",
         "noviazgo_violento"),
        ("a mi sobrina el novio no la deja ver a sus amigas y se enoja por todo, que le digo",
         "noviazgo_violento"),
        # a neighbour heard or seen hurt, told before or after the place
        ("anoche en el depa de arriba se escuchaban golpes y la señora gritaba, hoy todo calmado",
         "vecina_violencia"),
        ("se oyen gritos cada sabado en la casa de enfrente, a quien le aviso", "vecina_violencia"),
        # a service with no entry of its own, asked by its name
        ("oigan y ciudad mujeres que es, es del gobierno?", "programas_violencia"),
        ("la puerta violeta es un refugio o una oficina?", "programas_violencia"),
        # what the law counts as violence
        ("quiero saber que se considera violencia segun la ley, o solo cuentan los golpes?",
         "que_es_violencia_mujeres"),
    ],
)
def test_the_subject_asked_is_named(message: str, entry: str) -> None:
    assert named_subjects(message) == [entry] or named_subjects(message)[0] == entry


def test_the_boyfriend_and_the_service_win_over_another_sure_answer() -> None:
    assert parent_worried_about_her_boyfriend("mi hija tiene un novio que le revisa el celular")
    assert overrides_a_sure_answer("que es eso de ciudad mujeres")
    assert not parent_worried_about_her_boyfriend("mi hija tiene novio y se quieren casar")
    assert not overrides_a_sure_answer("mi esposo me grita, que hago")


@pytest.mark.parametrize(
    "message",
    ["cual es la diferencia entre el cjm y unidas, vi una en toluca",
     "en ecatepec ya multan por piropos?",
     "mi prima vive en tultitlan, que servicios dan en el centro de justicia"],
)
def test_a_what_question_naming_a_place_is_no_request_for_the_nearest_centres(message: str) -> None:
    assert asks_what_not_where(message)


@pytest.mark.parametrize(
    "message",
    ["donde queda la unidas de toluca", "hay una unidas en naucalpan? que servicios dan",
     "que es lo mas cercano a chalco para mujeres"],
)
def test_where_is_still_where(message: str) -> None:
    assert not asks_what_not_where(message)


@pytest.mark.parametrize(
    "message",
    ["el gerente de la tienda donde trabajo siempre que pasa me agarra la cintura",
     "un compañero del trabajo me manda mensajes de doble sentido todo el dia",
     "el doctor de la clinica me dice cochinadas cuando voy a consulta"],
)
def test_harassment_told_plainly_is_violence(message: str) -> None:
    assert clearly_violence(message)


@pytest.mark.parametrize("message", ["me toca pagar la luz este mes", "a mi jefe le toca el turno de noche",
                                     "me mandaron los memes de doble sentido jaja"])
def test_everyday_turns_are_not_harassment(message: str) -> None:
    assert not clearly_violence(message)


def test_his_anger_taken_out_on_her_is_no_download() -> None:
    assert not names_another_subject("cuando llega tomado se descarga conmigo y con los niños")
    assert names_another_subject("donde descargo la base de datos en csv")


def test_a_coworker_or_a_friend_is_not_the_neighbour() -> None:
    assert NEIGHBOUR_ENTRY in misfits("una compañera del trabajo llega con golpes, como la apoyo")
    assert NEIGHBOUR_ENTRY in misfits("mi amiga me contó que su novio la empuja")
    assert NEIGHBOUR_ENTRY not in misfits("la vecina de abajo llega con golpes")


def test_a_modality_named_is_the_modalities_answer() -> None:
    assert named_subjects("en mi chamba el supervisor nos toca a las chavas, eso ya es acoso laboral?") == [
        "modalidades_violencia"]


def test_the_unidas_by_the_start_of_their_name_is_a_place_to_go() -> None:
    from bot.violence.directory import asks_for_a_centre

    assert asks_for_a_centre("donde queda la unidad de atencion de chalco")
    assert not asks_for_a_centre("la unidad de atencion ciudadana de chalco donde esta")


@pytest.mark.parametrize(
    "message",
    ["mi ex dice que me voy a arrepentir si no regreso con el",
     "desde que lo deje me manda decir que me las va a pagar, el papa de mis hijos"],
)
def test_a_veiled_threat_from_a_partner_is_violence(message: str) -> None:
    assert clearly_violence(message)


def test_a_teacher_s_warning_is_no_threat() -> None:
    assert not clearly_violence("el profe dice que me voy a arrepentir si no estudio para el examen")
