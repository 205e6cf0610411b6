"""Folios and filing dates the way people type them."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.inforequests.filing import looks_like_filing, parse_filing

TODAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "folio", "filed"),
    [
        ("ya la mandé, mi folio es 00123/SAIMEX/IP/2026, el 1 de diciembre",
         "00123/SAIMEX/IP/2026", dt.date(2026, 12, 1)),
        ("Folio: 150255100012326 presentada ayer", "150255100012326", dt.date(2026, 12, 5)),
        ("la presenté el 20/11/2026 folio 00045/TOLUCA/IP/2026", "00045/TOLUCA/IP/2026",
         dt.date(2026, 11, 20)),
        ("ya la envié folio numero 9876543 el 28 de Noviembre", "9876543", dt.date(2026, 11, 28)),
        ("hice la solicitud, folio 55555", "55555", None),
    ],
)
def test_a_filing(text: str, folio: str, filed: dt.date | None) -> None:
    assert looks_like_filing(text)
    result = parse_filing(text, TODAY)
    assert (result.folio, result.filed_on, result.bad_date) == (folio, filed, False)


def test_a_day_ahead_of_today_without_year_is_last_year() -> None:
    assert parse_filing("la mandé, folio 12345, el 20 de diciembre", TODAY).filed_on == dt.date(2025, 12, 20)


@pytest.mark.parametrize("text", ["folio 12345 el 7 de diciembre de 2026", "folio 12345 el 31/02/2026",
                                  "folio 12345 el 1 de enero de 2024"])
def test_impossible_filing_dates_are_flagged(text: str) -> None:
    result = parse_filing(text, TODAY)
    assert result.filed_on is None and result.bad_date


@pytest.mark.parametrize("text", ["mi folio es P-2026-000123, ¿cómo va?", "¿qué es un folio?",
                                  "folio abc", "cuanto gana el presidente municipal", ""])
def test_not_a_filing(text: str) -> None:
    assert not looks_like_filing(text)


@pytest.mark.parametrize("text", [
    "oye y que paso con lo que mande del bache? folio 2931",
    "ya mandé mi propuesta, folio 1234, cómo va?",
    "qué pasó con el reporte que envié de la basura, folio 7788",
])
def test_a_proposal_folio_is_not_a_request_filing(text: str) -> None:
    """A pothole or «mi propuesta» next to a folio: the person asks about a proposal."""
    assert not looks_like_filing(text)


@pytest.mark.parametrize("text", [
    "mandé mi solicitud sobre el agua potable, folio 00123",
    "ya la envié a transparencia, es sobre los baches, folio 456789",
    "presenté lo de las luminarias, folio 00045/TOLUCA/IP/2026",
])
def test_a_request_about_a_community_problem_is_still_a_filing(text: str) -> None:
    assert looks_like_filing(text)
