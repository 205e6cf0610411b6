"""The replies of the unsure path: an answer, the closest entries, or the message re-stated.

A hand-over re-states the message with another intent (the events Rasa's own two-stage fallback
uses: revert the turn, listen, the same text understood as ``pedir_datos``, ``buscar_contratos``
or ``proponer``), so that intent's rule runs next and the turn reports it.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.faq_buttons import faq_button, menu_button
from actions.unsure_kinds import (
    CENTRE_INTENT,
    CONTRACTS_INTENT,
    DOWNLOAD_INTENT,
    EMERGENCY_CONTRACTS_INTENT,
    MY_PROPOSALS_INTENT,
    PROPOSAL_INTENT,
    SUBSCRIBE_INTENT,
    UNSUBSCRIBE_INTENT,
    asks_for_data,
    looks_like_question,
)
from actions.unsure_ranking import MAX_SUGGESTIONS, VIOLENCE_FIRST_ENTRY, VIOLENCE_TOPIC, closest
from bot.content.chat import chat_content
from bot.content.faq import FaqEntry, faq_catalog
from bot.content.hotlines import hotlines
from bot.content.render import answer_buttons, render_answer
from bot.content.retrieval import Hit
from bot.textnorm import normalize_words
from bot.violence.lexicon import clearly_violence, names_another_subject
from bot.violence.own_violence import ANOTHER_ENTRY, about_another_woman

HANDOVER_OUTCOMES = {CONTRACTS_INTENT: "contracts", CENTRE_INTENT: "centre",
                     DOWNLOAD_INTENT: "contracts_file", EMERGENCY_CONTRACTS_INTENT: "emergency_contracts",
                     PROPOSAL_INTENT: "proposal", MY_PROPOSALS_INTENT: "my_proposals",
                     SUBSCRIBE_INTENT: "subscribe",
                     UNSUBSCRIBE_INTENT: "unsubscribe"}
# Violence said in a way the model is unsure of: the steps of what to do come first, never a bare
# menu (her message is sensitive: the core's lexicon matched).


def latest_user_event(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((e for e in reversed(events) if e.get("event") == "user"), None)


def restate_as(intent: str, latest_message: dict[str, Any], user_event: dict[str, Any] | None
               ) -> list[dict[str, Any]]:
    """Events that make Rasa take the latest message as ``intent``: its rule runs next."""
    parse_data = {key: value for key, value in latest_message.items() if key != "response_selector"}
    original = latest_message.get("intent") or {}
    parse_data["intent"] = {"name": intent, "confidence": original.get("confidence") or 0.0}
    parse_data["rerouted_from"] = original.get("name")
    event = user_event or {}
    return [
        {"event": "rewind"},
        {"event": "action", "name": "action_listen", "policy": None, "confidence": None},
        {
            "event": "user",
            "text": latest_message.get("text"),
            "parse_data": parse_data,
            "input_channel": event.get("input_channel"),
            "metadata": event.get("metadata") or {},
        },
    ]


def answer(dispatcher: CollectingDispatcher, entry: FaqEntry) -> tuple[str, list[dict[str, Any]]]:
    """The entry's answer with its buttons; the outcome ``answer:<id>``."""
    dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
    return f"answer:{entry.id}", []


def answer_offering(dispatcher: CollectingDispatcher, entry: FaqEntry, offered: list[str]
                    ) -> tuple[str, list[dict[str, Any]]]:
    """The entry's answer, and a button for the next entry the message also asked about
    («¿qué es el STL y qué es una hoja de ruta?»: the first answered, the second offered)."""
    buttons = answer_buttons(entry)
    following = next((faq_id for faq_id in offered if faq_id != entry.id), None)
    if following is not None and (button := faq_button(following)) is not None:
        buttons.append(button)
    dispatcher.utter_message(text=render_answer(entry), buttons=buttons)
    return f"answer:{entry.id}", []


def handover_events(handover: str, dispatcher: CollectingDispatcher, latest_message: dict[str, Any],
                    user_event: dict[str, Any] | None) -> tuple[str, list[dict[str, Any]]]:
    """Carry out :func:`actions.unsure_kinds.words_ask_for`'s choice: the answer, or the message
    re-stated."""
    if handover.startswith("faq:"):
        return answer(dispatcher, faq_catalog().by_id()[handover.removeprefix("faq:")])
    return HANDOVER_OUTCOMES.get(handover, handover), restate_as(handover, latest_message, user_event)


def suggest(dispatcher: CollectingDispatcher, selector: list[tuple[str, float]], hits: list[Hit]
            ) -> tuple[str, list[dict[str, Any]]]:
    """«No estoy segura…» with the entries closest by both rankings, so the menu differs."""
    buttons = [b for faq_id in closest(selector, hits) if (b := faq_button(faq_id))]
    buttons.append(menu_button())
    dispatcher.utter_message(text=chat_content().core_text("not_sure"), buttons=buttons)
    return "suggest", []


def violence_help(
    dispatcher: CollectingDispatcher, selector: list[tuple[str, float]], hits: list[Hit],
    text: str = "",
) -> None:
    """What to do when living violence (how to help her, when ``text`` tells of another woman's
    violence and none done to the writer), with the closest violence topics as its buttons: one
    message, never a second «No estoy segura…» after an answer (turn8)."""
    entries = faq_catalog().by_id()
    first = entries[ANOTHER_ENTRY if text and about_another_woman(text) else VIOLENCE_FIRST_ENTRY]
    nearest = [faq_id for faq_id in closest(selector, hits, limit=10)
               if faq_id != first.id and faq_id in entries and entries[faq_id].topic == VIOLENCE_TOPIC]
    buttons = answer_buttons(first)
    buttons += [b for faq_id in nearest[:MAX_SUGGESTIONS] if (b := faq_button(faq_id))]
    buttons.append(menu_button())
    dispatcher.utter_message(text=render_answer(first), buttons=buttons)


# -- Questions ABOUT danger that are not danger (parec10, round 10; was actions/lookalikes.py).
# Questions ABOUT danger that are not danger: the emergency lines and earthquakes (issue 14).
#
# «¿Qué pasa si marco al 911 por error?», «¿en qué se diferencia el 911 del 089?», «¿cuándo es el
# próximo simulacro?»: the word «911» made the core mark them sensitive, and the unsure path then
# gave what to do when living violence, or the menu. They ask for information the bot only half
# holds: what the lines are for (content/hotlines.yml, with its source) and nothing verified about
# earthquakes. So the bot says what it knows, then the honest out-of-scope reply (the message is
# re-stated as ``out_of_scope``, whose rule answers next). A question that names violence against
# women, a figure, a contract or this bot is left to the paths that answer those.

OUT_OF_SCOPE_INTENT = "out_of_scope"
# The lines asked about (content/hotlines.yml ids), in the order they are told.
LINE_IDS = ("emergencias", "denuncia_anonima")
_LINES_RE = re.compile(r"\b(911|089|nueve once|numero de emergencias?|linea de emergencias?)\b")
_QUAKE_RE = re.compile(r"\b(sismos?|temblor(es)?|terremotos?|simulacros?|alerta sismica|alarma sismica"
                       r"|proteccion civil)\b")
# What the paths for violence answer («¿el 911 atiende violencia familiar?»), or this bot itself
# («¿cuándo les escribo a ustedes y cuándo al 911?»).
_ELSEWHERE_RE = re.compile(
    r"\b(violen\w*|mujer\w*|golpe\w*|pega\w*|acos\w*|abus\w*|maltrat\w*|pareja|esposo|marido|novio"
    r"|ustedes|este (chat|bot)|les escribo|contrat\w*|compr\w*|gast\w*|licit\w*"
    r"|propuesta\w*|propon\w*|empresa\w*|vendi\w*|proveedor\w*"
    # Or anything that may be danger the safety net did not see: the violence paths answer it.
    r"|vecin\w*|pele\w*|grit\w*|peligro|auxilio|amenaz\w*|ahorita|ahora mismo|urgente|arma\w*"
    r"|pistola|cuchillo|metieron|siguiendo|persigu\w*)\b")
# «que pasa si…», «es cierto que…»: asked, even without a question mark.
_ASKED_RE = re.compile(r"\b(que pasa si|es cierto|es verdad|para que (sirve|es|son)|sirve|funciona"
                       r"|cobra\w*|lo mismo|multa\w*|diferencia)\b")


def asks_about_lines_or_quakes(text: str) -> str | None:
    """``"lines"`` for a question about the 911 or the 089 themselves, ``"quakes"`` for one about
    earthquakes, drills or the seismic alert; None otherwise (or when another path answers it)."""
    words = normalize_words(text)
    lines, quakes = _LINES_RE.search(words), _QUAKE_RE.search(words)
    if not (lines or quakes):
        return None
    if not (looks_like_question(text) or _ASKED_RE.search(words)):
        return None  # «el sismo tiró la barda y nadie vino»: told, not asked
    if (_ELSEWHERE_RE.search(words) or clearly_violence(text) or names_another_subject(text)
            or asks_for_data(text)):
        return None
    return "lines" if lines else "quakes"


def lines_reply(dispatcher: CollectingDispatcher, kind: str, latest_message: dict[str, Any],
                user_event: dict[str, Any] | None) -> tuple[str, list[dict[str, Any]]]:
    """What the bot knows, with its source, then the out-of-scope reply (re-stated intent)."""
    if kind == "lines":
        chosen = [hotlines().by_id()[i] for i in LINE_IDS if i in hotlines().by_id()]
        text = chat_content().core_text(
            "about_emergency_lines", lines=hotlines().render(list(LINE_IDS)),
            source=chosen[0].source if chosen else "")
    else:
        text = chat_content().core_text("about_earthquakes")
    dispatcher.utter_message(text=text)
    return f"lookalike_{kind}", restate_as(OUT_OF_SCOPE_INTENT, latest_message, user_event)


# A film, a series, a song or a video game told about («la película me mató de susto», «en el free
# fire me mataron»), or a threat taken back as a joke («mi esposo me mata si ve la cuenta jajaja no
# es cierto»): the scary word is no violence lived, so no violence help.
_FICTION_RE = re.compile(
    r"\b(pelicula|peli|pelis|serie|novela|telenovela|cancion|corrido|videojuego|juego|jugando|free fire"
    r"|fortnite|minecraft|roblox|partida|personaje|caricatura|anime|libro de terror|de terror)\b")
_TAKEN_BACK_RE = re.compile(r"\b(no es cierto|es broma|es en broma|no es en serio|ya en serio|fuera de broma"
                            r"|nel|no te creas|no se crean)\b")
_LAUGH_RE = re.compile(r"\b(ja(ja)+\w*|je(je)+\w*|xd+|lol)\b|😂|🤣|😅|😆")
# Words of violence lived, which keep the violence paths whatever else the message says.
_LIVED_RE = re.compile(
    r"\b(violen\w*|golpe\w*|pega\w*|peg[oó]|abus\w*|acos\w*|viol[oa]\w*|maltrat\w*|ahorc\w*|encerr\w*"
    r"|encierr\w*|lastim\w*|insult\w*|humill\w*|cela\w*|controla\w*|miedo de (el|mi)|tengo miedo"
    r"|me (hizo|hace) dano|denunci\w*)\b")
# Someone real who may be at risk next to the fiction («se fue con un tipo que conoció en el
# juego»): the violence paths answer.
_SOMEONE_AT_RISK_RE = re.compile(
    r"\b(tiene miedo|tengo miedo|ayuda|auxilio|urgente|se fue con|se la llevo|conocio|cosas feas"
    r"|vivo|mi (hija|hermana|pareja|esposa|novia|novio|marido|ex|mama|sobrina|prima|amiga))\b")


def only_a_figure(text: str) -> bool:
    """Scary words that are fiction, a game or a joke taken back, and no violence lived in it."""
    words = normalize_words(text)
    if clearly_violence(text) or _LIVED_RE.search(words):
        return False
    if _FICTION_RE.search(words):
        return not _SOMEONE_AT_RISK_RE.search(words)
    return bool(_TAKEN_BACK_RE.search(words) and _LAUGH_RE.search(text.lower()))
