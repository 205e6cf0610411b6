"""The charts page: every chart is an accessible SVG with its numbers in a table."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.proposals import service as svc
from tests.web.conftest import add_proposal


def test_the_dashboard_draws_every_chart_with_title_description_and_table(engine: Engine,
                                                                           reviewer: TestClient) -> None:
    a = add_proposal(engine, theme="movilidad", municipality=("15033", "Ecatepec de Morelos"))
    add_proposal(engine, theme="seguridad", municipality=("15041", "Ixtapan del Oro"))
    svc.adhere(a.folio or "", "tg-apoyo", engine)
    html = reviewer.get("/stl").text
    for chart_id in ("por-tema", "por-municipio", "mapa", "estado-en-el-tiempo", "adhesiones"):
        figure = re.search(rf'<figure class="chart[^"]*" id="{chart_id}">(.*?)</figure>', html, re.S)
        assert figure, chart_id
        body = figure.group(1)
        assert f'aria-labelledby="{chart_id}-t {chart_id}-d"' in body and "<table>" in body, chart_id
    assert "Ecatepec de Morelos" in html
    # Municipal boundaries (INEGI): Ixtapan del Oro, whose seat has no coordinates, is drawn too,
    # and leads to its proposals.
    assert ('href="/stl/propuestas?municipio=Ixtapan+del+Oro" aria-label="Ixtapan del Oro: 1 propuesta"'
            in html)
    assert "Mapa de grupos por municipio" in html
    assert f'href="/stl/propuestas/{a.folio}"' in html  # most supported


def test_the_dashboard_of_an_empty_database_says_there_is_no_data_yet(reviewer: TestClient) -> None:
    page = reviewer.get("/stl")
    assert page.status_code == 200 and "Todavía no hay datos para esta gráfica." in page.text
