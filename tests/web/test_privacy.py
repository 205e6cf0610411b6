"""The public /privacidad page: the bot's own notice, readable, with unverified facts marked."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from bot.privacy.notice import notice_text, privacy_content
from bot.web.privacy import notice_blocks


def test_anyone_can_read_the_notice(anonymous: TestClient) -> None:
    page = anonymous.get("/privacidad", follow_redirects=False)
    assert page.status_code == 200
    assert "Aviso de privacidad simplificado" in page.text
    assert f"versión {privacy_content().version}" in page.text
    assert "<li>" in page.text and "/mis_datos" in page.text
    assert 'href="/">Volver al Tablero Público de Seguimiento' in page.text
    assert "no-store" not in page.headers.get("cache-control", "")


def test_unverified_facts_are_marked_not_hidden(anonymous: TestClient) -> None:
    page = anonymous.get("/privacidad").text
    marked = re.findall(r'<mark class="pending">([^<]+)</mark>', page)
    assert marked and all("dato por confirmar" in m for m in marked)
    assert len(marked) == notice_text().count("dato por confirmar")
    assert "todavía no están confirmados" in page


def test_every_page_links_to_it(anonymous: TestClient, reviewer: TestClient) -> None:
    for client, path in ((anonymous, "/"), (anonymous, "/login"), (reviewer, "/stl"),
                         (anonymous, "/no-existe")):
        assert 'href="/privacidad"' in client.get(path).text, path


def test_the_chat_text_becomes_paragraphs_and_lists() -> None:
    title, blocks = notice_blocks("🔒 Aviso (versión 1)\n\nQué guardo:\n• uno\n• dos (dato por "
                                  "confirmar: x)\n\nFin.")
    assert title == "Aviso (versión 1)"
    assert [b.kind for b in blocks] == ["p", "ul", "p"]
    assert blocks[1].items[1] == [("dos ", False), ("(dato por confirmar: x)", True)]


def test_the_notice_in_english(anonymous: TestClient) -> None:
    page = anonymous.get("/privacidad?lang=en")
    assert page.status_code == 200 and 'lang="en"' in page.text


def test_the_web_page_names_the_telegram_chat_not_this_page(anonymous: TestClient) -> None:
    """A reader of the web page is not in «este chat»: the notice names her Telegram chat."""
    page = anonymous.get("/privacidad", follow_redirects=False)
    assert "este chat" not in page.text
    assert "tu chat de Telegram" in page.text
