"""The Rasa project itself is valid (`rasa data validate`)."""

from __future__ import annotations

import subprocess

import pytest

from bot.config import get_settings
from bot.rasa.nlu_build import build
from bot.rasa.training import rasa_env, rasa_executable

pytestmark = pytest.mark.integration


def test_rasa_data_validate_passes() -> None:
    settings = get_settings()
    build(settings.content_dir, settings.nlu_dir)
    result = subprocess.run(
        [str(rasa_executable()), "data", "validate", "--config", "config.yml",
         "--domain", "domain", "--data", "data"],
        cwd=settings.nlu_dir, env=rasa_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_rasa_test_stories_pass(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.rasa.training import ensure_model

    settings = get_settings()
    model = ensure_model()
    result = subprocess.run(
        [str(rasa_executable()), "test", "core", "--model", str(model),
         "--stories", "tests/test_stories.yml", "--fail-on-prediction-errors",
         "--out", str(tmp_path / "results")],
        cwd=settings.nlu_dir, env=rasa_env(), capture_output=True, text=True, timeout=600,
    )
    failed = (tmp_path / "results" / "failed_test_stories.yml")
    detail = failed.read_text() if failed.exists() else result.stdout[-3000:]
    assert result.returncode == 0, detail
