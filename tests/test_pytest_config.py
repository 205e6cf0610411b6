"""The suite's own rules: a mistyped marker is an error, our DeprecationWarnings are not hidden."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT


def _pytest(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    test = tmp_path / "test_probe.py"
    test.write_text(body, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-c", str(PROJECT_ROOT / "pyproject.toml"), "--rootdir", str(tmp_path),
                           str(test)], capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_a_mistyped_marker_fails_the_run(tmp_path: Path) -> None:
    done = _pytest(tmp_path, "import pytest\n\n@pytest.mark.integraton\ndef test_x():\n    pass\n")
    assert done.returncode != 0 and "integraton" in done.stdout + done.stderr


def test_a_deprecation_warning_is_shown_not_silenced(tmp_path: Path) -> None:
    done = _pytest(tmp_path, "import warnings\n\ndef test_x():\n"
                             "    warnings.warn('vieja API', DeprecationWarning)\n")
    assert done.returncode == 0 and "DeprecationWarning: vieja API" in done.stdout
