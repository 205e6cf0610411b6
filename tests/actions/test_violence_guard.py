"""actions/violence_guard.py against JSON trackers: violence never gets another subject's answer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq, ActionFallbackTopics
from actions.procurement import ActionSearchContracts
from actions.proposal_form import ActionStartProposal
from actions.violence import ActionBuscarCentro
from bot.content.faq import faq_catalog
from bot.content.render import render_answer


def _tracker(text: str, selector: list[tuple[str, float]], intent: str = "faq",
             metadata: dict[str, Any] | None = None) -> Tracker:
    """The tracker Rasa sends for the first message of a conversation."""
    ranking = [{"intent_response_key": f"faq/{i}", "confidence": c} for i, c in selector]
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [],
             "metadata": {"channel": "terminal", **(metadata or {})},
             "response_selector": {"all_retrieval_intents": ["faq"], "faq": {"ranking": ranking}}}
    return Tracker.from_dict({
        "sender_id": "fixture-user", "slots": {}, "latest_message": parse,
        "events": [{"event": "action", "name": "action_listen"},
                   {"event": "user", "text": text, "parse_data": parse,
                    "metadata": parse["metadata"], "input_channel": "rest"}],
        "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


def _answer(faq_id: str) -> str:
    return render_answer(faq_catalog().by_id()[faq_id])


def _texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [str(m.get("text") or "") for m in dispatcher.messages]


STORY = ("estuve casada doce años con un hombre que me insultaba y me humillaba enfrente de mis "
         "hijos, ya me separé hace tiempo pero todavía no sé cuánto tarda todo esto en sanar")


async def test_a_story_of_past_abuse_never_gets_a_procedure_answer_however_sure_the_model() -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, _tracker(STORY, [("plazos_respuesta", 0.93)]), {})
    texts = _texts(dispatcher)
    assert _answer("plazos_respuesta") not in texts
    assert texts[0] == _answer("que_hacer_violencia")  # what to do first
    payloads = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert all("plazos" not in p for p in payloads)


async def test_a_sure_violence_answer_is_still_given() -> None:
    dispatcher = CollectingDispatcher()
    text = "que significan los colores del violentometro"
    await ActionAnswerFaq().run(dispatcher, _tracker(text, [("violentometro", 0.9)]), {})
    assert _texts(dispatcher) == [_answer("violentometro")]


async def test_another_subject_in_the_same_message_is_left_to_the_model() -> None:
    dispatcher = CollectingDispatcher()
    text = "¿cuánto tarda la respuesta a una solicitud de información sobre la alerta de género?"
    await ActionAnswerFaq().run(dispatcher, _tracker(text, [("plazos_respuesta", 0.9)]), {})
    assert _texts(dispatcher) == [_answer("plazos_respuesta")]


async def test_the_unsure_path_offers_only_violence_topics() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker(STORY, [("plazos_respuesta", 0.2), ("no_me_responden", 0.1)])
    await ActionFallbackTopics().run(dispatcher, tracker, {})
    assert _answer("plazos_respuesta") not in _texts(dispatcher)
    assert _texts(dispatcher)[0] == _answer("que_hacer_violencia")


async def test_the_911_asked_about_violence_does_not_get_the_neighbours_answer() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker("¿el 911 sirve para violencia?",
                       [("vecina_violencia", 0.8), ("como_denunciar_violencia", 0.15)])
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert _answer("vecina_violencia") not in _texts(dispatcher)


async def test_a_mans_own_act_gets_the_answer_for_men_not_the_centres() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker("le di una cachetada a mi novia", [("que_hacer_violencia", 0.7)])
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert _texts(dispatcher) == [_answer("hombres_violencia")]
    dispatcher = CollectingDispatcher()
    tracker = _tracker("le grito a mi esposa y me arrepiento", [], intent="buscar_centro")
    await ActionBuscarCentro().run(dispatcher, tracker, {})
    assert _texts(dispatcher) == [_answer("hombres_violencia")]


async def test_violence_taken_for_a_contract_search_gets_the_violence_menu() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker("mi exmarido me golpeaba y me quitaba el sueldo", [], intent="buscar_contratos")
    events = await ActionSearchContracts().run(dispatcher, tracker, {})
    assert events == []
    assert _texts(dispatcher)[0] == _answer("que_hacer_violencia")


async def test_violence_taken_for_a_proposal_never_starts_the_interview() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker("durante años mi pareja me pegaba y me encerraba, ya me fui de la casa", [],
                       intent="proponer")
    events = await ActionStartProposal().run(dispatcher, tracker, {})
    assert _texts(dispatcher)[0] == _answer("que_hacer_violencia")
    assert not any(e.get("name") == "proposal_problem" for e in events)


async def test_the_puerta_violeta_named_gets_what_the_directory_says_of_it_first() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker("¿qué es la Puerta Violeta?", [("programas_violencia", 0.8)])
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    first, second = _texts(dispatcher)
    assert first.startswith("Sobre la Puerta Violeta")
    assert "Calle Luis Donaldo Colosio # 8" in first  # the row's address, never another
    assert "no oficial" in first and "800 108 40 53" in first
    assert second == _answer("programas_violencia")


async def test_a_button_gets_no_line_about_a_named_place() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker("¿qué es la Puerta Violeta?", [("programas_violencia", 0.8)])
    tracker.latest_message["text"] = "/elegir_tema"
    tracker.latest_message["entities"] = [{"entity": "tema", "value": "programas_violencia"}]
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert _texts(dispatcher) == [_answer("programas_violencia")]


# Round 10: the violence subject named in a story, whatever the model leaned to.
async def test_asked_whether_it_counts_as_violence_gets_what_violence_is_not_what_to_do() -> None:
    dispatcher = CollectingDispatcher()
    text = ("mi marido no me deja tener dinero propio y me pide cuentas de cada peso, "
            "¿eso cuenta como violencia aunque nunca me ha golpeado?")
    await ActionAnswerFaq().run(dispatcher, _tracker(text, [("que_hacer_violencia", 0.8)]), {})
    assert _texts(dispatcher) == [_answer("que_es_violencia_mujeres")]


async def test_asked_whether_it_counts_gives_way_to_a_specific_answer_the_model_ranks_first() -> None:
    dispatcher = CollectingDispatcher()
    text = "mi ex amenaza con no regresarme a mis hijos después de la visita, ¿eso es violencia?"
    tracker = _tracker(text, [("violencia_vicaria", 0.4), ("que_hacer_violencia", 0.3)])
    await ActionFallbackTopics().run(dispatcher, tracker, {})
    assert _texts(dispatcher)[0] == _answer("violencia_vicaria")


async def test_asked_whether_it_counts_and_where_to_go_gets_what_to_do() -> None:
    dispatcher = CollectingDispatcher()
    text = "mi hijo me quita la pensión y me grita, ¿eso también es violencia? ¿a dónde puedo ir?"
    await ActionAnswerFaq().run(dispatcher, _tracker(text, [("que_hacer_violencia", 0.8)]), {})
    assert _texts(dispatcher) == [_answer("que_hacer_violencia")]


async def test_unwanted_sexual_pictures_get_digital_violence_not_the_generic_report() -> None:
    dispatcher = CollectingDispatcher()
    text = "un compañero me manda fotos de su miembro por whats sin que yo quiera, ¿lo puedo denunciar?"
    await ActionAnswerFaq().run(dispatcher, _tracker(text, [("como_denunciar_violencia", 0.3)]), {})
    assert _texts(dispatcher)[0] == _answer("violencia_digital")


async def test_old_abuse_asked_if_still_reportable_gets_the_report_answer_even_when_sure_of_another(
) -> None:
    dispatcher = CollectingDispatcher()
    text = "hace ocho años mi tío abusó de mí, ¿todavía puedo denunciar o ya prescribió?"
    await ActionAnswerFaq().run(dispatcher, _tracker(text, [("programas_violencia", 0.7)]), {})
    assert _texts(dispatcher) == [_answer("como_denunciar_violencia")]


async def test_a_story_taken_for_a_proposal_gets_the_subject_it_names() -> None:
    dispatcher = CollectingDispatcher()
    tracker = _tracker("mi expareja me golpeaba hace años, ¿todavía lo puedo denunciar?", [],
                       intent="proponer")
    events = await ActionStartProposal().run(dispatcher, tracker, {})
    assert _texts(dispatcher)[0] == _answer("como_denunciar_violencia")
    assert not any(e.get("name") == "proposal_problem" for e in events)


async def test_a_woman_in_office_told_to_step_down_gets_political_violence() -> None:
    dispatcher = CollectingDispatcher()
    text = ("soy regidora y me mandan mensajes de que renuncie porque las mujeres no sabemos "
            "gobernar, me amenazan, ¿qué hago?")
    await ActionAnswerFaq().run(dispatcher, _tracker(text, [("que_hacer_violencia", 0.8)]), {})
    assert _texts(dispatcher)[0] == _answer("violencia_politica")
