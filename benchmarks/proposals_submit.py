"""1,000 proposals from 50 concurrent writers through the service layer, on SQLite and PostgreSQL.

Counts what was stored: 0 lost and 0 duplicate folios is the bar; throughput is recorded.
Each writer also confirms a quarter of its proposals twice (a double tap), which must not
store anything extra.

Usage: .venv/bin/python benchmarks/proposals_submit.py [--proposals 1000] [--writers 50]
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from benchmarks.common import machine, on_both_databases, smoke, smoke_option, write_result  # noqa: E402
from bot.proposals import service as svc  # noqa: E402
from bot.storage.db import make_engine, session_scope, upgrade  # noqa: E402
from bot.storage.models import Proposal  # noqa: E402


def run(url: str, total: int, writers: int) -> dict[str, object]:
    upgrade(url)
    engine = make_engine(url)
    draft = svc.Draft(
        theme="movilidad",
        municipality_code="15106",
        municipality="Toluca",
        problem="Baches en la avenida principal",
        causes=None,
        effects=None,
        affected=None,
        solution="Bachear",
    )
    keys = [uuid.uuid4().hex for _ in range(total)]

    def write(index: int) -> str | None:
        proposal = svc.submit(
            draft,
            intake_key=keys[index],
            sender=f"bench-{index % writers}",
            channel="telegram",
            consent=index % 3 == 0,
            engine=engine,
        )
        if index % 4 == 0:  # the double tap
            again = svc.submit(
                draft,
                intake_key=keys[index],
                sender=f"bench-{index % writers}",
                channel="telegram",
                consent=index % 3 == 0,
                engine=engine,
            )
            assert again.folio == proposal.folio
        return proposal.folio

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=writers) as pool:
        folios = list(pool.map(write, range(total)))
    seconds = time.perf_counter() - started
    with session_scope(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Proposal))
        distinct = session.scalar(select(func.count(func.distinct(Proposal.folio))))
    engine.dispose()
    return {
        "proposals": total,
        "writers": writers,
        "seconds": round(seconds, 2),
        "per_second": round(total / seconds, 1),
        "stored": stored,
        "lost": total - int(stored or 0),
        "duplicate_folios": int(stored or 0) - int(distinct or 0),
        "returned_folios_unique": len(set(folios)) == total,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--writers", type=int, default=50)
    smoke_option(parser)
    args = parser.parse_args()
    if smoke(args):  # tiny sizes: CI checks that it runs
        args.proposals, args.writers = 20, 4
    results = on_both_databases(lambda url: run(url, args.proposals, args.writers))
    ok = all(r["lost"] == 0 and r["duplicate_folios"] == 0 for r in results.values())
    data = {
        "command": "python benchmarks/proposals_submit.py",
        "results": results,
        "passed": ok,
        "machine": machine(),
    }
    lines = [
        "# Propuestas concurrentes (capa de servicio)",
        "",
        f"Comando: `{data['command']}` · {data['machine']['date']} · {data['machine']['cpus']} núcleos",
        "",
        "| base | propuestas | escritores | segundos | por segundo | perdidas | folios duplicados |",
        "|---|---|---|---|---|---|---|",
    ]
    for backend, r in results.items():
        lines.append(
            f"| {backend} | {r['proposals']} | {r['writers']} | {r['seconds']} | {r['per_second']} "
            f"| {r['lost']} | {r['duplicate_folios']} |"
        )
    lines += [
        "",
        "Una de cada cuatro propuestas se confirma dos veces (doble toque): no se guarda de más.",
        "",
    ]
    write_result("proposals_submit", data, "\n".join(lines))
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
