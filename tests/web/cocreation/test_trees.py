"""The merged tree pages: one group, all groups to print, CSV/JSON export safe and anonymised."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.accounts import audit
from bot.proposals import review
from tests.web.conftest import add_proposal


def _group(engine: Engine) -> int:
    rows = [("Las calles están oscuras", "Falta de alumbrado; =HYPERLINK(\"http://x\")", "Asaltos"),
            ("No se ve nada de noche", "No hay alumbrado público", "Asaltos en la noche"),
            ("El parque está oscuro", "Poco alumbrado. Llamen al 55 1234 5678", "<script>alert(1)</script>")]
    group_id = 0
    for problem, causes, effects in rows:
        folio = add_proposal(engine, theme="seguridad", problem=problem, causes=causes, effects=effects,
                             solution="Reparar las luminarias").folio or ""
        group_id = review.group(folio, "Alumbrado en la colonia", "revisora", engine).id
    add_proposal(engine, problem="Basura en la esquina", causes="No pasa el camión")  # not in the group
    return group_id


def test_the_tree_page_counts_people_per_merged_phrase(engine: Engine, reviewer: TestClient) -> None:
    group_id = _group(engine)
    groups = reviewer.get("/stl/grupos").text
    assert f'href="/stl/grupos/{group_id}/arbol"' in groups and 'href="/stl/grupos/arboles"' in groups
    page = reviewer.get(f"/stl/grupos/{group_id}/arbol")
    assert page.status_code == 200
    html = page.text
    assert "Árbol de problemas: Alumbrado en la colonia" in html
    assert "3 personas lo mencionan" in html  # the three ways of saying "no light"
    assert "3 propuestas · 3 personas · Toluca (3)" in html
    assert "Reparar las luminarias" in html and "No pasa el camión" not in html
    assert "5678" not in html and "[teléfono]" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'class="tree-page"' in html and "@media print" in reviewer.get("/static/participa.css").text
    assert reviewer.get("/stl/grupos/999999/arbol").status_code == 404


def test_all_trees_print_one_per_group(engine: Engine, reviewer: TestClient) -> None:
    assert "Todavía no hay grupos con propuestas." in reviewer.get("/stl/grupos/arboles").text
    _group(engine)
    folio = add_proposal(engine, problem="Baches en la avenida", theme="movilidad").folio or ""
    review.group(folio, "Baches", "revisora", engine)
    html = reviewer.get("/stl/grupos/arboles").text
    assert html.count('<article class="tree-page"') == 2
    assert html.index("Árbol de problemas: Alumbrado") < html.index("Árbol de problemas: Baches")


def test_csv_and_json_exports_are_anonymised_and_spreadsheet_safe(engine: Engine,
                                                                   reviewer: TestClient) -> None:
    group_id = _group(engine)
    response = reviewer.get(f"/stl/grupos/{group_id}/arbol.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert f"arbol-grupo-{group_id}-" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    causes = [r for r in rows if r["rama"] == "causa"]
    assert causes[0]["personas"] == "3" and "alumbrado" in causes[0]["texto"].lower()
    assert any(r["texto"].startswith("'=HYPERLINK") for r in rows)  # the formula guard
    assert "5678" not in response.text and all("tg-" not in v for r in rows for v in r.values())
    data = json.loads(reviewer.get(f"/stl/grupos/{group_id}/arbol.json").content)
    assert data["grupo"] == "Alumbrado en la colonia" and data["propuestas"] == 3
    assert data["municipios"] == {"Toluca": 3}
    assert {r["rama"] for r in data["datos"]} >= {"problema", "causa", "efecto", "solucion"}
    assert reviewer.get(f"/stl/grupos/{group_id}/arbol.xml").status_code == 404
    assert sum(e.action == "export_tree" for e in audit.events(engine=engine)) == 2


def test_anonymous_people_cannot_see_or_export_trees(engine: Engine, anonymous: TestClient) -> None:
    group_id = _group(engine)
    assert anonymous.get(f"/stl/grupos/{group_id}/arbol", follow_redirects=False).status_code in (302, 303)
    export = anonymous.get(f"/stl/grupos/{group_id}/arbol.csv", follow_redirects=False)
    assert export.status_code in (302, 303)
