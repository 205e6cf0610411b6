"""The attention queue in a real browser (Playwright, Debian's Chromium), fed by the real core.

A citizen asks for a person through the conversation core; a reviewer sees the request with
its waiting time and the nav badge, reads the message, answers and closes. The reply is in the
outbox the Telegram channel delivers (tests/e2e/test_attention_telegram.py delivers it).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import Engine

from bot.accounts import service as accounts
from bot.attention import service
from bot.conversation.core import ConversationCore
from bot.conversation.replies import Turn
from tests.web.test_browser import browser, log_in, page, site  # noqa: F401  (fixtures)

SENDER = "tg-9090"


def say(core: ConversationCore, text: str) -> Turn:
    """One citizen message, on a thread of its own (Playwright's sync API owns this one's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, core.handle(SENDER, text, channel="telegram")).result()


def test_a_reviewer_answers_a_citizen_in_the_browser(engine: Engine, site: str, page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    core = ConversationCore(None, record_usage=False, engine=engine)
    say(core, "/hablar_persona")
    say(core, "/atencion_acepto")
    say(core, "No sé cómo pedir el presupuesto de mi municipio")
    assert say(core, "¿me ayudas?").replies == [], "the bot is quiet while the team attends"

    accounts.create_account("revisora", "una-contrasena-larga", "reviewer", engine)
    log_in(page, site, "revisora")
    badge = page.locator("#atencion-badge")
    assert badge.inner_text().startswith("1")
    page.get_by_role("navigation").get_by_role("link", name="Atención").click()
    row = page.get_by_role("row").filter(has_text="¿me ayudas?")
    assert "minuto" in row.inner_text()
    row.get_by_role("link").click()
    assert page.get_by_text("No sé cómo pedir el presupuesto de mi municipio").is_visible()
    page.get_by_label("Tu respuesta").fill("Hola, te ayudo: ¿de qué municipio?")
    page.get_by_role("button", name="Enviar respuesta").click()
    assert "quedó en la cola" in page.get_by_role("status").inner_text()
    [outgoing] = service.pending_outgoing(engine=engine)
    assert outgoing.text == "Hola, te ayudo: ¿de qué municipio?" and outgoing.address == SENDER

    page.get_by_label("Nota interna").fill("Se orientó sobre solicitudes de información")
    page.get_by_role("button", name="Cerrar conversación").click()
    assert "quedó cerrada" in page.get_by_role("status").inner_text()
    assert page.locator("#atencion-badge").count() == 0
    assert say(core, "¿me ayudas?").intent != "atencion_mensaje", "the bot is back"
