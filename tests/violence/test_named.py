"""The violence subject a message names in so many words (bot/violence/named.py)."""

from __future__ import annotations

import pytest

from bot.violence.named import asks_if_still_reportable, ends_asking_what_to_do, named_subjects
from bot.violence.own_violence import about_another_woman


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        ("ya no vivo con él pero me espera afuera del trabajo, ¿cómo tramito una orden de restricción?",
         "ordenes_proteccion"),
        ("me fui de la casa con mis hijos, ¿hay albergues para mujeres?", "refugios_mujeres"),
        ("eso fue hace ocho años, ¿todavía lo puedo denunciar?", "como_denunciar_violencia"),
        ("dice que si lo dejo va a subir mis fotos a internet", "violencia_digital"),
        ("¿en qué parte del violentómetro queda que me jalonee?", "violentometro"),
        # round 10 kinds
        ("mi pareja revisa mis gastos y me pide cuentas, ¿eso también cuenta como violencia?",
         "que_es_violencia_mujeres"),
        ("para una exposición: ¿qué es la violencia contra las mujeres?", "que_es_violencia_mujeres"),
        ("un desconocido me manda fotos de sus partes por messenger", "violencia_digital"),
        ("ya me separé de él, ¿qué programas de apoyo hay para empezar de nuevo?", "programas_violencia"),
        ("mi novio me pide mi ubicación a cada rato, ¿es normal?", "noviazgo_violento"),
        ("soy candidata en mi comunidad y me dicen que me baje porque soy mujer", "violencia_politica"),
        ("hace años me golpeaba, ¿ya prescribió?", "como_denunciar_violencia"),
        ("¿cómo pongo una denuncia si vivo con él?", "como_denunciar_violencia"),
        ("me acosan en el camión todos los días", "acoso_callejero"),
    ],
)
def test_a_named_subject_is_found(message: str, entry: str) -> None:
    assert entry in named_subjects(message)


@pytest.mark.parametrize(
    "message",
    ["no quiero denunciar, nomás que alguien me escuche", "mi esposo me grita todos los días",
     "¿el centro de justicia es nomás para denunciar?"],
)
def test_nothing_specific_is_named(message: str) -> None:
    assert named_subjects(message) == []


def test_a_message_that_ends_asking_what_to_do() -> None:
    assert ends_asking_what_to_do("no sé si denunciarlo ya, ¿qué puedo hacer?")
    assert not ends_asking_what_to_do("¿qué hago para denunciarlo?")


def test_another_woman_s_violence_is_told_apart_from_her_own() -> None:
    assert about_another_woman("mi compañera del trabajo llega golpeada, ¿cómo la apoyo?")
    assert about_another_woman("una alumna me contó que su papá le pega a su mamá")
    assert not about_another_woman("mi esposo me pega y mi hermana dice que lo deje")
    # «se aprovechó de mí»: done to her, whoever did it (tests/integration/test_routing_with_rasa.py)
    assert not about_another_woman("hace años un primo se aprovechó de mí en una fiesta, ahora quiero "
                                   "hacer algo para que no le pase a nadie más")
    assert not about_another_woman("hace años mi jefe abusó de mí y mi amiga no me creyó")


def test_asking_what_the_service_is_names_its_entry() -> None:
    assert named_subjects("que son las unidas? hay alguna en jilotepec") == ["que_son_unidas"]
    assert named_subjects("q es el cjm y q hacen ahi") == ["que_es_cjm"]
    assert named_subjects("hay unidas en chalco") == []


def test_a_form_of_violence_with_its_own_report_steps_wins_over_the_generic_report() -> None:
    assert named_subjects("me mandan fotos de su pene, ¿se puede denunciar?") == ["violencia_digital"]


def test_asking_if_it_is_violence_and_where_to_go_names_no_definition() -> None:
    assert "que_es_violencia_mujeres" not in named_subjects(
        "mi hijo se queda con mi pensión, ¿eso es violencia? ¿a dónde puedo ir?")
    # a modality named is its own answer (round 11), never the definition
    assert named_subjects("el supervisor nos toca, ¿eso es violencia laboral?") == ["modalidades_violencia"]


def test_still_reportable_is_asked_only_of_reporting() -> None:
    assert asks_if_still_reportable("pasó hace diez años, ¿todavía lo puedo denunciar?")
    assert asks_if_still_reportable("¿ya prescribió lo que me hizo?")
    assert not asks_if_still_reportable("¿todavía puedo pedir ayuda?")
