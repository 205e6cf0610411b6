"""The municipalities of the deployment's state, understood the way people type them.

Typos, missing accents and short names ("neza", "izcalli") are matched against
``content/municipalities.csv`` and ``content/municipality_aliases.yml``; a short
name shared by several municipalities returns all of them so the bot can ask.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.content.files import content_dir
from bot.content.place import place
from bot.textnorm import normalize_words

FUZZY_ACCEPT = 80  # accept the best guess at or above this score…
FUZZY_MARGIN = 8  # …when the runner-up (another municipality) trails by at least this much
FUZZY_SUGGEST = 70
FUZZY_IN_TEXT = 83  # a word of a sentence must be this close to a name to count as one
FUZZY_MIN_CHARS = 6
MAX_NAME_WORDS = 5
# Words of questions about centres that are never a municipality, however close they look.
COMMON_WORDS = frozenset({
    "centro", "centros", "donde", "mujer", "mujeres", "justicia", "atencion", "unidas", "unidad",
    "ayuda", "cerca", "cercano", "cercana", "estado", "mexico", "municipio", "violencia", "queda",
    "tengo", "calle", "ciudadana",
})


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    seat: str
    lat: float | None
    lon: float | None
    population: int


@dataclass
class MunicipalityMatch:
    """``best`` when one municipality is clear; otherwise ``candidates`` to ask about."""

    best: Municipality | None
    candidates: list[Municipality] = field(default_factory=list)


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


@dataclass(frozen=True)
class MunicipalityIndex:
    municipalities: tuple[Municipality, ...]
    names: dict[str, tuple[Municipality, ...]]

    def by_name(self, name: str) -> Municipality | None:
        for municipality in self.municipalities:
            if municipality.name == name:
                return municipality
        return None

    def match(self, text: str) -> MunicipalityMatch:
        """The municipality a person typed as the answer to "¿en qué municipio?".

        Exact names, seats (the town people often name) and aliases first, then abbreviations
        ("v de ..." for "valle de ..."), then typos scored over the whole answer: a phrase that
        only shares a word or two with a name ("falta de presupuesto") is not a place.
        """
        key = _strip_frame(normalize_words(text))
        if not key:
            return MunicipalityMatch(None)
        exact = self.names.get(key)
        if exact:
            return MunicipalityMatch(exact[0] if len(exact) == 1 else None, list(exact))
        abbreviated = self._abbreviated(key)
        if abbreviated:
            return MunicipalityMatch(abbreviated[0] if len(abbreviated) == 1 else None, abbreviated[:3])
        results = process.extract(key, list(self.names), scorer=fuzz.ratio, limit=5)
        suggestions: list[Municipality] = []
        for name, score, _ in results:
            if score >= FUZZY_SUGGEST:
                for m in self.names[name]:
                    if m not in suggestions:
                        suggestions.append(m)
        if results and results[0][1] >= FUZZY_ACCEPT:
            top = self.names[results[0][0]]
            rivals = [score for name, score, _ in results[1:] if self.names[name] != top]
            if len(top) == 1 and (not rivals or rivals[0] <= results[0][1] - FUZZY_MARGIN):
                return MunicipalityMatch(top[0], suggestions[:3])
        if len(key.split()) > 1:
            # "<municipio>, col. jardines": a longer answer that names a place among other words.
            named = self.find_in_text(key)
            if named.best is not None or named.candidates:
                return named
        return MunicipalityMatch(None, suggestions[:3])

    def _abbreviated(self, key: str) -> list[Municipality]:
        """Names whose words the typed ones abbreviate: "v de chalco" is "valle de chalco"."""
        words = key.split()
        if not any(len(word) == 1 for word in words):
            return []
        found: list[Municipality] = []
        for name, municipalities in self.names.items():
            name_words = name.split()
            if len(name_words) == len(words) and all(
                typed == word or (len(typed) == 1 and word.startswith(typed))
                for typed, word in zip(words, name_words, strict=True)
            ):
                found.extend(m for m in municipalities if m not in found)
        return found

    def find_in_text(self, text: str, fuzzy: bool = True) -> MunicipalityMatch:
        """A municipality named anywhere in a sentence ("hay un centro en neza?").

        Whole names and aliases first, longest first (a long name before a shorter one it contains);
        then words that look like a name (typos), only when nothing matched exactly and ``fuzzy``
        (a long story told in passing holds words that look like a name by chance).
        """
        words = normalize_words(text).split()
        for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            hits: list[tuple[Municipality, ...]] = []
            for start in range(len(words) - size + 1):
                found = self.names.get(" ".join(words[start : start + size]))
                if found and found not in hits:
                    hits.append(found)
            if hits:
                if len(hits) == 1 and len(hits[0]) == 1:
                    return MunicipalityMatch(hits[0][0], [hits[0][0]])
                candidates = list(dict.fromkeys(m for hit in hits for m in hit))
                return MunicipalityMatch(None, candidates[:3])
        if not fuzzy:
            return MunicipalityMatch(None)
        best: tuple[float, tuple[Municipality, ...]] | None = None
        for size in range(1, min(MAX_NAME_WORDS, len(words)) + 1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                if len(phrase) < FUZZY_MIN_CHARS or phrase in COMMON_WORDS:
                    continue
                result = process.extractOne(phrase, list(self.names), scorer=fuzz.ratio)
                if result and result[1] >= FUZZY_IN_TEXT and (best is None or result[1] > best[0]):
                    best = (result[1], self.names[result[0]])
        if best is None:
            return MunicipalityMatch(None)
        found = best[1]
        return MunicipalityMatch(found[0] if len(found) == 1 else None, list(found))


_PREFIXES = ("municipio de ", "mpio de ", "soy de ", "vivo en ", "en el municipio de ", "en ")


def _strip_frame(key: str) -> str:
    """The place name without the words around it ("soy de …", "…, Edo. Méx.")."""
    for prefix in _PREFIXES:
        key = key.removeprefix(prefix)
    for written in place().state_written_as:
        key = key.removesuffix(" " + normalize_words(written))
    return key.strip()


def load_index(directory: Path | None = None) -> MunicipalityIndex:
    base = directory or content_dir()
    municipalities: list[Municipality] = []
    with open(base / "municipalities.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            municipalities.append(Municipality(
                code=row["cvegeo_mun"], name=row["nom_mun"], seat=row["nom_cabecera"],
                lat=_float(row["lat_cabecera"]), lon=_float(row["lon_cabecera"]),
                population=int(row["pob_total_2020"]),
            ))
    by_official = {m.name: m for m in municipalities}
    names: dict[str, tuple[Municipality, ...]] = {}
    for m in municipalities:
        names.setdefault(normalize_words(m.name), (m,))
    for m in municipalities:
        # The seat (cabecera) is what many people call the place.
        names.setdefault(normalize_words(m.seat), (m,))
    aliases = yaml.safe_load((base / "municipality_aliases.yml").read_text("utf-8")) or {}
    for alias, targets in aliases.items():
        names[normalize_words(alias)] = tuple(by_official[t] for t in targets)
    return MunicipalityIndex(tuple(municipalities), names)


@lru_cache(maxsize=1)
def municipality_index() -> MunicipalityIndex:
    return load_index()


def match_municipality(text: str) -> MunicipalityMatch:
    return municipality_index().match(text)
