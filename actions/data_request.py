"""Data the bot does not hold ("¿cuánto gastó…?", "¿cuánto gana…?"): who has it and how to ask.

The reply says honestly that the bot has no such data, who holds it, the steps of a request (the
FAQ entry ``como_pedir_informacion``) and buttons to that entry and to "¿A quién le puedo pedir…?".
It carries a marker (custom ``{"info_request": true}``): the conversation core then replaces it
with a drafted request (bot/inforequests/), which needs the conversation's state. So the unsure
action's data replies get the draft too; Rasa used without the core keeps this reply.

A message the model took for a figure but that asks about the request itself (its cost, its
rules) or asks no figure at all gets the FAQ answer instead (:func:`answer_instead`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import in_form
from actions.faq_buttons import faq_button
from actions.unsure import handover_events, latest_user_event, words_ask_for
from actions.unsure_kinds import about_requests, asks_for_data
from actions.unsure_ranking import clear_choice, selector_ranking
from actions.unsure_replies import answer
from bot.content.chat import chat_content
from bot.content.faq import FaqEntry, faq_catalog
from bot.content.retrieval import asks_about_a_procedure, faq_index
from bot.inforequests.dialogue import MARKER

RESPONSE = "utter_pedir_datos"
STEPS_ENTRY = "como_pedir_informacion"
BUTTON_ENTRIES = (STEPS_ENTRY, "sujeto_obligado")


def data_request_reply(dispatcher: CollectingDispatcher) -> None:
    """The honest "no tengo ese dato" with the steps to ask for it."""
    intro = " ".join(chat_content().responses[RESPONSE][0].text.split())
    steps = faq_catalog().by_id().get(STEPS_ENTRY)
    text = f"{intro}\n\n{steps.answer.strip()}" if steps else intro
    buttons = [b for faq_id in BUTTON_ENTRIES if (b := faq_button(faq_id))]
    dispatcher.utter_message(text=text, buttons=buttons, json_message={MARKER: True})


class ActionDataRequest(Action):
    """pedir_datos: the person asks for a figure of the government the bot does not have."""

    def name(self) -> str:
        return "action_pedir_datos"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = str(tracker.latest_message.get("text") or "")
        user_event = latest_user_event(tracker.events)
        sensitive = bool(((user_event or {}).get("metadata") or {}).get("sensitive"))
        handover = None if in_form(tracker) else words_ask_for(text, sensitive)
        if handover is not None:
            # "¿Cuánto le pagaron a Grupo X?": the contracts the bot holds answer it.
            return handover_events(handover, dispatcher, tracker.latest_message, user_event)[1]
        entry = None if in_form(tracker) else answer_instead(tracker.latest_message, sensitive)
        if entry is not None:
            return answer(dispatcher, entry)[1]
        data_request_reply(dispatcher)
        return []


def answer_instead(latest_message: dict[str, Any], sensitive: bool) -> FaqEntry | None:
    """The FAQ entry a message the model took for a figure really asks: the cost or the rules of
    a request («si le pido info al municipio, ¿cuánto me cobran?»), or, when no figure is asked
    at all, the answer both rankings agree on («no tenemos ni presupuesto para sistemas, ¿hay
    herramientas para municipios?»)."""
    text = str(latest_message.get("text") or "")
    selector = selector_ranking(latest_message)
    first = selector[0][0] if selector else None
    entries = faq_catalog().by_id()
    if about_requests(first, text):
        return entries.get(first or "")
    if asks_about_a_procedure(text) and first in entries:
        return entries[first or ""]  # «¿cuánto tarda y se paga algo?»: the procedure's answer
    if asks_for_data(text) or sensitive:
        return None
    hits = faq_index().rank(text)
    agreed = hits and first == hits[0].faq_id and clear_choice(selector, hits) == first
    return entries.get(first or "") if agreed else None
