"""Helpers shared by the benchmark scripts: held-out data, percentiles, process memory, reports."""

from __future__ import annotations

import datetime as dt
import json
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"


def heldout_messages(path: Path = DATA / "nlu_heldout.yml") -> list[tuple[str, str]]:
    """(text, label) pairs of a Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text("utf-8"))
    pairs: list[tuple[str, str]] = []
    for item in data["nlu"]:
        for line in item["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((line[2:].strip(), item["intent"]))
    return pairs


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def rss_mb(pid: int, children: bool = True) -> float:
    """Resident memory of a process (and by default its children), in MB (from /proc)."""
    total = 0
    pids = [pid]
    if children:
        try:
            found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
            pids += [int(p) for p in found.split()]
        except FileNotFoundError:
            pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


def machine() -> dict[str, Any]:
    import os

    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        # Other work on a shared machine moves wall-clock numbers: 1, 5 and 15 minutes.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


_SMOKE = {"on": False}


def smoke_option(parser: Any) -> None:
    """``--smoke``: tiny sizes, seconds; checks that the benchmark still runs (CI runs it)."""
    parser.add_argument("--smoke", action="store_true",
                        help="tamaños mínimos: solo comprueba que corre; no escribe resultados")


def smoke(args: Any) -> bool:
    """Whether this run is a smoke run; a smoke run never overwrites benchmarks/results/."""
    _SMOKE["on"] = bool(getattr(args, "smoke", False))
    return _SMOKE["on"]


def write_result(name: str, data: dict[str, Any], markdown: str) -> None:
    if _SMOKE["on"]:
        print(f"--smoke: {name} corrió; resultados sin escribir.", file=sys.stderr)
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown)


PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def temporary_pg_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database for one benchmark run (None when PostgreSQL is not there)."""
    import os
    import uuid

    from sqlalchemy import create_engine, text

    from bot.storage.db import normalize_url

    admin_url = normalize_url(os.environ.get("BENCH_DATABASE_URL", PG_ADMIN_URL))
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"participa_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        admin.dispose()
        yield None
        return
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def on_both_databases(run: Callable[[str], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``run(database_url)`` on a fresh SQLite file, then on a fresh PostgreSQL database if any."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = run(f"sqlite:///{tmp}/bench.db")
    with temporary_pg_database() as pg_url:
        if pg_url is None:
            print("PostgreSQL no disponible: solo SQLite.", file=sys.stderr)
        else:
            results["postgresql"] = run(pg_url)
    return results
