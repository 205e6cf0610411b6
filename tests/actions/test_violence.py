"""actions/violence.py against JSON trackers: finding the nearest attention centres."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.violence import ActionAskMunicipioCentro, ActionBuscarCentro
from bot.content.faq import faq_catalog
from bot.content.hotlines import hotlines
from bot.content.municipalities import municipality_index
from bot.content.render import render_answer
from bot.violence.directory import directory
from tests.actions.conftest import load_tracker

RESET = SlotSet("municipio_centro", None)


def _expected_answer(code: str) -> list[str]:
    places = directory()
    return [m.text for m in places.answer_municipality(places.by_code[code])]


async def _run(name: str, dispatcher: CollectingDispatcher, domain: dict[str, Any],
               action: Any = None) -> list[dict[str, Any]]:
    return await (action or ActionBuscarCentro()).run(dispatcher, load_tracker(name), domain)


async def test_a_municipality_named_in_the_question_is_answered_at_once(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await _run("centro_named_in_question", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 0)]
    neza = municipality_index().find_in_text("neza").best
    assert neza is not None and neza.name == "Nezahualcóyotl"
    assert [m["text"] for m in dispatcher.messages] == _expected_answer(neza.code)
    assert any(m.get("custom", {}).get("location") for m in dispatcher.messages), "a map pin"


async def test_without_a_municipality_the_form_asks_for_it(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await _run("centro_without_municipality", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 0), FollowupAction("centro_form")]
    assert dispatcher.messages == []


async def test_a_tapped_municipality_button_is_answered(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await _run("centro_button_choice", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 0)]
    assert [m["text"] for m in dispatcher.messages] == _expected_answer("15106")


async def test_a_stale_municipality_button_says_not_found(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await _run("centro_button_unknown", dispatcher, domain)
    assert events == [RESET]
    [message] = dispatcher.messages
    assert message["text"] == " ".join(directory().content.messages.not_found.split())


async def test_an_ambiguous_name_offers_each_municipality(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await _run("centro_typed_ambiguous", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 0)]
    [message] = dispatcher.messages
    assert message["text"] == directory().content.messages.choose
    assert [b["title"] for b in message["buttons"]] == ["Cuautitlán", "Cuautitlán Izcalli"]
    assert all(b["payload"].startswith('/buscar_centro{"municipio":"15') for b in message["buttons"])


async def test_an_unknown_place_is_asked_again_once_then_let_go(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    first = await _run("centro_typed_unknown_first", dispatcher, domain)
    assert first == [RESET, SlotSet("centro_intentos", 1), FollowupAction("centro_form")]
    second = await _run("centro_typed_unknown_again", dispatcher, domain)
    assert second == [RESET, SlotSet("centro_intentos", 0)]
    not_found = " ".join(directory().content.messages.not_found.split())
    assert [m["text"] for m in dispatcher.messages] == [not_found, not_found]


async def test_a_question_instead_of_a_place_is_answered_instead(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await _run("centro_typed_question_instead", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 0), FollowupAction("action_answer_faq")]
    assert dispatcher.messages == []


async def test_confident_gibberish_does_not_leave_the_form_silently(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """The model may be 93 % sure that "jsjsjs kdkdkd" is a question: still, she is asked again."""
    events = await _run("centro_typed_gibberish", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 1), FollowupAction("centro_form")]
    [message] = dispatcher.messages
    assert message["text"] == " ".join(directory().content.messages.not_found.split())


async def test_the_question_offers_to_share_a_location_only_the_first_time(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    asked = await _run("centro_without_municipality", dispatcher, domain, ActionAskMunicipioCentro())
    assert asked == []
    [message] = dispatcher.messages
    assert message["custom"] == {"request_location": True}
    again = await _run("centro_typed_unknown_again", dispatcher, domain, ActionAskMunicipioCentro())
    assert again == [] and len(dispatcher.messages) == 1


async def test_a_place_outside_the_state_is_said_once_with_the_national_lines(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await _run("centro_typed_outside_state", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 0)], "no second «No encontré»"
    [message] = [m["text"] for m in dispatcher.messages]
    assert message.startswith("Iztapalapa está fuera del Estado de México")
    assert "solo tiene centros del Estado de México" in message
    lines = hotlines().by_id()
    assert f"{lines['linea_mujeres'].name}, {lines['linea_mujeres'].number}" in message
    assert "No encontré" not in message


async def test_a_question_naming_a_place_outside_the_state_is_answered_at_once(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await _run("centro_outside_state_in_question", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 0)]
    [message] = [m["text"] for m in dispatcher.messages]
    assert message.startswith("CDMX está fuera del Estado de México")


async def test_a_man_who_hurt_his_partner_gets_the_answer_for_men_not_the_centres(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """The women's centres are not where he goes: the model said buscar_centro (a place of help
    and a municipality), the reply is the answer for men, with no map and no question."""
    events = await _run("centro_man_own_violence", dispatcher, domain)
    assert events == [RESET, SlotSet("centro_intentos", 0)]
    [message] = dispatcher.messages
    assert message["text"] == render_answer(faq_catalog().by_id()["hombres_violencia"])
    assert not message.get("custom"), "no map pin, no location request"


async def test_a_figure_about_downtown_is_asked_for_not_a_centre(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    """beh10: «¿cuánto costó el kiosko del centro de <municipio>?» got the three nearest centres."""
    events = await _run("centro_downtown_spending", dispatcher, domain)
    assert dispatcher.messages == []
    assert events[-1]["parse_data"]["intent"]["name"] == "pedir_datos"


def test_a_figure_about_a_place_of_help_is_not_handed_over() -> None:
    from bot.violence.directory import names_help_for_women

    assert names_help_for_women("cuanto cobran en el centro de justicia de toluca")
    assert not names_help_for_women("cuanto costo arreglar el kiosko del centro de neza")
