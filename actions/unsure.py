"""What the bot says when the model is unsure: a real answer when one is clearly best.

When the selector and BM25 agree, or BM25's best is well ahead, that answer is given
(:mod:`actions.unsure_ranking`); a long story about one's own information request that ends in a
question gets the request answer BM25 ranks first (not the proposal interview); and before the
menu, the selector's first choice is given when BM25 ranks it a close second. Otherwise a question
about figures the bot does not hold ("¿cuánto gastó…?") is handed to the ``pedir_datos``
behaviour, a contract search in words the model never saw ("contratos de paracaídas") to the
contract search, a problem told plainly ("se inunda el patio de la escuela") to the proposal
interview (:mod:`actions.unsure_kinds`), violence the model half understood to what to do when
living violence, and anything else gets the three entries closest by both rankings, as buttons,
so the menu differs every time (:mod:`actions.unsure_replies`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.place_only import bare_municipality, place_only, talked_about_violence
from actions.unsure_kinds import (
    CENTRE_INTENT,
    CONTRACT_INFO_ENTRY,
    CONTRACTS_INTENT,
    DOWNLOAD_INTENT,
    PROPOSAL_INTENT,
    about_requests,
    about_the_request_process,
    asks_about_contracts_in_general,
    asks_for_data,
    asks_where_to_take_it,
    is_problem_told,
    looks_like_question,
    words_ask_for,
)
from actions.unsure_ranking import (
    clear_choice,
    keyword_search,
    near_choice,
    question_choice,
    request_story_choice,
    selector_ranking,
    shared_choice,
    titles_asked,
    violence_near_choice,
    violence_to_plain,
    what_is_entry,
)
from actions.unsure_replies import (
    VIOLENCE_FIRST_ENTRY,
    answer,
    answer_offering,
    asks_about_lines_or_quakes,
    handover_events,
    latest_user_event,
    lines_reply,
    only_a_figure,
    restate_as,
    suggest,
    violence_help,
)
from actions.vague import ask_for_more, is_vague_followup
from actions.violence_guard import (
    fitting_hits,
    is_violence_entry,
    named_violence_answer,
    only_violence,
    typed_violence,
)
from bot.content.faq import faq_catalog
from bot.content.retrieval import Hit, faq_index, is_contract_search
from bot.procurement.asked import concept_asked, names_contracts

# Used by the other actions (faq, data_request, procurement, proposal_form).
__all__ = [
    "CONTRACT_INFO_ENTRY", "DOWNLOAD_INTENT", "about_requests", "handover_events",
    "latest_user_event", "reply_when_unsure", "selector_ranking", "violence_help", "words_ask_for",
]
DATA_INTENT = "pedir_datos"
# How deep in the selector's ranking a violence answer keeps a word-only mark sensitive.
PLAIN_DEPTH = 3
OCDS_ENTRY = "que_es_ocds"


@dataclass(frozen=True)
class Reading:
    """What the words and the core say about the latest message, decided once for the sure path
    (actions/faq.py) and the unsure path: whether it is sensitive (the core's lexicon matched, or
    the words are clearly about violence) and whether it is typed violence."""

    text: str
    user_event: dict[str, Any] | None
    sensitive: bool
    violence: bool
    in_form: bool
    # Sensitive only because a word of the core's lexicon matched («lo vi en un papel pegado en la
    # presidencia»): no story of violence, nothing typed about it. A «what is X» still names X.
    word_only: bool = False

    @property
    def reads_titles(self) -> bool:
        """Whether a «what is X» in the message may choose X's entry."""
        return not self.sensitive or self.word_only


def read_message(latest_message: dict[str, Any], events: list[dict[str, Any]] | None,
                 in_form: bool = False) -> Reading:
    text = str(latest_message.get("text") or "")
    user_event = latest_user_event(events or [])
    metadata = (user_event or {}).get("metadata") or {}
    # «la película me mató de susto», «me mata si ve la cuenta jaja no es cierto»: no violence lived
    # (actions/unsure_replies.py), so no violence help for the scary word alone.
    marked = bool(metadata.get("sensitive")) and (bool(metadata.get("violence")) or not only_a_figure(text))
    # Clearly about violence: only violence answers, no proposal, no contract search
    # (actions/violence_guard.py).
    violence = not in_form and typed_violence(text, user_event)
    word_only = (marked and not violence and not metadata.get("violence")
                 and not typed_violence(text, user_event))
    return Reading(text, user_event, marked or violence, violence, in_form, word_only)


def early_reply(dispatcher: CollectingDispatcher, latest_message: dict[str, Any],
                events: list[dict[str, Any]] | None, reading: Reading,
                selector: list[tuple[str, float]], hits: list[Hit]
                ) -> tuple[str, list[dict[str, Any]]] | None:
    """What comes before any answer, however sure the selector is: the behaviour the words ask
    for («contratos del IMSS», «quiero proponer…»), a municipality alone, a vague follow-up
    («¿y qué dijeron en la junta?»: a word shared with an answer is no reason to give it).
    None when none of these."""
    if reading.in_form:
        return None
    handover = words_ask_for(reading.text, reading.sensitive)
    if handover is not None:
        return handover_events(handover, dispatcher, latest_message, reading.user_event)
    lookalike = asks_about_lines_or_quakes(reading.text)
    if lookalike is not None:  # «¿qué pasa si marco al 911 por error?»: what it knows, no menu
        return lines_reply(dispatcher, lookalike, latest_message, reading.user_event)
    if reading.sensitive:
        return None
    if place_only(dispatcher, reading.text, events or []):
        return "place", []  # «<municipio>» alone: what about it?
    if bare_municipality(reading.text) is not None and talked_about_violence(events or []):
        # «<municipio>» alone after her story or a violence answer: where she is, so the centres
        # (the centre finder reads the name from the text).
        return handover_events(CENTRE_INTENT, dispatcher, latest_message, reading.user_event)
    if is_vague_followup(reading.text):
        return ask_for_more(dispatcher, selector, hits)
    return None


def reply_when_unsure(
    dispatcher: CollectingDispatcher,
    latest_message: dict[str, Any],
    events: list[dict[str, Any]] | None = None,
    in_form: bool = False,
) -> tuple[str, list[dict[str, Any]]]:
    """Answer, hand over to the data request or the proposal interview, or offer the closest
    entries; say which ("answer:<id>", "data_request", "contracts", "contracts_file",
    "emergency_contracts", "centre", "proposal", "violence_help", "place", "tell_more" or
    "suggest") with the events the action returns. Inside a form (``in_form``) nothing is
    handed over: the form goes on."""
    reading = read_message(latest_message, events, in_form)
    selector = selector_ranking(latest_message)
    hits = fitting_hits(faq_index().rank(reading.text), reading.text)
    if reading.violence:
        selector, hits = only_violence(selector, hits)
    early = early_reply(dispatcher, latest_message, events, reading, selector, hits)
    if early is not None:
        return early
    return unsure_after_early(dispatcher, latest_message, reading, selector, hits)


def unsure_after_early(
    dispatcher: CollectingDispatcher, latest_message: dict[str, Any], reading: Reading,
    selector: list[tuple[str, float]], hits: list[Hit],
) -> tuple[str, list[dict[str, Any]]]:
    """:func:`reply_when_unsure` once :func:`early_reply` said nothing."""
    text, user_event, sensitive = reading.text, reading.user_event, reading.sensitive
    in_form, violence = reading.in_form, reading.violence
    entries = faq_catalog().by_id()
    # Marked only by a word of the core's lexicon («mujeres», «miedo», «mi esposo»), with no story
    # of violence and no violence answer among the selector's first PLAIN_DEPTH: an answer about
    # something else is chosen as for a plain message (a request «con miedo a represalias» is no
    # violence lived); a violence answer only as for any sensitive message.
    plain = reading.word_only and not any(is_violence_entry(f) for f, _c in selector[:PLAIN_DEPTH])
    choice = clear_choice(selector, hits, sensitive)
    if violence_to_plain(choice, selector, sensitive):
        choice = None  # «soy docente…, ¿qué es la transparencia?»: «docente» is no violence
    if choice is None and plain:
        choice = clear_choice(selector, hits, sensitive=False)
        choice = None if is_violence_entry(choice) else choice
    if choice is None:
        choice = what_is_entry(text)  # «Q ES EL STL???»: one entry's title names what she asks
    titled = titles_asked(text) if reading.reads_titles else []
    if titled:
        # «q son los datos abiertos? en la prepa nos dejaron…»: the first «what is» names one
        # entry's title, whatever the context around it weighs in BM25.
        choice = titled[0]
    first = selector[0][0] if selector else None
    if asks_for_data(text) and not in_form:
        # "en <la plataforma> se ve cuánto gana el alcalde, ¿cómo lo busco?": about asking, so
        # the request answer either ranking chose; otherwise the figure is asked for.
        about = next((c for c in (choice, first) if c in entries and about_requests(c, text)), None)
        if about is None:
            return "data_request", restate_as(DATA_INTENT, latest_message, user_event)
        return answer(dispatcher, entries[about])
    named = named_violence_answer(text, selector, user_event)
    if named is not None and named in entries:
        return answer(dispatcher, entries[named])  # «… ¿hay algún refugio?»: the subject she names
    # A «what is X / what is X for» asks, whatever complaint comes with it («… si ni luz hay»).
    problem_told = (not titled and not in_form and not violence and not keyword_search(text)
                    and is_problem_told(text, latest_message, sensitive))
    # «la plataforma no me deja enviar la solicitud»: the request's own trouble has its answers, it is
    # no public problem for a proposal.
    request_trouble = about_the_request_process(text)
    if (problem_told and not request_trouble
            and (not looks_like_question(text) or asks_where_to_take_it(text))):
        # "una fábrica saca humo negro cada noche y nadie nos hace caso": told, not asked (or
        # asked where to take it), so the proposal interview even when an answer shares its
        # words (a success story about smoke).
        return "proposal", restate_as(PROPOSAL_INTENT, latest_message, user_event)
    if choice is not None and choice in entries:
        return answer_offering(dispatcher, entries[choice], titled)
    if (is_contract_search(text) and not asks_about_contracts_in_general(text)
            and not in_form and not sensitive):
        return "contracts", restate_as(CONTRACTS_INTENT, latest_message, user_event)
    asked = question_choice(text, selector, sensitive)
    if problem_told:
        story_choice = request_story_choice(text, selector, hits)
        if story_choice is not None:
            return answer(dispatcher, entries[story_choice])
        if (asked is not None and not asks_where_to_take_it(text)
                and (sensitive or not is_violence_entry(asked))):
            # A long story that ends in «¿qué es eso del árbol de problemas?»: the question
            # part alone clearly asks for one answer, so the answer, not the interview (never a
            # violence answer to a public problem: «¿cómo denuncio?» of a street without water).
            return answer(dispatcher, entries[asked])
        if not request_trouble:
            return "proposal", restate_as(PROPOSAL_INTENT, latest_message, user_event)
    if asked is not None and (not violence or is_violence_entry(asked)):
        # "me mata la curiosidad, ¿quién hizo este bot?"
        return answer(dispatcher, entries[asked])
    if plain:
        # «… tenemos miedo de que se entere quién preguntó, ¿la solicitud va con nombre?»: both
        # rankings put one answer about something else in front, so that answer, not what to do
        # when living violence.
        shared = near_choice(selector, hits) or shared_choice(selector, hits, sensitive=False)
        if shared is not None and shared in entries and not is_violence_entry(shared):
            return answer(dispatcher, entries[shared])
    if sensitive and VIOLENCE_FIRST_ENTRY in entries:
        near = violence_near_choice(selector, hits)
        if near is not None:  # both rankings put one violence answer in front: the one she asked
            return answer(dispatcher, entries[near])
        violence_help(dispatcher, selector, hits, text)
        return "violence_help", []
    choice = near_choice(selector, hits) or shared_choice(selector, hits, sensitive)
    if choice is not None and choice in entries:
        return answer(dispatcher, entries[choice])
    concept = concept_asked(text) if looks_like_question(text) and not sensitive else None
    if concept is not None and concept in entries and (names_contracts(text) or concept == OCDS_ENTRY):
        # «compraron cubrebocas a 340 pesos, ¿cómo lo puedo checar?»: how to read contracts,
        # not a menu.
        return answer(dispatcher, entries[concept])
    return suggest(dispatcher, selector, hits)
