"""The public record page, its link on the board, and the reviewer's public note and date."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.proposals import public_record
from tests.web.conftest import add_proposal, csrf_of


def test_a_record_is_public_only_after_its_author_opted_in(engine: Engine, anonymous: TestClient) -> None:
    p = add_proposal(engine, problem="Bache frente al 7221234567", sender="tg-7001")
    folio = p.folio or ""
    assert anonymous.get(f"/propuestas/{folio}").status_code == 404
    assert folio not in anonymous.get("/").text
    public_record.opt_in(folio, "tg-7001", engine)
    page = anonymous.get(f"/propuestas/{folio}")
    assert page.status_code == 200 and f"Propuesta {folio}" in page.text
    assert "7221234567" not in page.text and "tg-7001" not in page.text
    assert f'href="/propuestas/{folio}"' in anonymous.get("/").text
    assert anonymous.get("/propuestas/P-2026-<b>").status_code == 404


def test_a_reviewer_writes_the_public_note_and_date(engine: Engine, reviewer: TestClient,
                                                    anonymous: TestClient) -> None:
    p = add_proposal(engine, sender="tg-7002")
    folio = p.folio or ""
    public_record.opt_in(folio, "tg-7002", engine)
    token = csrf_of(reviewer.get(f"/stl/propuestas/{folio}").text)
    bad = reviewer.post(f"/stl/propuestas/{folio}/publico",
                        data={"csrf_token": token, "nota_publica": "x", "fecha_esperada": "mañana"})
    assert "no es válida" in bad.text
    done = reviewer.post(f"/stl/propuestas/{folio}/publico", data={
        "csrf_token": token, "nota_publica": "Se revisa en la mesa de enero", "fecha_esperada": "2027-01-20"})
    assert done.status_code == 200 and "La nota pública y la fecha esperada quedaron guardadas." in done.text
    page = anonymous.get(f"/propuestas/{folio}").text
    assert "Se revisa en la mesa de enero" in page and "2027" in page
    forbidden = anonymous.post(f"/stl/propuestas/{folio}/publico",
                               data={"csrf_token": token, "nota_publica": "hack"})
    assert forbidden.status_code in (302, 303, 401, 403) or "/login" in str(forbidden.url)
