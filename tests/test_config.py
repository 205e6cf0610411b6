"""Secrets come from the environment: production refuses to start without them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import Settings, get_settings, production_secret_problems

runner = CliRunner()
GOOD_KEY = "k" * 64


def test_production_needs_a_secret_key_from_the_environment() -> None:
    assert production_secret_problems(Settings(participa_secret_key=GOOD_KEY, public_url=None)) == []
    [missing] = production_secret_problems(Settings(participa_secret_key=None, public_url=None))
    assert "PARTICIPA_SECRET_KEY" in missing and "secrets.token_hex" in missing
    assert production_secret_problems(Settings(participa_secret_key="corta", public_url=None))


def test_webhook_mode_needs_its_secret() -> None:
    [problem] = production_secret_problems(
        Settings(participa_secret_key=GOOD_KEY, public_url="https://bot.example", webhook_secret=None))
    assert "WEBHOOK_SECRET" in problem
    assert production_secret_problems(Settings(participa_secret_key=GOOD_KEY,
                                               public_url="https://bot.example",
                                               webhook_secret="s3cr3t_ok")) == []


def test_serve_refuses_to_start_without_the_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 30)
    monkeypatch.setenv("PARTICIPA_SECRET_KEY", "")
    monkeypatch.setenv("PUBLIC_URL", "")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["serve"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "Falta PARTICIPA_SECRET_KEY" in result.output
    assert not (tmp_path / "secret.key").exists(), "no key was generated for production"
