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

from actions.unsure_kinds import tells_a_bribe
from actions.unsure_ranking import VIOLENCE_TOPIC, selector_ranking
from actions.unsure_replies import latest_user_event, violence_help
from bot.content.faq import faq_catalog
from bot.content.render import answer_buttons, render_answer
from bot.content.retrieval import Hit, faq_index
from bot.violence.lexicon import clearly_violence, names_another_subject
from bot.violence.named import (
    WEAK_SUBJECTS,
    ends_asking_what_to_do,
    named_subjects,
    overrides_a_sure_answer,
    parent_worried_about_her_boyfriend,
)
from bot.violence.own_violence import about_another_woman, misfits


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
    user_event = latest_user_event(tracker.events)
    if not typed_violence(text, user_event):
        return False
    if named_instead(dispatcher, text, selector_ranking(tracker.latest_message), user_event):
        return True
    violence_help(dispatcher, selector_ranking(tracker.latest_message),
                  fitting_hits(faq_index().rank(text), text), text)
    return True


def named_instead(dispatcher: CollectingDispatcher, text: str, selector: list[tuple[str, float]],
                  user_event: dict[str, Any] | None) -> bool:
    """The violence subject the message names («… ¿todavía puedo denunciar?»), answered instead
    of the violence menu when the model took her story for a proposal or a contract search."""
    named = named_violence_answer(text, selector, user_event)
    entry = faq_catalog().by_id().get(named or "")
    if entry is None:
        return False
    dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
    return True


# Answers about one form of violence: more precise than «what violence is» or «what programmes
# there are» when the selector ranks one first («mi ex usa a los niños…, ¿eso es violencia?»).
FORM_ENTRIES = frozenset({
    "violencia_vicaria", "violencia_digital", "violencia_obstetrica", "violencia_politica",
    "acoso_callejero", "noviazgo_violento", "violentometro", "ciclo_violencia", "tipos_violencia",
    "modalidades_violencia"})


def specific_first(selector: list[tuple[str, float]]) -> bool:
    """The selector's first choice is the answer about one form of violence."""
    return bool(selector) and selector[0][0] in FORM_ENTRIES


# The generic answer the selector leans to for any story told in the first person.
GENERIC_ENTRY = "que_hacer_violencia"
REPORT_ENTRY = "como_denunciar_violencia"
# The subject named must be among BM25's closest this many when nothing else says violence.
NAMED_IN_BM25_TOP = 3


def named_violence_answer(text: str, selector: list[tuple[str, float]],
                          user_event: dict[str, Any] | None = None,
                          sure_of: str | None = None) -> str | None:
    """The violence entry whose subject the message names in so many words («¿cómo saco una
    orden de protección?», «¿todavía puedo denunciar?», «¿hay algún refugio?»), instead of the
    generic what to do the selector leans to (:mod:`bot.violence.named`). ``sure_of``: the
    answer the selector is sure of, kept when it is a violence answer other than the generic.

    Only for violence: the words are clearly about it, or the selector's first choice is a
    violence answer, or the core marked the message sensitive and BM25 ranks the named subject
    among its closest (so «un refugio de animales» or «denunciar la mordida» are left alone)."""
    if text.startswith("/") or (sure_of is not None and is_violence_entry(sure_of)
                                and sure_of != GENERIC_ENTRY and not overrides_a_sure_answer(text)):
        return None
    if names_another_subject(text) or tells_a_bribe(text):
        return None
    unfit = misfits(text)
    named = [faq_id for faq_id in named_subjects(text) if faq_id not in unfit]
    if not named:
        return None
    ranked = [faq_id for faq_id, _c in selector if faq_id in named]
    choice = ranked[0] if ranked else named[0]
    if choice in WEAK_SUBJECTS and specific_first(selector) and not parent_worried_about_her_boyfriend(text):
        return None  # «mi ex usa a los niños…, ¿eso es violencia?»: the vicarious violence answer
    if choice == REPORT_ENTRY and (about_another_woman(text) or ends_asking_what_to_do(text)):
        # Reporting what a neighbour lives is the neighbour's answer; «no sé si denunciarlo…
        # ¿qué puedo hacer?» asks what to do, whose steps end in reporting.
        return None
    sensitive = bool(((user_event or {}).get("metadata") or {}).get("sensitive"))
    violence = (typed_violence(text, user_event)
                or bool(selector and is_violence_entry(selector[0][0]))
                or (sensitive and choice in [h.faq_id for h in faq_index().rank(text)[:NAMED_IN_BM25_TOP]]))
    return choice if violence else None
