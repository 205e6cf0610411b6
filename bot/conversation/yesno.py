"""Yes and no the way people in Mexico type them ("sí", "si, confirmo", "sale", "ándale", "nel").

A small deterministic matcher, used wherever the bot asks a yes-no question: by the conversation
core (a typed word presses the matching button) and by the proposal form's validation (the
suggested theme, the contact consent). It needs no retraining when a word is added. Standard
library and :mod:`bot.textnorm` only, so the action server imports it too.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.textnorm import normalize_words

Answer = Literal["yes", "no"]

YES_HEADS = frozenset({
    "si", "sii", "siii", "sip", "sep", "simon", "claro", "ok", "okay", "oki", "okey", "va", "vale",
    "sale", "andale", "orale", "dale", "correcto", "exacto", "afirmativo", "perfecto", "listo",
    "bueno", "confirmo", "acepto", "adelante", "enviala", "envialo", "mandala", "enviar", "mandar",
    "obvio", "seguro", "yes", "eso",
    # Mexican ways of saying yes, however they are typed: «a huevo», «simona», «arre», «jalo».
    "ahuevo", "simona", "sisi", "sipi", "arre", "jalo", "chido", "okas", "oka",
})
YES_PHRASES = frozenset({
    "de acuerdo", "esta bien", "ta bien", "por supuesto", "asi es", "es correcto", "esta correcto",
    "todo bien", "me parece bien", "muy bien", "con gusto", "por favor", "si por favor",
    "claro que si", "sale y vale", "ya esta", "todo correcto", "asi esta bien",
    "a huevo", "a webo", "a wuebo", "si pues", "va que va", "me late", "le entro", "si le entro",
    "sale pues", "andale pues", "orale pues", "va pues", "simon que si", "pos si", "pues si",
    "ok va", "si va", "si sale", "si claro",
    "ps si",  # «ps»: «pues», as typed on a phone (walk10)
})
NO_HEADS = frozenset({"no", "nop", "nel", "nelson", "nones", "negativo", "nah", "tampoco",
                      "incorrecto"})
NO_PHRASES = frozenset({
    "para nada", "mejor no", "ahorita no", "todavia no", "aun no", "no gracias", "no quiero",
    "asi no", "esta mal", "no es", "no es correcto", "no esta bien", "no me interesa",
    "nel pastel", "pos no", "pues no", "ni madres",
    "siempre no", "ps no",  # «siempre no»: she changed her mind (walk10)
})
# Words that may follow a yes or a no without changing it ("sí, gracias", "no, por ahora").
FILLERS = frozenset({
    "gracias", "por", "favor", "porfavor", "ahora", "ahorita", "todo", "bien", "correcto", "es",
    "esta", "asi", "claro", "que", "si", "no", "confirmo", "acepto", "enviala", "envialo", "mandala",
    "enviar", "envia", "manda", "mandar", "quiero", "la", "lo", "le", "ya", "de", "acuerdo",
    "muchas", "exacto", "perfecto", "adelante", "andale", "sale", "va", "ok", "gustaria",
    "me", "parece", "muy", "esa", "ese", "eso", "tema", "propuesta", "mi", "con", "gusto",
    "seguir", "sigue", "continuar", "estoy", "segura", "seguro", "segure", "okay", "simon", "y",
    "vale", "dale", "interesa", "tampoco", "nada", "mejor", "aun", "todavia", "gracia", "grax",
    "pues", "pos", "arre", "jalo", "simona", "orale", "huevo", "webo", "wuebo", "carnal", "amigo",
    "amiga", "joven", "mano", "ps",
})


def yes_no(text: str) -> Answer | None:
    """"yes", "no" or None when the text says something more than yes or no."""
    words = normalize_words(text)
    if not words:
        return None
    tokens = words.split()
    if words in YES_PHRASES:
        return "yes"
    if words in NO_PHRASES:
        return "no"
    head = tokens[0]
    if head in NO_HEADS or words.startswith(tuple(f"{p} " for p in NO_PHRASES)):
        answer: Answer = "no"
    elif head in YES_HEADS or words.startswith(tuple(f"{p} " for p in YES_PHRASES)):
        answer = "yes"
    else:
        return None
    if len(tokens) > 6 or any(t not in FILLERS and t not in YES_HEADS and t not in NO_HEADS
                              for t in tokens[1:]):
        return None
    return answer


# "Later" on its own: the answer to a question, never a question.
LATER = frozenset({
    "despues", "luego", "al rato", "mas tarde", "mas al rato", "en otro momento", "otro dia",
    "ahorita no", "luego te digo", "despues te digo", "luego veo", "despues veo",
})
# «Atrás» only means something inside a question (the interview's back step).
BACK = frozenset({"atras", "regresar", "regresame", "volver", "anterior", "paso anterior"})
MAX_BARE_WORDS = 3


def bare_answer(text: str) -> bool:
    """A short yes, no, "later" or "back" and nothing else ("sí", "va", "no gracias", "atrás")."""
    words = normalize_words(text)
    if words in LATER or words in BACK:
        return True
    return yes_no(text) is not None and len(words.split()) <= MAX_BARE_WORDS


def after_no(text: str) -> str:
    """What follows a leading "no" ("no, es de seguridad" → "es de seguridad"), else ""."""
    tokens = normalize_words(text).split()
    if not tokens or tokens[0] not in NO_HEADS:
        return ""
    rest = tokens[1:]
    while rest and rest[0] in {"es", "era", "mejor", "de", "del", "el", "la", "sobre", "tema"}:
        rest = rest[1:]
    return " ".join(rest)


# «mejor no, quiero saber de los contratos»: a refusal, a pause, then something else. Never the
# answer to the question asked; what follows the pause is answered once the question is settled
# (the proposal form asks «¿Quieres cancelar tu propuesta?» first: walk8, walk9). Without a comma
# only before «mejor» («nel mejor dime q es el stl»): «ya no hay luz» is an answer.
_CHANGE_OF_MIND_RE = re.compile(
    r"^\W*(?:no\W+)?(?:mejor no|ya no|mejor ya no|ya mejor no|nel|no gracias|olv[ií]dalo|"
    r"mejor otra cosa|sabes qu[eé]|no sabes qu[eé])(?:\s*[,.;:!…]+\s*|\s+(?=mejor\s))"
    r"(?P<rest>\W*\w+\W+\w+.*)$",
    re.IGNORECASE | re.DOTALL)


# «mejor dime qué es X» → «qué es X»: the lead-in is cut so the question reads as people ask it
# (the round 10 model was unsure of «mejor dime qué es el STL» and answered the generic menu).
_ASKED_LEAD_IN_RE = re.compile(
    r"^(?:(?:mejor|y|oye|oiga|entonces|pues|ps)\W+)*(?:(?:dime|d[ií]game|d[ií]ganme|expl[ií]came|"
    r"cu[eé]ntame|me dices|me explicas)\W+)?(?=\W*\w+\W+\w+)",
    re.IGNORECASE)


def change_of_mind(text: str) -> str | None:
    """What she asks instead in «nel, mejor dime qué es X» («qué es X»), else None."""
    found = _CHANGE_OF_MIND_RE.match(text.strip())
    if not found:
        return None
    rest = found.group("rest").strip()
    return _ASKED_LEAD_IN_RE.sub("", rest, count=1).strip() or rest
