"""BM25 over the FAQ: the entry whose words a message shares ranks first; data questions spotted."""

from __future__ import annotations

import pytest

from bot.content.retrieval import (
    FaqIndex,
    faq_index,
    is_contract_search,
    is_data_question,
    is_explicit_contract_search,
    spending_of_an_institution,
    terms,
)


def test_terms_fold_accents_abbreviations_and_word_endings() -> None:
    assert terms("¿Dónde DENUNCIO la violencia digital?") == [
        "denunc", "denuncio", "violen", "violencia", "digita", "digital"
    ]
    assert terms("q es la info publica") == ["inform", "informacion", "public", "publica"]
    assert terms("hola que tal") == ["tal"]


def test_bm25_prefers_rare_shared_words() -> None:
    index = FaqIndex({"a": terms("violentometro colores"), "b": terms("solicitud de informacion")})
    assert [h.faq_id for h in index.rank("que significan los colores del violentometro")] == ["a"]
    assert index.rank("el partido de futbol") == []


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("los chiflidos y piropos en la calle son acoso?", "acoso_callejero"),
        ("me cobran las copias de la solicitud de informacion", "costo_solicitud"),
        ("saimex marca error y no deja enviar", "plataforma_no_funciona"),
        ("que es el violentometro", "violentometro"),
    ],
)
def test_the_shipped_index_finds_the_entry(message: str, faq_id: str) -> None:
    assert faq_id in [h.faq_id for h in faq_index().rank(message, limit=3)]


@pytest.mark.parametrize(
    "message",
    [
        "cuanto gana el presidente municipal de zumpango",
        "¿Cuánto se gastó el ayuntamiento en la feria?",
        "quiero saber el sueldo del director de obras",
        "en que gastaron el presupuesto de la escuela",
        "cuanto se gasto el ayuntamiento en luminarias",
        "cuanto gana la presidenta municipal",
    ],
)
def test_data_questions(message: str) -> None:
    assert is_data_question(message)


@pytest.mark.parametrize(
    "message",
    ["cuanto cuesta pedir informacion", "cuanto tardan en responder", "que es el presupuesto participativo",
     # the cost or time of a procedure is no figure
     "¿y cuánto se tarda en salir, tengo que pagar algo por pedirla?",
     "cuanto cuesta sacar una orden de proteccion"],
)
def test_not_data_questions(message: str) -> None:
    assert not is_data_question(message)


@pytest.mark.parametrize(
    "message",
    ["cuantos contratos firmo el ayuntamiento con la misma constructora",
     "cuantas denuncias de robo hay en zinacantepec", "cuanto recaudo el municipio de predial",
     "cuantos homicidios hubo en mi municipio el año pasado"],
)
def test_municipal_figures_are_data_questions(message: str) -> None:
    assert is_data_question(message)
    assert not is_contract_search(message)


@pytest.mark.parametrize(
    "message",
    ["contratos de paracaidas", "cuanto le pagaron a la constructora del hospital",
     "que empresas le venden cemento al estado",
     "busca los contratos del municipio de tecamac con la empresa de las patrullas"],
)
def test_contract_searches_in_unseen_words(message: str) -> None:
    """The procurement data the bot holds answers these: a search, not "no tengo ese dato"."""
    assert is_contract_search(message)
    assert not is_data_question(message)


@pytest.mark.parametrize(
    "message", ["que es una adjudicacion directa", "como pido informacion de un contrato",
                "cuanto gasto el municipio en contratos de basura"],
)
def test_not_contract_searches(message: str) -> None:
    assert not is_contract_search(message)


def test_gibberish_shares_no_word_with_the_content() -> None:
    assert not faq_index().knows_any("jsjsjs kdkdkd xkqz")
    assert faq_index().knows_any("que es el gobierno abierto")
    assert faq_index().knows_any("hola")


def test_explicit_contract_searches() -> None:
    assert is_explicit_contract_search("contratos de paracaidas")
    assert is_explicit_contract_search("busca los contratos de la fiscalia")
    assert not is_explicit_contract_search("que es un contrato de adjudicacion directa")
    assert not is_explicit_contract_search("me dieron el contrato de la obra en pdf y no le entiendo")


@pytest.mark.parametrize(
    "message",
    ["contratos del imss", "qué contratos tiene el issste", "cuánto le pagaron a grupo siayec",
     "cuanto dinero le dieron a farmacos especializados", "los contratos de la guardia nacional",
     "contratos con la empresa que hace los uniformes"],
)
def test_a_buyer_or_a_supplier_named_is_an_explicit_search(message: str) -> None:
    """The contract search, not an FAQ answer that shares a word, nor "no tengo ese dato"."""
    assert is_explicit_contract_search(message)
    assert not is_data_question(message)


@pytest.mark.parametrize(
    "message",
    ["cuanto le pagaron al alcalde de metepec el año pasado", "cuánto le pagan a los maestros",
     "cuanto le pagaron a la directora del dif"],
)
def test_what_a_person_is_paid_is_a_data_question(message: str) -> None:
    assert not is_explicit_contract_search(message)
    assert not is_contract_search(message)


@pytest.mark.parametrize("message", [
    "cuantos agentes de transito hay en mi municipio",
    "cuantas patrullas funcionan en mi municipio",
    "cuantas personas atendio el dif el mes pasado",
    "cuantos baches taparon en mi colonia este año",
    "necesito el numero de denuncias por robo en mi municipio",
    "de cuanto es el presupuesto asignado al hospital municipal",
    "me pasan la nomina completa del dif",
    "el padron de beneficiarios de las becas para adultos mayores",
])
def test_counts_and_budgets_of_the_government_are_data_questions(message: str) -> None:
    """«¿Cuántos policías hay?» asks for a figure only the government holds: the data request."""
    assert is_data_question(message)


@pytest.mark.parametrize("message", [
    "cuantos tipos de violencia hay", "cuantos compromisos tiene el plan de accion",
    "cuantos dias tienen para contestarme", "cuantas mesas de cocreacion hay",
    "la escuela se inunda y el director dice que no hay presupuesto para el drenaje",
])
def test_counts_of_the_programme_and_problems_told_are_not_data_questions(message: str) -> None:
    assert not is_data_question(message)


@pytest.mark.parametrize("message", [
    "cuanto dinero le dieron a ecatepec del fondo de infraestructura",
    "cuanto le toco a valle de chalco del fondo",
])
def test_money_given_to_a_municipality_is_a_data_question_not_a_contract_search(message: str) -> None:
    assert is_data_question(message)
    assert not is_contract_search(message)


def test_spending_with_nobody_named_stays_a_contract_search() -> None:
    """The contract data answers «¿cuánto se gastó en material de curación?» (CI's integration
    test); only a named institution's spending goes to the information request."""
    assert not spending_of_an_institution("cuanto se gasto en material de curacion")
    assert spending_of_an_institution("cuánto gastó la fiscalía en patrullas en 2024")
    assert not spending_of_an_institution("cuanto gasto la secretaria de salud en contratos con la empresa x")
