"""Contract searches written in citizens' own words, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.procurement import service as svc
from bot.procurement.replies import answer_text
from bot.procurement.text import understand

SAMPLE_2017 = (
    Path(__file__).resolve().parents[2]
    / "content" / "procurement" / "compranet" / "compranet_contratos_2017_muestra1pct.raw.csv"
)


@pytest.fixture
def compranet(db_engine: Engine) -> Engine:
    svc.load_source(str(SAMPLE_2017), engine=db_engine)
    return db_engine


@pytest.mark.parametrize(
    "text",
    [
        "contratos del gobierno del estado de méxico",
        "CONTRATOS DEL GOBIERNO DEL ESTADO DE MEXICO",
        "¿qué compró el edomex?",
        "contratos del Edo. de México",
    ],
)
def test_the_estado_de_mexico_means_its_buyers_not_mexico_city(compranet: Engine, text: str) -> None:
    query, _ = understand(text, compranet)
    result = svc.search(query, engine=compranet)
    # The sample has 10 contracts of Estado de México buyers: 4 of the state, 6 municipal.
    assert result.count == 10
    assert set(query.buyers) == {"Gobierno del Estado de México", "Gobierno Municipal del Estado de México"}
    assert all(h.buyer.endswith("del Estado de México") for h in result.hits)
    reply = answer_text(text, compranet).text
    assert reply.startswith("Encontré 10 contratos de ")
    assert "Ciudad de México" not in reply.split("\n")[0]


def test_mexico_city_is_not_the_estado_de_mexico(compranet: Engine) -> None:
    query, _ = understand("contratos de la ciudad de méxico", compranet)
    result = svc.search(query, engine=compranet)
    assert result.count > 0
    assert not any(b.endswith("del Estado de México") for b in query.buyers)


@pytest.mark.parametrize(
    "variants",
    [
        ["computadoras", "computadora", "COMPUTADORAS", "cómputadoras"],
        ["medicamentos", "medicamento", "Medicaméntos"],
        ["servicio de limpieza", "servicios de limpieza", "SERVICIOS DE LIMPIEZA"],
    ],
)
def test_accents_capitals_and_plurals_find_the_same_contracts(
    compranet: Engine, variants: list[str]
) -> None:
    found = []
    for text in variants:
        query, _ = understand(text, compranet)
        result = svc.search(query, engine=compranet)
        found.append((result.count, [h.ocid for h in result.hits]))
    assert found[0][0] > 0
    assert all(f == found[0] for f in found), dict(zip(variants, found, strict=True))



SHORT_AND_FULL_NAMES = [
    ("contratos del IMSS", "Instituto Mexicano del Seguro Social"),
    ("¿qué compró el seguro social en 2017?", "Instituto Mexicano del Seguro Social"),
    ("contratos del instituto mexicano del seguro social", "Instituto Mexicano del Seguro Social"),
    ("contratos del ISSSTE",
     "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado"),
    ("compras de la Conagua", "Comisión Nacional del Agua"),
    ("compras de la comisión nacional del agua", "Comisión Nacional del Agua"),
    ("contratos de la SEP", "Secretaría de Educación Pública"),
]


def test_short_and_full_names_find_the_buyer(compranet: Engine) -> None:
    for text, buyer in SHORT_AND_FULL_NAMES:  # one load for all: loading is the slow part
        query, _ = understand(text, compranet)
        assert query.buyers == (buyer,) and query.words == (), text
        reply = answer_text(text, compranet).text
        assert reply.startswith("Encontré") and buyer in reply, text
    # A short name whose buyer is not loaded is not mapped to anything invented.
    query, _ = understand("contratos de Pemex", compranet)
    assert query.buyers == () and svc.search(query, engine=compranet).count == 0


@pytest.mark.parametrize("text", ["buenas tardes, quiero ver contratos de medicamentos",
                                  "Disculpe, quisiera los contratos de medicamentos por favor"])
def test_a_greeting_or_courtesy_is_not_searched_for(compranet: Engine, text: str) -> None:
    """Round 12 citizen walk: «buenas, quiero ver contratos de medicinas…» searched «buenas»."""
    query, words = understand(text, compranet)
    assert words == "medicamentos"
