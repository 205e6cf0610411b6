"""The replies of the unsure path: an answer, the closest entries, or the message re-stated.

A hand-over re-states the message with another intent (the events Rasa's own two-stage fallback
uses: revert the turn, listen, the same text understood as ``pedir_datos``, ``buscar_contratos``
or ``proponer``), so that intent's rule runs next and the turn reports it.
"""

from __future__ import annotations

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
)
from actions.unsure_ranking import MAX_SUGGESTIONS, VIOLENCE_FIRST_ENTRY, VIOLENCE_TOPIC, closest
from bot.content.chat import chat_content
from bot.content.faq import FaqEntry, faq_catalog
from bot.content.render import answer_buttons, render_answer
from bot.content.retrieval import Hit
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
