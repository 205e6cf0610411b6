"""What a message about contracts asks for: the emergency list, the file, or how to ask for more.

Our own messages, of the kinds the model confused (never the fresh evaluation's)."""

from __future__ import annotations

import pytest

from bot.procurement.asked import (
    asks_how_to_request_contract_info,
    asks_what_emergency_contracts_are,
    asks_what_the_emergency_site_is,
    names_only_the_emergency,
    wants_download,
    wants_emergency_list,
    wants_whole_file,
)


@pytest.mark.parametrize(
    "message",
    ["contratos de emergencia", "las compras del covid",
     "oi que en la pandemia todo fue sin licitar, donde veo esos contratos?",
     "me puedes mostrar los contratos mas caros de la emergencia sanitaria",
     "quiero ver la lista de compras que hicieron por el sismo",
     "que empresas le vendieron al gobierno en lo del huracan, se puede buscar?"],
)
def test_asked_to_see_the_emergency_contracts(message: str) -> None:
    assert wants_emergency_list(message)


@pytest.mark.parametrize(
    "message",
    ["que son los contratos de emergencia", "por que en la pandemia se compro sin licitar",
     "que es una contratacion de emergencia", "contratos de limpieza en 2017"],
)
def test_what_they_are_is_not_the_list(message: str) -> None:
    assert not wants_emergency_list(message)


@pytest.mark.parametrize(
    "message",
    ["se pueden bajar todos los contratos en excel?", "necesito la base completa de contratos en csv",
     "como descargo los datos de las compras del gobierno"],
)
def test_asked_for_the_file(message: str) -> None:
    assert wants_download(message)


def test_the_whole_file_and_a_search_to_download() -> None:
    assert wants_whole_file("pasame la base completa de contratos para descargarla")
    assert not wants_whole_file("contratos de limpieza para descargar en excel")
    assert not wants_download("como descargo datos abiertos del agua")


@pytest.mark.parametrize(
    "message",
    ["vi un contrato de la secretaria de salud pero no viene el anexo tecnico, como lo pido?",
     "encontre aqui un contrato de patrullas carisimo y quiero pedir mas informacion, como le hago",
     "como pido informacion de un contrato"],
)
def test_how_to_ask_for_what_a_contract_leaves_out(message: str) -> None:
    assert asks_how_to_request_contract_info(message)


@pytest.mark.parametrize(
    "message", ["contratos de la secretaria de salud", "como reviso un contrato",
                "como pido informacion del presupuesto"],
)
def test_not_a_request_about_a_contract(message: str) -> None:
    assert not asks_how_to_request_contract_info(message)


def test_what_emergency_contracts_are_is_not_the_inai_site() -> None:
    assert asks_what_emergency_contracts_are("q son las compras de emergencia del gobierno")
    assert not asks_what_emergency_contracts_are("que era el micrositio de contrataciones ante la emergencia")
    assert not asks_what_emergency_contracts_are("contratos de emergencia")


def test_only_the_emergency_named_is_the_list_not_a_search() -> None:
    assert names_only_the_emergency("muestrame los contratos de la pandemia mas caros")
    assert names_only_the_emergency("contratos covid 19")
    assert not names_only_the_emergency("contratos del fonden por el sismo")
    assert not names_only_the_emergency("contratos de cubrebocas en la pandemia")


@pytest.mark.parametrize("text", [
    "que es eso de contrataciones ante la emergencia, un programa o una pagina?",
    "quien hizo el sitio de compras ante la emergencia",
])
def test_the_emergency_site_asked_about_is_not_the_concept(text: str) -> None:
    assert asks_what_the_emergency_site_is(text)
    assert not asks_what_emergency_contracts_are(text)


def test_what_emergency_contracts_are_is_not_the_site() -> None:
    assert not asks_what_the_emergency_site_is("que son los contratos de emergencia")
