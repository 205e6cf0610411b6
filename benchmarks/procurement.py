"""Procurement data: loading, and search latency at a million contracts, SQLite and PostgreSQL.

Two measurements per database (a fresh one each: a SQLite file, and a new PostgreSQL database
on 127.0.0.1:5432, BENCH_DATABASE_URL to change, skipped with a note when it does not answer):

1. The 54 bundled OCDS files through the real loader, cold and again (what `make setup` does).
2. ``--contracts`` generated contracts (1,000,000 by default) written straight into the search
   tables: what was bought, buyer, supplier, amount, date, procedure and flag fields are each
   drawn from the contracts of every bundled file (OCDS and the CompraNet samples), amounts
   with a log-normal jitter and dates moved up to half a year, so the words, names and skew
   are real ones. Then the load time (rows and indexes), the database size, and 1,000
   searches written the way citizens write them (QUERIES, cycled), each timed end to end as
   the action server runs it: understanding the text (names matched against the loaded data),
   the SQL query with totals and flag counts, and the rendered reply.

Usage: .venv/bin/python benchmarks/procurement.py [--queries 1000] [--contracts 1000000]

A million contracts take about twelve minutes to load: ``--pg-url URL`` measures them in a
database of your own that is kept afterwards, and ``--reuse-load`` skips the load when that
database already holds exactly ``--contracts`` generated contracts (migrations are still applied,
so a new index is built on the loaded data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))



from benchmarks.common import machine, on_both_databases, percentile, smoke, smoke_option, write_result  # noqa: E402
from bot.procurement import service as svc  # noqa: E402
from bot.procurement.ocds_state import normalize_words  # noqa: E402
from bot.procurement.replies import answer_text  # noqa: E402
from bot.storage.db import make_engine, upgrade  # noqa: E402
from bot.storage.models.procurement import (  # noqa: E402
    ProcurementContract,
    ProcurementParty,
    ProcurementProcess,
    ProcurementRelease,
)

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
    "contratos del gobierno del estado de méxico",
    "obras de pavimentacion en el edomex",
    "medicamentos del imss",
]


def _clear_caches() -> None:
    """Each database starts cold: no cached names, merge rules or normalised words."""
    from bot.procurement import ocds_state
    from bot.procurement import text as procurement_text

    ocds_state.normalize_words.cache_clear()
    ocds_state._merger.cache_clear()
    procurement_text._cache.clear()
    svc._coverage_cache.clear()


def time_searches(engine: Any, queries: int) -> dict[str, Any]:
    """``queries`` messages cycled from QUERIES, each timed end to end (after one warm-up)."""
    started = time.perf_counter()
    answer_text(QUERIES[0], engine)  # warm: name index, content, connection pool
    warm_s = time.perf_counter() - started
    timings: list[float] = []
    per_query: dict[str, list[float]] = defaultdict(list)
    found = capped = 0
    for i in range(queries):
        message = QUERIES[i % len(QUERIES)]
        t0 = time.perf_counter()
        answer = answer_text(message, engine)
        ms = (time.perf_counter() - t0) * 1000
        timings.append(ms)
        per_query[message].append(ms)
        found += answer.text.startswith("Encontré")
        capped += answer.text.startswith("Encontré más de")
    return {
        "queries": queries,
        "distinct_queries": len(QUERIES),
        "queries_with_results": found,
        "queries_capped": capped,
        "first_search_seconds": round(warm_s, 2),
        "p50_ms": round(percentile(timings, 0.5), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "slowest": sorted(
            ((m, round(statistics.median(t), 1)) for m, t in per_query.items()), key=lambda x: -x[1]
        )[:5],
    }


def measure(url: str, queries: int) -> dict[str, Any]:
    _clear_caches()
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
    searches = time_searches(engine, queries)
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
        **searches,
    }

# ---------------------------------------------------------------- a million generated contracts


def real_samples() -> list[dict[str, Any]]:
    """Every contract of every bundled file (OCDS and CompraNet), loaded through the real loader."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/samples.db"
        upgrade(url)
        engine = make_engine(url)
        for path in svc.bundled_files():
            svc.load_source(str(path), engine=engine)
        C, P = ProcurementContract, ProcurementProcess
        from sqlalchemy import select

        from bot.storage.db import session_scope

        with session_scope(engine) as session:
            rows = session.execute(
                select(
                    C.title, C.subject_text, C.buyer_name, C.supplier_names, C.supplier_keys,
                    C.amount_cents, C.currency, C.date_signed, C.method, C.emergency, C.item_key,
                    C.tender_days, C.tenderers, C.signed_before_tender_closed,
                    C.signed_early_known, C.source_url, P.method_details, P.emergency_reason,
                    P.publisher,
                ).join(P, C.process_id == P.id)
            ).mappings().all()
            samples = [dict(r) for r in rows]
        engine.dispose()
    return samples


def generate(samples: list[dict[str, Any]], n: int, seed: int = 18) -> Iterator[dict[str, Any]]:
    """``n`` contracts, each field drawn independently from the real contracts' values."""
    rng = random.Random(seed)
    dates = [s["date_signed"] for s in samples if s["date_signed"]]
    for i in range(1, n + 1):
        what, buyer, supplier, money, when = (rng.choice(samples) for _ in range(5))
        amount = money["amount_cents"]
        if amount is not None:
            amount = max(1, round(amount * math.exp(rng.gauss(0, 0.3))))
        signed = None
        if when["date_signed"] or rng.random() < len(dates) / len(samples):
            base = when["date_signed"] or rng.choice(dates)
            signed = base + dt.timedelta(days=rng.randint(-180, 180))
        keys = [k for k in supplier["supplier_keys"].split("|") if k]
        buyer_key = f"{normalize_words(buyer['buyer_name'])} {normalize_words(buyer['publisher'])}"
        yield {
            "id": i,
            "ocid": f"ocds-bench-{i:08d}",
            "title": what["title"],
            "subject_text": what["subject_text"],
            "item_key": what["item_key"],
            "method": what["method"],
            "method_details": what["method_details"],
            "emergency": what["emergency"],
            "emergency_reason": what["emergency_reason"],
            "tender_days": what["tender_days"],
            "tenderers": what["tenderers"],
            "signed_before_tender_closed": what["signed_before_tender_closed"],
            "signed_early_known": what["signed_early_known"],
            "buyer_name": buyer["buyer_name"],
            "publisher": buyer["publisher"],
            "supplier_names": supplier["supplier_names"],
            "supplier_keys": supplier["supplier_keys"],
            "amount_cents": amount,
            "currency": money["currency"],
            "date_signed": signed,
            "year": signed.year if signed else None,
            "source_url": what["source_url"],
            "search_text": " ".join([what["subject_text"], buyer_key, *keys]),
        }


def medians(samples: list[dict[str, Any]], n: int, factor: float, min_group: int) -> dict[str, Any]:
    """Per (item, currency): the median of the generated amounts, as update_medians computes it."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in generate(samples, n):
        if row["item_key"] and row["amount_cents"]:
            groups[(row["item_key"], row["currency"])].append(row["amount_cents"])
    return {k: statistics.median(v) for k, v in groups.items() if len(v) >= min_group}


def _rows(samples: list[dict[str, Any]], n: int) -> Iterator[tuple[dict[str, Any], ...]]:
    """(process, contract, party, release) rows of each generated contract."""
    from bot.procurement.content import procurement_content

    rule = procurement_content().median
    median_of = medians(samples, n, rule.factor, rule.min_group)
    for row in generate(samples, n):
        median = median_of.get((row["item_key"], row["currency"])) if row["item_key"] else None
        cents = row["amount_cents"]
        process = {
            "id": row["id"], "ocid": row["ocid"], "title": row["title"],
            "buyer_name": row["buyer_name"], "method": row["method"],
            "method_details": row["method_details"], "method_rationale": "",
            "tender_start": None, "tender_end": None,
            "emergency_reason": row["emergency_reason"], "publisher": row["publisher"],
            "source_url": row["source_url"], "date": row["date_signed"], "state_json": "{}",
        }
        contract = {
            k: row[k]
            for k in (
                "id", "ocid", "title", "buyer_name", "supplier_names", "supplier_keys",
                "amount_cents", "currency", "date_signed", "year", "method", "emergency",
                "item_key", "signed_before_tender_closed", "signed_early_known", "tender_days",
                "tenderers", "source_url", "subject_text", "search_text",
            )
        }
        contract |= {
            "process_id": row["id"],
            "contract_id": "c1",
            "above_median": bool(median and cents and cents >= rule.factor * median),
            "median_cents": round(median) if median else None,
        }
        party = {
            "id": row["id"], "process_id": row["id"], "name": row["supplier_names"][:500],
            "name_key": row["supplier_keys"].strip("|").split("|")[0][:500], "roles": "supplier",
        }
        release = {
            "id": row["id"], "ocid": row["ocid"], "release_id": f"{row['ocid']}-1",
            "compiled": False, "date": row["date_signed"], "tags": "contract",
            "source": "benchmarks/procurement.py", "loaded_at": LOADED_AT,
            "raw_json": json.dumps(_release_json(row), ensure_ascii=False, separators=(",", ":")),
        }
        yield process, contract, party, release


LOADED_AT = dt.datetime(2026, 12, 6)


def _release_json(row: dict[str, Any]) -> dict[str, Any]:
    """A compact OCDS release for the generated contract (the raw table is part of the size)."""
    value = {"amount": row["amount_cents"] / 100, "currency": row["currency"]} if row["amount_cents"] else {}
    return {
        "ocid": row["ocid"],
        "id": f"{row['ocid']}-1",
        "date": row["date_signed"].isoformat() if row["date_signed"] else None,
        "tag": ["contract"],
        "buyer": {"name": row["buyer_name"]},
        "tender": {"procurementMethod": row["method"], "procurementMethodDetails": row["method_details"]},
        "awards": [{"id": "a1", "suppliers": [{"name": row["supplier_names"]}]}],
        "contracts": [{"id": "c1", "awardID": "a1", "title": row["title"], "value": value}],
    }


TABLES = (
    ProcurementProcess.__table__,
    ProcurementContract.__table__,
    ProcurementParty.__table__,
    ProcurementRelease.__table__,
)


# The GIN indexes a bulk load drops first and builds once at the end (as migrations 0010 and 0013
# create them); the vocabulary of migration 0013 is filled by its statement trigger on each COPY.
BULK_INDEXES = {
    f"ix_procurement_contracts_{column}_trgm": f"USING gin ({column} gin_trgm_ops)"
    for column in ("search_text", "supplier_keys")
} | {
    "ix_procurement_contracts_search_words": "USING gin ((string_to_array(search_text, ' ')))",
    "ix_procurement_contracts_search_suppliers": "USING gin ((string_to_array(supplier_keys, '|')))",
}


def bulk_load(engine: Any, samples: list[dict[str, Any]], n: int, chunk: int = 20_000) -> None:
    """Write ``n`` generated contracts (COPY on PostgreSQL, batched INSERT on SQLite), then ANALYZE."""
    from sqlalchemy import insert, text

    buffers: list[list[dict[str, Any]]] = [[], [], [], []]

    def flush() -> None:
        if engine.dialect.name == "postgresql":
            raw = engine.raw_connection()
            try:
                with raw.driver_connection.cursor() as cur:
                    for table, rows in zip(TABLES, buffers, strict=True):
                        cols = [c.name for c in table.columns]
                        with cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
                            for r in rows:
                                copy.write_row([r.get(c) for c in cols])
                raw.commit()
            finally:
                raw.close()
        else:
            with engine.begin() as conn:
                for table, rows in zip(TABLES, buffers, strict=True):
                    conn.execute(insert(table), rows)
        for b in buffers:
            b.clear()

    if engine.dialect.name == "postgresql":
        # As for any bulk load: build the trigram indexes once at the end, not row by row.
        with engine.begin() as conn:
            for name in BULK_INDEXES:
                conn.execute(text(f"DROP INDEX {name}"))
    for rows in _rows(samples, n):
        for buffer, row in zip(buffers, rows, strict=True):
            buffer.append(row)
        if len(buffers[0]) >= chunk:
            flush()
    if buffers[0]:
        flush()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in TABLES:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {n})"))
            conn.execute(text("SET maintenance_work_mem = '512MB'"))
            for name, how in BULK_INDEXES.items():
                conn.execute(text(f"CREATE INDEX {name} ON procurement_contracts {how}"))
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def database_bytes(engine: Any, url: str) -> int:
    from sqlalchemy import text

    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    path = Path(url.removeprefix("sqlite:///"))
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def generated_contracts(engine: Any) -> int:
    """How many generated (benchmark) contracts the database holds."""
    from sqlalchemy import func, select

    from bot.storage.db import session_scope

    C = ProcurementContract
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count(C.id)).where(C.ocid.like("ocds-bench-%"))) or 0)


def measure_scale(
    url: str, samples: list[dict[str, Any]], contracts: int, queries: int, reuse: bool = False
) -> dict[str, Any]:
    _clear_caches()
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    load_s: float | None = None
    already = generated_contracts(engine)
    if reuse and already == contracts:
        with engine.connect() as conn:  # a migration may have added an index: fresh statistics
            from sqlalchemy import text

            conn.execute(text("ANALYZE procurement_contracts"))
            conn.commit()
    elif already:
        engine.dispose()
        raise SystemExit(
            f"{url}: ya tiene {already:,} contratos generados (se pidieron {contracts:,}); "
            "usa una base vacía o --reuse-load con el mismo --contracts."
        )
    else:
        bulk_load(engine, samples, contracts)
        load_s = time.perf_counter() - started
    size = database_bytes(engine, url)
    searches = time_searches(engine, queries)
    summary = svc.data_summary(engine)
    engine.dispose()
    return {
        "contracts": summary.contracts,
        "load_seconds": round(load_s, 1) if load_s is not None else None,
        "database_mb": round(size / 1e6, 1),
        **searches,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--sqlite-contracts", type=int, default=None,
                        help="generated contracts on SQLite (default: --contracts)")
    parser.add_argument("--sqlite-queries", type=int, default=None,
                        help="searches on the generated SQLite database (default: --queries)")
    parser.add_argument("--pg-url", default=None,
                        help="PostgreSQL database of your own for the generated contracts (kept)")
    parser.add_argument("--reuse-load", action="store_true",
                        help="with --pg-url: do not load again if it already holds --contracts")
    parser.add_argument("--skip-sqlite-scale", action="store_true",
                        help="generated contracts on PostgreSQL only")
    smoke_option(parser)
    args = parser.parse_args()
    if smoke(args):  # tiny sizes: CI checks that it runs
        args.queries, args.contracts, args.sqlite_queries, args.sqlite_contracts = 10, 2_000, 10, 1_000
    bundled = {"machine": machine(), **on_both_databases(lambda url: measure(url, args.queries))}
    samples = real_samples()
    def scaled(url: str) -> dict[str, Any]:
        sqlite = url.startswith("sqlite")
        queries = args.sqlite_queries if sqlite and args.sqlite_queries else args.queries
        contracts = args.sqlite_contracts if sqlite and args.sqlite_contracts else args.contracts
        return measure_scale(url, samples, contracts, queries)

    if args.pg_url:
        scale: dict[str, dict[str, Any]] = {}
        if not args.skip_sqlite_scale:
            with tempfile.TemporaryDirectory() as tmp:
                scale["sqlite"] = scaled(f"sqlite:///{tmp}/bench.db")
        scale["postgresql"] = measure_scale(
            args.pg_url, samples, args.contracts, args.queries, reuse=args.reuse_load
        )
    else:
        scale = on_both_databases(scaled)
    results = {"bundled": bundled, "scale": scale, "samples": len(samples)}
    write_result("procurement", results, report(results, args))
    print(report(results, args))


def _load_cell(seconds: float | None) -> str:
    return f"{seconds:.0f} s" if seconds is not None else "(reutilizada)"


def report(results: dict[str, Any], args: Any) -> str:
    bundled, scale = results["bundled"], results["scale"]
    rows = [
        f"| {db} | {r['load_seconds']:.2f} s | {r['reload_seconds']:.2f} s | {r['releases']} / "
        f"{r['processes']} / {r['contracts']} | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms | "
        f"{r['max_ms']:.1f} ms |"
        for db, r in bundled.items()
        if db != "machine"
    ]
    scale_rows = [
        f"| {db} | {r['contracts']:,} | {_load_cell(r['load_seconds'])} | {r['database_mb']:,.0f} MB | "
        f"{r['first_search_seconds']:.1f} s | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms | "
        f"{r['max_ms']:.0f} ms | {r['queries_with_results']} / {r['queries']} |"
        for db, r in scale.items()
    ]
    slowest = [
        f"- {db}: " + "; ".join(f"«{m}» {ms:.0f} ms" for m, ms in r["slowest"])
        for db, r in scale.items()
    ]
    first = bundled["sqlite"]
    machine_ = bundled["machine"]
    capped = "; ".join(f"{db} {r.get('queries_capped', 0)} de {r['queries']}" for db, r in scale.items())
    reused = (
        "\n«(reutilizada)»: la base ya tenía esos contratos generados de una corrida anterior"
        " (`--reuse-load`); esta corrida no midió la carga."
        if any(r["load_seconds"] is None for r in scale.values())
        else ""
    )
    flags = f"--queries {args.queries} --contracts {args.contracts}"
    sqlite_note = ""
    if args.sqlite_contracts and args.sqlite_contracts != args.contracts:
        sqlite_note = (
            f" (SQLite: {args.sqlite_contracts:,}: en esta máquina compartida su tabla FTS5 de"
            " trigramas se llenó a unos 200 contratos por segundo; un millón habría tomado más de"
            " una hora)"
        )
    flags += f" --sqlite-contracts {args.sqlite_contracts}" if args.sqlite_contracts else ""
    flags += f" --sqlite-queries {args.sqlite_queries}" if args.sqlite_queries else ""
    flags += " --skip-sqlite-scale" if args.skip_sqlite_scale else ""
    flags += f" --pg-url {args.pg_url}" if args.pg_url else ""
    flags += " --reuse-load" if args.reuse_load else ""
    markdown = f"""# Contrataciones: carga y búsqueda, con los datos incluidos y con un millón de contratos

Medido el {machine_['date']} ({machine_['cpus']} CPU, Python {machine_['python']}) con
`nice -n 5 .venv/bin/python benchmarks/procurement.py {flags}`.
Búsqueda: {args.queries} mensajes ciclando {first['distinct_queries']} búsquedas escritas como las
escribe la gente, medidas como las corre el servidor de acciones (entender el texto, consultar con
totales y señales, y armar la respuesta). La búsqueda de palabras usa índices de trigramas
(PostgreSQL `pg_trgm`, SQLite FTS5 `trigram`; migración `0010_procurement_search`); en PostgreSQL
las palabras sueltas se buscan en un vocabulario y un índice de las palabras de cada contrato
(migración `0014_procurement_search_words`). Una búsqueda de palabras suma hasta
{svc.SEARCH_CAP:,} contratos; con más, dice «más de {svc.SEARCH_CAP:,}» y muestra los más grandes.

## {args.contracts:,} contratos generados{sqlite_note}

Cada campo (lo que se compró, comprador, proveedor, monto, fecha, procedimiento y los datos de las
señales) se toma al azar, por separado, de los {results['samples']:,} contratos reales de todos los
archivos incluidos (OCDS y las muestras de CompraNet); los montos con una variación log-normal
(σ = 0.3) y las fechas movidas hasta medio año. Se escriben directo en las tablas de búsqueda
(`COPY` en PostgreSQL, `INSERT` por lotes en SQLite) y la carga incluye los índices y `ANALYZE`;
la velocidad del lector de OCDS es la de la tabla de abajo. «Primera búsqueda»: arma el índice de
nombres (compradores, proveedores y vocabulario) una vez por carga.

| base | contratos | carga | tamaño de la base | primera búsqueda | p50 | p95 | máx | con resultados |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(scale_rows)}

Las búsquedas más lentas (mediana de cada una):
{chr(10).join(slowest)}

De las búsquedas con resultados, las que encontraron más de {svc.SEARCH_CAP:,} contratos contestaron
«más de {svc.SEARCH_CAP:,}» sin sumarlos (y con los más grandes primero): {capped}.{reused}

## Los archivos incluidos, con el lector real

Los {first['files']} archivos OCDS incluidos (`content/procurement/ocds_mexico`), en una base
nueva; «recarga» es volver a cargarlos cuando ya están (lo que hace `make setup`): 0 releases nuevos.
{first['queries_with_results']} de {args.queries} búsquedas encontraron contratos.

| base | carga | recarga | releases / procedimientos / contratos | p50 | p95 | máx |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""
    if "postgresql" not in scale:
        markdown += "\nPostgreSQL no respondió en esta corrida.\n"
    return markdown


if __name__ == "__main__":
    main()
