"""Campaign pages: compose with validation, preview (inert script), send, schedule, cancel, progress."""

from __future__ import annotations

import re
import threading

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.accounts import audit
from bot.campaigns import service as campaigns
from bot.campaigns import subscriptions
from bot.campaigns.safe_html import telegram_html
from bot.storage.db import session_scope
from bot.storage.models import Campaign, Delivery

TOLUCA = ("15106", "Toluca")
TAG_RE = re.compile(r"<[^>]*>")
SAFE_LINK_RE = re.compile(r'<a href="https://x\.org" rel="noopener noreferrer">')
INJECTED = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def subscribers(engine: Engine, chats: list[int], topic: str = "convocatorias",
                municipality: tuple[str, str] | None = TOLUCA) -> None:
    for chat in chats:
        subscriptions.subscribe(chat, topic, engine)
        subscriptions.set_municipality(chat, *(municipality or (None, None)), engine=engine)


def compose(client: TestClient, **changes: str):  # type: ignore[no-untyped-def]
    data = {"title": "Mesa de cocreación en Toluca", "text": "*Te esperamos* el sábado.",
            "topic": "convocatorias", "municipalities": "Toluca", "image": "", "button_text": "",
            "button_url": "", "at": "", "csrf_token": client.csrf}  # type: ignore[attr-defined]
    data.update(changes)
    return client.post("/stl/campanas/nueva", data=data)


def stored(engine: Engine) -> list[Campaign]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Campaign)))


def test_an_editor_composes_previews_and_sends(engine: Engine, editor: TestClient) -> None:
    subscribers(engine, [501, 502, 503])
    subscribers(engine, [504], municipality=("15033", "Ecatepec de Morelos"))
    page = compose(editor, button_text="Inscríbete", button_url="https://example.org/mesa")
    assert page.status_code == 200 and page.url.path.startswith("/stl/campanas/")
    assert "quedó guardada como borrador" in page.text
    assert "<b>Te esperamos</b> el sábado." in page.text
    assert 'href="https://example.org/mesa"' in page.text and "Inscríbete" in page.text
    assert 'id="audiencia">3<' in page.text, "Toluca only"
    assert "no tienen un chat de Telegram asociado" in page.text
    [campaign] = stored(engine)
    assert campaign.municipalities == ["15106"] and campaign.status == "draft"

    sent = editor.post(f"/stl/campanas/{campaign.id}/enviar", data={"csrf_token": editor.csrf})  # type: ignore[attr-defined]
    assert sent.status_code == 200 and "lista de envío" in sent.text
    assert "participa serve" in sent.text and "Actualizar" in sent.text
    assert "/static/campaign-progress.js" in sent.text
    assert campaigns.progress(campaign.id, engine)["pending"] == 3
    progress = editor.get(f"/stl/campanas/{campaign.id}/progreso.json").json()
    assert (progress["status"], progress["total"], progress["pending"], progress["sent"]) == (
        "sending", 3, 3, 0)
    again = editor.post(f"/stl/campanas/{campaign.id}/enviar", data={"csrf_token": editor.csrf})  # type: ignore[attr-defined]
    assert again.status_code == 400 and "ya está" in again.text
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Delivery)) == 3
    actions = [e.action for e in audit.events(target=f"campaña-{campaign.id}", engine=engine)]
    assert actions == ["campaign_send", "campaign_create"]
    listing = editor.get("/stl/campanas")
    assert "Mesa de cocreación en Toluca" in listing.text and "0 enviados de 3" in listing.text


def test_the_final_report_when_done(engine: Engine, editor: TestClient) -> None:
    subscribers(engine, [601, 602])
    campaign_id = compose(editor).url.path.rsplit("/", 1)[1]
    campaigns.start(int(campaign_id), engine)
    with session_scope(engine) as s:
        first, second = s.scalars(select(Delivery).order_by(Delivery.id)).all()
        first.state, second.state = "sent", "blocked"
        first.finished_at = second.finished_at = campaigns.utcnow()
    assert campaigns.finish_if_complete(int(campaign_id), engine)
    page = editor.get(f"/stl/campanas/{campaign_id}")
    assert "Informe final" in page.text and "terminada" in page.text
    assert "campaign-progress.js" not in page.text and "Actualizar" not in page.text
    assert editor.get(f"/stl/campanas/{campaign_id}/progreso.json").json()["finished"] is True


def test_validation_errors_re_render_the_form_in_spanish(engine: Engine, editor: TestClient) -> None:
    cases = [
        ({"text": ""}, "El texto de la campaña está vacío."),
        ({"topic": "inventado"}, "No existe el tema «inventado»"),
        ({"municipalities": "Ciudad Gótica"}, "No reconozco el municipio «Ciudad Gótica»"),
        ({"button_text": "Ver"}, "El botón necesita su texto y su enlace"),
        ({"button_text": "Ver", "button_url": "javascript:alert(1)"}, "debe empezar con https://"),
        ({"image": "ftp://example.org/x.png"}, "La imagen debe ser una dirección https://"),
        ({"text": "🗳️" * 2100}, "Telegram acepta hasta 4,096"),
        ({"at": "2001-01-01T10:00"}, "ya pasó"),
        ({"title": ""}, "Falta el título"),
    ]
    for changes, message in cases:
        page = compose(editor, **changes)
        assert page.status_code == 400, changes
        assert message in page.text, (changes, page.text[-3000:])
        assert 'role="alert"' in page.text
    kept = compose(editor, municipalities="Ciudad Gótica", text="Texto que no se pierde")
    assert "Texto que no se pierde" in kept.text and 'value="Ciudad Gótica"' in kept.text
    assert stored(engine) == []


def test_schedule_and_cancel(engine: Engine, editor: TestClient) -> None:
    subscribers(engine, [701])
    path = compose(editor).url.path
    bad = editor.post(path + "/programar", data={"at": "mañana", "csrf_token": editor.csrf})  # type: ignore[attr-defined]
    assert bad.status_code == 400 and "No entiendo la fecha" in bad.text
    ok = editor.post(path + "/programar", data={"at": "2099-12-01T10:00", "csrf_token": editor.csrf})  # type: ignore[attr-defined]
    assert "quedó programada" in ok.text and "2099-12-01 10:00" in ok.text
    [campaign] = stored(engine)
    assert campaign.status == "scheduled" and campaign.scheduled_at is not None
    assert campaign.scheduled_at.hour == 16, "10:00 in Mexico City is 16:00 UTC"
    cancelled = editor.post(path + "/cancelar", data={"csrf_token": editor.csrf})  # type: ignore[attr-defined]
    assert "quedó cancelada" in cancelled.text
    assert stored(engine)[0].status == "cancelled"
    refused = editor.post(path + "/enviar", data={"csrf_token": editor.csrf})  # type: ignore[attr-defined]
    assert refused.status_code == 400 and "cancelada" in refused.text
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Delivery)) == 0


def test_script_in_campaign_text_is_inert_in_the_preview_and_escaped_for_telegram(
        engine: Engine, editor: TestClient) -> None:
    page = compose(editor, text=f"Hola {INJECTED} *fin*", title=f"Título {INJECTED}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(" in page.text and "<b>fin</b>" in page.text
    [campaign] = stored(engine)
    sent_html = campaigns.formatted(campaign).html
    assert sent_html.startswith("Hola &lt;script&gt;alert(") and "<script" not in sent_html
    assert "<script>alert" not in editor.get("/stl/campanas").text


def test_the_allow_list_keeps_only_bold_italic_and_web_links() -> None:
    assert str(telegram_html('<b>a</b> <i>b</i> <a href="https://x.org/p?a=1&amp;b=2">c</a>')) == (
        '<b>a</b> <i>b</i> <a href="https://x.org/p?a=1&amp;b=2" rel="noopener noreferrer">c</a>')
    for evil in ('<script>alert(1)</script>', '<a href="javascript:alert(1)">x</a>',
                 '<b onclick="alert(1)">x</b>', '<img src=x onerror=alert(1)>',
                 '<a href="https://x.org" onmouseover="alert(1)">x</a>',
                 '<svg/onload=alert(1)>', '<!--<script>-->', '<b>unclosed'):
        tags = TAG_RE.findall(str(telegram_html(evil)))
        assert all(tag in ("<b>", "</b>", "</a>") or SAFE_LINK_RE.fullmatch(tag) for tag in tags), evil
    assert str(telegram_html('<a href="javascript:alert(1)">x</a>')).startswith("&lt;a href=")
    assert str(telegram_html("<b>unclosed")) == "<b>unclosed</b>"


def test_guessing_campaign_ids_gives_nothing(engine: Engine, editor: TestClient) -> None:
    for path in ("/stl/campanas/999999", "/stl/campanas/abc", "/stl/campanas/1%20OR%201=1",
                 "/stl/campanas/999999/progreso.json", "/stl/campanas/0"):
        assert editor.get(path).status_code == 404, path
    missing = editor.post("/stl/campanas/999999/enviar", data={"csrf_token": editor.csrf})  # type: ignore[attr-defined]
    assert missing.status_code == 404


def test_the_nav_shows_campaigns_to_editors_only(editor: TestClient, reviewer: TestClient) -> None:
    assert 'href="/stl/campanas"' in editor.get("/stl").text
    assert 'href="/stl/campanas"' not in reviewer.get("/stl").text


def test_twelve_quick_clicks_on_send_now_write_one_audit_entry(engine: Engine, editor: TestClient) -> None:
    subscribers(engine, [701, 702])
    campaign_id = compose(editor).url.path.rsplit("/", 1)[1]
    gate = threading.Barrier(12)
    codes: list[int] = []

    def click() -> None:
        gate.wait()
        codes.append(editor.post(f"/stl/campanas/{campaign_id}/enviar", data={"csrf_token": editor.csrf},  # type: ignore[attr-defined]
                                 follow_redirects=False).status_code)

    clicks = [threading.Thread(target=click) for _ in range(12)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    assert len(codes) == 12 and all(code in (303, 400) for code in codes), codes
    actions = [e.action for e in audit.events(target=f"campaña-{campaign_id}", engine=engine)]
    assert actions == ["campaign_send", "campaign_create"]
    assert campaigns.progress(int(campaign_id), engine)["pending"] == 2
