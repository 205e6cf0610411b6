"""Fuzz: danger hidden by invisible characters, look-alike letters, case, repeated letters and
misspellings by sound is still danger; look-alikes treated the same way are still not.

Each example takes a message and applies random obfuscations (issue 21 item 2): a format
character (zero-width space, soft hyphen, word joiner, BOM, ZWJ/ZWNJ, bidi marks) anywhere,
Cyrillic/Greek/fullwidth letters for Latin ones, random case, a letter typed many times, and
spellings that sound the same in Mexican Spanish (b/v, y/ll/i, s/z/c, silent h, qu/k/c, g/j).
``derandomize=True`` keeps the examples the same on every run.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation.safety import Level, safety_net
from bot.textnorm import clean

DANGER = [
    "mi esposo me esta pegando",
    "ayuda me va a matar",
    "me quiere matar mi novio",
    "me estan golpeando auxilio",
    "mi ex esta afuera de mi casa con un cuchillo",
    "me acaban de violar",
    "me tiene encerrada y no me deja salir",
    "manden una patrulla por favor",
]
CRISIS = ["me quiero morir", "ya no quiero vivir", "me voy a quitar la vida"]
LOOK_ALIKES = [
    "este tramite me mata",
    "me muero de hambre",
    "que es la violencia economica",
    "hace diez años mi exesposo me golpeaba",
    "como denuncio violencia familiar",
    "me corte el pelo",
    "mi mama me va a matar si llego tarde",
    "quiero reportar un bache en la avenida",
]
INVISIBLE = ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u200d", "\u200c", "\u200e", "\u200f",
             "\u202a", "\u202c", "\u202e", "\u2066", "\u2069", "\u061c"]
LOOK_ALIKE_LETTERS = {
    "a": ["а", "α", "ａ"], "e": ["е", "ε", "ｅ"], "o": ["о", "ο", "ｏ"], "p": ["р", "ρ", "ｐ"],
    "c": ["с", "ｃ"], "i": ["і", "ι", "ｉ"], "y": ["у", "ｙ"], "x": ["х", "χ"], "m": ["ｍ"],
    "t": ["т", "ｔ"], "k": ["к", "κ"], "s": ["ѕ", "ｓ"], "u": ["υ", "ｕ"], "n": ["ｎ"], "g": ["ｇ"],
}
# Spellings that sound alike: each rule is (what is written, how it is misspelt).
SOUND_ALIKE = [("v", "b"), ("b", "v"), ("y", "i"), ("ll", "y"), ("y", "ll"), ("s", "z"),
               ("z", "s"), ("ce", "se"), ("ci", "si"), ("qu", "k"), ("ca", "ka"), ("co", "ko"),
               ("cu", "ku"), ("ge", "je"), ("gi", "ji"), ("gue", "ge"), ("ea", "ia"), ("eo", "io")]
REPEATABLE = set("aeiouyjkmnpstuvxz")  # "r", "l" and "c" legitimately double in Spanish


@st.composite
def obfuscated(draw: st.DrawFn, messages: list[str]) -> str:
    text = draw(st.sampled_from(messages))
    words = text.split()
    for i, word in enumerate(words):  # misspell some words by sound (whole words, as people do)
        for written, misspelt in SOUND_ALIKE:
            if written in word and draw(st.integers(0, 2)) == 0:
                word = word.replace(written, misspelt)
        if word[0] in "aeiou" and draw(st.integers(0, 5)) == 0:
            word = "h" + word  # a silent h where there is none
        words[i] = word
    chars = list(" ".join(words))
    for i, ch in enumerate(chars):
        choice = draw(st.integers(0, 11))
        if choice == 0 and ch in LOOK_ALIKE_LETTERS:
            chars[i] = draw(st.sampled_from(LOOK_ALIKE_LETTERS[ch]))
        elif choice == 1:
            chars[i] = ch.upper()
        elif choice == 2 and ch in REPEATABLE:
            chars[i] = ch * draw(st.integers(3, 6))
    for _ in range(draw(st.integers(1, 4))):  # invisible characters anywhere, inside words too
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(INVISIBLE)))
    return "".join(chars)


SETTINGS = settings(max_examples=600, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(obfuscated(DANGER))
def test_obfuscated_danger_is_still_an_emergency(message: str) -> None:
    assert safety_net().assess(message) == Level.EMERGENCY, (message, clean(message))


@SETTINGS
@given(obfuscated(CRISIS))
def test_obfuscated_suicide_messages_still_get_the_crisis_reply(message: str) -> None:
    assert safety_net().assess(message) == Level.CRISIS, (message, clean(message))


@SETTINGS
@given(obfuscated(LOOK_ALIKES))
def test_obfuscated_look_alikes_are_still_no_emergency(message: str) -> None:
    assert not safety_net().is_emergency(message), (message, clean(message))


@pytest.mark.parametrize("message", DANGER + CRISIS)
def test_the_plain_messages_are_danger(message: str) -> None:
    assert safety_net().is_emergency(message)
