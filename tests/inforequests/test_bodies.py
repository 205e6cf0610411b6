"""Which body a person means: every municipality's ayuntamiento and the state bodies by their words."""

from __future__ import annotations

import pytest

from bot.content.municipalities import municipality_index
from bot.inforequests.bodies import all_bodies, answer_body, body_by_key, find_body, load_bodies


def test_every_municipality_is_an_ayuntamiento_and_every_body_has_a_source() -> None:
    bodies = all_bodies()
    ayuntamientos = [b for b in bodies if b.key.startswith("mun:")]
    assert len(ayuntamientos) == len(municipality_index().municipalities) == 125
    assert all(b.sources for b in bodies)
    assert len({b.key for b in bodies}) == len(bodies)


def test_gaps_are_marked_not_invented() -> None:
    content = load_bodies()
    pnt = next(c for c in content.channels if c.id == "pnt")
    assert pnt.url is None  # no verified address: the bot says "por confirmar"
    assert content.ayuntamientos.unidad_transparencia is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("cuanto gana el presidente municipal de Ecatepec", "Ayuntamiento de Ecatepec de Morelos"),
        ("cuánto gastó el municipio de neza en luminarias", "Ayuntamiento de Nezahualcóyotl"),
        ("cuantas carpetas por feminicidio tiene la fiscalía",
         "Fiscalía General de Justicia del Estado de México (FGJEM)"),
        ("cuanto ganan los diputados locales", "Poder Legislativo del Estado de México (Congreso local)"),
    ],
)
def test_a_body_named_in_a_sentence(text: str, name: str) -> None:
    found = find_body(text)
    assert found.best is not None and found.best.name == name


def test_an_ambiguous_short_name_gives_candidates() -> None:
    found = answer_body("tenango")
    assert found.best is None
    assert {b.name for b in found.candidates} == {"Ayuntamiento de Tenango del Valle",
                                                  "Ayuntamiento de Tenango del Aire"}


def test_a_typed_answer_with_a_typo() -> None:
    found = answer_body("naucalpn")
    assert found.best is not None and found.best.name == "Ayuntamiento de Naucalpan de Juárez"


WOMEN = "Secretaría de las Mujeres del Estado de México"


@pytest.mark.parametrize(("text", "name"), [
    ("cuanto gasto la secretaria de las mujere en talleres", WOMEN),
    ("la secretria de la mujer", WOMEN),
    ("sueldos de la contralorai", "Secretaría de la Contraloría del Estado de México"),
    ("cuantas denuncias tiene la fiscalai", "Fiscalía General de Justicia del Estado de México (FGJEM)"),
])
def test_a_state_body_written_with_a_slip_is_still_found(text: str, name: str) -> None:
    """beh10: one letter off in an institution's name («mujere», «fiscalai») found nobody."""
    found = answer_body(text)
    assert found.best is not None and found.best.name == name


@pytest.mark.parametrize("text", ["cuanto gana el fiscal", "datos de la secretaria de salu"])
def test_a_slip_never_makes_up_a_body_the_words_do_not_name(text: str) -> None:
    assert find_body(text).best is None


def test_no_body_in_a_sentence_without_one() -> None:
    assert find_body("cuanto gana el gobernador").best is None
    assert body_by_key("mun:99999") is None
