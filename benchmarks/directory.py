"""Nearest-centre search: time per lookup, and agreement with a brute-force geodesic ranking.

1,000 lookups, half typed municipalities (as people type them: short names, no accents, typos,
inside a sentence) and half coordinates (random points in the directory's area and the
municipal seats). A lookup is what the bot does to answer: find the municipality when typed,
rank the centres by geodesic distance, and write the messages. Each coordinate lookup is also
checked against ranking every centre by its geodesic distance.

Usage: .venv/bin/python benchmarks/directory.py [--lookups 1000]
Writes benchmarks/results/directory.{md,json}.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, percentile, smoke, smoke_option, write_result  # noqa: E402
from bot.content.municipalities import municipality_index  # noqa: E402
from bot.textnorm import strip_accents  # noqa: E402
from bot.violence.directory import directory, geodesic_km  # noqa: E402

TYPED_TEMPLATES = [
    "{name}",
    "donde hay un centro de atencion en {name}",
    "hay alguna unidas en {name}?",
    "vivo en {name}",
    "centro de justicia para mujeres {name}",
]


def typo(name: str, rng: random.Random) -> str:
    """Drop one letter of a long word, as thumbs do."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) > 6:
        j = rng.randrange(1, len(word) - 1)
        words[i] = word[:j] + word[j + 1 :]
    return " ".join(words)


def typed_queries(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(text, expected municipality code) pairs."""
    index = municipality_index()
    queries = []
    for _ in range(n):
        m = rng.choice(index.municipalities)
        name = strip_accents(m.name).lower()
        if rng.random() < 0.3:
            name = typo(name, rng)
        queries.append((rng.choice(TYPED_TEMPLATES).format(name=name), m.code))
    return queries


def point_queries(n: int, rng: random.Random) -> list[tuple[float, float]]:
    area = directory().content.area
    seats = [(m.lat, m.lon) for m in municipality_index().municipalities if m.lat and m.lon]
    points: list[tuple[float, float]] = []
    for k in range(n):
        if k % 2:
            points.append(rng.choice(seats))  # type: ignore[arg-type]
        else:
            points.append((rng.uniform(area.min_lat, area.max_lat), rng.uniform(area.min_lon, area.max_lon)))
    return points


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=1000)
    smoke_option(parser)
    args = parser.parse_args()
    if smoke(args):  # tiny sizes: CI checks that it runs
        args.lookups = 20
    rng = random.Random(2026)
    places = directory()
    index = municipality_index()
    places.nearest(19.3, -99.6)  # warm caches (content, geodesic object)
    typed = typed_queries(args.lookups // 2, rng)
    points = point_queries(args.lookups - len(typed), rng)

    typed_ms: list[float] = []
    understood = ambiguous = 0
    for text, code in typed:
        started = time.perf_counter()
        found = index.match(text) if len(text.split()) <= 4 else index.find_in_text(text)
        if not (found.best or found.candidates):
            found = index.find_in_text(text)
        if found.best:
            places.answer_municipality(found.best)
        typed_ms.append((time.perf_counter() - started) * 1000)
        if found.best and found.best.code == code:
            understood += 1
        elif found.best is None and any(m.code == code for m in found.candidates):
            ambiguous += 1

    point_ms: list[float] = []
    exact = 0
    for lat, lon in points:
        started = time.perf_counter()
        places.answer_location(lat, lon)
        point_ms.append((time.perf_counter() - started) * 1000)
        brute = sorted(places.centres, key=lambda c: geodesic_km(lat, lon, c.lat, c.lon))[:3]
        exact += [f.centre.id for f in places.nearest(lat, lon)] == [c.id for c in brute]

    every = typed_ms + point_ms
    stats = {
        name: {"p50_ms": round(percentile(v, 0.5), 3), "p95_ms": round(percentile(v, 0.95), 3),
               "max_ms": round(max(v), 3), "count": len(v)}
        for name, v in [("all", every), ("typed", typed_ms), ("location", point_ms)]
    }
    data = {
        "machine": machine(),
        "centres": len(places.centres),
        "lookups": len(every),
        "timing": stats,
        "typed": {"count": len(typed), "understood": understood, "offered_as_choice": ambiguous},
        "location": {"count": len(points), "same_top3_as_brute_force": exact},
    }
    lines = [
        "# Nearest attention centre: lookup time",
        "",
        f"Run: {data['machine']['date']} · {len(places.centres)} centres · "
        f"`.venv/bin/python benchmarks/directory.py --lookups {args.lookups}`",
        "",
        "A lookup = understand the typed municipality (if typed), rank the centres by geodesic "
        "distance (WGS84, geographiclib, after a great-circle pre-filter) and write the messages.",
        "",
        "| lookups | count | p50 | p95 | max |",
        "|---|---|---|---|---|",
    ]
    for name, s in stats.items():
        lines.append(
            f"| {name} | {s['count']} | {s['p50_ms']:.2f} ms | {s['p95_ms']:.2f} ms | {s['max_ms']:.2f} ms |"
        )
    lines += [
        "",
        f"Typed municipalities understood: {understood}/{len(typed)}; offered as a choice between "
        f"municipalities sharing the name: {ambiguous}. (Queries are generated from the 125 official "
        "names, without accents, 30 % with a dropped letter, some inside a sentence.)",
        "",
        f"Coordinates whose top 3 equals a brute-force geodesic ranking of every centre: "
        f"{exact}/{len(points)}.",
        "",
    ]
    write_result("directory", data, "\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
