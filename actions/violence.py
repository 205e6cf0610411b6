"""The nearest attention centres for a municipality typed as people type it.

``action_buscar_centro`` answers at once when the message names a municipality ("¿hay una
UNIDAS en Neza?"); otherwise it asks (``centro_form``, one free-text slot) and answers when the
form completes. A municipality shared by several (Atizapán, Cuautitlán, Tenango…) gets buttons.
A shared location never comes here: the conversation core answers it without Rasa.
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.place_only import place_only
from actions.unsure import DATA_INTENT, handover_events, latest_user_event
from actions.unsure_kinds import asks_for_data, contracts_or_open_data_asked, looks_like_question
from actions.violence_guard import fitting_hits, is_violence_entry
from bot.content.faq import FaqEntry, faq_catalog
from bot.content.municipalities import Municipality, MunicipalityMatch, municipality_index
from bot.content.render import answer_buttons, render_answer
from bot.content.retrieval import faq_index
from bot.violence.directory import DirectoryMessage, directory, names_help_for_women
from bot.violence.named import asks_what_not_where, named_subjects
from bot.violence.own_violence import MEN_ENTRY, misfits, wants_to_stop_own_violence

FORM = "centro_form"
SLOT = "municipio_centro"
ATTEMPTS = "centro_intentos"
MAX_ATTEMPTS = 2
# When the typed answer is no municipality but clearly something else, do that instead.
DIGRESSIONS = {
    "faq": "action_answer_faq",
    "elegir_tema": "action_answer_faq",
    "help": "utter_menu",
    "greet": "utter_greet",
    "thanks": "utter_thanks",
    "goodbye": "utter_goodbye",
    "salida_rapida": "utter_salida_rapida",
    "ver_temas": "action_show_topics",
}
DIGRESSION_CONFIDENCE = 0.6
SHORT_ANSWER_WORDS = 4
BUTTON_AGAIN = "/buscar_centro"


def with_named_service(dispatcher: CollectingDispatcher, text: str, start: int) -> None:
    """The line about a place the message names by its own name («¿qué es la Puerta Violeta?»,
    content/centres.yml `named:`) in front of what this action said from message ``start`` on;
    nothing when the action said nothing (it handed the turn over) or the text is a button."""
    if text.startswith("/") or len(dispatcher.messages) <= start:
        return
    line = directory().about_named(text)
    if line is not None:
        said = CollectingDispatcher()
        said.utter_message(text=line)
        dispatcher.messages.insert(start, said.messages[0])


def what_it_is(text: str) -> FaqEntry | None:
    """The violence answer a what-question names (bot/violence/named.py), else BM25's closest
    violence answer that fits the people the message speaks of; None when there is none."""
    unfit = misfits(text)
    ids = [i for i in named_subjects(text) if i not in unfit]
    ids += [h.faq_id for h in fitting_hits(faq_index().rank(text), text) if is_violence_entry(h.faq_id)]
    return faq_catalog().by_id().get(ids[0]) if ids else None


def send(dispatcher: CollectingDispatcher, messages: list[DirectoryMessage]) -> None:
    for message in messages:
        buttons = [{"title": title, "payload": payload} for title, payload in message.buttons]
        if message.location:
            dispatcher.utter_message(text=message.text, json_message={"location": message.location},
                                     buttons=buttons)
        else:
            dispatcher.utter_message(text=message.text, buttons=buttons)


def choose_buttons(candidates: list[Municipality]) -> list[dict[str, str]]:
    return [
        {
            "title": m.name[:40],
            "payload": "/buscar_centro" + json.dumps({"municipio": m.code}, separators=(",", ":")),
        }
        for m in candidates
    ]


def resolve(text: str, short_answer: bool) -> MunicipalityMatch:
    """A typed answer may be just the name (typos welcome); a question names it somewhere."""
    index = municipality_index()
    if short_answer and len(text.split()) <= SHORT_ANSWER_WORDS:
        direct = index.match(text)
        if direct.best or direct.candidates:
            return direct
    return index.find_in_text(text)


class ActionBuscarCentro(Action):
    """Answers with the nearest centres, asks for the municipality, or offers the candidates."""

    def name(self) -> str:
        return "action_buscar_centro"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        start = len(dispatcher.messages)
        events = self._answer(dispatcher, tracker)
        if tracker.get_slot(SLOT) is None:  # her first words, not the municipality asked for
            with_named_service(dispatcher, str(tracker.latest_message.get("text") or ""), start)
        return events

    def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        places = directory()
        messages = places.content.messages
        code = next(tracker.get_latest_entity_values("municipio"), None)
        typed = tracker.get_slot(SLOT)
        reset = [SlotSet(SLOT, None)]
        if code is not None:
            chosen = places.by_code.get(str(code))
            if chosen is None:
                dispatcher.utter_message(text=" ".join(messages.not_found.split()))
                return reset
            send(dispatcher, places.answer_municipality(chosen))
            return [*reset, SlotSet(ATTEMPTS, 0)]
        intent = tracker.latest_message.get("intent") or {}
        if typed is not None and str(typed).startswith(BUTTON_AGAIN):
            typed = None  # the centre button pressed again while asked: ask again
        text = str(typed) if typed else str(tracker.latest_message.get("text") or "")
        if typed is None and wants_to_stop_own_violence(text):
            # «¿hay talleres para hombres en <municipio>?»: the women's centres are not his place.
            men = faq_catalog().by_id()[MEN_ENTRY]
            dispatcher.utter_message(text=render_answer(men), buttons=answer_buttons(men))
            return [*reset, SlotSet(ATTEMPTS, 0)]
        if typed is None and not text.startswith("/") and asks_what_not_where(text):
            # «¿qué diferencia hay entre un CJM y las UNIDAS? vi uno en <municipio>», «¿en
            # <municipio> ya multan por piropos?»: what it is, not the nearest centres (round 11).
            entry = what_it_is(text)
            if entry is not None:
                dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
                return [*reset, SlotSet(ATTEMPTS, 0)]
        if typed is None and not text.startswith("/") and asks_for_data(text) \
                and not names_help_for_women(text):
            # «¿cuánto costó el kiosko del centro de <municipio>?»: downtown, and a figure to ask
            # the municipality for (the information request), not a place of help.
            return handover_events(DATA_INTENT, dispatcher, tracker.latest_message,
                                   latest_user_event(tracker.events))[1]
        asked = (contracts_or_open_data_asked(text) if typed is None and not text.startswith("/")
                 and not names_help_for_women(text) else None)
        if asked is not None:
            # «¿hay datos abiertos del aire en <municipio>?», «los contratos con la palabra
            # cubrebocas… en el centro universitario de <municipio>»: data, not a place of help.
            return handover_events(asked, dispatcher, tracker.latest_message,
                                   latest_user_event(tracker.events))[1]
        if typed is None and place_only(dispatcher, text, tracker.events):
            # «<municipio>» alone, outside any form: what about it? (not the centres at once)
            return [*reset, SlotSet(ATTEMPTS, 0)]
        found = resolve(text, short_answer=typed is not None) if not text.startswith("/") else None
        if found and found.best:
            send(dispatcher, places.answer_municipality(found.best))
            return [*reset, SlotSet(ATTEMPTS, 0)]
        outside = places.outside_place(text) if not text.startswith("/") else None
        if outside is not None:
            # Not a typo to ask about again: the directory covers one state. Said once, with lines.
            dispatcher.utter_message(text=places.answer_outside(outside).text)
            return [*reset, SlotSet(ATTEMPTS, 0)]
        if found and found.candidates and len(found.candidates) > 1:
            dispatcher.utter_message(
                text=messages.choose, buttons=choose_buttons(found.candidates)
            )
            return [*reset, SlotSet(ATTEMPTS, 0)]
        if typed is None:
            # No municipality in the request: ask for it (or for the location).
            return [*reset, SlotSet(ATTEMPTS, 0), FollowupAction(FORM)]
        other = DIGRESSIONS.get(str(intent.get("name")))
        # A confident intent on gibberish ("jsjsjs kdkd") is no reason to leave: ask again.
        # An FAQ must be asked («¿qué es el STL?»): the round 10 model was sure «barrio de san
        # pedro», typed as her place, was an FAQ question (the merge's integration test).
        if (other and float(intent.get("confidence") or 0) >= DIGRESSION_CONFIDENCE
                and faq_index().knows_any(text)
                and (other != DIGRESSIONS["faq"] or looks_like_question(text))):
            return [*reset, SlotSet(ATTEMPTS, 0), FollowupAction(other)]
        attempts = int(tracker.get_slot(ATTEMPTS) or 0) + 1
        if attempts < MAX_ATTEMPTS:  # asked again: the channel offers the location button again
            dispatcher.utter_message(text=" ".join(messages.not_found.split()),
                                     json_message={"request_location": True})
        else:
            dispatcher.utter_message(text=" ".join(messages.not_found.split()))
        if attempts < MAX_ATTEMPTS:
            return [*reset, SlotSet(ATTEMPTS, attempts), FollowupAction(FORM)]
        return [*reset, SlotSet(ATTEMPTS, 0)]


class ActionAskMunicipioCentro(Action):
    """Asks where she is; a channel may offer a one-tap "share location" button."""

    def name(self) -> str:
        return "action_ask_municipio_centro"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if int(tracker.get_slot(ATTEMPTS) or 0) > 0:
            return []  # the "not found" message already asked again
        ask = " ".join(directory().content.messages.ask.split())
        dispatcher.utter_message(text=ask, json_message={"request_location": True})
        return []

