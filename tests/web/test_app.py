"""The web app alone (``participa web``) and mounted by ``participa serve`` next to /healthz."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.serve import RasaState, http_app


def test_participa_serve_mounts_the_board_and_keeps_its_health_check(engine: Engine,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.storage.db.default_engine", lambda: engine)
    app = http_app(None, RasaState("up"), None, "polling")  # type: ignore[arg-type]
    with TestClient(app) as client:
        assert client.get("/healthz").json()["rasa"] == "up"
        board = client.get("/")
        assert board.status_code == 200 and "Tablero Público de Seguimiento" in board.text
        assert client.get("/stl", follow_redirects=False).headers["location"].startswith("/login")
        assert client.get("/static/participa.css").status_code == 200


def test_unknown_pages_get_a_spanish_404_page(anonymous: TestClient) -> None:
    page = anonymous.get("/no-existe")
    assert page.status_code == 404 and "No encontramos esta página" in page.text
    wrong_method = anonymous.post("/datos/propuestas.csv")
    assert wrong_method.status_code == 405 and "Esta acción no existe aquí" in wrong_method.text
