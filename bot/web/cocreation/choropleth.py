"""A choropleth of the state's municipalities as inline SVG, with its table beside it.

The boundaries (``content/maps/municipios.geojson``, INEGI Marco Geoestadístico, see
``content/SOURCES.md``) are projected once per process onto a 600-unit-wide drawing: longitude
scaled by the cosine of the mean latitude, integer coordinates, relative path steps, points closer
than 1.5 units to the previous one dropped (≈45 KB for 125 municipalities instead of 370 KB).

Each municipality with data is a link (focusable, named "<municipio>: 12 propuestas") to the row of the
table or to a page the caller chooses; the rest is decoration hidden from screen readers. The
table lists every municipality with data, so nobody needs to see the colours.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from bot.config import get_settings
from bot.i18n import _, format_number, ngettext

WIDTH = 600
TOLERANCE = 1.5
EMPTY = "#f4f4f4"
# Light to dark in the dashboard's wine colour; each class differs visibly from its neighbours.
CLASSES = ("#f2c6d4", "#dc8aa6", "#b8456f", "#7a1f3d")
STROKE = "#5c5c5c"
TEXT = "#1b1b1b"


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Outline:
    width: int
    height: int
    shapes: tuple[Shape, ...]


def geojson_path() -> Path:
    return get_settings().content_dir / "maps" / "municipios.geojson"


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@lru_cache(maxsize=2)
def outline(path: Path | None = None) -> Outline:
    """The municipalities projected to SVG paths (read once; the file is part of content/)."""
    data = json.loads((path or geojson_path()).read_text(encoding="utf-8"))
    features = data["features"]
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((south + north) / 2))
    span = (east - west) * kx
    height = round(WIDTH * (north - south) / span)
    shapes = []
    for feature in features:
        parts = []
        for ring in _rings(feature["geometry"]):
            kept: list[tuple[int, int]] = []
            for lon, lat in ring:
                x = round((lon - west) * kx / span * WIDTH)
                y = round((north - lat) / (north - south) * height)
                if kept and math.hypot(x - kept[-1][0], y - kept[-1][1]) <= TOLERANCE:
                    continue
                kept.append((x, y))
            if len(kept) < 3:
                continue
            steps = " ".join(f"{x - px},{y - py}" for (px, py), (x, y) in zip(kept, kept[1:], strict=False))
            parts.append(f"M{kept[0][0]},{kept[0][1]}l{steps}z")
        props = feature["properties"]
        shapes.append(Shape(str(props["cvegeo"]), str(props["nom_mun"]), "".join(parts)))
    return Outline(WIDTH, height, tuple(sorted(shapes, key=lambda s: s.code)))


def breaks(values: list[int]) -> list[int]:
    """Upper bounds of up to four classes of the non-zero values (quantiles, no empty class)."""
    found = sorted(v for v in values if v > 0)
    if not found:
        return []
    bounds: list[int] = []
    for q in (0.25, 0.5, 0.75, 1.0):
        bound = found[min(len(found) - 1, math.ceil(q * len(found)) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _class_of(value: int, bounds: list[int]) -> int:
    return next(i for i, bound in enumerate(bounds) if value <= bound)


def _ranges(bounds: list[int]) -> list[str]:
    labels, low = [], 1
    for bound in bounds:
        labels.append(format_number(low) if low == bound else f"{format_number(low)}–{format_number(bound)}")
        low = bound + 1
    return labels


def choropleth(chart_id: str, title: str, counts: Mapping[str, int], unit: tuple[str, str],
               column: str, link: Callable[[Shape], str] | None = None,
               source_path: Path | None = None) -> Markup:
    """``counts`` by INEGI code; ``unit`` the singular and plural words ("propuesta", "propuestas")
    already translated; ``link`` where a municipality leads (default: its row in the table)."""
    shape_of = outline(source_path)
    if not any(v > 0 for v in counts.values()):
        return Markup(f'<figure class="chart" id="{chart_id}"><figcaption><h3>{escape(title)}</h3>'
                      f"</figcaption>"
                      f'<p class="empty">{escape(_("Todavía no hay datos para esta gráfica."))}</p></figure>')
    names = {s.code: s.name for s in shape_of.shapes}
    bounds = breaks(list(counts.values()))
    palette = CLASSES[len(CLASSES) - len(bounds):] if bounds else ()

    def amount(value: int) -> str:
        return f"{format_number(value)} {unit[0] if value == 1 else unit[1]}"

    body = []
    for shape in shape_of.shapes:
        value = counts.get(shape.code, 0)
        if value <= 0:
            body.append(f'<path d="{shape.path}" fill="{EMPTY}" aria-hidden="true"><title>'
                        f'{escape(shape.name)}: {escape(amount(0))}</title></path>')
            continue
        label = f"{shape.name}: {amount(value)}"
        href = link(shape) if link else f"#{chart_id}-{shape.code}"
        body.append(f'<a href="{escape(href)}" aria-label="{escape(label)}" class="map-area">'
                    f'<path d="{shape.path}" fill="{palette[_class_of(value, bounds)]}">'
                    f"<title>{escape(label)}</title></path></a>")
    with_data = sorted((c for c in counts if counts[c] > 0 and c in names),
                       key=lambda c: (-counts[c], names[c]))
    desc = ngettext("{count} municipio de {total} tiene datos; el color más oscuro es donde hay más.",
                    "{count} municipios de {total} tienen datos; el color más oscuro es donde hay más.",
                    len(with_data)).format(count=format_number(len(with_data)),
                                           total=format_number(len(shape_of.shapes)))
    legend = _legend(bounds, palette, shape_of.height, unit)
    svg = (f'<svg viewBox="0 0 {shape_of.width} {shape_of.height + 34}" role="group" '
           f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart-svg" '
           f'xmlns="http://www.w3.org/2000/svg" '
           f'font-family="system-ui, sans-serif"><title id="{chart_id}-t">{escape(title)}</title>'
           f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
           f'<g stroke="{STROKE}" stroke-width="0.5" stroke-linejoin="round">{"".join(body)}</g>'
           f"{legend}</svg>")
    rows = "".join(f'<tr id="{chart_id}-{c}"><th scope="row">{escape(names[c])}</th>'
                   f"<td>{escape(format_number(counts[c]))}</td></tr>" for c in with_data)
    table = (f'<div class="table-scroll map-table" tabindex="0" role="region" '
             f'aria-labelledby="{chart_id}-c">'
             f'<table><caption id="{chart_id}-c">{escape(title)}</caption><thead><tr>'
             f'<th scope="col">{escape(_("Municipio"))}</th><th scope="col">{escape(column)}</th>'
             f"</tr></thead>"
             f"<tbody>{rows}</tbody></table></div>")
    source = _("Fuente de los límites municipales: INEGI, Marco Geoestadístico (simplificados).")
    return Markup(f'<figure class="chart chart-choropleth" id="{chart_id}"><figcaption>'
                  f"<h3>{escape(title)}</h3>"
                  f'<p>{escape(desc)}</p></figcaption><div class="map-with-table">{svg}{table}</div>'
                  f'<p class="meta">{escape(source)}</p></figure>')


def _legend(bounds: list[int], palette: tuple[str, ...], top: int, unit: tuple[str, str]) -> str:
    items = [(EMPTY, format_number(0))] + list(zip(palette, _ranges(bounds), strict=True))
    parts, x = [], 4
    for colour, text in items:
        parts.append(f'<rect x="{x}" y="{top + 10}" width="16" height="16" fill="{colour}" stroke="{STROKE}" '
                     f'stroke-width="0.5"/><text x="{x + 22}" y="{top + 23}" font-size="13" fill="{TEXT}">'
                     f"{escape(text)}</text>")
        x += 30 + 8 * len(text)
    parts.append(f'<text x="{x}" y="{top + 23}" font-size="13" fill="{TEXT}">{escape(unit[1])}</text>')
    return f'<g aria-hidden="true">{"".join(parts)}</g>'
