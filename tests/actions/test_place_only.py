"""actions/place_only.py against JSON trackers: a municipality's name typed alone."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.place_only import bare_municipality
from actions.violence import ActionBuscarCentro
from bot.content.municipalities import municipality_index
from bot.violence.directory import directory
from tests.actions.conftest import load_tracker

RESET = SlotSet("municipio_centro", None)


def _centres(name: str) -> list[str]:
    chosen = municipality_index().by_name(name)
    assert chosen is not None
    places = directory()
    return [m.text for m in places.answer_municipality(places.by_code[chosen.code])]


async def _run(name: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> list[Any]:
    return await ActionBuscarCentro().run(dispatcher, load_tracker(name), domain)


async def test_a_name_alone_asks_what_about_it_with_buttons(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await _run("centro_bare_municipality", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 0)]
    [message] = dispatcher.messages
    assert message["text"].startswith("¿Qué quieres saber de Tlalnepantla de Baz?")
    code = municipality_index().by_name("Tlalnepantla de Baz").code  # type: ignore[union-attr]
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[0] == f'/buscar_centro{{"municipio":"{code}"}}', "the centres one tap away"
    assert "/proponer" in payloads and "/menu_contratos" in payloads
    assert [b["title"] for b in message["buttons"]][0] == "Centros de atención a mujeres"


async def test_after_talking_about_violence_the_name_gets_the_centres(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    await _run("centro_bare_municipality_after_violence", dispatcher, domain)
    assert [m["text"] for m in dispatcher.messages] == _centres("Nezahualcóyotl")


async def test_the_name_typed_when_the_form_asked_gets_the_centres(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    await _run("centro_typed_bare_municipality", dispatcher, domain)
    assert [m["text"] for m in dispatcher.messages] == _centres("Tlalnepantla de Baz")


def test_only_a_whole_name_is_a_name_alone() -> None:
    assert bare_municipality("Nezahualcóyotl.") is not None
    assert bare_municipality("hay centros en Nezahualcóyotl?") is None
    assert bare_municipality("cuautitlan") is None, "shared by two: the usual buttons"
    assert bare_municipality('/buscar_centro{"municipio":"15058"}') is None


async def test_a_second_name_alone_is_asked_about_too(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    await _run("centro_second_bare_municipality", dispatcher, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith("¿Qué quieres saber de Metepec?")
