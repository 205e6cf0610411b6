"""Normalise chat text the way Mexican users write it.

Standard library only: both the application (Python 3.11) and the Rasa NLU
component (Python 3.10, ``nlu/components/normalizer.py``) import this module,
so the bot and the model see the same text.
"""

from __future__ import annotations

import re
import unicodedata

# Chat abbreviations seen in Mexican Spanish messages, mapped to full words.
# Keys are whole tokens after lower-casing and accent stripping.
ABBREVIATIONS: dict[str, str] = {
    "q": "que",
    "k": "que",
    "ke": "que",
    "qe": "que",
    "xq": "porque",
    "pq": "porque",
    "porq": "porque",
    "xk": "porque",
    "x": "por",
    "d": "de",
    "tb": "tambien",
    "tmb": "tambien",
    "tbn": "tambien",
    "pa": "para",
    "pra": "para",
    "nd": "nada",
    "info": "informacion",
    "infor": "informacion",
    "xfa": "por favor",
    "xfavor": "por favor",
    "porfa": "por favor",
    "plis": "por favor",
    "pls": "por favor",
    "grax": "gracias",
    "grx": "gracias",
    "ntp": "no te preocupes",
    "sta": "esta",
    "stoy": "estoy",
    "toy": "estoy",
    "msj": "mensaje",
    "cm": "como",
    "kien": "quien",
    "qien": "quien",
    "dnd": "donde",
    "dond": "donde",
    "kuando": "cuando",
    "gob": "gobierno",
    "gobie": "gobierno",
    "sr": "senor",
    "sra": "senora",
    "ola": "hola",
    "hla": "hola",
    "bn": "bien",
    "salu2": "saludos",
    "aki": "aqui",
    "xa": "para",
    "+": "mas",
}

_REPEAT_RE = re.compile(r"([a-zñ])\1{2,}")
_SPACE_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"[a-z0-9ñ+]+|[^\sa-z0-9ñ+]")
# Letters that legitimately double in Spanish (carro, llama, leer, acción).
_DOUBLE_OK = set("rlceo")


def strip_accents(text: str) -> str:
    """Remove diacritics but keep ñ, which changes meaning (año/ano)."""
    text = text.replace("ñ", "\0").replace("Ñ", "\1")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("\0", "ñ").replace("\1", "Ñ")


def _squeeze_repeats(word: str) -> str:
    """Collapse letters typed three or more times ("holaaaa" -> "hola")."""

    def repl(match: re.Match[str]) -> str:
        letter = match.group(1)
        return letter * 2 if letter in _DOUBLE_OK else letter

    return _REPEAT_RE.sub(repl, word)


def normalize(text: str) -> str:
    """Return ``text`` lower-cased, accent-free, de-elongated and with abbreviations expanded."""
    text = strip_accents(text.lower())
    text = _SPACE_RE.sub(" ", text).strip()
    out: list[str] = []
    for token in _TOKEN_RE.findall(text):
        token = _squeeze_repeats(token)
        out.append(ABBREVIATIONS.get(token, token))
    return " ".join(out)


def normalize_words(text: str) -> str:
    """Like :func:`normalize` but keeps only words (no punctuation), for matching."""
    return " ".join(t for t in normalize(text).split() if t[0].isalnum() or t[0] == "ñ")
