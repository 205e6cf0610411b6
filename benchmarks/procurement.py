"""Procurement data: load time of the bundled OCDS files and search latency, SQLite and PostgreSQL.

For each database: a fresh schema, then the 54 bundled files loaded (cold), then
loaded again (what `make setup` does when nothing changed), then 1,000 searches
written the way citizens write them, cycled from the list below. A search is
timed end to end as the action server runs it: understanding the text (names
matched against the loaded data), the SQL query with totals and flag counts,
and the rendered reply. PostgreSQL is a fresh database on 127.0.0.1:5432
(BENCH_DATABASE_URL to change), skipped with a note when it does not answer.

Usage: .venv/bin/python benchmarks/procurement.py [--queries 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))



from benchmarks.common import machine, on_both_databases, percentile, smoke, smoke_option, write_result  # noqa: E402
from bot.procurement import service as svc  # noqa: E402
from bot.procurement.replies import answer_text  # noqa: E402
from bot.storage.db import make_engine, upgrade  # noqa: E402

QUERIES = [
    "¿cuánto se gastó en cubrebocas?",
    "contratos de la secretaría de salud",
    "contratos de la secretaria de finanzas",
    "¿qué le compraron a grupo siayec?",
    "que le compraron a tiendas comercial mexicana",
    "los contratos más grandes",
    "adjudicaciones directas en 2020",
    "adjudicaciones directas en 2017",
    "cuanto se gasto en limpieza",
    "contratos de sedesol",
    "compras de computadoras en 2015",
    "licitaciones publicas de 2017",
    "material de curacion",
    "contratos de formas impresas de jalisco",
    "cuanto le pagaron a computer forms",
    "contratos recientes",
    "contratos de emergencia covid",
    "arrendamiento de inmuebles",
    "contratos del inai",
    "compras de papeleria",
    "quien vendio las computadoras",
    "contratos de la fiscalia",
    "software",
    "cuanto gasto la comision nacional del agua",
    "contratos sin licitacion de 2016",
]


def measure(url: str, queries: int) -> dict[str, Any]:
    from bot.procurement import ocds_state
    from bot.procurement import text as procurement_text

    # Each database starts cold: no cached names, merge rules or normalised words.
    ocds_state.normalize_words.cache_clear()
    ocds_state._merger.cache_clear()
    procurement_text._cache.clear()
    upgrade(url)
    engine = make_engine(url)
    files = svc.bundled_files(compranet=False)  # the 54 OCDS files, as documented
    started = time.perf_counter()
    new = sum(svc.load_source(str(f), engine=engine).new_releases for f in files)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    again = sum(svc.load_source(str(f), engine=engine).new_releases for f in files)
    reload_s = time.perf_counter() - started
    summary = svc.data_summary(engine)
    answer_text(QUERIES[0], engine)  # warm: name index, content, connection pool
    timings: list[float] = []
    found = 0
    for i in range(queries):
        message = QUERIES[i % len(QUERIES)]
        t0 = time.perf_counter()
        answer = answer_text(message, engine)
        timings.append((time.perf_counter() - t0) * 1000)
        found += answer.text.startswith("Encontré")
    engine.dispose()
    return {
        "files": len(files),
        "new_releases": new,
        "new_releases_on_reload": again,
        "releases": summary.releases,
        "processes": summary.processes,
        "contracts": summary.contracts,
        "load_seconds": round(load_s, 3),
        "reload_seconds": round(reload_s, 3),
        "queries": queries,
        "distinct_queries": len(QUERIES),
        "queries_with_results": found,
        "p50_ms": round(percentile(timings, 0.5), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=1000)
    smoke_option(parser)
    args = parser.parse_args()
    if smoke(args):  # tiny sizes: CI checks that it runs
        args.queries = 10
    results: dict[str, Any] = {
        "machine": machine(), **on_both_databases(lambda url: measure(url, args.queries))}
    rows = [
        f"| {db} | {r['load_seconds']:.2f} s | {r['reload_seconds']:.2f} s | {r['releases']} / "
        f"{r['processes']} / {r['contracts']} | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms | "
        f"{r['max_ms']:.1f} ms |"
        for db, r in results.items()
        if db != "machine"
    ]
    first = results["sqlite"]
    markdown = f"""# Contrataciones: carga de datos OCDS y latencia de búsqueda

Medido el {results['machine']['date']} ({results['machine']['cpus']} CPU, Python
{results['machine']['python']}) con `.venv/bin/python benchmarks/procurement.py --queries {args.queries}`.

Carga: los {first['files']} archivos OCDS incluidos (`content/procurement/ocds_mexico`), en una base
nueva; «recarga» es volver a cargarlos cuando ya están (lo que hace `make setup`): 0 releases nuevos.
Búsqueda: {args.queries} mensajes ciclando {first['distinct_queries']} búsquedas escritas como las
escribe la gente, medidas como las corre el servidor de acciones (entender el texto, consultar con
totales y señales, y armar la respuesta); {first['queries_with_results']} de {args.queries} encontraron
contratos.

| base | carga | recarga | releases / procedimientos / contratos | p50 | p95 | máx |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""
    if "postgresql" not in results:
        markdown += "\nPostgreSQL no respondió en esta corrida.\n"
    write_result("procurement", results, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
