"""The fresh evaluation's smoke run works end to end (CI checks that it runs, not its numbers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import understanding

pytestmark = pytest.mark.integration


def test_smoke_run_reports_every_message(tmp_path: Path) -> None:
    out = tmp_path / "summary.json"
    assert understanding.main(["--smoke", "--json", str(out)]) == 0
    summary = json.loads(out.read_text("utf-8"))
    assert summary["n"] == 12
    assert sum(t["n"] for t in summary["topics"].values()) == 12
    assert 0 <= summary["ok"] <= 12
