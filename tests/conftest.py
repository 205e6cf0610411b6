"""Shared fixtures: databases (SQLite and real PostgreSQL) and the Rasa stack."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

import bot.domains  # noqa: F401  (every domain registers its content check and privacy provider)
from bot.config import get_settings
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.rasa.servers import RunningServers, start_servers
from bot.storage.db import engine_for, make_engine, normalize_url, upgrade

# The safety net's learned model is built when a test first asks for the net, never in the
# background mid-run (a test would read the patterns alone, then the model).
os.environ.setdefault("PARTICIPA_SAFETY_BUILD", "now")

PG_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_available() -> bool:
    try:
        engine = create_engine(normalize_url(PG_ADMIN_URL))
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def _require_pg() -> None:
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL no responde en {PG_ADMIN_URL} (CI lo necesita)")
        pytest.skip("PostgreSQL no disponible")


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped at the end."""
    _require_pg()
    name = f"participa_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalize_url(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = (
        make_url(normalize_url(PG_ADMIN_URL))
        .set(database=name)
        .render_as_string(hide_password=False)
    )
    yield url
    from bot.storage.db import engine_for

    engine_for.cache_clear()
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated, empty database on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()
        return
    base_url = request.getfixturevalue("pg_database_url")
    upgrade(base_url)
    engine = make_engine(base_url)
    with engine.begin() as conn:
        from bot.storage.models import Base

        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    yield engine
    engine.dispose()


# One trained model, one Rasa server and one action server for the whole session (integration
# and e2e tests share them), with real PostgreSQL for Rasa's tracker store, as in production.


@pytest.fixture(scope="session")
def rasa_stack(pg_database_url: str) -> Iterator[RunningServers]:
    upgrade(pg_database_url)
    servers = start_servers(database_url=pg_database_url, timeout=600)  # a loaded machine: minutes
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def pg_engine(pg_database_url: str) -> Iterator[Engine]:
    upgrade(pg_database_url)
    engine = make_engine(pg_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def core(rasa_stack: RunningServers, pg_engine: Engine) -> AsyncIterator[ConversationCore]:
    client = RasaClient(rasa_stack.rasa_url, timeout=30)
    yield ConversationCore(client, engine=pg_engine)
    await client.aclose()


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated SQLite file as the application's DATABASE_URL, for CLI and server tests."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine_for.cache_clear()
    upgrade(url)
    yield url
    get_settings.cache_clear()
    engine_for.cache_clear()
