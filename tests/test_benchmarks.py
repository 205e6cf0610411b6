"""Every benchmark still runs: each has a ``--smoke`` mode (tiny sizes, seconds) that this test runs.

A test that only imported the scripts missed ``benchmarks/broadcast.py`` failing on main; a smoke
run executes the whole path. Thresholds stay out of here (a smoke run never fails on a number and
never overwrites benchmarks/results/): the measurements themselves are `make benchmarks`.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(p.stem for p in (ROOT / "benchmarks").glob("*.py") if p.stem not in ("__init__", "common"))
# These start the Rasa and action servers (or `rasa test`): integration tests, like the others.
WITH_RASA = {"latency", "nlu_accuracy", "telegram_throughput", "understanding"}


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_script_imports(name: str) -> None:
    module = importlib.import_module(f"benchmarks.{name}")
    assert callable(getattr(module, "main", None))


def _results() -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in (ROOT / "benchmarks" / "results").glob("*")}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.integration) if n in WITH_RASA else n for n in SCRIPTS])
def test_benchmark_smoke_run(name: str) -> None:
    before = _results()
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / f"{name}.py"), "--smoke"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert _results() == before, "a smoke run must not overwrite benchmarks/results/"
