"""``participa reviewer``: accounts created from the command line, passwords never on it."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from bot.accounts import service as accounts
from bot.cli import app

runner = CliRunner()


@pytest.fixture
def configured(db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Point the CLI (which uses the configured database) at the test database."""
    monkeypatch.setattr("bot.storage.db.default_engine", lambda: db_engine)
    monkeypatch.setattr("bot.storage.db.upgrade", lambda url, revision="heads": None)
    return db_engine


def test_add_reads_the_password_from_stdin(configured: Engine) -> None:
    result = runner.invoke(app, ["reviewer", "add", "Ana", "--role", "editor", "--password-stdin"],
                           input="una-contrasena-larga\n")
    assert result.exit_code == 0, result.output
    assert "cuenta ana (editor) creada" in result.output
    assert accounts.login("ana", "una-contrasena-larga", "127.0.0.1", configured).outcome == "ok"
    listed = runner.invoke(app, ["reviewer", "list"])
    assert "ana" in listed.output and "editor" in listed.output and "nunca" not in listed.output


def test_add_refuses_bad_roles_and_short_passwords(configured: Engine) -> None:
    bad_role = runner.invoke(app, ["reviewer", "add", "ana", "--role", "jefa", "--password-stdin"],
                             input="una-contrasena-larga\n")
    assert bad_role.exit_code == 1 and "Rol desconocido" in bad_role.output
    short = runner.invoke(app, ["reviewer", "add", "ana", "--role", "admin", "--password-stdin"],
                          input="corta\n")
    assert short.exit_code == 1 and "12 caracteres" in short.output
    assert accounts.list_accounts(configured) == []


def test_add_asks_twice_when_not_from_stdin(configured: Engine) -> None:
    result = runner.invoke(app, ["reviewer", "add", "beto", "--role", "reviewer"],
                           input="una-contrasena-larga\nuna-contrasena-larga\n")
    assert result.exit_code == 0 and "una-contrasena-larga" not in result.output
