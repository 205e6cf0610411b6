"""Training never prunes (or trains into) a models folder another checkout uses.

Last round a worktree's ``models`` was a symlink to the main checkout's folder: training there
deleted the model the main checkout was serving with.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from bot.rasa import training


@pytest.fixture
def fake_training(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[list[str]]:
    """No real Rasa: a "training" writes the model file; the calls are recorded."""
    calls: list[list[str]] = []
    monkeypatch.setattr(training, "build", lambda *args: [])
    monkeypatch.setattr(training, "model_hash", lambda nlu=None: "fedcba9876543210")
    monkeypatch.setattr(training, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(training, "train_command", lambda out, name: [str(out), name])

    def run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append(cmd)
        (Path(cmd[0]) / f"{cmd[1]}.tar.gz").write_bytes(b"model")
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(training.subprocess, "run", run)
    monkeypatch.setattr(get_settings(), "var_dir", tmp_path / "var")
    return calls


def _use_models(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    monkeypatch.setattr(get_settings(), "models_dir", folder)
    return folder


def test_a_symlinked_models_folder_is_neither_trained_in_nor_pruned(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_training: list[list[str]]
) -> None:
    checkout = tmp_path / "worktree"
    checkout.mkdir()
    main_models = tmp_path / "main" / "models"
    main_models.mkdir(parents=True)
    in_use = main_models / "participa-0123456789abcdef.tar.gz"
    in_use.write_bytes(b"the main checkout's model")
    (checkout / "models").symlink_to(main_models)
    monkeypatch.setattr(training, "PROJECT_ROOT", checkout)
    _use_models(monkeypatch, checkout / "models")

    with pytest.raises(training.SharedModelsError, match="--shared-models"):
        training.ensure_model()

    assert in_use.read_bytes() == b"the main checkout's model"
    assert fake_training == [], "nothing trained"


def test_asked_explicitly_it_trains_in_a_shared_folder_and_deletes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_training: list[list[str]]
) -> None:
    monkeypatch.setattr(training, "PROJECT_ROOT", tmp_path / "checkout")
    shared = _use_models(monkeypatch, tmp_path / "elsewhere" / "models")
    shared.mkdir(parents=True)
    other = shared / "participa-0123456789abcdef.tar.gz"
    other.write_bytes(b"another checkout's model")

    path = training.ensure_model(shared_ok=True)

    assert path.exists() and path.parent == shared
    assert other.exists(), "another checkout's model is never deleted"


def test_its_own_models_folder_is_still_pruned_when_it_trains(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_training: list[list[str]]
) -> None:
    monkeypatch.setattr(training, "PROJECT_ROOT", tmp_path)
    own = _use_models(monkeypatch, tmp_path / "models")
    own.mkdir()
    stale = own / "participa-0123456789abcdef.tar.gz"
    stale.write_bytes(b"an old model of this checkout")

    path = training.ensure_model()

    assert path.exists() and not stale.exists()


def test_participa_nlu_train_refuses_a_shared_folder_in_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_training: list[list[str]]
) -> None:
    monkeypatch.setattr(training, "PROJECT_ROOT", tmp_path / "checkout")
    _use_models(monkeypatch, tmp_path / "elsewhere" / "models").mkdir(parents=True)

    result = CliRunner().invoke(app, ["nlu", "train"])

    assert result.exit_code == 1
    assert "No entreno en" in result.output and "--shared-models" in result.output
    assert fake_training == []

    result = CliRunner().invoke(app, ["nlu", "train", "--shared-models"])
    assert result.exit_code == 0, result.output
    assert len(fake_training) == 1
