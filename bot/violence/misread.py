"""A request the model read as a one-word intent: the quick exit, a goodbye, a greeting.

The model learnt the quick exit («borra todo», «salida rápida») and the goodbye from short
messages, and it can be sure of them on a long request that says nothing of the kind: «necesito
la dirección de un lugar de apoyo para mujeres en <municipio> que me quede cerca…» got «Listo,
quito de este chat los mensajes», «¿hay Puerta Violeta en <municipio> o tengo que ir hasta
<municipio>?» got «¡Hasta pronto!» (issue 14, round 12). A long message asking for something is
never the quick exit unless it says so; a request for a place of help for women is the centre
finder whatever the model read. Read on the words of :func:`bot.textnorm.normalize_words`.
"""

from __future__ import annotations

import json
import re

from bot.textnorm import normalize_words
from bot.violence.directory import asks_for_a_centre, directory

QUICK_EXIT_INTENT = "salida_rapida"
# Intents learnt from a few words: a request that reads as one of them was misread.
SHORT_INTENTS = frozenset({QUICK_EXIT_INTENT, "goodbye", "greet", "thanks"})
CENTRE_PAYLOAD = "/buscar_centro"
# Longer than any way of asking for the quick exit the model learnt («alguien viene, borra todo»).
LONG_WORDS = 8
# The quick exit said in so many words, or in others: erase, hide, leave no trace on the phone,
# someone who might see it («que no quede nada de esto en mi celular, comparto el teléfono»).
_SAYS_QUICK_EXIT_RE = re.compile(
    r"\b(salida|borr\w*|elimin\w*|quit\w*|escond\w*|limpi\w*|desaparec\w*|ocult\w*|cierr\w*|cerr\w*"
    r"|salir|salte|sal|rastro|historial|viene|vienen|llego|llega|ve|vea|vean|ven|lea|lean|leer|revisa\w*"
    r"|entere|mensajes|conversacion|chat|platica|nada de esto|no quede|quede|celular|cel|telefono|pantalla"
    r"|compu|tablet|rapido|ahorita|urgente)\b")
# Longer than that, a message that never says it asked for something else.
LONG_ELSE_WORDS = 12
# A place of help for women asked for, with or without the municipality.
_HELP_PLACE_RE = re.compile(
    r"\b([cs]entros?|unidas|unidad(es)? de atencion|cjm|ciudad mujer\w*|puerta violeta|lugar\w*"
    r"|oficina\w*|refugio\w*|instituto|donde (me|la|nos) (atienden|apoyan|orientan|ayudan))\b")
_FOR_WOMEN_RE = re.compile(r"\b(mujer\w*|violencia\w*|violentad\w*|maltrat\w*|golpe\w*|unidas|cjm"
                           r"|puerta violeta|ciudad mujer\w*)\b")
_ASKS_WHAT_RE = re.compile(r"^(que es|que son|que significa|para que sirve\w*|que hace\w*)\b")


_ASKS_WHERE_RE = re.compile(r"\b(donde|dnd|direccion|ubicacion|queda|quedan|cerca\w*|ir a|ir al|acudir"
                            r"|necesito|busco|me urge|como llego|mas cercan\w*)\b")
_NOT_A_VISIT_RE = re.compile(r"\b(cuant[oa]s?|diferencia\w*|lo mismo|datos|mapa|estadistica\w*)\b")


# A goodbye, a greeting or thanks said in words: a long message with one of them stands as read.
_SAYS_SHORT_INTENT_RE = re.compile(
    r"\b(adios|bye|bai|chao|hasta (luego|pronto|manana)|nos vemos|me despido|gracias|grax|hola"
    r"|buen(os|as)? (dias|tardes|noches)|buenas|saludos)\b")


def wants_a_centre(text: str) -> bool:
    """A place of help for women asked for («necesito la dirección de un lugar de apoyo para
    mujeres»), not what it is, how many it served nor how they differ."""
    words = normalize_words(text)
    return bool(_HELP_PLACE_RE.search(words) and _FOR_WOMEN_RE.search(words)
                and _ASKS_WHERE_RE.search(words) and not _ASKS_WHAT_RE.search(words)
                and not _NOT_A_VISIT_RE.search(words))


def centre_payload(text: str) -> str:
    """The centre finder for ``text``: with the municipality it names, when one is clear."""
    found = directory().municipalities.find_in_text(text)
    if found.best is None:
        return CENTRE_PAYLOAD
    return CENTRE_PAYLOAD + json.dumps({"municipio": found.best.code}, separators=(",", ":"))


def misread(intent: str | None, text: str) -> str | None:
    """What to do instead of the one-word ``intent`` the model read in ``text``: the centre
    finder's payload, ``""`` for «not sure» (a long message that never asked for the quick
    exit), or None when the model's reading stands."""
    if intent not in SHORT_INTENTS or text.startswith("/"):
        return None
    if asks_for_a_centre(text) or (len(text.split()) > LONG_WORDS and wants_a_centre(text)):
        return centre_payload(text)
    if (intent == QUICK_EXIT_INTENT and len(text.split()) > LONG_ELSE_WORDS
            and not _SAYS_QUICK_EXIT_RE.search(normalize_words(text))):
        return ""
    if (intent != QUICK_EXIT_INTENT and len(text.split()) > LONG_ELSE_WORDS and "?" in text
            and not _SAYS_SHORT_INTENT_RE.search(normalize_words(text))):
        # «anoche se oyó cómo le pegaban a la vecina… ¿qué puedo hacer sin meterme en
        # problemas?» got «¡Hasta pronto!» (slice l, round 12): a long question is no goodbye
        return ""
    return None
