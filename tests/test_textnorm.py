import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.textnorm import clean, normalize, normalize_words, strip_accents


def test_accents_case_and_question_marks_fold() -> None:
    assert normalize_words("¿Qué es el GOBIERNO ABIERTO?") == "que es el gobierno abierto"


def test_chat_abbreviations_expand() -> None:
    assert normalize_words("q es el stl xq no entiendo") == "que es el stl porque no entiendo"
    assert normalize_words("pq k info") == "porque que informacion"


def test_repeated_letters_collapse_but_spanish_doubles_survive() -> None:
    assert normalize_words("holaaaaa") == "hola"
    assert normalize_words("graciaaaas") == "gracias"
    assert normalize_words("carro llamada leer accion") == "carro llamada leer accion"


def test_enie_is_kept() -> None:
    assert strip_accents("año Peña") == "año Peña"
    assert "año" in normalize("Año")


def test_emoji_and_markup_do_not_crash() -> None:
    assert normalize_words("😀😀") == ""
    assert normalize_words("<b>hola</b>") == "b hola b"


# --- clean(): the door of the core ---------------------------------------------------------

INVISIBLE = ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u200d", "\u200c", "\u200e", "\u200f",
             "\u202e", "\u2066", "\u061c", "\u180e", "\u034f", "\u3164"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_are_dropped(char: str) -> None:
    assert clean(f"me está pe{char}gando") == "me está pegando"


def test_controls_are_dropped_but_tabs_and_newlines_stay() -> None:
    assert clean("uno\x00dos\x07\x1b tres\ufffe\uffff\x7f\x85") == "unodos tres"
    assert clean("línea 1\nlínea 2\tcol\r\n") == "línea 1\nlínea 2\tcol\r\n"


def test_fullwidth_and_styled_letters_become_plain() -> None:
    assert clean("ｍｅ ｅｓｔá ｐｅｇａｎｄｏ") == "me está pegando"
    assert clean("𝐚𝐲𝐮𝐝𝐚") == "ayuda"


def test_cyrillic_and_greek_look_alikes_fold_to_latin() -> None:
    assert clean("mе еstá pеgаndо") == "me está pegando"  # Cyrillic е, а, о
    assert clean("Αуuda") == "Ayuda"  # Greek Alpha, Cyrillic у


def test_spanish_text_is_untouched() -> None:
    text = "¿Año, Peña, pingüino y ÁRBOL? Sí. 😀 10 %"
    assert clean(text) == text
    assert clean("n\u0303") == "ñ", "a decomposed ñ is composed"


def test_clean_is_idempotent() -> None:
    text = "ｈｏｌａ\u200b мир \x07"
    assert clean(clean(text)) == clean(text)


# Characters whose neighbours change after clean() drops or folds them: invisible ones between a
# letter and its accent («e\u200b\u0301»), look-alike letters that carry an accent («е\u0301»,
# Cyrillic е), Hangul jamo around a filler, and compatibility forms. Few of each, so that
# hypothesis puts them side by side.
_BASES = ["e", "a", "n", "i", "\u0435", "\u0456", "\u03b9", "\u0131", "\u1100", "\u1161", "ﬁ", "ｅ", "ϐ"]
_DROPPED = ["\u200b", "\u00ad", "\u2060", "\ufeff", "\x07", "\u1160", "\u034f", "\u202e"]
_MARKS = ["\u0301", "\u0308", "\u0303", "\u0327", "\u0306", "\u0300"]


@settings(max_examples=2_000, derandomize=True, database=None, deadline=None)
@given(st.text(alphabet=st.sampled_from(_BASES + _DROPPED + _MARKS), max_size=10) | st.text())
def test_clean_is_idempotent_for_any_text(text: str) -> None:
    """What enters the core once enters it the same way again: the core, the safety net and
    storage each may clean a text that was already cleaned."""
    once = clean(text)
    assert clean(once) == once


@pytest.mark.parametrize("text, expected", [
    ("pe\u200b\u0301gando", "pégando"),  # the accent lands on the letter once the space goes
    ("m\u0435\u0301s", "més"),  # Cyrillic е with an accent is a Latin é
    ("a\u00ad\u0301", "á"),
])
def test_an_accent_after_a_dropped_or_folded_character_is_composed_at_once(text: str,
                                                                           expected: str) -> None:
    assert clean(text) == expected


def _clean_per_character(text: str) -> str:
    """clean() as first written: a Python loop over the characters (the reference)."""
    import unicodedata

    from bot.textnorm import _HOMOGLYPH_TABLE, _dropped

    text = "".join(ch for ch in text if not _dropped(ch))
    text = unicodedata.normalize("NFKC", text).translate(_HOMOGLYPH_TABLE)
    return unicodedata.normalize("NFC", text)


def _strip_accents_per_character(text: str) -> str:
    import unicodedata

    text = text.replace("ñ", "\0").replace("Ñ", "\1")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("\0", "ñ").replace("\1", "Ñ")


@settings(max_examples=3_000, derandomize=True, database=None, deadline=None)
@given(st.text(alphabet=st.sampled_from(_BASES + _DROPPED + _MARKS + ["\ud800", "\x00", "\t"]),
               max_size=12) | st.text())
def test_the_door_reads_every_text_as_the_per_character_loop_did(text: str) -> None:
    """The translate tables (filled in as characters are met) give the very text the loop gave:
    the safety net, Rasa and storage see what they saw before."""
    assert clean(text) == _clean_per_character(text)
    assert strip_accents(text) == _strip_accents_per_character(text)
