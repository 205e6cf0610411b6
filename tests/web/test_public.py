"""The public tracking board and its open data: no login, only counts and published commitments."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.proposals import commitments
from bot.proposals import service as svc
from tests.web.conftest import add_proposal


def _published(engine: Engine, title: str = "Calendario público de bacheo (prueba)") -> int:
    return commitments.save(commitments.CommitmentData(
        title=title, theme="movilidad", responsible="Dirección de prueba",
        co_responsible="Colectivo de prueba",
        activities="Inventario\nCalendario", final_result="Calendario cumplido", products="Calendario",
        indicators="Baches atendidos", verification="Informes", start_date=dt.date(2026, 2, 1),
        end_date=dt.date(2026, 10, 31), progress=40, published=True), engine=engine).id


def test_the_board_shows_counts_and_commitments_without_any_proposal_text(engine: Engine,
                                                                         anonymous: TestClient) -> None:
    p = add_proposal(engine, problem="Texto que solo ve el STL 4411", consent=True, theme="movilidad")
    add_proposal(engine, theme="seguridad", municipality=("15033", "Ecatepec de Morelos"))
    svc.set_status(p.folio or "", "turnada", "stl", engine=engine)
    commitment_id = _published(engine)
    commitments.link(commitment_id, p.folio or "", "stl", engine)
    page = anonymous.get("/")
    assert page.status_code == 200
    text = page.text
    assert "Tablero Público de Seguimiento" in text
    assert "Texto que solo ve el STL 4411" not in text and "persona@example.org" not in text
    assert "Calendario público de bacheo (prueba)" in text and "Dirección de prueba" in text
    assert 'value="40"' in text and "Colectivo de prueba" in text
    assert "Ecatepec de Morelos" in text  # the top-15 municipalities chart
    assert "Integrada en un compromiso" in text


def test_the_board_works_on_an_empty_database(anonymous: TestClient) -> None:
    page = anonymous.get("/")
    assert page.status_code == 200 and "Todavía no hay compromisos publicados" in page.text


def test_open_data_counts_are_downloadable_as_csv_and_json(engine: Engine, anonymous: TestClient) -> None:
    add_proposal(engine, problem="Texto privado 9921", theme="movilidad")
    add_proposal(engine, theme="movilidad")
    as_csv = anonymous.get("/datos/propuestas.csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows == [{"tema": "movilidad", "tema_nombre": "Movilidad", "clave_municipio": "15106",
                     "municipio": "Toluca", "estado": "recibida", "estado_nombre": "Recibida",
                     "propuestas": "2"}]
    as_json = anonymous.get("/datos/propuestas.json").json()
    assert as_json["datos"][0]["propuestas"] == 2 and "generado" in as_json
    assert "Texto privado 9921" not in as_csv.text + json.dumps(as_json)


def test_commitments_open_data_carries_the_whole_road_map(engine: Engine, anonymous: TestClient) -> None:
    commitment_id = _published(engine)
    commitments.save(commitments.CommitmentData(title="Borrador", theme="democracia"), engine=engine)
    data = anonymous.get("/datos/compromisos.json").json()["datos"]
    assert [c["id"] for c in data] == [commitment_id]
    c = data[0]
    assert c["responsable"] == "Dirección de prueba" and c["corresponsable"] == "Colectivo de prueba"
    assert c["actividades"] == ["Inventario", "Calendario"] and c["productos"] == ["Calendario"]
    assert c["indicadores"] == ["Baches atendidos"] and c["medios_verificacion"] == ["Informes"]
    assert (c["fecha_inicio"], c["fecha_conclusion"]) == ("2026-02-01", "2026-10-31")
    assert c["avance_porcentaje"] == 40
    as_csv = anonymous.get("/datos/compromisos.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert rows[0]["actividades"] == "Inventario; Calendario"
    assert rows[0]["resultado_final"] == "Calendario cumplido"


def test_unknown_open_data_formats_are_not_found(anonymous: TestClient) -> None:
    assert anonymous.get("/datos/propuestas.xml").status_code == 404
    assert anonymous.get("/datos/otra-cosa.json").status_code == 404
