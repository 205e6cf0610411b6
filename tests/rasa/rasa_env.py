"""Running a script in Rasa's own environment (``.venv-rasa``), as the tests of nlu/ need."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from bot.config import PROJECT_ROOT, get_settings


def run_in_rasa(script: str, *args: str, timeout: float = 300) -> Any:
    """The JSON the script prints last, run from the project root; the test is skipped without
    ``.venv-rasa``."""
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", script, *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
