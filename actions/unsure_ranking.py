"""Which FAQ answer to give when the model is unsure: the selector's ranking and BM25's together.

The response selector ranks the answers by what it learnt; BM25 (:mod:`bot.content.retrieval`)
by the words of every answer and its examples. An answer is chosen only when the two agree or one
is well ahead; otherwise :func:`closest` fuses both rankings into suggestions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from actions.unsure_kinds import (
    LIVING_IT_NOW_RE,
    PERSONAL_VIOLENCE_RE,
    REQUEST_TOPICS,
    looks_like_question,
    names_a_request,
    talks_about_requests,
)
from bot.config import get_settings
from bot.content.faq import faq_catalog
from bot.content.retrieval import FaqIndex, Hit, terms
from bot.questions import starts_like_question
from bot.textnorm import normalize_words
from bot.violence.own_violence import misfits

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
# ... or, before the menu, among BM25's first SHARED_DEPTH with at least SHARED_RATIO of its best
# score (:func:`shared_choice`; far behind, as 0.74 of it, is still a guess).
SHARED_DEPTH = 3
SHARED_RATIO = 0.78
# Reciprocal-rank fusion constant for the suggestions.
RRF_K = 3
VIOLENCE_TOPIC = "violencia"
# Violence said in a way the model is unsure of gets what to do (actions/unsure_replies.py) ...
VIOLENCE_FIRST_ENTRY = "que_hacer_violencia"
# ... unless both rankings agree on one violence answer: the selector's second choice with at
# least this confidence, when it is BM25's first.
VIOLENCE_NEAR_CONFIDENCE = 0.15
# The parts of a message: sentences, and what a comma or «bueno ya» sets apart.
_PARTS_RE = re.compile(r"(?<=[.!?;,])\s+|\s+(?=¿)|\b(?:bueno ya|pero bueno|a lo que venia|a lo que venía)\b")
QUESTION_MIN_WORDS = 3
_QUOTED_RE = re.compile(r"[«\"'“‘]([^«»\"'“”‘’]{3,40})[»\"'”’]")
OUT_OF_SCOPE_DOCUMENT = "__out_of_scope__"


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


def violence_to_plain(choice: str | None, selector: list[tuple[str, float]], sensitive: bool) -> bool:
    """BM25 alone chose a violence answer for a message the core did not mark sensitive and the
    selector does not read as violence: the words around the question («docente», «iglesia»)
    matched the long stories of the violence examples."""
    if sensitive or choice is None:
        return False
    entries = faq_catalog().by_id()
    chosen = entries.get(choice)
    first = entries.get(selector[0][0]) if selector else None
    return (chosen is not None and chosen.topic == VIOLENCE_TOPIC
            and (first is None or first.topic != VIOLENCE_TOPIC))


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


def shared_choice(selector: list[tuple[str, float]], hits: list[Hit], sensitive: bool = False
                  ) -> str | None:
    """Before the menu: the selector's first choice when BM25 also ranks it among its first
    SHARED_DEPTH, close to its best (SHARED_RATIO) and with some words in common
    (MIN_AGREED_SCORE). Neither ranking is sure, but both put the same answer in front: on slices
    a-g (main's model, benchmarks/unsure_decision.py), 9 of the 11 menus this replaces had that
    answer expected, and none of the menus was right. Not a violence answer to a message the core
    did not mark sensitive (a word like «ayuda» is no story of violence)."""
    if not selector or not hits:
        return None
    first = selector[0][0]
    entry = faq_catalog().by_id().get(first)
    if entry is None or (entry.topic == VIOLENCE_TOPIC and not sensitive):
        return None
    near = next((h for h in hits[:SHARED_DEPTH] if h.faq_id == first), None)
    if near is None or near.score < max(MIN_AGREED_SCORE, SHARED_RATIO * hits[0].score):
        return None
    return first


def request_story_choice(text: str, selector: list[tuple[str, float]], hits: list[Hit]) -> str | None:
    """A story about one's own information request that ends in a question ("pedí los contratos
    y me mandaron un link vacío, ¿me puedo quejar?"): BM25's best answer about requests, not the
    proposal interview (the problem told is the reason of the request, not a proposal)."""
    if not hits or not looks_like_question(text) or not talks_about_requests(text):
        return None
    entries = faq_catalog().by_id()
    best = entries.get(hits[0].faq_id)
    if hits[0].score >= MIN_SCORE and best is not None and best.topic in REQUEST_TOPICS:
        return best.id
    if not names_a_request(text):
        return None
    # Otherwise the request answer nearest by both rankings («¿cómo pedimos esa información?»).
    return next((faq_id for faq_id in closest(selector, hits, limit=5)
                 if faq_id in entries and entries[faq_id].topic in REQUEST_TOPICS), None)


def closest(selector: list[tuple[str, float]], hits: list[Hit], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The entries nearest by both rankings (reciprocal-rank fusion), best first."""
    scores: dict[str, float] = {}
    for ranking in ([faq_id for faq_id, _c in selector], [h.faq_id for h in hits]):
        for rank, faq_id in enumerate(ranking[:10]):
            scores[faq_id] = scores.get(faq_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores, key=lambda k: scores[k], reverse=True)[:limit]


def question_part(text: str) -> str | None:
    """The question in a message that says something else first: «me mata la curiosidad, ¿quién
    hizo este bot?», a story that ends in «¿qué tipos de violencia reconoce la ley?». The last
    part that ends in «?» or starts like a question, with a few words; None if it is all of it."""
    parts = [p.strip() for p in _PARTS_RE.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    for i in range(len(parts) - 1, -1, -1):
        words = normalize_words(parts[i])
        asking = parts[i].endswith("?") or starts_like_question(words)
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


def titled_entry(text: str, question: str) -> str | None:
    """«dijo 'hoja de ruta'… ¿q es eso?»: the entry whose title names the quoted term (a bare
    term gives BM25 too few words to be clearly ahead)."""
    quoted = _QUOTED_RE.search(text)
    if quoted is None or question != f"qué es {quoted.group(1)}?":
        return None
    term = normalize_words(quoted.group(1))
    titled = [e.id for e in faq_catalog().entries if term and term in normalize_words(e.title)]
    return titled[0] if len(titled) == 1 else None


_WHAT_IS_RE = re.compile(
    r"^(?:que|k|ke) (?:es|son|significa) (?:(?:el|la|los|las|un|una|eso de|lo de) )?(?P<term>.+)$")
MAX_TERM_WORDS = 5


def what_is_entry(text: str) -> str | None:
    """«Q ES EL STL???», «k es un arbol de problemas»: a bare «what is X» whose X is exactly what
    one entry's «¿Qué es …?» title names (a short message gives both rankings too little to be
    sure, yet only one answer is asked for)."""
    found = _WHAT_IS_RE.match(normalize_words(text))
    if found is None or len(found["term"].split()) > MAX_TERM_WORDS:
        return None
    titled = _what_is_titles().get(found["term"], [])
    return titled[0] if len(titled) == 1 else None


@lru_cache(maxsize=1)
def _what_is_titles() -> dict[str, list[str]]:
    """What each «¿Qué es …?» title names → its entries (read once, not on every unsure turn)."""
    titles: dict[str, list[str]] = {}
    for entry in faq_catalog().entries:
        if (title := _WHAT_IS_RE.match(normalize_words(entry.title))) is not None:
            titles.setdefault(title["term"], []).append(entry.id)
    return titles


def question_choice(text: str, selector: list[tuple[str, float]], sensitive: bool) -> str | None:
    """The entry the question part alone clearly asks for. For a sensitive message that names
    violence between persons, only a violence entry (what she asked, never an unrelated answer);
    a figure of speech («me mata la curiosidad») does not narrow it."""
    question = question_part(text)
    if question is None:
        return None
    choice = titled_entry(text, question) or clear_choice(selector, question_index().rank(question),
                                                          sensitive=False)
    entry = faq_catalog().by_id().get(choice or "")
    words = normalize_words(text)
    if sensitive and LIVING_IT_NOW_RE.search(words):
        return None  # «creo que vivo violencia… ¿cómo sé?»: what to do comes first
    personal = sensitive and bool(PERSONAL_VIOLENCE_RE.search(words))
    if entry is None or (personal and entry.topic != VIOLENCE_TOPIC):
        return None
    return entry.id


def violence_near_choice(selector: list[tuple[str, float]], hits: list[Hit]) -> str | None:
    """The violence answer both rankings put in front when neither is sure: the selector's first
    is BM25's close second, or BM25's first is the selector's second. Among violence answers only
    (a sensitive message never gets an unrelated one), and never what to do, which
    :func:`actions.unsure_replies.violence_help` gives anyway."""
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


# «q son los datos abiertos? en la prepa nos dejaron investigar», «PlanDAI q es», «que es el STL y
# quiénes lo forman»: a part of the message asks «what is X» and X is exactly what one entry's title
# names. The rest is context, or a second question (offered as a button, not answered).
_ASKS_WHAT_RE = re.compile(
    r"^(?:(?:oye|oiga|oigan|y|pero|entonces|a ver|haber|una pregunta|disculpe|perdon) )*"
    r"(?:(?:que|k|ke) (?:es|son|significa|significan|quiere decir|quieren decir)"
    r"|en (?:que|q|k|ke) (?:consiste|consisten)) "
    r"(?:(?:el|la|los|las|un|una|eso de|lo de|esto de|esa|ese|eso del|lo del|famoso|famosa|dichoso|"
    r"dichosa|tal|ese tal|esa tal|exactamente) )*(?P<rest>.+)$")
_TERM_ASKED_RE = re.compile(
    r"^(?:(?:el|la|los|las|y|oye|eso de|lo de|eso del|lo del|esto de|esto del) )*"
    r"(?P<term>.+?) (?:que|k|ke) (?:es|son|significa"
    r"|significan|quiere decir)(?: (?P<tail>.*))?$")
# What may follow the term inside the same part: «que es el STL y quiénes…», «el PlanDAI ese».
_AFTER_TERM = frozenset({"y", "o", "ese", "esa", "eso", "esto", "pues", "exactamente", "bien",
                         "entonces", "osea", "porfa", "por", "x", "jaja", "jajaja", "xd"})
# Other names people use for what a title names (the acronym spelt out, the acronym alone).
_TITLE_ALIASES = {
    "derecho de acceso a la informacion": "derecho_acceso_informacion",
    "derecho de acceso a la informacion publica": "derecho_acceso_informacion",
    "derecho a la informacion publica": "derecho_acceso_informacion",
    "alianza para el gobierno abierto": "alianza_gobierno_abierto",
    "aga": "alianza_gobierno_abierto",
    "sistema nacional de transparencia": "sistema_nacional_transparencia",
    "cjm": "que_es_cjm",
    "centro de justicia para las mujeres": "que_es_cjm",
    "plan dai": "plandai",
    "pal": "plan_accion_local",
    "estandar de datos de contrataciones abiertas": "que_es_ocds",
    "una adjudicacion directa": "tipos_de_procedimiento",
    "contrataciones ante la emergencia": "contrataciones_ante_emergencia",
    "transparencia ante la contingencia": "transparencia_contingencia",
    "metrica de gobierno abierto": "metrica_gobierno_abierto",
    "semana nacional de transparencia": "semana_nacional_transparencia",
    "tablero publico de seguimiento": "tablero_seguimiento",
    # Institutions said by another name: the STL spelt out, the INAI (or its former name, IFAI),
    # the state's transparency institute said as its kind.
    "secretariado tecnico local": "que_es_stl",
    "secretariado tecnico": "que_es_stl",
    "inai": "que_paso_inai",
    "ifai": "que_paso_inai",
    "instituto nacional de transparencia": "que_paso_inai",
    "agencia de transparencia para el pueblo": "transparencia_para_el_pueblo",
    # Said otherwise: the plan without «local», the new law by its year or kind, the STL in full.
    "plan de accion": "plan_accion_local",
    "plan de accion de gobierno abierto": "plan_accion_local",
    "nueva ley de transparencia": "nueva_ley_transparencia",
    "nueva ley general de transparencia": "nueva_ley_transparencia",
    "ley de transparencia de 2025": "nueva_ley_transparencia",
    "secretariado tecnico local de gobierno abierto": "que_es_stl",
    "declaratoria de gobierno abierto": "declaratoria_gobierno_abierto",
}
MAX_TITLE_WORDS = 7
# A title's name this long («mesa de cocreacion») is the subject asked even with more words
# after it; a shorter one («gobierno abierto en mi colonia») is not (what it is there is asked).
WHOLE_NAME_WORDS = 3
# «que es el árbol de problemas y qué es una hoja de ruta»: the second «what is» is another part.
_SECOND_WHAT_RE = re.compile(r"\s+(?=y\s+(?:qu[eé]|q|k|ke)\s+(?:es|son|significa)\b)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _named_by_titles() -> dict[str, str]:
    """What each entry's title names (the X of «¿Qué es X?», a name-only title whole) plus
    _TITLE_ALIASES → its entry; a name shared by two entries is left out (it does not decide)."""
    named: dict[str, list[str]] = {}
    for term, ids in _what_is_titles().items():
        named.setdefault(term, []).extend(ids)
    for alias, faq_id in _TITLE_ALIASES.items():
        named.setdefault(alias, []).append(faq_id)
    entries = faq_catalog().by_id()
    return {term: ids[0] for term, ids in named.items() if len(set(ids)) == 1 and ids[0] in entries}


def _titled_term(words: list[str], after: frozenset[str] = _AFTER_TERM) -> str | None:
    """The entry whose title names the longest start of ``words``, when only words that close a
    question (``after``) follow it."""
    names = _named_by_titles()
    for size in range(min(MAX_TITLE_WORDS, len(words)), 0, -1):
        faq_id = names.get(" ".join(words[:size]))
        # A name of several words («cocreacion desde lo local») names the subject whatever the
        # part goes on to say («… lo mencionaron en la radio»); a single word only at the end.
        if faq_id is not None and (size == len(words) or words[size] in after
                                   or size >= WHOLE_NAME_WORDS):
            return faq_id
    return None


# «el STL q hace?», «para qué sirve X», «a qué se dedica el instituto»: what X does or is for is
# answered by X's own entry, or by the entry about what X does when there is one (_PURPOSE_OF).
_VERB_OF_PURPOSE = (r"(?:(?:para|pa|pra|pq) (?:que|q|k|ke) "
                    r"(?:(?:me|nos|le|les|te) )?(?:sirve|sirbe|sirven|funciona)"
                    r"|de (?:que|q|k|ke) (?:me|nos|le|les|te) (?:sirve|sirbe|sirven|servira)"
                    r"|(?:que|q|k|ke) (?:hace|hacen|funcion tiene|funciones tiene)"
                    r"|a (?:que|q|k|ke) se dedica|a (?:que|q|k|ke) se dedican)")
_ASKS_PURPOSE_RE = re.compile(
    r"^(?:(?:oye|oiga|oigan|y|pero|entonces|a ver|haber|una pregunta|disculpe|perdon|y a mi|a mi|"
    r"de) )*" + _VERB_OF_PURPOSE + r" "
    r"(?:(?:a mi|a nosotros|a uno|el|la|los|las|un|una|eso de|lo de|esto de|esa|ese|eso del|lo del|"
    r"ese tal|esa tal|dichoso|dichosa|famoso|famosa|tal) )*"
    r"(?P<rest>.+)$")
# What may follow X in «para qué sirve X …»: an objection («… si nadie hace caso»), a place.
_AFTER_PURPOSE = _AFTER_TERM | {"si", "aqui", "aca", "en", "ese", "esa", "a"}
_TERM_PURPOSE_RE = re.compile(
    r"^(?:(?:y|oye|el|la|los|las|del|eso de|lo de|eso del|lo del) )*(?P<term>.+?) "
    r"(?:(?:ese|esa|esos|esas|eso) )?" + _VERB_OF_PURPOSE
    + r"(?: (?P<tail>.*))?$")
_PURPOSE_OF = {
    "que_es_stl": "stl_funciones",
    "que_es_gobierno_abierto": "para_que_sirve_gobierno_abierto",
}


def _purpose_part_asks(words: str) -> str | None:
    """The entry a «what does X do / what is X for» part names (see _ASKS_PURPOSE_RE)."""
    faq_id = None
    found = _ASKS_PURPOSE_RE.match(words)
    if found is not None:
        faq_id = _titled_term(found["rest"].split(), _AFTER_PURPOSE)
    if faq_id is None:
        found = _TERM_PURPOSE_RE.match(words)
        if found is not None and not (found["tail"] and found["tail"].split()[0] not in _AFTER_PURPOSE):
            faq_id = _named_by_titles().get(found["term"])
    if faq_id is None:
        return None
    purpose = _PURPOSE_OF.get(faq_id)
    return purpose if purpose in faq_catalog().by_id() else faq_id


# What people say before the question itself («buenas tardes, ¿me podría explicar qué es…?»,
# «oiga y eso del…»): dropped before reading the part.
_LEAD_IN_RE = re.compile(
    r"^(?:(?:oye|oiga|oigan|y|pero|entonces|a ver|haber|una pregunta|disculpe|disculpa|perdon|hola|"
    r"buenas tardes|buenas noches|buenos dias|buen dia|buenas|joven|senorita|seno|mire|mira|fijese|"
    r"(?:me|nos) (?:podria|podrias|puede|puedes|pudiera|pudieras) (?:explicar|decir)|"
    r"(?:me|nos) (?:explica|explicas|dice|dices)|explicame|expliqueme|"
    r"(?:quisiera|quiero|queria|me gustaria) (?:saber|conocer|entender)|(?:alguien )?(?:sabe|sabes)|"
    r"(?:yo )?no (?:entiendo|entendi|se|sabemos|me queda claro)(?: bien| muy bien)?|"
    r"(?:alguien|usted|ustedes) (?:me|nos) (?:puede|pueden|podria|podrian) (?:decir|explicar)"
    r"(?: de una vez)?) )+")


def _without_lead_in(words: str) -> str:
    return _LEAD_IN_RE.sub("", words, count=1)


# «… y oigo mucho en la radio eso del gobierno abierto, que es»: «eso de X» marks X as the subject
# asked about, wherever the part says it.
_THAT_OF_ASKED_RE = re.compile(
    r"\beso (?:de las|de los|de la|del|de) (?P<term>.+?) (?:que|q|k|ke) (?:es|son|significa)$")


def _what_part_asks(part: str) -> str | None:
    words = _without_lead_in(normalize_words(part))
    found = _ASKS_WHAT_RE.match(words)
    if found is not None and (faq_id := _titled_term(found["rest"].split())) is not None:
        return faq_id
    that_of = _THAT_OF_ASKED_RE.search(words)
    if that_of is not None and (faq_id := _named_by_titles().get(that_of["term"])) is not None:
        return faq_id
    found = _TERM_ASKED_RE.match(words)
    if found is None or (found["tail"] and found["tail"].split()[0] not in _AFTER_TERM):
        return _purpose_part_asks(words)
    return _named_by_titles().get(found["term"])


def titles_asked(text: str) -> list[str]:
    """The entries whose titles the parts of ``text`` ask about («what is X»), in the order asked,
    each once: the first is answered, the next one offered (:func:`first_title_asked`)."""
    bare = _named_by_titles().get(normalize_words(text))
    if bare is not None:
        return [bare]  # «OCDS?», «plandai», «datos abiertos??»: the name alone
    asked: list[str] = []
    parts = [p for chunk in _PARTS_RE.split(text) for p in _SECOND_WHAT_RE.split(chunk)]
    for part in parts:
        faq_id = _what_part_asks(part.strip(" ¿?¡!.,;:"))
        if faq_id is not None and faq_id not in asked:
            asked.append(faq_id)
    return asked


def first_title_asked(text: str) -> str | None:
    """The entry the first «what is X» of the message names (see :func:`titles_asked`)."""
    asked = titles_asked(text)
    return asked[0] if asked else None


# «datos abiertos agua csv», «plataforma caida», «costo copias certificadas»: a few words typed like a
# search that name what an entry's title names are a search of the answers, not a problem told
# (the theme word «agua» does not make it a proposal).
KEYWORD_SEARCH_WORDS = 6
_KEYWORD_EXTRA_NAMES = frozenset({"pnt", "plataforma nacional de transparencia", "solicitud",
                                  "solicitud de informacion", "api", "csv", "dataset"})


def keyword_search(text: str) -> bool:
    """A short message without a question or a verb of telling that names an entry's subject
    (:func:`_named_by_titles`): what people type in a search box."""
    words = normalize_words(text)
    if not words or len(words.split()) > KEYWORD_SEARCH_WORDS or "?" in text:
        return False
    padded = f" {words} "
    names = set(_named_by_titles()) | _KEYWORD_EXTRA_NAMES
    return any(f" {name} " in padded for name in names)
