"""Response times of the web pages with many proposals, on SQLite and PostgreSQL.

Fills a fresh database with N proposals (default 10,000) spread over a year, each with one to
three status changes and up to five adhesions, serves the web app on a loopback port (uvicorn
in a thread, as ``participa web``) and times each page sequentially with one client.
The whole-database export is timed separately (fewer repetitions). Login time is argon2's cost.

Usage: .venv/bin/python benchmarks/web_pages.py [--proposals 10000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from benchmarks.common import machine, on_both_databases, percentile, smoke, smoke_option, write_result  # noqa: E402
from bot.accounts import service as accounts  # noqa: E402
from bot.content.municipalities import municipality_index  # noqa: E402
from bot.rasa.servers import free_port  # noqa: E402
from bot.storage.db import make_engine, session_scope, upgrade  # noqa: E402
from bot.storage.models import Adhesion, Proposal, StatusChange  # noqa: E402
from bot.web import create_app  # noqa: E402
from bot.web.server import in_background  # noqa: E402

THEMES = ("movilidad", "medio_ambiente", "seguridad", "corrupcion", "democracia", "otro")
PATH = ("recibida", "en_revision", "turnada", "integrada")
PASSWORD = "contrasena-de-benchmark"


def fill(engine: object, total: int, seed: int = 1) -> str:
    """``total`` proposals with history and adhesions; returns one folio to open."""
    rng = random.Random(seed)
    places = municipality_index().municipalities
    start = dt.datetime(2026, 1, 1)
    with session_scope(engine) as session:  # type: ignore[arg-type]
        for batch in range(0, total, 1000):
            rows = []
            for i in range(batch, min(total, batch + 1000)):
                place = places[int(rng.paretovariate(1.2)) % len(places)]
                created = start + dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
                steps = rng.choice((1, 1, 2, 3, 4))
                rows.append(Proposal(
                    folio=f"P-2026-{i + 1:06d}", intake_key=f"bench-{i}", author_key=f"autor-{i}",
                    channel="telegram", theme=rng.choice(THEMES), municipality_code=place.code,
                    municipality=place.name, problem=f"Problema de prueba número {i} con baches y basura",
                    causes="Causa uno; causa dos", effects="Efecto", affected="Vecinos",
                    solution="Solución de prueba", status=PATH[steps - 1], created_at=created,
                    updated_at=created))
            session.add_all(rows)
            session.flush()
            for p in rows:
                at = p.created_at
                previous = None
                for status in PATH[:PATH.index(p.status) + 1]:
                    session.add(StatusChange(proposal_id=p.id, from_status=previous, to_status=status,
                                             actor="bench", created_at=at))
                    previous, at = status, at + dt.timedelta(days=rng.randint(1, 20))
                for k in range(rng.randint(0, 5)):
                    session.add(Adhesion(proposal_id=p.id, supporter_key=f"s-{p.id}-{k}",
                                         created_at=p.created_at + dt.timedelta(days=k + 1)))
            session.flush()
    return f"P-2026-{total // 2:06d}"


def timed(client: httpx.Client, path: str, repeat: int) -> dict[str, float]:
    client.get(path)  # warm-up (templates, caches)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return {"p50_ms": round(percentile(samples, 0.5), 1), "p95_ms": round(percentile(samples, 0.95), 1),
            "bytes": len(response.content)}


def run(url: str, total: int, repeat: int) -> dict[str, object]:
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    folio = fill(engine, total)
    fill_seconds = time.perf_counter() - started
    accounts.create_account("bench", PASSWORD, "admin", engine)
    pages: dict[str, dict[str, float]] = {}
    with in_background(create_app(engine), free_port()) as base, httpx.Client(base_url=base, timeout=120,
                                                                         follow_redirects=True) as c:
        for path in ("/", "/datos/propuestas.json", "/datos/compromisos.json"):
            pages[path] = timed(c, path, repeat)
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)  # type: ignore[union-attr]
        logins = []
        for _ in range(3):
            c.cookies.delete("participa_sesion")
            began = time.perf_counter()
            done = c.post("/login", data={"usuario": "bench", "contrasena": PASSWORD, "csrf_token": token})
            logins.append((time.perf_counter() - began) * 1000)
            assert done.status_code == 200 and done.url.path == "/stl"
        pages["POST /login"] = {"p50_ms": round(percentile(logins, 0.5), 1),
                                "p95_ms": round(max(logins), 1), "bytes": 0}
        for path in ("/stl", "/stl/propuestas", "/stl/propuestas?tema=movilidad&q=baches&estado=turnada",
                     "/stl/propuestas?municipio=toluca&pagina=3", f"/stl/propuestas/{folio}"):
            pages[path] = timed(c, path, repeat)
        for fmt in ("csv", "xlsx"):
            pages[f"/stl/propuestas/exportar?formato={fmt}"] = timed(
                c, f"/stl/propuestas/exportar?formato={fmt}", 3)
    engine.dispose()
    return {"proposals": total, "fill_seconds": round(fill_seconds, 1), "pages": pages}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    smoke_option(parser)
    args = parser.parse_args()
    if smoke(args):  # tiny sizes: CI checks that it runs
        args.proposals, args.repeat = 30, 1
    results = on_both_databases(lambda url: run(url, args.proposals, args.repeat))
    command = f"python benchmarks/web_pages.py --proposals {args.proposals} --repeat {args.repeat}"
    data = {"command": command, "results": results, "machine": machine()}
    backends = list(results)
    lines = [
        "# Páginas del tablero web con muchas propuestas",
        "",
        f"Comando: `{command}` · {data['machine']['date']} · {data['machine']['cpus']} núcleos",
        "",
        f"{args.proposals:,} propuestas con historial (1 a 4 estados) y hasta 5 adhesiones cada una; "
        "un cliente, peticiones una tras otra, milisegundos de ida y vuelta por HTTP en loopback. "
        "La exportación (todas las propuestas) se mide 3 veces; el inicio de sesión, 3 (argon2id).",
        "",
        "| página | " + " | ".join(f"{b} p50 | {b} p95" for b in backends) + " |",
        "|---|" + "---|---|" * len(backends),
    ]
    for path in results[backends[0]]["pages"]:  # type: ignore[attr-defined]
        cells = []
        for b in backends:
            r = results[b]["pages"][path]  # type: ignore[index]
            cells += [str(r["p50_ms"]), str(r["p95_ms"])]
        lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
    lines += ["", "Llenado de la base: " + ", ".join(
        f"{b} {results[b]['fill_seconds']} s" for b in backends) + ".", ""]
    write_result("web_pages", data, "\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
