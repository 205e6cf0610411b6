"""The web speaks the visitor's language: ?lang=, then the lang cookie, then Accept-Language."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_spanish_by_default_english_when_the_browser_asks(anonymous: TestClient) -> None:
    spanish = anonymous.get("/")
    assert '<html lang="es-MX">' in spanish.text and "Tablero Público de Seguimiento" in spanish.text
    english = anonymous.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in english.text and "Public Tracking Board" in english.text
    assert english.headers["content-language"] == "en"


def test_a_chosen_language_is_remembered(anonymous: TestClient) -> None:
    chosen = anonymous.get("/login?lang=en")
    assert "Sign in to the STL dashboard" in chosen.text and "lang=en" in chosen.headers["set-cookie"]
    assert "Skip to content" in anonymous.get("/").text
    back = anonymous.get("/?lang=es_MX")
    assert "Saltar al contenido" in back.text


def test_reviewers_pages_and_status_labels_follow_the_language(reviewer: TestClient) -> None:
    page = reviewer.get("/stl/propuestas?lang=en")
    assert "Clear filters" in page.text and "0 proposals with these filters." in page.text
    assert '<option value="turnada">Sent to a co-creation table</option>' in page.text
