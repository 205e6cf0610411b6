"""Normalise chat text the way Mexican users write it.

Standard library only: both the application (Python 3.11) and the Rasa NLU
component (Python 3.10, ``nlu/components/normalizer.py``) import this module,
so the bot and the model see the same text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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

# Letters from other scripts that look like Latin ones (after NFKC, which already folds
# fullwidth and mathematical letters). Someone who hides a word from a filter, or a keyboard
# set to Russian or Greek, types these; the safety net and Rasa must read the Latin word.
_HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "ս": "u", "ո": "n",
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ї": "I", "Ј": "J", "Ԛ": "Q",
    "Ԝ": "W", "Ӏ": "I",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ς": "s", "ѵ": "v",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin look-alikes outside ASCII
    "ı": "i", "ℓ": "l", "ƅ": "b",
}
_HOMOGLYPH_TABLE = str.maketrans(_HOMOGLYPHS)
# Invisible characters that are not of category Cf (format) but show nothing either.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0\u17b4\u17b5")
_KEEP_CONTROLS = frozenset("\t\n\r")


def _dropped(ch: str) -> bool:
    """Format characters (zero-width, soft hyphen, bidi marks, BOM), C0/C1 controls but tab
    and newlines, invisible fillers, and the non-characters U+FFFE/U+FFFF."""
    if ch in _KEEP_CONTROLS:
        return False
    if ch in _INVISIBLE or ch in "\ufffe\uffff":
        return True
    category = unicodedata.category(ch)
    return category in ("Cf", "Cc", "Cs", "Co")


class _CharTable(dict):  # type: ignore[type-arg]
    """A ``str.translate`` table filled in as characters are met: a character ``drop`` says
    to remove maps to None, any other to itself. The same result as a loop over the
    characters in Python, with the loop in C after a character's first time (the bot cleans
    and normalises each message several times). Holds code points only, never text."""

    def __init__(self, drop: Callable[[str], bool], limit: int = 65_536) -> None:
        super().__init__()
        self.drop = drop
        self.limit = limit

    def __missing__(self, code: int) -> int | None:
        value = None if self.drop(chr(code)) else code
        if len(self) < self.limit:
            self[code] = value
        return value


_DROP_TABLE = _CharTable(_dropped)


def clean(text: str) -> str:
    """The text as it enters the core: what a person sees, spelled with ordinary letters.

    Invisible and control characters dropped, then NFKC (fullwidth and styled letters become
    plain ones, "ﬁ" becomes "fi"), then Cyrillic and Greek look-alikes folded to Latin, then
    NFC. Done at the door, so the safety net, Rasa and storage all see the same text
    ("pe\u200bgando" is "pegando" for all of them), and so no export breaks on a control
    character. The order makes it idempotent (``clean(clean(x)) == clean(x)``): an accent that
    followed a dropped character, or a folded letter («е\u0301», Cyrillic е), is composed here
    and not by the next call.
    """
    text = text.translate(_DROP_TABLE)
    text = unicodedata.normalize("NFKC", text).translate(_HOMOGLYPH_TABLE)
    return unicodedata.normalize("NFC", text)


_REPEAT_RE = re.compile(r"([a-zñ])\1{2,}")
_SPACE_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"[a-z0-9ñ+]+|[^\sa-z0-9ñ+]")
_COMBINING_TABLE = _CharTable(lambda ch: bool(unicodedata.combining(ch)))
# Letters that legitimately double in Spanish (carro, llama, leer, acción).
_DOUBLE_OK = set("rlceo")


def strip_accents(text: str) -> str:
    """Remove diacritics but keep ñ, which changes meaning (año/ano)."""
    text = text.replace("ñ", "\0").replace("Ñ", "\1")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = decomposed.translate(_COMBINING_TABLE)
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


# «el STL q hace?», «la PNT k es»: the question asked backwards, as people type it. Rasa learnt
# «¿qué hace el STL?»; read backwards, a name of a body went to the proposal interview (prop11).
# Only a thing named with an article or in capitals («el comité…», «PNT»): «mi hijo no sabe q
# hace» stays as typed.
_BACKWARDS_RE = re.compile(
    r"^\s*(?:y\s+)?(?P<thing>(?:(?:el|la|los|las|lo|un|una)\s+\S+|(?-i:[A-ZÁÉÍÓÚÑ]{2,})\S*)(?:\s+\S+){0,5}?)"
    r"\s*,?\s+(?:q|k|ke|qe|que|qué)\s+(?P<verb>hace|hacen|es|son|significa)\s*[?¿!.]*\s*$",
    re.IGNORECASE,
)


def what_first(text: str) -> str:
    """«el STL q hace?» → «¿qué hace el STL?»; any other text as it is."""
    match = _BACKWARDS_RE.match(text)
    if match is None:
        return text
    thing = match.group("thing").strip(" ,")
    return f"¿qué {match.group('verb').lower()} {thing}?"
