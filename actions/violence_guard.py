"""A message clearly about violence against a woman gets a violence answer, never another subject.

The model can be sure of the wrong thing: a story of years of insults answered with the deadline
of an information request, a question about the violentómetro taken for a contract search or a
proposal (issue 14, "violence misrouted"). When the words name violence
(:func:`bot.violence.lexicon.clearly_violence`) or the core marked the message a story of
violence (``metadata.violence``), the non-violence answers, the proposal interview and the
contract search are off; what is left is the violence answer both rankings agree on, or what to
do with the closest violence topics (the violence menu).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.unsure_ranking import VIOLENCE_TOPIC, selector_ranking
from actions.unsure_replies import latest_user_event, violence_help
from bot.content.faq import faq_catalog
from bot.content.retrieval import Hit, faq_index
from bot.violence.lexicon import clearly_violence
from bot.violence.own_violence import misfits


def typed_violence(text: str, user_event: dict[str, Any] | None = None) -> bool:
    """Typed words (not a button) that are clearly about violence, or a story the core marked."""
    if text.startswith("/"):
        return False
    marked = bool(((user_event or {}).get("metadata") or {}).get("violence"))
    return marked or clearly_violence(text)


def is_violence_entry(faq_id: str | None) -> bool:
    entry = faq_catalog().by_id().get(faq_id or "")
    return entry is not None and entry.topic == VIOLENCE_TOPIC


def only_violence(selector: list[tuple[str, float]], hits: list[Hit]
                  ) -> tuple[list[tuple[str, float]], list[Hit]]:
    """Both rankings without the answers about other subjects."""
    return ([(f, c) for f, c in selector if is_violence_entry(f)],
            [h for h in hits if is_violence_entry(h.faq_id)])


def fitting_hits(hits: list[Hit], text: str) -> list[Hit]:
    """BM25's ranking without the answers about someone the message never speaks of (the answer
    for men, helping another woman, the neighbour's: :func:`bot.violence.own_violence.misfits`),
    as :func:`actions.unsure_ranking.selector_ranking` leaves them out of the selector's."""
    unfit = misfits(text)
    return [h for h in hits if h.faq_id not in unfit]


def violence_instead(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """For an action about another subject (the proposal interview, the contract search): when the
    latest message is clearly about violence, answer with the violence menu instead (True)."""
    text = str(tracker.latest_message.get("text") or "")
    if not typed_violence(text, latest_user_event(tracker.events)):
        return False
    violence_help(dispatcher, selector_ranking(tracker.latest_message),
                  fitting_hits(faq_index().rank(text), text))
    return True
