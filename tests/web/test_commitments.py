"""Editors create commitments, fill the road map, publish them and link proposals."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.accounts import audit
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import Commitment, Notification
from tests.web.conftest import add_proposal

ROAD_MAP = {
    "title": "Horarios de recolección publicados", "theme": "medio_ambiente", "description": "Prueba",
    "responsible": "Dirección de Servicios (prueba)", "co_responsible": "Colectivo (prueba)",
    "activities": "Diagnóstico\r\nPublicar horarios", "final_result": "Horarios cumplidos",
    "products": "Mapa de rutas", "indicators": "Rutas con horario", "verification": "Informe mensual",
    "start_date": "2026-03-01", "end_date": "2026-09-30", "progress": "25", "published": "1",
}


def test_an_editor_creates_publishes_and_links(engine: Engine, editor: TestClient,
                                               anonymous: TestClient) -> None:
    created = editor.post("/stl/compromisos/nuevo", data={**ROAD_MAP, "csrf_token": editor.csrf})  # type: ignore[attr-defined]
    assert created.status_code == 200 and "El compromiso quedó guardado." in created.text
    with session_scope(engine) as s:
        commitment = s.scalar(select(Commitment))
        assert commitment is not None and commitment.progress == 25 and commitment.published
        assert commitment.activities == "Diagnóstico\nPublicar horarios"
    board = anonymous.get("/").text
    assert "Horarios de recolección publicados" in board and "<li>Publicar horarios</li>" in board

    p = add_proposal(engine, consent=True)
    linked = editor.post(f"/stl/compromisos/{commitment.id}/propuestas",
                         data={"folio": p.folio.lower(), "accion": "vincular", "csrf_token": editor.csrf})  # type: ignore[attr-defined, union-attr]
    assert "quedó vinculada" in linked.text and f'href="/stl/propuestas/{p.folio}"' in linked.text
    assert svc.get(p.folio or "", engine).status == "integrada"  # type: ignore[union-attr]
    with session_scope(engine) as s:
        assert len(s.scalars(select(Notification)).all()) == 1
    assert {e.action for e in audit.events(actor=editor.username, engine=engine)} >= {  # type: ignore[attr-defined]
        "commitment_create", "commitment_link", "status"}


def test_a_commitment_that_cannot_be_published_keeps_what_was_typed(engine: Engine,
                                                                    editor: TestClient) -> None:
    data = {**ROAD_MAP, "responsible": "", "progress": "250", "start_date": "mañana"}
    page = editor.post("/stl/compromisos/nuevo", data={**data, "csrf_token": editor.csrf})  # type: ignore[attr-defined]
    assert page.status_code == 400
    assert "Una fecha no es válida" in page.text and 'value="Horarios de recolección publicados"' in page.text
    with session_scope(engine) as s:
        assert s.scalar(select(Commitment)) is None


def test_updating_progress(engine: Engine, editor: TestClient) -> None:
    editor.post("/stl/compromisos/nuevo", data={**ROAD_MAP, "csrf_token": editor.csrf})  # type: ignore[attr-defined]
    with session_scope(engine) as s:
        commitment_id = s.scalar(select(Commitment.id))
    editor.post(f"/stl/compromisos/{commitment_id}", data={**ROAD_MAP, "progress": "80",
                                                           "csrf_token": editor.csrf})  # type: ignore[attr-defined]
    with session_scope(engine) as s:
        assert s.scalar(select(Commitment.progress)) == 80


def test_a_reviewer_reads_commitments_without_the_form(engine: Engine, editor: TestClient,
                                                       reviewer: TestClient) -> None:
    editor.post("/stl/compromisos/nuevo", data={**ROAD_MAP, "csrf_token": editor.csrf})  # type: ignore[attr-defined]
    with session_scope(engine) as s:
        commitment_id = s.scalar(select(Commitment.id))
    page = reviewer.get(f"/stl/compromisos/{commitment_id}")
    assert page.status_code == 200 and "Dirección de Servicios (prueba)" in page.text
    assert 'name="title"' not in page.text and "Nuevo compromiso" not in reviewer.get("/stl/compromisos").text
