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

from bot.services.content import content_dir
from bot.textnorm import normalize_words

FUZZY_ACCEPT = 80  # accept the best guess at or above this score…
FUZZY_MARGIN = 8  # …when the runner-up (another municipality) trails by at least this much
FUZZY_SUGGEST = 70


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
        key = normalize_words(text)
        for prefix in ("municipio de ", "mpio de ", "soy de ", "vivo en ", "en "):
            key = key.removeprefix(prefix)
        if not key:
            return MunicipalityMatch(None)
        exact = self.names.get(key)
        if exact:
            return MunicipalityMatch(exact[0] if len(exact) == 1 else None, list(exact))
        results = process.extract(key, list(self.names), scorer=fuzz.WRatio, limit=5)
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
        return MunicipalityMatch(None, suggestions[:3])


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
    aliases = yaml.safe_load((base / "municipality_aliases.yml").read_text("utf-8")) or {}
    for alias, targets in aliases.items():
        names[normalize_words(alias)] = tuple(by_official[t] for t in targets)
    return MunicipalityIndex(tuple(municipalities), names)


@lru_cache(maxsize=1)
def municipality_index() -> MunicipalityIndex:
    return load_index()


def match_municipality(text: str) -> MunicipalityMatch:
    return municipality_index().match(text)
