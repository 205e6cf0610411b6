"""A vague follow-up («¿y qué dijeron en la reunión?», «lo de ayer, ¿cómo quedó?»): ask for more.

Such a message points at something said elsewhere and names no topic of the bot, so whatever
answer shares one of its words («junta», «quedó») is a guess. A confident wrong answer is worse
than a short «¿me cuentas un poco más?» with the closest topics as buttons; the person then
names what she means.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rasa_sdk.executor import CollectingDispatcher

from actions.faq_buttons import faq_button, menu_button
from actions.unsure_ranking import closest
from bot.content.faq import faq_catalog
from bot.content.retrieval import STOP_WORDS, Hit
from bot.i18n import _
from bot.textnorm import normalize_words

# Longer than this, a message carries its own context: not a bare follow-up.
MAX_WORDS = 14
# «lo que dijeron», «¿cómo quedó eso?», «lo de ayer», «¿qué acordaron?»: something said elsewhere.
_REFERS_BACK_RE = re.compile(
    r"\b(lo|eso|esto|aquello) (que|q) (dijeron|comentaron|hablaron|platicaron|acordaron"
    r"|anunciaron|explicaron|decidieron|quedaron|dijo|comento|platicamos|hablamos|quedamos)\b"
    r"|\b(lo|eso) que se (dijo|hablo|comento|acordo|platico|decidio|anuncio)\b"
    r"|^(y )?(entonces |al final |luego )?(que|q) (dijeron|acordaron|decidieron|comentaron|anunciaron"
    r"|quedaron|platicaron)\b"
    r"|\b(que onda|que hubo|que paso) con (lo|eso) (de|del)\b"
    r"|\b(como|en que|que) (quedo|quedaron|termino|paso con) (eso|esto|aquello|lo de|todo eso)\b"
    r"|\b(como|en que) quedo\b.{0,20}$"
    r"|\blo de (ayer|antier|la otra vez|la otra semana|el otro dia|la semana pasada|hace rato)\b"
)
# Words that only point or frame (when, who said it, where people met): no topic in them.
_FRAME_WORDS = frozenset({
    "dijeron", "dijo", "comentaron", "comento", "hablaron", "hablamos", "platicaron", "platicamos",
    "acordaron", "acordamos", "anunciaron", "explicaron", "decidieron", "quedaron", "quedo",
    "quedamos", "termino", "paso", "pasa", "ayer", "antier", "hoy", "manana", "semana", "pasada",
    "pasado", "otra", "otro", "dia", "rato", "junta", "juntas", "reunion", "reuniones", "asamblea",
    "platica", "eso", "esto", "aquello", "todo", "luego", "entonces", "oiga", "oigan", "oye", "q",
    "k", "pues", "ahi", "alla", "aca", "aqui", "dice", "dicen", "al", "final", "fin",
    "noticia", "noticias", "radio", "tele", "vecinos", "vecinas", "colonia", "licenciado",
    "licenciada", "senor", "senora", "seno", "joven", "mija", "mijo", "ahora", "nomas", "namas",
    "onda"
})
# What the bot does beyond its answers, and one's own things («lo de mi propuesta»): named, not vague.
_BEHAVIOUR_WORDS = frozenset({
    "propuesta", "propuestas", "reporte", "reportes", "queja", "quejas", "solicitud", "solicitudes",
    "folio", "contrato", "contratos", "centro", "centros", "suscripcion", "avisos", "datos", "mi",
    "mis", "mande", "envie", "escribi", "propuse",
})
# Shorter words of answer titles name no topic ("es", "el"…); «stl», «ley» do.
MIN_TOPIC_WORD = 3


@lru_cache(maxsize=1)
def _topic_words() -> frozenset[str]:
    """Distinctive words of the answers' titles and topics: «solicitud», «contratos», «stl»…"""
    words: set[str] = set()
    catalog = faq_catalog()
    for entry in catalog.entries:
        words.update(normalize_words(entry.title).split())
    for topic in catalog.topics:
        words.update(normalize_words(topic.title).split())
    return frozenset(w for w in words
                     if len(w) >= MIN_TOPIC_WORD and w not in STOP_WORDS
                     and w not in _FRAME_WORDS)


def _names_a_topic(words: list[str]) -> bool:
    """A word of an answer's title or of what the bot does, or one's own thing."""
    topics = _topic_words()
    if _BEHAVIOUR_WORDS & set(words):
        return True
    return any(w in topics or (len(w) >= 6 and any(t.startswith(w[:6]) for t in topics if len(t) >= 6))
               for w in words if w not in _FRAME_WORDS and w not in STOP_WORDS)


def is_vague_followup(text: str) -> bool:
    """A short message that points at something said elsewhere and names no topic of the bot."""
    words = normalize_words(text).split()
    if not words or len(words) > MAX_WORDS:
        return False
    return bool(_REFERS_BACK_RE.search(" ".join(words))) and not _names_a_topic(words)


def ask_for_more(dispatcher: CollectingDispatcher, selector: list[tuple[str, float]],
                 hits: list[Hit]) -> tuple[str, list[dict[str, str]]]:
    """«¿Me cuentas un poco más?» with the closest entries; the outcome ``tell_more``."""
    buttons = [b for faq_id in closest(selector, hits) if (b := faq_button(faq_id))]
    buttons.append(menu_button())
    dispatcher.utter_message(
        text=_("¿Me cuentas un poco más? No sé bien a qué te refieres. Si es alguno de estos "
               "temas, tócalo; si no, escríbeme tu pregunta con más detalle:"),
        buttons=buttons,
    )
    return "tell_more", []
