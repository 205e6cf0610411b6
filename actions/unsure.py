"""What the bot says when the model is unsure: a real answer when one is clearly best.

The response selector ranks the FAQ answers by what it learnt; BM25 (:mod:`bot.content.retrieval`)
ranks them by the words of every answer and its examples. When both agree, or BM25's best is well
ahead of the rest, that answer is given; a long story about one's own information request that
ends in a question gets the request answer BM25 ranks first (not the proposal interview); and
before the menu, the selector's first choice is given when BM25 ranks it a close second (two
questions in one, or two neighbouring answers). Otherwise a question about figures the bot does not hold
("¿cuánto gastó…?") is handed to the ``pedir_datos`` behaviour, a contract search in words the
model never saw ("contratos de paracaídas") to the contract search, a problem told plainly ("se
inunda el patio de la escuela") to the proposal interview, violence the model half understood to what to
do when living violence, and anything else gets the three entries closest by both rankings, as
buttons, so the menu differs every time.

A hand-over re-states the message with the other intent (the events Rasa's own two-stage
fallback uses: revert the turn, listen, the same text understood as ``pedir_datos`` or
``buscar_contratos`` or ``proponer``), so that intent's rule runs next and the turn reports it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.faq_buttons import faq_button, menu_button
from bot.config import get_settings
from bot.content.chat import chat_content
from bot.content.faq import FaqEntry, faq_catalog
from bot.content.place import place
from bot.content.render import answer_buttons, render_answer
from bot.content.retrieval import (
    FaqIndex,
    Hit,
    faq_index,
    is_contract_search,
    is_data_question,
    is_explicit_contract_search,
    terms,
)
from bot.procurement.asked import (
    asks_how_to_request_contract_info,
    asks_what_emergency_contracts_are,
    names_only_the_emergency,
    wants_download,
    wants_emergency_list,
    wants_whole_file,
)
from bot.proposals.service import suggest_theme
from bot.textnorm import normalize_words
from bot.violence.directory import asks_for_a_centre, directory
from bot.violence.own_violence import MEN_ENTRY, misfits, wants_to_stop_own_violence
from bot.violence.therapy import SERVICES_ENTRY, asks_for_therapy

MAX_SUGGESTIONS = 3
# BM25 alone answers when its best score is at least MIN_SCORE and MARGIN times the second's.
MIN_SCORE = 6.0
MARGIN = 1.5
# ... or, with many words in common, at least MIN_LONG_SCORE and LONG_MARGIN times the second's
# (slices a and b: 17 more right answers for 4 wrong among the 95 generic menus).
MIN_LONG_SCORE = 15.0
LONG_MARGIN = 1.2
# With the selector's first choice agreeing, a lower BM25 score is enough.
MIN_AGREED_SCORE = 3.0
# Before the menu: the selector's first choice is BM25's close second (two questions in one, or
# two neighbouring answers) — at least NEAR_RATIO of BM25's best and MIN_SCORE.
NEAR_RATIO = 0.85
# Reciprocal-rank fusion constant for the suggestions.
RRF_K = 3
DATA_INTENT = "pedir_datos"
CONTRACTS_INTENT = "buscar_contratos"
CENTRE_INTENT = "buscar_centro"
DOWNLOAD_INTENT = "descargar_contratos"
EMERGENCY_CONTRACTS_INTENT = "contratos_emergencia"
CONTRACT_INFO_ENTRY = "pedir_info_contrato"
EMERGENCY_CONCEPT_ENTRY = "que_es_contratacion_emergencia"
HANDOVER_OUTCOMES = {CONTRACTS_INTENT: "contracts", CENTRE_INTENT: "centre",
                     DOWNLOAD_INTENT: "contracts_file", EMERGENCY_CONTRACTS_INTENT: "emergency_contracts"}
REQUEST_TOPICS = frozenset({"acceso_informacion"})
PROPOSAL_INTENT = "proponer"
# A proposal the model half saw: "proponer" this high in its intent ranking is enough.
MIN_PROPOSAL_CONFIDENCE = 0.2
# From this many words a message is a story: a question at its end does not make it a question.
LONG_STORY_WORDS = 25
# Violence said in a way the model is unsure of: the steps of what to do come first, never a bare
# menu (her message is sensitive: the core's lexicon matched).
VIOLENCE_FIRST_ENTRY = "que_hacer_violencia"
VIOLENCE_TOPIC = "violencia"
# ... unless both rankings agree on one violence answer: the selector's second choice with at
# least this confidence, when it is BM25's first.
VIOLENCE_NEAR_CONFIDENCE = 0.15
# "¿Qué tipo de violencia es esa?" asks for the types, however much of her story comes first.
TYPES_ENTRY = "tipos_violencia"
_WHICH_TYPE_RE = re.compile(
    r"\b(que|cual) (tipo|clase) de violencia (es|seria|sera)\b|\bque violencia es\b"
    r"|\ben que tipo de violencia\b")
# Therapy asked of a service she names ("¿en las UNIDAS hay psicólogas?") is that service's answer.
_NAMED_SERVICE_RE = re.compile(r"\b(unidas|cjm|centros? de justicia|ciudad mujeres|puerta violeta|dif)\b")
# Words of the request process itself: "¿cuánto cobran por las copias de mi solicitud?" is about
# requests, "¿cuánto gana el alcalde?" is a figure to ask for.
_REQUEST_WORDS = (
    r"solicit\w*|pnt|plataforma|transparencia|recurso\w*|plazo\w*|copias?"
    r"|certificad\w*|anonim\w*|reproduccion|envio|pregunt\w*|para que|pa que|mi nombre|fui yo"
    r"|pedir informacion|pedir info"
)


@lru_cache(maxsize=1)
def _request_words_re() -> re.Pattern[str]:
    """The words above plus the state's own platforms' names (content/place.yml)."""
    platforms = [re.escape(normalize_words(name)) for name in place().request_platforms]
    return re.compile(r"\b(" + "|".join([_REQUEST_WORDS, *platforms]) + r")\b")
# A message that asks something is not a problem being told.
_QUESTION_STARTS = ("que ", "como ", "cual ", "cuales ", "quien ", "quienes ", "para que",
                    "donde ", "cuando ", "por que ", "cuanto", "cuanta", "a quien", "en donde",
                    "puedo ", "se puede")
# The parts of a message: sentences, and what a comma or «bueno ya» sets apart.
_PARTS_RE = re.compile(r"(?<=[.!?;,])\s+|\s+(?=¿)|\b(?:bueno ya|pero bueno|a lo que venia|a lo que venía)\b")
QUESTION_MIN_WORDS = 3
_QUOTED_RE = re.compile(r"[«\"'“‘]([^«»\"'“”‘’]{3,40})[»\"'”’]")
OUT_OF_SCOPE_DOCUMENT = "__out_of_scope__"
# Words that mark a message as asking, wherever they stand ("tengo dudas de…", "quiero saber…").
_ASKING_WORDS = frozenset({"duda", "dudas", "pregunta", "preguntar", "saber", "explica", "explicame",
                           "info", "informes", "informacion", "significa"})


# Themes whose problems people exaggerate with violent words ("esos baches son una bomba de
# tiempo, ahí se van a matar"); never seguridad. And the words of violence between persons,
# which always keep a sensitive message out of the proposal interview.
FIGURATIVE_THEMES = frozenset({"movilidad", "medio_ambiente"})
_PERSONAL_VIOLENCE_RE = re.compile(
    r"\b(parej\w*|espos\w*|novi[oa]s?|marido|ex|mujer\w*|hij[oa]s?|nin[oa]s?|mama|papa|suegr\w*"
    r"|familia\w*|herman\w*|vecin[oa]s?|me pega\w*|pega\w*|golpe\w*|abus\w*|viol\w*|acos\w*"
    r"|amenaz\w*|celos\w*|insult\w*|humill\w*|mato|mataron|asesin\w*|feminicid\w*|secuestr\w*"
    r"|arma\w*|cuchillo|pistola|me quiere|me va a|te va a|la va a|lo va a)\b"
)


# She tells of violence she lives now: never a definition picked from her question.
_LIVING_IT_NOW_RE = re.compile(
    r"\b(vivo|estoy viviendo|sufro|me (pega|grita|insulta|humilla|controla|revisa|amenaza|golpea"
    r"|cela|trata)|el dice|mi (esposo|pareja|novio|marido|ex) (me|no me|dice))\b"
)


def selector_ranking(latest_message: dict[str, Any]) -> list[tuple[str, float]]:
    """FAQ ids ranked by the response selector, best first; without the answers that cannot fit a
    woman telling her own story (the answer for men, the neighbour's: bot/violence/own_violence.py)."""
    selector = (latest_message.get("response_selector") or {}).get("faq") or {}
    unfit = misfits(str(latest_message.get("text") or ""))
    ranked: list[tuple[str, float]] = []
    for item in selector.get("ranking") or []:
        key = item.get("intent_response_key") or ""
        if key.startswith("faq/") and key.removeprefix("faq/") not in unfit:
            ranked.append((key.removeprefix("faq/"), float(item.get("confidence") or 0.0)))
    return ranked


def clear_choice(
    selector: list[tuple[str, float]], hits: list[Hit], sensitive: bool = False
) -> str | None:
    """The FAQ id to answer with, when one entry is clearly best; else None."""
    if not hits:
        return None
    best = hits[0]
    second = hits[1].score if len(hits) > 1 else 0.0
    if selector and selector[0][0] == best.faq_id and best.score >= MIN_AGREED_SCORE:
        return best.faq_id
    if best.score >= MIN_SCORE and best.score >= MARGIN * second:
        return best.faq_id
    # Many shared words and still ahead: long questions. Not for violence (a wrong answer there
    # is the worst reply; she gets what to do instead).
    if not sensitive and best.score >= MIN_LONG_SCORE and best.score >= LONG_MARGIN * second:
        return best.faq_id
    return None


def near_choice(selector: list[tuple[str, float]], hits: list[Hit]) -> str | None:
    """The selector's first choice when BM25 ranks it a close second: both rankings put it in
    front, so it is an answer, not a guess ("¿qué es X y qué pasó con Y?" gets X or Y)."""
    if not selector or len(hits) < 2:
        return None
    first = selector[0][0]
    best, second = hits[0], hits[1]
    if first == second.faq_id and second.score >= MIN_SCORE and second.score >= NEAR_RATIO * best.score:
        return first
    return None


def request_story_choice(text: str, hits: list[Hit]) -> str | None:
    """A story about one's own information request that ends in a question ("pedí los contratos
    y me mandaron un link vacío, ¿me puedo quejar?"): BM25's best answer about requests, not the
    proposal interview (the problem told is the reason of the request, not a proposal)."""
    if not hits or hits[0].score < MIN_SCORE or not looks_like_question(text):
        return None
    if not _request_words_re().search(normalize_words(text)):
        return None
    entry = faq_catalog().by_id().get(hits[0].faq_id)
    return entry.id if entry is not None and entry.topic in REQUEST_TOPICS else None


def closest(selector: list[tuple[str, float]], hits: list[Hit], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The entries nearest by both rankings (reciprocal-rank fusion), best first."""
    scores: dict[str, float] = {}
    for ranking in ([faq_id for faq_id, _c in selector], [h.faq_id for h in hits]):
        for rank, faq_id in enumerate(ranking[:10]):
            scores[faq_id] = scores.get(faq_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores, key=lambda k: scores[k], reverse=True)[:limit]


def about_requests(faq_id: str | None, text: str) -> bool:
    """An answer about asking for information itself (cost, deadlines, how) to a message that
    talks about asking: it beats the data-request reply, which would only repeat its steps.
    "¿Cuánto gana el alcalde?" does not talk about asking, whatever answer the selector chose."""
    entry = faq_catalog().by_id().get(faq_id or "")
    return (entry is not None and entry.topic in REQUEST_TOPICS
            and bool(_request_words_re().search(normalize_words(text))))


def looks_like_question(text: str) -> bool:
    words = normalize_words(text)
    return ("?" in text or "¿" in text or words.startswith(_QUESTION_STARTS)
            or bool(_ASKING_WORDS & set(words.split())))


def intent_confidence(latest_message: dict[str, Any], intent: str) -> float:
    for item in latest_message.get("intent_ranking") or []:
        if item.get("name") == intent:
            return float(item.get("confidence") or 0.0)
    return 0.0


@lru_cache(maxsize=1)
def topic_words() -> frozenset[str]:
    """Words of the FAQ titles ("transparencia", "violencia"): a topic asked about, not a problem."""
    return frozenset(w for e in faq_catalog().entries for w in normalize_words(e.title).split())


def is_problem_told(text: str, latest_message: dict[str, Any], sensitive: bool) -> bool:
    """A public problem told plainly ("las combis manejan como locos"): the proposal interview.

    Never for a message the core marked sensitive (violence goes to help, not to a proposal),
    except a street or transport problem said with a figure of speech and no person harmed by
    another ("las combis van a mil, un día nos vamos a matar")."""
    words = normalize_words(text).split()
    # A long story that ends in "¿qué se puede hacer?" is still a problem told.
    asking = looks_like_question(text) and len(words) < LONG_STORY_WORDS
    if asking or len(words) < 3:
        return False
    plain = " ".join(w for w in words if w not in topic_words())
    if sensitive and not (suggest_theme(plain) in FIGURATIVE_THEMES
                          and not _PERSONAL_VIOLENCE_RE.search(" ".join(words))):
        return False
    return (suggest_theme(plain) is not None
            or intent_confidence(latest_message, PROPOSAL_INTENT) >= MIN_PROPOSAL_CONFIDENCE)


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


def question_part(text: str) -> str | None:
    """The question in a message that says something else first: «me mata la curiosidad, ¿quién
    hizo este bot?», a story that ends in «¿qué tipos de violencia reconoce la ley?». The last
    part that ends in «?» or starts like a question, with a few words; None if it is all of it."""
    parts = [p.strip() for p in _PARTS_RE.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    for i in range(len(parts) - 1, -1, -1):
        words = normalize_words(parts[i])
        asking = parts[i].endswith("?") or words.startswith(_QUESTION_STARTS)
        if len(words.split()) >= QUESTION_MIN_WORDS and asking:
            quoted = _QUOTED_RE.search(text)
            if not terms(parts[i]) and quoted:  # «dijo 'hoja de ruta'… ¿q es eso?»: the quoted term
                return f"qué es {quoted.group(1)}?"
            return parts[i]
    return None


@lru_cache(maxsize=1)
def question_index() -> FaqIndex:
    """Every FAQ entry plus one document of the model's out-of-scope examples: a short question
    cut from a longer message («¿cómo saco cita para corregir la CURP?») must beat those too."""
    documents = {e.id: terms(" ".join([e.title, e.answer, e.details or "", *e.examples]))
                 for e in faq_catalog().entries}
    documents[OUT_OF_SCOPE_DOCUMENT] = terms(" ".join(training_examples("out_of_scope")))
    return FaqIndex(documents)


def training_examples(intent: str) -> list[str]:
    """The examples of ``intent`` in the model's training data (nlu/data/*.yml)."""
    examples: list[str] = []
    for path in sorted((get_settings().nlu_dir / "data").glob("*.yml")):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        for block in data.get("nlu") or []:
            if isinstance(block, dict) and block.get("intent") == intent:
                examples += [line.removeprefix("- ").strip()
                             for line in str(block.get("examples") or "").splitlines() if line.strip()]
    return examples


def question_choice(text: str, selector: list[tuple[str, float]], sensitive: bool) -> str | None:
    """The entry the question part alone clearly asks for. For a sensitive message that names
    violence between persons, only a violence entry (what she asked, never an unrelated answer);
    a figure of speech («me mata la curiosidad») does not narrow it."""
    question = question_part(text)
    if question is None:
        return None
    choice = clear_choice(selector, question_index().rank(question), sensitive=False)
    entry = faq_catalog().by_id().get(choice or "")
    words = normalize_words(text)
    if sensitive and _LIVING_IT_NOW_RE.search(words):
        return None  # «creo que vivo violencia… ¿cómo sé?»: what to do comes first
    personal = sensitive and bool(_PERSONAL_VIOLENCE_RE.search(words))
    if entry is None or (personal and entry.topic != VIOLENCE_TOPIC):
        return None
    return entry.id


def words_ask_for(text: str, sensitive: bool = False) -> str | None:
    """The behaviour the words ask for, whatever FAQ answer looks close: an intent to hand the
    turn to, or ``faq:<id>`` for the one answer they ask. None when they ask for none of these.

    The whole file before a search («pásame la base completa de contratos»), a search before the
    file (its results carry the CSV button) and before the emergency list («contratos del IMSS
    durante el COVID» names a buyer)."""
    if not sensitive:
        if wants_whole_file(text):
            return DOWNLOAD_INTENT  # "pásame la base completa de contratos"
        if asks_what_emergency_contracts_are(text):
            return f"faq:{EMERGENCY_CONCEPT_ENTRY}"  # not the INAI's site of the same name
        if names_only_the_emergency(text):
            return EMERGENCY_CONTRACTS_INTENT  # "contratos de emergencia del covid"
        if is_explicit_contract_search(text):
            return CONTRACTS_INTENT  # "contratos del IMSS", "¿cuánto le pagaron a Grupo X?"
        if wants_download(text):
            return DOWNLOAD_INTENT  # "¿se pueden descargar los contratos en CSV?"
        if wants_emergency_list(text):
            return EMERGENCY_CONTRACTS_INTENT  # "¿dónde veo los contratos del COVID?"
        if asks_how_to_request_contract_info(text):
            return f"faq:{CONTRACT_INFO_ENTRY}"  # "vi un contrato… ¿cómo pido el fallo?"
    if wants_to_stop_own_violence(text):
        return f"faq:{MEN_ENTRY}"  # a man who hurt his partner: not the women's centres
    if sensitive and _WHICH_TYPE_RE.search(normalize_words(text)):
        return f"faq:{TYPES_ENTRY}"  # "me esconde la INE… ¿qué tipo de violencia es esa?"
    if sensitive and asks_for_therapy(text) and not _NAMED_SERVICE_RE.search(normalize_words(text)):
        # "ya salí de eso, ¿dónde me dan terapia gratis?": where, not the steps of what to do
        named = directory().municipalities.find_in_text(text)
        return CENTRE_INTENT if named.best is not None else f"faq:{SERVICES_ENTRY}"
    if asks_for_a_centre(text):
        return CENTRE_INTENT  # "centro pa mujeres en <municipio>": where, not what a centre is
    return None


def handover_events(handover: str, dispatcher: CollectingDispatcher, latest_message: dict[str, Any],
                    user_event: dict[str, Any] | None) -> tuple[str, list[dict[str, Any]]]:
    """Carry out :func:`words_ask_for`'s choice: the answer, or the message re-stated."""
    if handover.startswith("faq:"):
        entry = faq_catalog().by_id()[handover.removeprefix("faq:")]
        dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
        return f"answer:{entry.id}", []
    return HANDOVER_OUTCOMES.get(handover, handover), restate_as(handover, latest_message, user_event)


def latest_user_event(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((e for e in reversed(events) if e.get("event") == "user"), None)


def reply_when_unsure(
    dispatcher: CollectingDispatcher,
    latest_message: dict[str, Any],
    events: list[dict[str, Any]] | None = None,
    in_form: bool = False,
) -> tuple[str, list[dict[str, Any]]]:
    """Answer, hand over to the data request or the proposal interview, or offer the closest
    entries; say which ("answer:<id>", "data_request", "contracts", "contracts_file",
    "emergency_contracts", "centre", "proposal", "violence_help" or "suggest") with the events
    the action returns. Inside a form (``in_form``) nothing is handed over: the form goes on."""
    text = str(latest_message.get("text") or "")
    user_event = latest_user_event(events or [])
    sensitive = bool(((user_event or {}).get("metadata") or {}).get("sensitive"))
    selector = selector_ranking(latest_message)
    hits = faq_index().rank(text)
    entries = faq_catalog().by_id()
    choice = clear_choice(selector, hits, sensitive)
    handover = None if in_form else words_ask_for(text, sensitive)
    if handover is not None:
        return handover_events(handover, dispatcher, latest_message, user_event)
    if is_data_question(text) and not in_form and not about_requests(choice, text):
        return "data_request", restate_as(DATA_INTENT, latest_message, user_event)
    if choice is not None and choice in entries:
        return _answer(dispatcher, entries[choice])
    if is_contract_search(text) and not in_form and not sensitive:
        return "contracts", restate_as(CONTRACTS_INTENT, latest_message, user_event)
    if not in_form and is_problem_told(text, latest_message, sensitive):
        story_choice = request_story_choice(text, hits)
        if story_choice is not None:
            return _answer(dispatcher, entries[story_choice])
        return "proposal", restate_as(PROPOSAL_INTENT, latest_message, user_event)
    asked = question_choice(text, selector, sensitive)
    if asked is not None:  # "me mata la curiosidad, ¿quién hizo este bot?"
        dispatcher.utter_message(text=render_answer(entries[asked]), buttons=answer_buttons(entries[asked]))
        return f"answer:{asked}", []
    if sensitive and VIOLENCE_FIRST_ENTRY in entries:
        near = violence_near_choice(selector, hits)
        if near is not None:  # both rankings put one violence answer in front: the one she asked
            return _answer(dispatcher, entries[near])
        violence_help(dispatcher, selector, hits)
        return "violence_help", []
    choice = near_choice(selector, hits)
    if choice is not None and choice in entries:
        return _answer(dispatcher, entries[choice])
    buttons = [b for faq_id in closest(selector, hits) if (b := faq_button(faq_id))]
    buttons.append(menu_button())
    dispatcher.utter_message(text=chat_content().core_text("not_sure"), buttons=buttons)
    return "suggest", []


def _answer(dispatcher: CollectingDispatcher, entry: FaqEntry) -> tuple[str, list[dict[str, Any]]]:
    dispatcher.utter_message(text=render_answer(entry), buttons=answer_buttons(entry))
    return f"answer:{entry.id}", []


def violence_near_choice(selector: list[tuple[str, float]], hits: list[Hit]) -> str | None:
    """The violence answer both rankings put in front when neither is sure: the selector's first
    is BM25's close second, or BM25's first is the selector's second. Among violence answers only
    (a sensitive message never gets an unrelated one), and never what to do, which
    :func:`violence_help` gives anyway."""
    entries = faq_catalog().by_id()

    def about_violence(faq_id: str) -> bool:
        entry = entries.get(faq_id)
        return entry is not None and entry.topic == VIOLENCE_TOPIC

    ranked = [(faq_id, c) for faq_id, c in selector if about_violence(faq_id)]
    found = [h for h in hits if about_violence(h.faq_id)]
    if len(ranked) < 2 or len(found) < 2:
        return None
    choice = None
    if ranked[0][0] == found[1].faq_id and found[1].score >= NEAR_RATIO * found[0].score:
        choice = ranked[0][0]
    elif found[0].faq_id == ranked[1][0] and ranked[1][1] >= VIOLENCE_NEAR_CONFIDENCE:
        choice = found[0].faq_id
    return choice if choice != VIOLENCE_FIRST_ENTRY else None


def violence_help(
    dispatcher: CollectingDispatcher, selector: list[tuple[str, float]], hits: list[Hit]
) -> None:
    """What to do when living violence, then the closest violence topics to choose from."""
    entries = faq_catalog().by_id()
    first = entries[VIOLENCE_FIRST_ENTRY]
    dispatcher.utter_message(text=render_answer(first), buttons=answer_buttons(first))
    nearest = [faq_id for faq_id in closest(selector, hits, limit=10)
               if faq_id != first.id and faq_id in entries and entries[faq_id].topic == VIOLENCE_TOPIC]
    buttons = [b for faq_id in nearest[:MAX_SUGGESTIONS] if (b := faq_button(faq_id))]
    buttons.append(menu_button())
    dispatcher.utter_message(text=chat_content().core_text("not_sure"), buttons=buttons)
