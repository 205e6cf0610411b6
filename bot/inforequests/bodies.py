"""The bodies a person can ask for information (``content/sujetos_obligados.yml``) and the channels.

Each of the state's municipalities is an ayuntamiento (named from ``municipalities.csv`` through
the same matcher the rest of the bot uses, so "neza" or "izcalli" work); the state bodies with a
source are listed by hand with the words people type for them. Gaps (an unverified web address,
a missing contact of a Unidad de Transparencia) are ``None`` and the bot says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from rapidfuzz.distance import OSA

from bot.content.files import Source, content_dir, load_model
from bot.content.municipalities import Municipality, municipality_index
from bot.conversation.choices import nth
from bot.conversation.replies import Button
from bot.textnorm import normalize_words

FILE = "sujetos_obligados.yml"


class Channel(BaseModel):
    id: str
    name: str = Field(min_length=3)
    url: str | None = None
    how: str = Field(min_length=10)
    unverified: str | None = None
    sources: list[Source] = Field(min_length=1)
    reviewed: dt.date


class Ayuntamientos(BaseModel):
    name: str = Field(pattern=r"\{municipio\}")
    article: str = Field(pattern=r"^(el|la|los|las)$")
    unidad_transparencia: str | None = None
    sources: list[Source] = Field(min_length=1)
    reviewed: dt.date


class StateBody(BaseModel):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: str = Field(min_length=3)
    article: str = Field(pattern=r"^(el|la|los|las)$")
    aliases: list[str] = Field(min_length=1)
    unidad_transparencia: str | None = None
    sources: list[Source] = Field(min_length=1)
    reviewed: dt.date


class BodiesFile(BaseModel):
    reviewed: dt.date
    channels: list[Channel] = Field(min_length=1)
    ayuntamientos: Ayuntamientos
    bodies: list[StateBody]


@dataclass(frozen=True)
class Body:
    """One sujeto obligado: ``key`` is ``mun:<INEGI code>`` or ``edo:<id>`` (safe to store)."""

    key: str
    name: str
    article: str
    contact: str | None
    sources: tuple[Source, ...]

    @property
    def the_name(self) -> str:
        """With its article, to go inside a sentence ("el Ayuntamiento de …", "la Fiscalía …")."""
        return f"{self.article} {self.name}"


@dataclass
class BodyMatch:
    """``best`` when one body is clear; otherwise ``candidates`` to ask about (maybe none)."""

    best: Body | None
    candidates: list[Body] = field(default_factory=list)


def load_bodies(directory: Path | None = None) -> BodiesFile:
    return load_model((directory or content_dir()) / FILE, BodiesFile)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def bodies_file() -> BodiesFile:
    return load_bodies()


def ayuntamiento(m: Municipality) -> Body:
    spec = bodies_file().ayuntamientos
    return Body(f"mun:{m.code}", spec.name.format(municipio=m.name), spec.article,
                spec.unidad_transparencia, tuple(spec.sources))


def state_body(spec: StateBody) -> Body:
    return Body(f"edo:{spec.id}", spec.name, spec.article, spec.unidad_transparencia,
                tuple(spec.sources))


def all_bodies() -> list[Body]:
    """The ayuntamientos, then the state bodies: every body the bot can name."""
    return ([ayuntamiento(m) for m in municipality_index().municipalities]
            + [state_body(b) for b in bodies_file().bodies])


def body_by_key(key: str) -> Body | None:
    for body in all_bodies():
        if body.key == key:
            return body
    return None


def _state_body_in(words: str) -> StateBody | None:
    """The state body whose longest alias appears as whole words in ``words``."""
    padded = f" {words} "
    best: tuple[int, StateBody] | None = None
    for spec in bodies_file().bodies:
        for alias in spec.aliases:
            key = normalize_words(alias)
            if f" {key} " in padded and (best is None or len(key) > best[0]):
                best = (len(key), spec)
    return best[1] if best else _state_body_near(words)


MIN_NEAR_WORD = 4  # a slip in a shorter word («de», «la») changes what it says
MIN_NEAR_ALIAS = 6  # a one-word alias this long or longer may carry a slip too («fiscalai»)


def _near(typed: str, word: str) -> bool:
    """The same word, or one slip off (a letter missing, extra, changed or swapped) when long."""
    return typed == word or (min(len(typed), len(word)) >= MIN_NEAR_WORD
                             and OSA.distance(typed, word) <= 1)


def _state_body_near(words: str) -> StateBody | None:
    """The state body whose alias ``words`` write with a slip («secretaria de las mujere»): one
    letter off in a long word of the alias; the longest alias wins, and only one body may fit."""
    typed = words.split()
    found: dict[str, tuple[int, StateBody]] = {}
    for spec in bodies_file().bodies:
        for alias in spec.aliases:
            key = normalize_words(alias).split()
            if len(key) == 1 and len(key[0]) < MIN_NEAR_ALIAS:
                continue
            for start in range(len(typed) - len(key) + 1):
                window = typed[start:start + len(key)]
                if all(_near(t, w) for t, w in zip(window, key, strict=True)):
                    size = len(" ".join(key))
                    if spec.id not in found or size > found[spec.id][0]:
                        found[spec.id] = (size, spec)
    return next(iter(found.values()))[1] if len(found) == 1 else None


def find_body(text: str) -> BodyMatch:
    """The body named in a sentence: a state body by its words, else a municipality's ayuntamiento."""
    spec = _state_body_in(normalize_words(text))
    if spec is not None:
        return BodyMatch(state_body(spec), [state_body(spec)])
    found = municipality_index().find_in_text(text)
    if found.best is not None:
        return BodyMatch(ayuntamiento(found.best), [ayuntamiento(found.best)])
    return BodyMatch(None, [ayuntamiento(m) for m in found.candidates])


# Words that do not tell one offered institution from another («el del …», «la de …»).
_PICK_FILLER = frozenset({"el", "la", "los", "las", "de", "del", "que", "es", "ese", "esa", "mero",
                          "ayuntamiento", "municipio", "pues", "si", "uno", "una"})


def pick_offered(text: str, offered: list[Body]) -> Body | None:
    """The one offered institution the typed words point at: «el del valle» among two
    ayuntamientos whose names differ in «valle», or «la segunda»; None when unclear."""
    if not offered:
        return None
    place = nth([Button(b.name, b.key) for b in offered], text)  # «la segunda»
    if place is not None:
        return next(b for b in offered if b.key == place.payload)
    typed = set(normalize_words(text).split()) - _PICK_FILLER
    if not typed:
        return None
    fits = [b for b in offered if typed <= set(normalize_words(b.name).split())]
    return fits[0] if len(fits) == 1 else None


def answer_body(text: str, offered: list[Body] | None = None) -> BodyMatch:
    """A typed answer to "¿a qué institución?": also tolerates a typo of a municipality alone.
    ``offered``: the candidates just offered as buttons; words that pick one of them win."""
    picked = pick_offered(text, offered or [])
    if picked is not None:
        return BodyMatch(picked, [picked])
    found = find_body(text)
    if found.best is not None or found.candidates:
        return found
    match = municipality_index().match(text)
    if match.best is not None:
        return BodyMatch(ayuntamiento(match.best), [ayuntamiento(match.best)])
    return BodyMatch(None, [ayuntamiento(m) for m in match.candidates])


def channels() -> list[Channel]:
    return bodies_file().channels
