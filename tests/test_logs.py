"""Logs carry no personal data: not from a database error, not from `participa web`."""

from __future__ import annotations

import json
import logging
import logging.config
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn.config
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from typer.testing import CliRunner

from bot import cli
from bot.logs import JsonFormatter, configure_json_logging
from bot.storage.db import make_engine

CITIZEN = "Mi vecino me pega, vivo en Calle Morelos 123, ana.lopez@example.org"


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_database_error_does_not_quote_the_citizens_text(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)"))
        conn.execute(text("INSERT INTO t (body) VALUES (:b)"), {"b": CITIZEN})
    with pytest.raises(SQLAlchemyError) as raised, engine.begin() as conn:
        conn.execute(text("INSERT INTO t (body) VALUES (:b)"), {"b": CITIZEN})
    assert "Calle Morelos" not in str(raised.value)


def test_the_formatter_hides_statement_values_from_any_engine() -> None:
    try:
        raise RuntimeError(f"(psycopg.DataError) bad\n[SQL: INSERT INTO x VALUES (%(a)s)]\n"
                           f"[parameters: {{'a': '{CITIZEN}'}}]\n(Background on this error)")
    except RuntimeError:
        record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "db.failed", None,
                                   exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert "Calle Morelos" not in entry["exception"] and "[SQL: INSERT" in entry["exception"]


def test_participa_web_logs_json_through_the_redacting_formatter(
        monkeypatch: pytest.MonkeyPatch, root_logging: None) -> None:
    def failing_page(host: str, port: int) -> None:  # stands in for uvicorn: one request fails
        try:
            raise ValueError(f"no se pudo guardar: {CITIZEN} 5512345678")
        except ValueError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")

    monkeypatch.setattr(cli, "serve_web", failing_page)
    result = CliRunner().invoke(cli.app, ["web", "--port", "8999"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
    entry = json.loads(lines[-1])
    assert entry["logger"] == "uvicorn.error" and entry["level"] == "error"
    assert "ana.lopez@example.org" not in entry["exception"] and "5512345678" not in entry["exception"]
    assert "<correo>" in entry["exception"]


def test_json_logging_takes_over_uvicorns_own_loggers(root_logging: None) -> None:
    """A uvicorn started earlier in the process must not keep its tracebacks from the redactor."""
    logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)
    configure_json_logging()
    error_logger = logging.getLogger("uvicorn.error")
    assert error_logger.propagate and not error_logger.handlers
