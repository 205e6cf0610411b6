"""The dashboard and the board in a real browser: Playwright driving Debian's headless Chromium.

The app runs on a free loopback port (uvicorn in a thread) against the test database,
SQLite file and PostgreSQL. Without Chromium the tests are skipped locally (install it with
``apt-get install -y chromium``; ``make setup`` does) and fail in CI.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.accounts import service as accounts
from bot.proposals import service as svc
from bot.rasa.servers import free_port
from bot.storage.db import session_scope
from bot.storage.models import Notification
from bot.web import create_app
from bot.web.server import in_background
from tests.web.conftest import PASSWORD, add_proposal

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Falta chromium (apt-get install -y chromium)")
        pytest.skip("chromium no está instalado (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def site(engine: Engine) -> Iterator[str]:
    with in_background(create_app(engine), free_port()) as base:
        yield base


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  locale="es-MX")
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def log_in(page, site: str, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/login")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()


def test_login_with_the_keyboard_and_a_wrong_password_first(engine: Engine, site: str, page) -> None:  # type: ignore[no-untyped-def]
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    page.goto(site + "/stl/propuestas")
    assert page.url.startswith(site + "/login?siguiente=")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Saltar al contenido"
    page.get_by_label("Usuario").fill("revisora")
    page.get_by_label("Contraseña").fill("no-es-la-contrasena")
    page.keyboard.press("Enter")
    assert page.get_by_role("alert").inner_text() == "Usuario o contraseña incorrectos."
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/stl/propuestas")
    assert page.get_by_role("heading", level=1).inner_text() == "Propuestas"
    page.get_by_role("button", name="Cerrar sesión").click()
    page.goto(site + "/stl")
    assert "/login" in page.url


def test_filters_narrow_the_list(engine: Engine, site: str, page) -> None:  # type: ignore[no-untyped-def]
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    bache = add_proposal(engine, theme="movilidad", problem="Bache enorme frente a la escuela")
    luz = add_proposal(engine, theme="seguridad", problem="Calle oscura sin luminarias",
                       municipality=("15033", "Ecatepec de Morelos"))
    add_proposal(engine, theme="movilidad", problem="La combi no respeta los horarios")
    log_in(page, site, "revisora")
    page.goto(site + "/stl/propuestas")
    assert page.get_by_role("status").first.inner_text() == "3 propuestas con estos filtros."
    page.get_by_label("Tema").select_option(label="Movilidad")
    page.get_by_label("Texto en el problema o la solución").fill("bache")
    page.get_by_role("button", name="Filtrar").click()
    assert page.get_by_role("status").first.inner_text() == "1 propuesta con estos filtros."
    assert page.get_by_role("link", name=bache.folio).is_visible()
    page.get_by_role("link", name="Quitar filtros").click()
    page.get_by_label("Municipio").fill("Ecatepec")
    page.get_by_role("button", name="Filtrar").click()
    rows = page.locator("table.proposals tbody tr")
    assert rows.count() == 1 and luz.folio in rows.first.inner_text()


def test_a_status_change_notifies_the_author_who_consented(engine: Engine, site: str, page) -> None:  # type: ignore[no-untyped-def]
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    told = add_proposal(engine, consent=True, sender="tg-quiere-avisos")
    silent = add_proposal(engine, consent=False, sender="tg-sin-avisos")
    log_in(page, site, "revisora")
    for p in (told, silent):
        page.goto(f"{site}/stl/propuestas/{p.folio}")
        page.get_by_label("Nuevo estado").select_option("turnada")
        note = page.get_by_label("Nota para la persona (obligatoria si no procede)")
        note.fill("Va a la mesa de medio ambiente")
        page.get_by_role("button", name="Guardar estado").click()
        assert "El estado cambió" in page.get_by_role("status").first.inner_text()
        assert svc.get(p.folio or "", engine).status == "turnada"  # type: ignore[union-attr]
    with session_scope(engine) as s:
        sent = s.scalars(select(Notification)).all()
    assert [n.address for n in sent] == ["tg-quiere-avisos"]
    assert "Turnada a mesa de cocreación" in sent[0].text and "Va a la mesa de medio ambiente" in sent[0].text


def test_export_downloads_an_anonymised_file(engine: Engine, site: str, page) -> None:  # type: ignore[no-untyped-def]
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    add_proposal(engine, consent=True, theme="movilidad", problem="Baches en la avenida principal")
    add_proposal(engine, theme="seguridad")
    log_in(page, site, "revisora")
    page.goto(site + "/stl/propuestas?tema=movilidad")
    page.get_by_label("Formato").select_option("json")
    assert page.get_by_label("Incluir datos de contacto", exact=False).count() == 0, "reviewers cannot"
    with page.expect_download() as info:
        page.get_by_role("button", name="Descargar").click()
    download = info.value
    name = download.suggested_filename
    assert name.startswith("propuestas-") and name.endswith(".json")
    rows = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert [r["problema"] for r in rows] == ["Baches en la avenida principal"]
    assert "contacto" not in rows[0] and "persona@example.org" not in json.dumps(rows)


def test_script_in_a_proposal_never_runs(engine: Engine, site: str, page) -> None:  # type: ignore[no-untyped-def]
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    p = add_proposal(engine, problem='Baches <script>alert("xss")</script><img src=x onerror=alert(2)>')
    log_in(page, site, "revisora")
    page.goto(f"{site}/stl/propuestas/{p.folio}")
    page.goto(site + "/stl/propuestas")
    assert page.dialogs == []
    assert '<script>alert("xss")</script>' in page.locator("td.problem").first.inner_text()


def test_the_public_board_without_login(engine: Engine, site: str, page) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from bot.proposals import commitments

    p = add_proposal(engine, theme="movilidad")
    saved = commitments.save(commitments.CommitmentData(
        title="Compromiso de prueba del navegador", theme="movilidad", responsible="Responsable de prueba",
        activities="Primera actividad\nSegunda actividad", start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31), progress=55, published=True), engine=engine)
    commitments.link(saved.id, p.folio or "", "stl", engine)
    page.goto(site + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tablero Público de Seguimiento"
    article = page.locator(f"#compromiso-{saved.id}")
    assert article.get_by_role("progressbar").get_attribute("value") == "55"
    assert not article.get_by_text("Segunda actividad").is_visible()
    article.get_by_text("Ver la hoja de ruta completa").click()
    assert article.get_by_text("Segunda actividad").is_visible()
    assert article.get_by_text("Responsable de prueba").is_visible()
    page.get_by_role("link", name="JSON").first.click()
    assert '"propuestas": 1' in page.content()


@pytest.mark.parametrize("path", ["/", "/login"])
def test_public_pages_fit_a_phone_screen(site: str, browser, path: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-MX")
    phone = context.new_page()
    phone.goto(site + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_dashboard_pages_fit_a_phone_screen(engine: Engine, site: str, browser) -> None:  # type: ignore[no-untyped-def]
    accounts.create_account("revisora", PASSWORD, "admin", engine)
    p = add_proposal(engine, theme="democracia", municipality=("15001", "Acambay de Ruíz Castañeda"))
    svc.adhere(p.folio or "", "tg-apoyo", engine)  # the most-supported table appears
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-MX")
    phone = context.new_page()
    log_in(phone, site, "revisora")
    for path in ("/stl", "/stl/propuestas", f"/stl/propuestas/{p.folio}", "/stl/compromisos/nuevo",
                 "/stl/cuentas"):
        phone.goto(site + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
    context.close()


def test_a_reviewer_finds_the_answers_due_for_review(engine: Engine, stale_content: Path,  # type: ignore[no-untyped-def]
                                                     site: str, page) -> None:
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    log_in(page, site, "revisora")
    page.get_by_role("link", name="2 respuestas por revisar").click()
    assert page.url == site + "/stl/contenido"
    assert page.get_by_role("heading", level=1).inner_text() == "Respuestas por revisar"
    rows = page.locator("#por-revisar tbody tr")
    assert rows.count() == 2
    assert "saimex" in rows.nth(0).inner_text() and "ipomex" in rows.nth(1).inner_text()
    assert page.get_by_role("link", name="Contenido", exact=True).get_attribute("aria-current") == "page"
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


class _LoopThread:
    """An asyncio loop in its own thread, for the async emulator and sender next to sync Playwright."""

    def __init__(self) -> None:
        import asyncio
        import threading

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: float = 60):  # type: ignore[no-untyped-def]
        import asyncio

        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


def test_an_editor_sends_a_campaign_and_watches_it_arrive(engine: Engine, site: str, page) -> None:  # type: ignore[no-untyped-def]
    from bot.campaigns import subscriptions
    from bot.campaigns.broadcast.botapi import BotApi
    from bot.campaigns.broadcast.sender import Sender, SenderConfig
    from tests.e2e.emulator import BotApiEmulator

    accounts.create_account("editora", PASSWORD, "editor", engine)
    chats = [930_001, 930_002, 930_003]
    for chat in chats + [930_004]:
        subscriptions.subscribe(chat, "convocatorias", engine)
    for chat in chats:
        subscriptions.set_municipality(chat, "15106", "Toluca", engine)
    subscriptions.set_municipality(930_004, "15033", "Ecatepec de Morelos", engine)
    subscriptions.subscribe(930_005, "contrataciones", engine)  # another topic: left out

    log_in(page, site, "editora")
    page.get_by_role("link", name="Campañas").click()
    page.get_by_role("link", name="Nueva campaña").click()
    page.get_by_label("Título (solo lo ven las personas editoras)").fill("Mesa de cocreación")
    page.get_by_label("Texto del mensaje").fill("*Mesa de cocreación* en Toluca <script>alert(1)</script>")
    page.get_by_label("Tema", exact=True).select_option(label="Convocatorias y eventos")
    page.get_by_label("Municipios (opcional, separados por comas)").fill("toluca")
    page.get_by_role("button", name="Guardar y ver la vista previa").click()
    preview = page.get_by_test_id("vista-previa")
    assert preview.locator("b").inner_text() == "Mesa de cocreación"
    assert "<script>alert(1)</script>" in preview.inner_text()
    assert page.locator("#audiencia").inner_text() == "3"
    page.get_by_role("button", name="Enviar ahora").click()
    assert page.locator('[data-count="pending"]').inner_text() == "3"
    assert page.get_by_role("link", name="Actualizar").is_visible()

    background = _LoopThread()
    emulator = background.run(_started_emulator(BotApiEmulator, chats + [930_004, 930_005]))
    try:
        campaign_id = int(page.url.split("/stl/campanas/")[1].split("?")[0])

        async def send() -> None:
            api = BotApi(emulator.token, emulator.base_url)
            try:
                async with Sender(SenderConfig("pruebas", lanes=2, rate=29.5, backoff_seconds=0.05),
                                  api, engine) as sender:
                    assert await sender.run_campaign(campaign_id)
            finally:
                await api.aclose()

        background.run(send())
        page.get_by_role("heading", name="Informe final").wait_for(timeout=20_000)  # the script reloads
        report = page.locator("dl.report")
        sent = report.locator("div").filter(has=page.get_by_text("Enviados", exact=True)).locator("dd")
        assert sent.inner_text() == "3"
        assert page.locator("#estado-campana").inner_text() == "terminada"
        assert sum(len(emulator.sent_to(chat)) for chat in chats + [930_004, 930_005]) == 3
        assert all(len(emulator.sent_to(chat)) == 1 for chat in chats)
        assert emulator.sent_to(chats[0])[0].params["text"].startswith(
            "<b>Mesa de cocreación</b> en Toluca &lt;script&gt;")
        assert page.dialogs == []
    finally:
        background.run(emulator.stop())
        background.close()


async def _started_emulator(factory, chats: list[int]):  # type: ignore[no-untyped-def]
    emulator = factory(rate_limit=30, per_chat_interval=1.0)
    await emulator.start()
    for chat in chats:
        emulator.add_chat(chat)
    return emulator


def test_campaign_pages_fit_a_phone_screen(engine: Engine, site: str, browser) -> None:  # type: ignore[no-untyped-def]
    from bot.campaigns import service as campaigns

    accounts.create_account("editora", PASSWORD, "editor", engine)
    campaign = campaigns.create(campaigns.CampaignDraft(
        title="Semana de Gobierno Abierto", text="*Del 1 al 5 de diciembre* " + "palabras " * 60,
        topic="convocatorias", created_by="editora", button_text="Ver el programa completo",
        button_url="https://example.org/" + "programa/" * 10), engine)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-MX")
    phone = context.new_page()
    log_in(phone, site, "editora")
    for path in ("/stl/campanas", "/stl/campanas/nueva", f"/stl/campanas/{campaign.id}", "/privacidad"):
        phone.goto(site + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
    context.close()
