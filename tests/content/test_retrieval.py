"""BM25 over the FAQ: the entry whose words a message shares ranks first; data questions spotted."""

from __future__ import annotations

import pytest

from bot.content.retrieval import FaqIndex, faq_index, is_data_question, terms


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
    ],
)
def test_data_questions(message: str) -> None:
    assert is_data_question(message)


@pytest.mark.parametrize(
    "message",
    ["cuanto cuesta pedir informacion", "cuanto tardan en responder", "que es el presupuesto participativo"],
)
def test_not_data_questions(message: str) -> None:
    assert not is_data_question(message)
