"""Web fixtures: the app on a migrated database (SQLite and PostgreSQL), accounts, signed-in clients."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.accounts import service as accounts
from bot.config import get_settings
from bot.proposals import service as svc
from bot.storage.models import Proposal
from bot.web import create_app

PASSWORD = "una-contrasena-larga"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_proposal(engine: Engine, problem: str = "No pasa el camión de la basura en mi colonia",
                 theme: str = "medio_ambiente", municipality: tuple[str, str] = ("15106", "Toluca"),
                 consent: bool = False, sender: str | None = None, solution: str = "Un horario fijo",
                 causes: str | None = "Faltan camiones; no hay horario",
                 effects: str | None = "Malos olores") -> Proposal:
    return svc.submit(
        svc.Draft(theme=theme, municipality_code=municipality[0], municipality=municipality[1],
                  problem=problem, causes=causes, effects=effects, affected="Vecinos",
                  solution=solution),
        intake_key=uuid.uuid4().hex, sender=sender or f"tg-{uuid.uuid4().hex[:8]}", channel="telegram",
        consent=consent, contact_info="persona@example.org" if consent else None, engine=engine,
    )


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the real form; returns the session's CSRF token (read from a signed-in page)."""
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"usuario": username, "contrasena": password,
                                           "csrf_token": token, "siguiente": "/stl"})
    assert response.status_code == 200 and response.url.path == "/stl", response.text[:500]
    return csrf_of(response.text)


@pytest.fixture
def engine(db_engine: Engine) -> Engine:
    return db_engine


@pytest.fixture
def app(engine: Engine):  # type: ignore[no-untyped-def]
    return create_app(engine)


@pytest.fixture
def anonymous(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as client:
        yield client


def _client_for(app, engine: Engine, role: str) -> TestClient:  # type: ignore[no-untyped-def]
    name = f"{role}-{uuid.uuid4().hex[:6]}"
    accounts.create_account(name, PASSWORD, role, engine)
    client = TestClient(app)
    client.csrf = sign_in(client, name)  # type: ignore[attr-defined]
    client.username = name  # type: ignore[attr-defined]
    return client


@pytest.fixture
def reviewer(app, engine: Engine) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with _client_for(app, engine, "reviewer") as client:
        yield client


@pytest.fixture
def editor(app, engine: Engine) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with _client_for(app, engine, "editor") as client:
        yield client


@pytest.fixture
def admin(app, engine: Engine) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with _client_for(app, engine, "admin") as client:
        yield client


def set_reviewed(directory: Path, dates: dict[str, dt.date]) -> None:
    for path in (directory / "faq").glob("*.yml"):
        if path.name == "topics.yml":
            continue
        data = yaml.safe_load(path.read_text("utf-8"))
        for entry in data:
            if entry["id"] in dates:
                entry["reviewed"] = dates[entry["id"]]
        path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


@pytest.fixture
def stale_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of content/ where two answers were last reviewed long ago."""
    directory = tmp_path / "content"
    shutil.copytree(get_settings().content_dir, directory)
    set_reviewed(directory, {"saimex": dt.date(2024, 3, 1), "ipomex": dt.date(2025, 1, 15)})
    monkeypatch.setenv("CONTENT_DIR", str(directory))
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()
