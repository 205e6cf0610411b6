"""The directory of attention centres for women facing violence, and the nearest-centre search.

Centres live in ``content/centres.yml`` (edited by the STL, each row with its sources and the
date a person checked it). Distances are geodesic on the WGS84 ellipsoid (geographiclib). A
cheap great-circle pass first discards centres that cannot be among the nearest, so a lookup
computes only a handful of geodesics. The search never stores the location it is given.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from geographiclib.geodesic import Geodesic
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from bot.content import checks
from bot.content.files import ContentError, Source, content_dir, format_date, read_yaml
from bot.content.hotlines import hotlines, load_hotlines
from bot.content.municipalities import Municipality, MunicipalityIndex, load_index, municipality_index
from bot.textnorm import normalize_words

# The «Ver más lugares» button's payload, answered by the conversation core (no Rasa needed):
# «/mas_centros <municipality code> <centres shown>», or «/mas_centros ubicacion».
MORE_CENTRES = "/mas_centros"
MORE_AFTER_LOCATION = "ubicacion"
_GEOD = Geodesic.WGS84
_MEAN_EARTH_KM = 6371.0088
# The sphere's great-circle distance differs from the WGS84 geodesic by < 0.6 %: any centre whose
# great-circle distance exceeds the n-th smallest by more than this factor cannot be among the n
# nearest, so its geodesic is never computed.
_SPHERE_SLACK = 1.02
# Words that mark a shelter: their addresses are confidential and must never be listed.
SHELTER_WORDS = ("refugio", "casa de transición", "casa de transicion", "albergue")


class Area(BaseModel):
    name: str
    min_lat: float = Field(ge=-90, le=90)
    max_lat: float = Field(ge=-90, le=90)
    min_lon: float = Field(ge=-180, le=180)
    max_lon: float = Field(ge=-180, le=180)

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon


class Centre(BaseModel):
    """One place of help, as the STL keeps it in ``centres.yml``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{2,39}$")
    name: str = Field(min_length=3, max_length=80)
    kind: str
    municipality: str = Field(pattern=r"^\d{5}$")
    serves: list[str] = Field(default_factory=list)
    address: str = Field(min_length=10)
    hours: str = Field(min_length=3)
    phones: list[str] = Field(default_factory=list)
    phone_note: str | None = None
    lat: float
    lon: float
    note: str | None = None
    sources: list[Source] = Field(min_length=1)
    source_date: dt.date
    checked: dt.date

    @field_validator("phones")
    @classmethod
    def _phones_are_numbers(cls, value: list[str]) -> list[str]:
        for phone in value:
            digits = phone.replace(" ", "")
            if not digits.isdigit() or len(digits) != 10:
                raise ValueError(f"teléfono inválido (10 dígitos): {phone!r}")
        return value

    @model_validator(mode="after")
    def _phone_needs_note(self) -> Centre:
        if self.phones and not self.phone_note:
            raise ValueError("phone_note es obligatorio si hay teléfonos (¿de dónde salen?)")
        return self


class Messages(BaseModel):
    ask: str
    near_location: str
    near_municipality: str
    no_coordinates: str
    outside_area: str
    confirm: str
    choose: str
    outside_state: str
    not_found: str
    centre: str
    distance: str
    no_distance: str
    no_phone: str
    phone: str
    # «otros», «más» after a list (the core presses the «more» button): the next ones, or none.
    more_button: str
    more_municipality: str
    no_more: str
    more_location: str
    # «el segundo» typed after a list: a number beyond it, or a list from a location (not kept).
    pick_missing: str
    pick_location: str
    # «¿a qué hora abren?», «¿tienen teléfono?», «¿cómo llego?» after a list: what it says.
    about_hours: str
    about_phone: str
    about_way: str


class NamedService(BaseModel):
    """A place people ask about by its own name («¿qué es la Puerta Violeta?»): one line about it,
    said before the answer, written only from the directory's rows and their sources."""

    kind: str
    centre: str
    words: list[str] = Field(min_length=1)
    about: str = Field(min_length=40)


class DirectoryContent(BaseModel):
    area: Area
    confirm_line: str
    show: int = Field(default=3, ge=1, le=10)
    kinds: dict[str, str]
    outside_lines: list[str] = Field(default_factory=list)
    outside_places: list[str] = Field(default_factory=list)
    messages: Messages
    named: list[NamedService] = Field(default_factory=list)
    centres: list[Centre] = Field(min_length=1)


@dataclass(frozen=True)
class Found:
    """A centre and its distance in km (None when the origin has no coordinates)."""

    centre: Centre
    km: float | None


@dataclass(frozen=True)
class DirectoryMessage:
    """Channel-neutral text plus, for a centre, where it is (channels show it as a map)."""

    text: str
    location: dict[str, Any] | None = None
    buttons: tuple[tuple[str, str], ...] = ()  # (title, payload): «Ver más lugares»


@lru_cache(maxsize=256)
def _long_date(value: dt.date) -> str:
    return format_date(value)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _MEAN_EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(_GEOD.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]) / 1000.0


class Directory:
    def __init__(self, content: DirectoryContent, municipalities: MunicipalityIndex) -> None:
        self.content = content
        self.centres = content.centres
        self.municipalities = municipalities
        self.by_code = {m.code: m for m in municipalities.municipalities}

    def nearest(self, lat: float, lon: float, n: int | None = None) -> list[Found]:
        """The ``n`` centres closest to (lat, lon), by geodesic distance."""
        n = n or self.content.show
        rough = sorted(
            ((great_circle_km(lat, lon, c.lat, c.lon), c) for c in self.centres),
            key=lambda pair: pair[0],
        )
        limit = rough[min(n, len(rough)) - 1][0] * _SPHERE_SLACK + 0.01
        exact = [
            Found(c, geodesic_km(lat, lon, c.lat, c.lon)) for d, c in rough if d <= limit
        ]
        exact.sort(key=lambda f: f.km if f.km is not None else 0.0)
        return exact[:n]

    def for_municipality(self, municipality: Municipality, n: int | None = None) -> list[Found]:
        """Nearest to the municipal seat; without seat coordinates, those in or serving it."""
        n = n or self.content.show
        if municipality.lat is not None and municipality.lon is not None:
            return self.nearest(municipality.lat, municipality.lon, n)
        inside = [c for c in self.centres if c.municipality == municipality.code]
        serving = [c for c in self.centres if municipality.code in c.serves and c not in inside]
        return [Found(c, None) for c in (inside + serving)[:n]]

    # --- what a person reads -------------------------------------------------------------

    def about_named(self, text: str) -> str | None:
        """The line about a place ``text`` names by its own name (``named:``), if any."""
        words = f" {normalize_words(text)} "
        for service in self.content.named:
            if any(f" {normalize_words(w)} " in words for w in service.words):
                row = next((c for c in self.centres if c.id == service.centre), None)
                if row is None:
                    raise ContentError(f"centres.yml: named {service.kind!r}: no existe {service.centre!r}")
                line_name, line_number = self._line()
                about = service.about.format(line_name=line_name, line_number=line_number,
                                             address=row.address.rstrip("."), hours=row.hours)
                return " ".join(about.split())
        return None

    def _line(self) -> tuple[str, str]:
        line = hotlines().by_id().get(self.content.confirm_line)
        if line is None:
            raise ContentError(f"centres.yml: confirm_line {self.content.confirm_line!r} no existe")
        return line.name, line.number

    def render_centre(self, rank: int, found: Found) -> DirectoryMessage:
        m = self.content.messages
        c = found.centre
        line_name, line_number = self._line()
        distance = (
            m.distance.format(km=f"{found.km:.1f}") if found.km is not None else m.no_distance
        )
        phone = (
            m.phone.format(phones=" / ".join(c.phones), phone_note=c.phone_note)
            if c.phones
            else m.no_phone.format(line_name=line_name, line_number=line_number)
        )
        text = m.centre.format(
            rank=rank,
            name=c.name,
            distance=distance,
            kind=" ".join(self.content.kinds[c.kind].split()),
            address=c.address,
            hours=c.hours,
            phone=phone,
            note=f"ℹ️ {c.note}\n" if c.note else "",
            source_date=_long_date(c.source_date),
            checked=_long_date(c.checked),
        )
        location = {"lat": c.lat, "lon": c.lon, "title": c.name, "address": c.address}
        return DirectoryMessage(text=text, location=location)

    def render(self, intro: str, found: list[Found]) -> list[DirectoryMessage]:
        line_name, line_number = self._line()
        confirm = self.content.messages.confirm.format(line_name=line_name, line_number=line_number)
        head = DirectoryMessage(text=f"{' '.join(intro.split())}\n\n{' '.join(confirm.split())}")
        return [head] + [self.render_centre(i, f) for i, f in enumerate(found, start=1)]

    def answer_location(self, lat: float, lon: float) -> list[DirectoryMessage]:
        m = self.content.messages
        found = self.nearest(lat, lon)
        intro = (
            m.near_location.format(count=len(found))
            if self.content.area.contains(lat, lon)
            else m.outside_area
        )
        return self._with_more(self.render(intro, found), MORE_AFTER_LOCATION)

    def outside_place(self, text: str) -> str | None:
        """The place outside the state that ``text`` names ("vivo en Iztapalapa"), if any."""
        words = f" {normalize_words(text)} "
        for place in sorted(self.content.outside_places, key=len, reverse=True):
            if f" {normalize_words(place)} " in words:
                return place
        return None

    def answer_outside(self, place: str) -> DirectoryMessage:
        """The directory covers one state: say so, and give the lines that help anywhere."""
        lines = hotlines().by_id()
        named = [f"{lines[i].name}, {lines[i].number}" for i in self.content.outside_lines if i in lines]
        text = self.content.messages.outside_state.format(place=place, lines="; ".join(named))
        return DirectoryMessage(" ".join(text.split()))

    def answer_municipality(self, municipality: Municipality) -> list[DirectoryMessage]:
        m = self.content.messages
        found = self.for_municipality(municipality)
        if found and found[0].km is None:
            intro = m.no_coordinates.format(municipality=municipality.name)
        else:
            intro = m.near_municipality.format(count=len(found), municipality=municipality.name)
        return self._with_more(self.render(intro, found), f"{municipality.code} {len(found)}")

    def _with_more(self, messages: list[DirectoryMessage], after: str) -> list[DirectoryMessage]:
        """The «Ver más lugares» button under the last message; ``after``: what it continues."""
        last = messages[-1]
        more = ((self.content.messages.more_button, f"{MORE_CENTRES} {after}"),)
        return [*messages[:-1], DirectoryMessage(last.text, last.location, more)]

    def answer_pick(self, after: str, place: int) -> list[DirectoryMessage]:
        """The ``place``-th centre of the list on screen («el segundo»), alone, with its map;
        ``after`` is its «Ver más» button's «<municipality code> <shown>» (or «ubicacion»)."""
        m = self.content.messages
        code, _, shown = after.strip().partition(" ")
        municipality = self.by_code.get(code)
        if municipality is None or not shown.isdigit():
            return [DirectoryMessage(" ".join(m.pick_location.split()))]
        found = self.for_municipality(municipality, int(shown))
        if place == -1:
            place = len(found)
        if not 1 <= place <= len(found):
            text = m.pick_missing.format(count=len(found), municipality=municipality.name)
            return [DirectoryMessage(" ".join(text.split()))]
        return self._with_more([self.render_centre(place, found[place - 1])], after)

    def answer_about(self, kind: str) -> DirectoryMessage:
        """A question about the list on screen («¿a qué hora abren?»): where the list says it,
        and the line that confirms it (the directory is unofficial and may be out of date)."""
        m = self.content.messages
        text = {"hours": m.about_hours, "phone": m.about_phone}.get(kind, m.about_way)
        line_name, line_number = self._line()
        return DirectoryMessage(" ".join(text.format(line_name=line_name,
                                                     line_number=line_number).split()))

    def answer_more(self, after: str) -> list[DirectoryMessage]:
        """The next centres after a list («otros»): ``after`` is «<municipality code> <shown>», or
        «ubicacion» (a shared location is never kept, so she is asked for her municipality)."""
        m = self.content.messages
        code, _, shown = after.strip().partition(" ")
        municipality = self.by_code.get(code)
        if municipality is None or not shown.isdigit():
            return [DirectoryMessage(" ".join(m.more_location.split()))]
        start = int(shown)
        found = self.for_municipality(municipality, start + self.content.show)[start:]
        if not found:
            line_name, line_number = self._line()
            text = m.no_more.format(municipality=municipality.name, line_name=line_name,
                                    line_number=line_number)
            return [DirectoryMessage(" ".join(text.split()))]
        intro = m.more_municipality.format(count=len(found), municipality=municipality.name)
        head, *centres = self.render(intro, found)
        centres = [self.render_centre(start + i, f) for i, f in enumerate(found, start=1)]
        return self._with_more([head, *centres], f"{municipality.code} {start + len(found)}")


# "centro pa mujeres en <municipio>", "¿hay UNIDAS en <municipio>?": a place of help, asked for in a named
# municipality. "¿Qué es la Puerta Violeta?" asks what it is, not where.
# Spelt as heard too: «sentro de atension», «serca».
_HELP_PLACE_RE = re.compile(
    r"\b([cs]entros?|unidas|unidad(es)? de atenci?[co]n|cjm|ciudad mujer\w*|puerta violeta|oficinas?"
    r"|lugar\w*|instituto|donde (me |nos |la |las |les )?(atienden|atiendan|apoyan|apoyen|orientan"
    r"|orienten|ayudan|ayuden|reciben|reciban|asesoran|asesoren|den|dan)"
    r"|a donde (va|van|voy|vamos|puede ir|puedo ir|la llevo)\b.{0,30}"
    r"\b(ayud\w*|atiend\w*|orient\w*|apoy\w*))\b"
)
_FOR_WOMEN_RE = re.compile(
    r"\b(mujer\w*|se[nñ]oras?|violencia\w*|violentad\w*|maltrat\w*|golpe\w*|peg(a|an|aba|aban)\b"
    r"|unidas|cjm|puerta violeta|espos[oa]|parej\w*|novio|marido|mi ex"
    # the UNIDAS by the start of their name («la unidad de atención de <municipio>», round 11)
    r"|unidad(es)? de atencion( a (la |las )?mujer\w*)?(?! ciudadana))\b"
)
# A short message is the request itself ("centro pa mujeres en <municipio>"); a longer one says where.
SHORT_REQUEST_WORDS = 8
_WHERE_RE = re.compile(
    r"\b(donde|dnd|[cs]erca\w*|direccion|ubicacion|queda|quedan|ir a|ir al|ir hasta|voy|acudir|acudo"
    r"|llegar|hay (un|una|algun\w*|puerta violeta|unidas|cjm|[cs]entros?)|busco|necesito|me toca"
    r"|mas [cs]ercan\w*)\b"
)
# Data about the centres, or their programmes, are other answers.
_NOT_A_VISIT_RE = re.compile(r"\b(datos|mapa|programas?|apoyo economico|estadistica\w*)\b")
_HOW_MANY_RE = re.compile(r"\b(cuant[oa]s|cuanto|cuanta)\b")
_DEFINITION_RE = re.compile(r"^(que es|que son|que significa|para que sirve\w*|que hace\w*)\b")


def names_help_for_women(text: str) -> bool:
    """The words name women, violence or a place of help for them («centro de justicia»)."""
    words = normalize_words(text)
    return bool(_FOR_WOMEN_RE.search(words)) or "centro de justicia" in words \
        or "centros de justicia" in words


def asks_for_a_centre(text: str) -> bool:
    """A place of help for women asked for in a municipality the text names: the centre finder,
    however sure the model is of an FAQ answer about those places."""
    words = normalize_words(text)
    if not (_HELP_PLACE_RE.search(words) and _FOR_WOMEN_RE.search(words)):
        return False
    if _DEFINITION_RE.search(words) or _HOW_MANY_RE.search(words) or _NOT_A_VISIT_RE.search(words):
        return False  # "¿cuántas mujeres han atendido ahí?" is a figure, not a place
    if len(words.split()) > SHORT_REQUEST_WORDS and not _WHERE_RE.search(words):
        return False  # a longer message asks where, or it asks something else about them
    found = directory().municipalities.find_in_text(text)
    return found.best is not None or bool(found.candidates)


def answer_typed_place(text: str) -> list[DirectoryMessage] | None:
    """The centres near a municipality named in ``text`` (typos welcome), if one is clear.

    For the conversation core when Rasa is down: it asked where she is, she typed a place.
    """
    found = directory().municipalities.find_in_text(text)
    return directory().answer_municipality(found.best) if found.best is not None else None


def load_directory_content(directory: Path | None = None) -> DirectoryContent:
    path = (directory or content_dir()) / "centres.yml"
    if not path.exists():
        raise ContentError(f"falta {path}")
    try:
        return DirectoryContent.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise ContentError(f"centres.yml: {exc}") from exc


@checks.register("attention_centres")
def check_directory(directory: Path | None = None) -> list[str]:
    """Problems in ``centres.yml`` that a schema alone cannot see (for ``participa content check``)."""
    try:
        content = load_directory_content(directory)
    except ContentError as exc:
        return [str(exc)]
    problems: list[str] = []
    codes = {m.code for m in load_index(directory).municipalities}
    try:
        lines = load_hotlines(directory).by_id()
    except ContentError:
        lines = {}
    if content.confirm_line not in lines:
        problems.append(f"centres.yml: confirm_line {content.confirm_line!r} no está en hotlines.yml")
    ids = {c.id for c in content.centres}
    problems.extend(f"centres.yml: named {s.kind!r}: el centro {s.centre!r} no existe"
                    for s in content.named if s.centre not in ids)
    problems.extend(f"centres.yml: outside_lines {line!r} no está en hotlines.yml"
                    for line in content.outside_lines if lines and line not in lines)
    today = dt.date.today()
    seen: set[str] = set()
    for c in content.centres:
        where = f"centres.yml: {c.id}"
        if c.id in seen:
            problems.append(f"{where}: id repetido")
        seen.add(c.id)
        if not content.area.contains(c.lat, c.lon):
            problems.append(
                f"{where}: coordenadas ({c.lat}, {c.lon}) fuera de {content.area.name}"
            )
        if c.kind not in content.kinds:
            problems.append(f"{where}: tipo desconocido {c.kind!r}")
        for code in [c.municipality, *c.serves]:
            if code not in codes:
                problems.append(f"{where}: clave de municipio desconocida {code}")
        text = f"{c.name} {c.kind} {c.address} {c.note or ''}".lower()
        if any(word in text for word in SHELTER_WORDS):
            problems.append(f"{where}: parece un refugio; sus direcciones son confidenciales")
        if c.checked > today or c.source_date > today:
            problems.append(f"{where}: fecha en el futuro")
        if c.checked < c.source_date:
            problems.append(f"{where}: revisado antes de la fecha de su fuente")
    return problems


@lru_cache(maxsize=1)
def directory() -> Directory:
    return Directory(load_directory_content(), municipality_index())
