"""Public contracts in the chat: search in the citizen's words, "ver más", CSV, emergency view.

Thin adapters over ``bot.procurement.replies``; the search is understood
from the message text (names are matched against the loaded data), so the NLU
only has to recognise that the person wants to look at contracts.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.channel import in_terminal
from actions.unsure import DATA_INTENT, handover_events, latest_user_event, words_ask_for
from actions.unsure_kinds import (
    CENTRE_INTENT,
    CONTRACTS_INTENT,
    DOWNLOAD_INTENT,
    EMERGENCY_CONTRACTS_INTENT,
    asks_about_contracts_in_general,
    asks_for_data,
    looks_like_question,
)
from actions.unsure_ranking import clear_choice, near_choice, selector_ranking
from actions.unsure_replies import answer as answer_entry
from actions.violence_guard import violence_instead
from bot.config import get_settings
from bot.content.faq import FaqEntry, faq_catalog
from bot.content.retrieval import faq_index, is_explicit_contract_search, spending_of_an_institution
from bot.procurement import replies
from bot.procurement.asked import concept_asked, wants_download

SLOT = "consulta_contratos"


def _entity(tracker: Tracker, name: str) -> Any:
    return next(tracker.get_latest_entity_values(name), None)


def _send(dispatcher: CollectingDispatcher, answer: replies.Answer,
          tracker: Tracker | None = None) -> list[dict[str, Any]]:
    buttons = answer.buttons
    if tracker is not None and in_terminal(tracker):
        # New contracts of a followed institution are sent by Telegram only: no «Seguir» here.
        buttons = [b for b in buttons if not b["payload"].startswith(replies.FOLLOW_PAYLOAD)]
    dispatcher.utter_message(text=answer.text, buttons=buttons)
    if answer.document:
        dispatcher.utter_message(json_message={"document": answer.document})
    return [SlotSet(SLOT, answer.query_id)] if answer.query_id else []


def _page(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


class ActionSearchContracts(Action):
    """A search in the person's own words, or a suggestion button with a stored query."""

    def name(self) -> str:
        return "action_buscar_contratos"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        qid = _entity(tracker, "q")
        if qid is not None:
            answer = await asyncio.to_thread(replies.answer_saved, str(qid), 0)
        elif _entity(tracker, "orden") is not None:
            answer = await asyncio.to_thread(replies.answer_text, "los contratos más grandes")
        else:
            if violence_instead(dispatcher, tracker):
                return []  # clearly about violence: never a contract search for her words
            text = tracker.latest_message.get("text") or ""
            handover = words_ask_for(text)
            if handover is not None and handover not in (CONTRACTS_INTENT, CENTRE_INTENT):
                # "vi un contrato… ¿cómo pido el fallo?": the steps of a request, not a search;
                # "pásame la base completa": the file; "los más caros de la emergencia": the
                # emergency list; "¿qué son los contratos de emergencia?": what they are.
                return handover_events(str(handover), dispatcher, tracker.latest_message,
                                       latest_user_event(tracker.events))[1]
            if asks_for_data(text) and spending_of_an_institution(text):
                # «¿cuánto gastó la fiscalía en patrullas?»: what an institution spent is a figure
                # to ask it for (the information request), not a search; naming a supplier or a
                # contract keeps the search, and so does spending with nobody named («¿cuánto se
                # gastó en material de curación?»: the contracts answer it).
                return handover_events(DATA_INTENT, dispatcher, tracker.latest_message,
                                       latest_user_event(tracker.events))[1]
            entry = general_answer(tracker.latest_message)
            if entry is not None:
                # "¿Qué es la adjudicación directa?", "¿de dónde sacan los contratos?": an answer,
                # not a search for those words.
                return answer_entry(dispatcher, entry)[1]
            answer = await asyncio.to_thread(replies.answer_text, text)
        return _send(dispatcher, answer, tracker)


CONTRACTS_TOPIC = "contrataciones"


def general_answer(latest_message: dict[str, Any]) -> FaqEntry | None:
    """The FAQ answer to a question about contracts in general that the model took for a search,
    when the selector and BM25 point at one answer; None for anything else (it is searched).

    A question about the data or how to read them («¿el OCDS cubre todo el ciclo?», «¿eso es una
    señal de alerta?», «¿cómo reviso si hubo sobreprecio?») is answered too: by the contracts
    answer the rankings agree on, else by the answer its kind names."""
    text = str(latest_message.get("text") or "")
    concept = (concept_asked(text) if looks_like_question(text) and not is_explicit_contract_search(text)
               else None)
    if not asks_about_contracts_in_general(text) and concept is None:
        return None
    entries = faq_catalog().by_id()
    selector = selector_ranking(latest_message)
    hits = faq_index().rank(text)
    choice = clear_choice(selector, hits) or near_choice(selector, hits)
    chosen = entries.get(choice or "")
    if concept is not None and (chosen is None or chosen.topic != CONTRACTS_TOPIC):
        return entries.get(concept)
    return chosen


class ActionMoreContracts(Action):
    """The "ver más" button: the next page of a stored search."""

    def name(self) -> str:
        return "action_ver_mas_contratos"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        qid = _entity(tracker, "q")
        page = _entity(tracker, "p")
        if qid is None and page is None:
            # «más», «siguiente» typed: the page after the one on screen, not always the second.
            offered = offered_more(tracker.events)
            if offered == LAST_PAGE and tracker.get_slot(SLOT):
                dispatcher.utter_message(text=replies.procurement_content().text("no_more"))
                return []
            if offered is not None and offered != LAST_PAGE:
                qid, page = offered
        qid = qid or tracker.get_slot(SLOT)
        if not qid:
            answer = replies.answer_saved("", 0)
        else:
            answer = await asyncio.to_thread(replies.answer_saved, str(qid), _page(page or 1))
        return _send(dispatcher, answer, tracker)


MORE_PAYLOAD = "/ver_mas_contratos"
LAST_PAGE = ("", -1)


def offered_more(events: list[dict[str, Any]]) -> tuple[str, int] | None:
    """The query and page of the «Ver más resultados» the latest results offered; LAST_PAGE when
    those results had buttons but no «más» (the last page); None when nothing tells."""
    for event in reversed(events):
        if event.get("event") != "bot":
            continue
        buttons = (event.get("data") or {}).get("buttons") or []
        for button in buttons:
            payload = str(button.get("payload") or "")
            if payload.startswith(MORE_PAYLOAD + "{"):
                try:
                    data = json.loads(payload.removeprefix(MORE_PAYLOAD))
                except ValueError:
                    return None
                return (str(data.get("q") or ""), _page(data.get("p"))) if data.get("q") else None
        if any(str(b.get("payload") or "").startswith("/descargar_contratos") for b in buttons):
            return LAST_PAGE  # contract results without «más»: that was the last page
    return None


class ActionDownloadContracts(Action):
    """The result set as a CSV file; the channel sends it as a document."""

    def name(self) -> str:
        return "action_descargar_contratos"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        qid = _entity(tracker, "q") or tracker.get_slot(SLOT)
        text = str(tracker.latest_message.get("text") or "")
        if qid is None and not text.startswith("/") and not wants_download(text):
            # «¿De dónde sacan los contratos? ¿son oficiales?»: where the data come from, not the file.
            entry = general_answer(tracker.latest_message)
            if entry is not None:
                return answer_entry(dispatcher, entry)[1]
        directory = get_settings().var_dir / "exports"
        answer = await asyncio.to_thread(
            replies.answer_csv, str(qid) if qid else None, directory
        )
        return _send(dispatcher, answer, tracker)


class ActionEmergencyContracts(Action):
    """Contracts the data marks as emergency ones, or an honest "none in the loaded data"."""

    def name(self) -> str:
        return "action_contratos_emergencia"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if violence_instead(dispatcher, tracker):
            return []
        return _send(dispatcher, await asyncio.to_thread(replies.answer_emergency))


class ActionProcurementMenu(Action):
    """What the person can ask about public contracts, with buttons."""

    def name(self) -> str:
        return "action_menu_contratos"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if violence_instead(dispatcher, tracker):
            return []
        text = str(tracker.latest_message.get("text") or "")
        if not text.startswith("/"):
            # «busca los contratos de una empresa que se llama…»: the search itself, not the menu
            # of what can be asked; «¿qué es OCDS?»: its answer.
            handover = words_ask_for(text)
            if handover in (CONTRACTS_INTENT, DOWNLOAD_INTENT, EMERGENCY_CONTRACTS_INTENT):
                return handover_events(str(handover), dispatcher, tracker.latest_message,
                                       latest_user_event(tracker.events))[1]
            entry = general_answer(tracker.latest_message)
            if entry is not None:
                return answer_entry(dispatcher, entry)[1]
        return _send(dispatcher, replies.answer_menu())
