"""Charts as server-rendered inline SVG: no JavaScript, readable by screen readers, testable as text.

Each chart is a ``<figure>`` whose SVG has ``role="img"`` with a ``<title>`` and ``<desc>``,
followed by the same numbers in a table, so nobody depends on seeing the drawing.
Colours keep at least 3:1 against white (WCAG 1.4.11) and text at least 4.5:1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from bot.i18n import _, format_number

BAR = "#7a1f3d"
TEXT = "#1b1b1b"
GRID = "#767676"
# One colour per status (recibida … duplicada), each ≥ 3:1 against white and distinct in hue.
SERIES = ("#1f5f8b", "#8a5a00", "#7a1f3d", "#2e7d32", "#5e35b1", "#4d4d4d")


def _n(value: float) -> str:
    return format_number(value)


def _table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(_n(v) if isinstance(v, int | float) else v)}</td>" for v in row[1:])
        + "</tr>"
        for row in rows
    )
    return (f'<details class="chart-data"><summary>{escape(_("Ver los datos en una tabla"))}</summary>'
            f'<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></details>")


def _figure(chart_id: str, title: str, desc: str, width: int, height: int, body: str, table: str,
            kind: str = "") -> Markup:
    svg = (f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
           f'class="chart-svg" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">'
           f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
           f"{body}</svg>")
    return Markup(f'<figure class="chart {kind}" id="{chart_id}"><figcaption><h3>{escape(title)}</h3>'
                  f"<p>{escape(desc)}</p></figcaption>{svg}{table}</figure>")


def _empty(chart_id: str, title: str) -> Markup:
    return Markup(f'<figure class="chart" id="{chart_id}"><figcaption><h3>{escape(title)}</h3></figcaption>'
                  f'<p class="empty">{escape(_("Todavía no hay datos para esta gráfica."))}</p></figure>')


def bars(chart_id: str, title: str, items: Sequence[tuple[str, int]], unit: str) -> Markup:
    """Horizontal bars, the label above each bar (long municipality names fit on a phone)."""
    if not items or not any(v for _, v in items):
        return _empty(chart_id, title)
    width, row, top = 400, 42, 8
    biggest = max(v for _, v in items) or 1
    parts = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        length = max(2.0, (width - 60) * value / biggest) if value else 0
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="14" fill="{TEXT}">{escape(label)}</text>'
            f'<rect x="0" y="{y + 20}" width="{length:.1f}" height="15" fill="{BAR}" rx="2"/>'
            f'<text x="{length + 6:.1f}" y="{y + 32}" font-size="13" fill="{TEXT}">{escape(_n(value))}</text>'
        )
    total = sum(v for _, v in items)
    leader = max(items, key=lambda item: item[1])
    desc = _("{total} {unit} en total; la barra más larga es «{label}» con {value}.").format(
        total=_n(total), unit=unit, label=leader[0], value=_n(leader[1]))
    table = _table(title, [_("Categoría"), unit.capitalize()], items)
    return _figure(chart_id, title, desc, width, top + len(items) * row, "".join(parts), table)


def columns(chart_id: str, title: str, labels: Sequence[str], series: Mapping[str, Sequence[int]],
            names: dict[str, str], unit: str) -> Markup:
    """Stacked columns over time (one colour per series) with a legend; one series gives plain columns."""
    if not labels or not any(any(v) for v in series.values()):
        return _empty(chart_id, title)
    keys = [k for k in series if any(series[k])] or list(series)
    width, height, left, bottom, top = 480, 260, 40, 56, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    totals = [sum(series[k][i] for k in keys) for i in range(len(labels))]
    biggest = max(totals) or 1
    step = _nice_step(biggest)
    scale_max = step * math.ceil(biggest / step)
    slot = plot_w / len(labels)
    bar_w = max(2.0, min(36.0, slot * 0.7))
    parts = []
    for tick in range(0, scale_max + 1, step):
        y = top + plot_h - plot_h * tick / scale_max
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" '
                     f'stroke-width="0.5"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="12" '
                     f'text-anchor="end" fill="{TEXT}">{escape(_n(tick))}</text>')
    every = max(1, math.ceil(len(labels) / 8))
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar_w) / 2
        base = float(top + plot_h)
        for key in keys:
            value = series[key][i]
            if not value:
                continue
            h = plot_h * value / scale_max
            base -= h
            colour = SERIES[list(series).index(key) % len(SERIES)] if len(keys) > 1 else BAR
            parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{colour}"><title>{escape(label)} · {escape(names.get(key, key))}: '
                         f"{escape(_n(value))}</title></rect>")
        if i % every == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 18}" font-size="12" '
                         f'text-anchor="middle" fill="{TEXT}">{escape(label)}</text>')
    legend = []
    if len(keys) > 1:
        x, y = float(left), height - 30.0
        for key in keys:
            colour = SERIES[list(series).index(key) % len(SERIES)]
            name = names.get(key, key)
            item_w = 24 + int(len(name) * 6.8)
            if x + item_w > width and x > left:
                x, y = left, y + 18
            legend.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
                          f'<text x="{x + 16}" y="{y + 10}" font-size="12" fill="{TEXT}">'
                          f"{escape(name)}</text>")
            x += item_w
        height = int(y + 22)
    last = {names.get(k, k): series[k][-1] for k in keys}
    desc = _("{periods} periodos, de {first} a {last}. Al final: {state}.").format(
        periods=_n(len(labels)), first=labels[0], last=labels[-1],
        state="; ".join(f"{name} {_n(v)}" for name, v in last.items()))
    rows = [[label] + [series[k][i] for k in keys] for i, label in enumerate(labels)]
    table = _table(title, [_("Periodo")] + [names.get(k, k) for k in keys], rows)
    return _figure(chart_id, title, desc, width, height, "".join(parts + legend), table)


def _nice_step(biggest: int) -> int:
    raw = max(1, biggest / 5)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(1, int(factor * magnitude))
    return max(1, int(10 * magnitude))
