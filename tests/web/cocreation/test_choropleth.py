"""The choropleth: 125 real boundaries, classes by quantile, every municipality with data reachable."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.content.municipalities import municipality_index
from bot.web.cocreation import choropleth
from tests.web.conftest import add_proposal

UNIT = ("propuesta", "propuestas")


def test_every_municipality_has_a_boundary_that_fits_the_drawing() -> None:
    outline = choropleth.outline()
    assert len(outline.shapes) == 125
    assert {s.code for s in outline.shapes} == {m.code for m in municipality_index().municipalities}
    for shape in outline.shapes:
        assert shape.path.startswith("M") and shape.path.endswith("z"), shape.name
        x, y = (int(v) for v in shape.path[1:].split("l")[0].split(","))
        assert 0 <= x <= outline.width and 0 <= y <= outline.height
    assert sum(len(s.path) for s in outline.shapes) < 60_000  # light enough for a phone


def test_classes_are_quantiles_without_empty_classes() -> None:
    assert choropleth.breaks([]) == [] and choropleth.breaks([0, 0]) == []
    assert choropleth.breaks([3]) == [3]
    assert choropleth.breaks([1, 1, 1, 2, 5, 9, 40]) == [1, 2, 9, 40]
    assert choropleth._ranges([1, 2, 9, 40]) == ["1", "2", "3–9", "10–40"]


def test_municipalities_with_data_are_named_links_and_listed_in_the_table() -> None:
    html = str(choropleth.choropleth("m", "Mapa", {"15106": 12, "15033": 1, "15041": 0}, UNIT, "Propuestas"))
    assert html.count('class="map-area"') == 2 and html.count("<path") == 125
    assert '<a href="#m-15106" aria-label="Toluca: 12 propuestas" class="map-area">' in html
    assert 'aria-label="Ecatepec de Morelos: 1 propuesta"' in html
    assert '<tr id="m-15106"><th scope="row">Toluca</th><td>12</td></tr>' in html
    assert "Ixtapan del Oro</th>" not in html  # zero: drawn (hidden from screen readers), not listed
    assert re.search(r'fill="#7a1f3d"><title>Toluca: 12 propuestas</title>', html)
    assert "2 municipios de 125 tienen datos" in html and "INEGI, Marco Geoestadístico" in html
    linked = str(choropleth.choropleth("m", "Mapa", {"15106": 1}, UNIT, "Propuestas",
                                       link=lambda s: f"/x?m={s.name}&a=<b>"))
    assert 'href="/x?m=Toluca&amp;a=&lt;b&gt;"' in linked
    assert "Todavía no hay datos" in str(choropleth.choropleth("m", "Mapa", {}, UNIT, "Propuestas"))


def test_the_public_board_draws_the_map_of_proposals(engine: Engine, anonymous: TestClient) -> None:
    add_proposal(engine, municipality=("15058", "Nezahualcóyotl"))
    add_proposal(engine, municipality=("15058", "Nezahualcóyotl"))
    html = anonymous.get("/").text
    assert 'aria-label="Nezahualcóyotl: 2 propuestas"' in html and 'href="#mapa-15058"' in html
    assert '<tr id="mapa-15058"><th scope="row">Nezahualcóyotl</th><td>2</td></tr>' in html
    assert "No pasa el camión" not in html  # counts only, never the text
