"""Look-alikes of danger that are not danger get what they ask, never the violence help (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.unsure import reply_when_unsure
from actions.unsure_kinds import asks_for_data
from actions.unsure_replies import asks_about_lines_or_quakes


def _turn(text: str, sensitive: bool = True) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """The unsure path on ``text`` as the core sends it (``sensitive``: «911» is in its lexicon)."""
    dispatcher = CollectingDispatcher()
    user = {"event": "user", "text": text, "input_channel": "participa",
            "metadata": {"channel": "telegram", **({"sensitive": True} if sensitive else {})}}
    message = {"text": text, "intent": {"name": "faq", "confidence": 0.4},
               "response_selector": {"faq": {"ranking": [
                   {"intent_response_key": "faq/que_hacer_violencia", "confidence": 0.3}]}}}
    outcome, events = reply_when_unsure(dispatcher, message, [user])
    return outcome, events, dispatcher.messages


@pytest.mark.parametrize("text", [
    "oye y si mi niño le marca al 911 jugando nos llega multa?",
    "el 089 es lo mismo que el 911 o para que es cada uno",
    "es verdad que cobran las llamadas al 911 desde el celular",
])
def test_a_question_about_the_emergency_lines_gets_what_the_bot_knows_then_out_of_scope(text: str) -> None:
    outcome, events, messages = _turn(text)
    assert outcome == "lookalike_lines"
    [message] = messages
    assert "911" in message["text"] and "089" in message["text"]
    assert "gratuita" in message["text"]  # content/hotlines.yml, with its source
    assert "Fuente:" in message["text"]
    assert "multas" in message["text"]  # what it does not know, said
    user = [e for e in events if e["event"] == "user"][-1]
    assert user["parse_data"]["intent"]["name"] == "out_of_scope"


@pytest.mark.parametrize("text", [
    "a que hora es el simulacro de manana en las escuelas?",
    "como funciona la alerta sismica, suena en todo el estado?",
])
def test_a_question_about_earthquakes_says_nothing_is_verified(text: str) -> None:
    outcome, events, messages = _turn(text, sensitive=False)
    assert outcome == "lookalike_quakes"
    assert "no tengo información verificada" in messages[0]["text"]
    assert [e for e in events if e["event"] == "user"][-1]["parse_data"]["intent"]["name"] == "out_of_scope"


@pytest.mark.parametrize("text", [
    "el 911 me sirve si mi pareja me pega?",  # violence: its own answers
    "mi vecino le grita a su señora, le marco al 911?",
    "cuanto gasto el municipio en el centro de mando del 911?",  # a figure: the data request
    "quiero ver los contratos que hicieron por el sismo",  # contracts
    "cuando les escribo a ustedes y cuando mejor al 911?",  # about this bot
    "el sismo tiro la barda de la escuela y nadie vino a arreglarla",  # told, not asked
])
def test_other_subjects_near_the_lines_are_left_to_their_paths(text: str) -> None:
    assert asks_about_lines_or_quakes(text) is None


@pytest.mark.parametrize("text", [
    "cuanto dinero les dieron a los municipios del sur por el programa de caminos?",
    "en que se gastaron los 40 millones del fondo para escuelas de tenancingo",
    "cuales son las colonias de zinacantepec con mas asaltos?",
])
def test_money_spent_or_places_ranked_are_figures_to_ask_the_government(text: str) -> None:
    assert asks_for_data(text)
    outcome, events, _messages = _turn(text, sensitive=False)
    assert outcome == "data_request"
    assert [e for e in events if e["event"] == "user"][-1]["parse_data"]["intent"]["name"] == "pedir_datos"


@pytest.mark.parametrize("text", [
    "como se gasta menos luz en la casa?",
    "quiero saber en que se gasta el presupuesto, como le sigo la pista al dinero publico?",
])
def test_spending_talked_about_in_general_is_no_figure(text: str) -> None:
    assert not asks_for_data(text)


@pytest.mark.parametrize("text", [
    "la peli de zombies de anoche me mato de miedo jaja, alguien sabe si hay segunda parte?",
    "en el fortnite me mataron en la primera ronda otra vez, que coraje",
    "mi suegra me va a matar si no llego a la comida jajaja no es cierto, es un amor",
])
def test_fiction_games_and_jokes_taken_back_get_no_violence_help(text: str) -> None:
    outcome, _events, _messages = _turn(text)  # marked sensitive by the core for the scary word
    assert outcome != "violence_help"


@pytest.mark.parametrize("text", [
    "en la serie el novio la golpea, eso es violencia?",  # violence named: its answers
    "mi hija se fue con un tipo que conocio en el free fire y no contesta",  # someone at risk
    "mi esposo me pega cuando juega futbol y pierde jaja no es cierto... o si",
])
def test_fiction_or_a_joke_beside_violence_lived_keeps_the_violence_paths(text: str) -> None:
    from actions.unsure_replies import only_a_figure
    assert not only_a_figure(text)


@pytest.mark.parametrize(("text", "question"), [
    ("mi jefa me va a matar si no llego jajaja bueno ya rapido, que es el ipomex?", "que es el ipomex?"),
    ("me muero de sueño jaja, rapidito: como pido informacion al municipio?",
     "como pido informacion al municipio?"),
])
def test_rapido_after_a_figure_of_speech_is_no_part_of_the_question(text: str, question: str) -> None:
    from bot.conversation.safety import load_safety_net
    assert (load_safety_net().without_figures(text) or "").lower() == question


@pytest.mark.parametrize("text", [
    "contratos de emergencia del covid en el edomex",
    "los contratos de emergencia del sismo de 2017",
])
def test_the_emergency_named_with_the_state_or_a_year_is_the_emergency_list(text: str) -> None:
    from actions.unsure_kinds import words_ask_for
    assert words_ask_for(text) == "contratos_emergencia"
