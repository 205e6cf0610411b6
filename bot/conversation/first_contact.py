"""First contact: «¿qué es esto?, ¿cómo se usa?», and a bare thanks (prop12).

Someone a relative or a neighbours' group sent here asks what this chat is or how to use it
(«no sé qué es esto, me pasaron el link», «mi hija me lo instaló y no le entiendo»). The model
split those between the entry «¿Quién administra este chat?» alone, with no menu to go on, and
the generic «No estoy segura…». Both are needed: what Participa is, then what it can do (the
menu). Only when «this» is the chat itself: «¿qué es eso del gobierno abierto?» is a question
about a topic and goes on to Rasa.

A short thanks with a word of praise and nothing else («grax!! me sirvió un buen») is a thanks,
not a guess at a topic.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.content.place import place
from bot.textnorm import normalize_words

MAX_WORDS = 60
# «this» meaning the chat itself (never «esto del gobierno abierto», «este trámite»).
_THIS = (r"(?:esto|este chat|este bot|este robot|este telegram|este whatsapp|este numero|este grupo"
         r"|este canal|este servicio|este asistente|este programa|esta app|esta aplicacion"
         r"|esta pagina|este contacto|esta cosa|eso|este|aqui|participa)(?! (?:de|del|sobre)\b)")
_ASKS_RE = re.compile(
    rf"\b(?:que es|q es|k es|que son|para que (?:es|sirve|funciona)|pa que (?:es|sirve)"
    rf"|de que (?:se trata|trata)|que hace|que hago (?:en|con)|como (?:se usa|uso|funciona|le hago con"
    rf"|se utiliza|utilizo|le muevo a|le pico a|se maneja)) {_THIS}(?: \w+){{0,2}}$"
    rf"|\bno (?:se|entiendo|le entiendo|comprendo) (?:bien )?(?:que es|como (?:se )?usa\w*|como funciona"
    rf"|para que sirve|como le hago|que hacer|que hago) {_THIS}\b"
    rf"|\bno (?:se|entiendo|le entiendo) (?:bien )?(?:como usar|como utilizar|usar|utilizar|manejar)"
    rf" {_THIS}\b"
    rf"|\b(?:no|ni) le entiendo\b|\bno entiendo (?:nada|como funciona|este|esto)\b"
    rf"|\bno se (?:bien )?(?:como usar|usar|manejar|como se usa|como funciona) (?:esto|este|el chat|el bot"
    rf"|la app|el telegram)\b"
)
# Said of how she got here: with a question about «this», first contact is certain.
_ARRIVED_RE = re.compile(
    r"\bme (?:lo |la )(?:instalo|instalaron|puso|pusieron|descargo|bajo|paso|pasaron|mando|mandaron"
    r"|recomendo|recomendaron|compartio|compartieron)\b"
    r"|\bme (?:instalo|instalaron|descargo|bajo|paso|pasaron|mando|mandaron|recomendo|recomendaron"
    r"|compartio|compartieron|puso|pusieron) (?:este|esta|esto|el link|la liga|el enlace|el numero"
    r"|el contacto|el chat|el bot|la app|la aplicacion|telegram|el telegram|aqui)\b"
    r"|\b(?:le|ya le) pique a\b")
# Words that ask about a topic of the programme: that question is answered, not the menu.
_TOPIC_RE = re.compile(
    r"\b(?:gobierno abierto|stl|secretariado|inai|transparencia|solicitud|cocreacion|mesa|"
    r"propuesta|contrato|contratos|datos abiertos|violencia|denuncia|pnt|plataforma|"
    r"privacidad|mis datos|folio|alerta|plan de accion|"
    # the news asked for («¿cómo le hago para que me lleguen sus mensajes?»): a subscription
    r"lleguen|llegue|recibir|noticias|avisos|boletin\w*|notificaciones|alertas|suscrib\w*)\b")
# Something is wrong where she lives: a problem, not a first contact (the proposal, via Rasa).
_PROBLEM_RE = re.compile(r"\b(?:no hay|no pasa|no sirve|no llega|se robaron|basura|bache|agua|luz)\b")


@lru_cache(maxsize=1)
def _local_institutions() -> frozenset[str]:
    """The state's own platforms and institutions (content/place.yml), normalised once."""
    local = place()
    return frozenset(n for n in (normalize_words(name) for name in
                                 (*local.request_platforms, *local.state_institutions)) if n)


def _names_a_local_institution(words: str) -> bool:
    """The state's own platforms and institutions are topics too («¿qué es esto del <instituto>?»)."""
    return any(f" {n} " in f" {words} " for n in _local_institutions())


def asks_what_this_is(text: str) -> bool:
    """«¿Qué es esto?», «¿cómo se usa este chat?», «mi hija me lo instaló y no le entiendo»."""
    words = normalize_words(text)
    if not words or len(words.split()) > MAX_WORDS or _TOPIC_RE.search(words) \
            or _names_a_local_institution(words) or _PROBLEM_RE.search(words):
        return False
    parts = [p.strip() for p in re.split(r"[.?!¿¡,;:\n]+", text.lower()) if p.strip()]
    asks = any(_ASKS_RE.search(normalize_words(p)) for p in parts) or bool(_ASKS_RE.search(words))
    if asks:
        return True
    # «me pasaron este chat en el grupo de vecinos, ¿para qué sirve?»: the arrival, then a bare
    # «what is it for» with no subject.
    bare = re.search(r"\b(?:para que sirve|pa que sirve|que es|de que se trata|como funciona"
                     r"|que puedo hacer|que hago|que hacer|como le hago|no le entiendo"
                     r"|como se usa|como (?:lo|la) uso|como se maneja)\b", words)
    return bool(_ARRIVED_RE.search(words) and bare)


_THANKS_RE = re.compile(r"\b(?:gracias|graci\w*|grax|grasias|gracia|thx|thanks|thank you|ty|agradezco|"
                        r"agradecida|agradecido|mil gracias|muchisimas gracias)\b")
# What may come with the thanks: praise, an ok, emphasis. Any other word is something more.
_PRAISE_WORDS = (
    "muchas muchisimas mil gracias grax grasias gracia thx thanks thank you ty agradezco agradecida "
    "agradecido le te les se lo la muy mucho bien super muy buena bueno excelente genial perfecto "
    "perfecta ok okay oki va sale orale vale listo ya entendi entendido claro de veras verdad "
    "me sirvio sirvio ayudo ayudaste ayudo un buen buen chido chida padre padrisimo bonito "
    "amable amables por todo la info informacion ayuda respuesta es era justo lo que "
    "necesitaba buscaba queria jaja jajaja xd q k que ah ahh oh eh pues pos bueno excelente "
    "dios bendiga bendiciones saludos tanto tantas atencion paciencia jefe joven senorita amiga amigo "
    "bot sirve sirven servira y si explicado explicada explicaste clarito util")
_PRAISE = frozenset(_PRAISE_WORDS.split())
MAX_THANKS_WORDS = 14


def only_thanks(text: str) -> bool:
    """A short thanks with praise and nothing else: no question, no request, no story."""
    if "?" in text or "¿" in text:
        return False
    words = normalize_words(text).split()
    if not words or len(words) > MAX_THANKS_WORDS or not _THANKS_RE.search(" ".join(words)):
        return False
    return all(w in _PRAISE for w in words)
