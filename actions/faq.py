"""Answer FAQ questions only when the model is confident; otherwise offer the closest topics."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.faq_buttons import faq_button, menu_button
from actions.unsure import (
    about_requests,
    early_reply,
    read_message,
    reply_when_unsure,
    selector_ranking,
    unsure_after_early,
)
from actions.unsure_kinds import asks_for_data
from actions.unsure_ranking import titles_asked
from actions.unsure_replies import answer_offering
from actions.violence import with_named_service
from actions.violence_guard import (
    fitting_hits,
    is_violence_entry,
    named_violence_answer,
    only_violence,
)
from bot.content.chat import chat_content
from bot.content.faq import faq_catalog
from bot.content.render import answer_buttons, render_answer
from bot.content.retrieval import faq_index

# Below this response-selector confidence the bot says it is not sure instead of answering.
# Tuned on the held-out set (benchmarks/nlu_accuracy.py).
FAQ_CONFIDENCE_THRESHOLD = 0.45


# Answers about where published data already is: a person who wants a figure and asks where to
# look («quiero bajar los datos del presupuesto, ¿dónde están?», «¿no está ya publicado?») asked
# for the way to find it, not for a request to be drafted.
FINDING_DATA_TOPICS = frozenset({"transparencia"})
FINDING_DATA_ENTRIES = frozenset({"informacion_ya_publica"})


def about_finding_data(top: tuple[str, float] | None) -> bool:
    """The selector is sure (FAQ_CONFIDENCE_THRESHOLD) of an answer about finding published data."""
    if top is None or top[1] < FAQ_CONFIDENCE_THRESHOLD:
        return False
    entry = faq_catalog().by_id().get(top[0])
    return entry is not None and (entry.topic in FINDING_DATA_TOPICS or entry.id in FINDING_DATA_ENTRIES)


# FAQ ids ranked by the response selector, best first (shared with the proposal form).
ranked_faq_ids = selector_ranking


def in_form(tracker: Tracker) -> bool:
    return bool((tracker.active_loop or {}).get("name"))


class ActionAnswerFaq(Action):
    """Answers the chosen FAQ entry, or says it is not sure and offers the closest ones."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        start = len(dispatcher.messages)
        events = self._answer(dispatcher, tracker)
        with_named_service(dispatcher, str(tracker.latest_message.get("text") or ""), start)
        return events

    def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        entries = faq_catalog().by_id()
        chosen = next(tracker.get_latest_entity_values("tema"), None)
        if chosen is not None:
            entry = entries.get(str(chosen))
            if entry is None:
                dispatcher.utter_message(
                    text=chat_content().core_text("unknown_topic"),
                    buttons=[asdict(b) for b in chat_content().menu.buttons],
                )
            else:
                dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
            return []
        return faq_reply(dispatcher, tracker.latest_message, tracker.events, in_form(tracker))[1]


def faq_reply(dispatcher: CollectingDispatcher, latest_message: dict[str, Any],
              events: list[dict[str, Any]] | None, in_form: bool = False
              ) -> tuple[str, list[dict[str, Any]]]:
    """The FAQ intent: the selector's answer when it is sure and nothing else comes first, else
    the unsure path. The outcome as :func:`actions.unsure.reply_when_unsure` says it ("sure:<id>"
    for the selector's own answer) with the events."""
    entries = faq_catalog().by_id()
    reading = read_message(latest_message, events, in_form)
    ranked = ranked_faq_ids(latest_message)
    hits = fitting_hits(faq_index().rank(reading.text), reading.text)
    selector = ranked
    if reading.violence:
        selector, hits = only_violence(ranked, hits)
    early = early_reply(dispatcher, latest_message, events, reading, selector, hits)
    if early is not None:
        return early
    top = ranked[0] if ranked else None
    # "¿Cuántas carpetas por feminicidio abrió la fiscalía?" is not "¿qué es el feminicidio?":
    # a figure the bot does not hold goes to the data request, however sure the selector is.
    asks_data = (asks_for_data(reading.text)
                 and not about_requests(top[0] if top else None, reading.text)
                 and not about_finding_data(top))
    sure = top[0] if top is not None and top[1] >= FAQ_CONFIDENCE_THRESHOLD else None
    named = None if asks_data else named_violence_answer(reading.text, ranked, reading.user_event,
                                                         sure_of=sure)
    if named is not None and named in entries:
        # «¿cómo saco una orden de protección?» after her story: the subject she names, not
        # the generic what to do the selector leans to (actions/violence_guard.py).
        entry = entries[named]
        dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
        return f"answer:{entry.id}", []
    # A message clearly about violence never gets a sure answer about another subject: the
    # unsure path then chooses among the violence answers (actions/violence_guard.py).
    off_topic = reading.violence and not is_violence_entry(top[0] if top else None)
    titled = title_first(not reading.reads_titles, reading.text, sure, asks_data)
    if titled:
        return answer_offering(dispatcher, entries[titled[0]], titled)
    if (top is not None and top[1] >= FAQ_CONFIDENCE_THRESHOLD and top[0] in entries
            and not asks_data and not off_topic):
        entry = entries[top[0]]
        dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
        return f"sure:{entry.id}", []
    return unsure_after_early(dispatcher, latest_message, reading, selector, hits)


def title_first(sensitive: bool, text: str, sure: str | None, asks_data: bool) -> list[str]:
    """The entries a sure selector's answer gives way to: the message asks «what is X» first and
    X is what another entry's title names («q son los datos abiertos? el profe dice que los use
    pa un proyecto» is no «where do I find data»), or asks a second «what is» to offer. Empty
    when the selector is unsure (the unsure path reads titles too), for a sensitive message
    (violence has its own order) and for a figure asked for."""
    if sure is None or sensitive or asks_data:
        return []
    titled = titles_asked(text)
    if not titled or (titled[0] == sure and len(titled) == 1):
        return []
    return titled if titled[0] in faq_catalog().by_id() else []


class ActionFallbackTopics(Action):
    """Low intent confidence: a clearly best answer, the data-request reply or the closest topics."""

    def name(self) -> str:
        return "action_fallback_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        start = len(dispatcher.messages)
        events = reply_when_unsure(
            dispatcher, tracker.latest_message, tracker.events, in_form=in_form(tracker)
        )[1]
        with_named_service(dispatcher, str(tracker.latest_message.get("text") or ""), start)
        return events


class ActionShowTopics(Action):
    """Lists the FAQ topics, or the questions of one topic, as buttons."""

    def name(self) -> str:
        return "action_show_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        catalog = faq_catalog()
        chat = chat_content()
        topic_id = next(tracker.get_latest_entity_values("topic"), None)
        topics = {t.id: t for t in catalog.topics}
        if topic_id is None:
            buttons = [
                {
                    "title": t.title,
                    "payload": "/ver_tema" + json.dumps({"topic": t.id}, separators=(",", ":")),
                }
                for t in catalog.topics
            ]
            dispatcher.utter_message(text=chat.core_text("topics"), buttons=buttons)
            return []
        topic = topics.get(str(topic_id))
        if topic is None:
            dispatcher.utter_message(
                text=chat.core_text("unknown_topic"),
                buttons=[asdict(b) for b in chat.menu.buttons],
            )
            return []
        buttons = [b for e in catalog.entries if e.topic == topic.id and (b := faq_button(e.id))]
        buttons.append(menu_button())
        dispatcher.utter_message(
            text=chat.core_text("topic_entries", topic=topic.title), buttons=buttons
        )
        return []
