"""«¿Responden?»: the public table per body, counts only (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.identity import person_key
from bot.inforequests import reminders, store
from bot.inforequests.deadlines import deadline
from bot.storage.db import session_scope
from bot.storage.models import InfoRequest


def _request(engine: Engine, sender: str, folio: str, body: str, filed: dt.date,
             outcome: str | None = None) -> None:
    store.save(person_key(sender), body, folio, filed, deadline(filed, body), engine, 1)
    if outcome:
        with session_scope(engine) as session:
            row = session.query(InfoRequest).filter_by(folio=folio).one()
            reminders.record_outcome(row.id, person_key(sender), outcome, engine)


def test_counts_per_body_and_outcome_without_folios(engine: Engine, anonymous: TestClient) -> None:
    old, recent = dt.date(2026, 1, 5), dt.date.today()
    _request(engine, "tg-1", "FOLIO-SECRETO-1", "mun:15033", old, "respondida_completa")
    _request(engine, "tg-2", "FOLIO-SECRETO-2", "mun:15033", old, "sin_respuesta")
    _request(engine, "tg-3", "FOLIO-SECRETO-3", "mun:15033", recent)
    _request(engine, "tg-4", "FOLIO-SECRETO-4", "edo:fiscalia", old, "respondida_incompleta")
    page = anonymous.get("/solicitudes")
    assert page.status_code == 200
    assert "Ayuntamiento de Ecatepec de Morelos" in page.text and "Fiscalía General" in page.text
    assert "FOLIO-SECRETO" not in page.text
    data = json.loads(anonymous.get("/datos/solicitudes.json").text)["datos"]
    assert data[0] == {"institucion": "Ayuntamiento de Ecatepec de Morelos", "solicitudes": 3,
                       "respondidas_completas": 1, "respondidas_incompletas": 0, "sin_respuesta": 1,
                       "en_plazo": 1, "sin_dato": 0}
    assert data[1]["respondidas_incompletas"] == 1
    csv_text = anonymous.get("/datos/solicitudes.csv").text
    assert "institucion,solicitudes" in csv_text and "FOLIO-SECRETO" not in csv_text
    assert '<a href="/solicitudes">' in anonymous.get("/").text


def test_an_empty_table_and_an_unknown_format(anonymous: TestClient) -> None:
    assert "Todavía nadie ha seguido una solicitud" in anonymous.get("/solicitudes").text
    assert anonymous.get("/datos/solicitudes.xml").status_code == 404


def test_the_stl_dashboard_links_to_the_table(reviewer: TestClient) -> None:
    assert '<a href="/solicitudes">' in reviewer.get("/stl").text
