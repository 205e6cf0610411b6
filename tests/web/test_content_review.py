"""The STL sees which FAQ answers are due for review, and where to edit them."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient


def test_a_reviewer_sees_the_answers_due_oldest_first(stale_content: Path,
                                                      reviewer: TestClient) -> None:
    page = reviewer.get("/stl/contenido")
    assert page.status_code == 200
    text = page.text
    assert text.index("<code>saimex</code>") < text.index("<code>ipomex</code>")
    assert "content/faq/acceso_informacion.yml" in text or "content/faq/transparencia.yml" in text
    assert "<code>que_es_gobierno_abierto</code>" not in text
    assert "2 respuestas por revisar" in " ".join(reviewer.get("/stl").text.split()).replace(
        "<strong>", "").replace("</strong>", "")


def test_when_all_is_current_the_page_says_so(reviewer: TestClient) -> None:
    page = reviewer.get("/stl/contenido")
    assert page.status_code == 200 and "Todas las respuestas están al día." in page.text


def test_broken_content_is_reported_not_a_crash(stale_content: Path, reviewer: TestClient) -> None:
    (stale_content / "faq" / "topics.yml").write_text("- id: [roto\n", "utf-8")
    page = reviewer.get("/stl/contenido")
    assert page.status_code == 200 and "El contenido tiene un error" in page.text
    assert "El contenido tiene un error" in reviewer.get("/stl").text


def test_the_list_needs_a_login(anonymous: TestClient) -> None:
    page = anonymous.get("/stl/contenido", follow_redirects=False)
    assert page.status_code in (302, 303) and "/login" in page.headers["location"]
