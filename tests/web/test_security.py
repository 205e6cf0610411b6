"""Security of the dashboard: no anonymous access, CSRF, inert script, roles, opaque ids, sessions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.accounts import service as accounts
from bot.attention import service as attention
from bot.campaigns import service as campaigns_svc
from bot.config import Settings
from bot.proposals import commitments as commitments_svc
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import AttentionMessage, Campaign, Commitment, Notification, WebAccount
from bot.web import routes
from tests.web.conftest import PASSWORD, add_proposal, csrf_of, sign_in

SECRET_TEXT = "Texto privado de la persona 7781"
PUBLIC_PATHS = {"/", "/login", "/privacidad", "/datos/propuestas.{fmt:str}", "/datos/compromisos.{fmt:str}",
                "/solicitudes", "/datos/solicitudes.{fmt:str}",
                "/propuestas/{folio:str}"}  # a public record: 404 unless its author published it
INJECTED = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def _commitment(engine: Engine, published: bool = False, title: str = "Compromiso de prueba") -> int:
    return commitments_svc.save(commitments_svc.CommitmentData(
        title=title, theme="movilidad", responsible="Persona responsable de prueba",
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
        published=published), engine=engine).id


def _campaign(engine: Engine) -> int:
    return campaigns_svc.create(campaigns_svc.CampaignDraft(
        title="Campaña de prueba", text="Hola", topic="convocatorias", created_by="pruebas"), engine).id


def _private_requests(engine: Engine) -> list[tuple[str, str]]:
    """Every private route of the app with real ids filled in, for every method it accepts."""
    proposal = add_proposal(engine, problem=SECRET_TEXT)
    commitment_id = _commitment(engine)
    account = accounts.create_account("persona-x", PASSWORD, "reviewer", engine)
    campaign_id = _campaign(engine)
    attention_id = attention.open_request("tg-7781", engine).request_id
    attention.add_person_message(attention_id, SECRET_TEXT, engine)
    values = {"folio": proposal.folio, "commitment_id": commitment_id, "account_id": account.id,
              "campaign_id": campaign_id, "suggestion_id": 1, "request_id": attention_id,
              "group_id": 1, "fmt": "csv"}
    found = []
    for route in routes():
        if not isinstance(route, Route) or route.path in PUBLIC_PATHS:
            continue
        path = re.sub(r"{(\w+)(:\w+)?}", lambda m: str(values[m.group(1)]), route.path)
        found += [(method, path) for method in sorted(route.methods or ()) if method != "HEAD"]
    return found


def test_every_private_page_and_endpoint_refuses_anonymous_access(engine: Engine,
                                                                   anonymous: TestClient) -> None:
    requests = _private_requests(engine)
    assert len(requests) >= 27, "the list of private routes should cover the whole dashboard"
    assert ("POST", "/stl/campanas/nueva") in requests
    for method, path in requests:
        response = anonymous.request(method, path, data={"estado": "turnada", "nota": "x"},
                                     follow_redirects=False)
        if method == "GET":
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?siguiente="), path
        else:
            assert response.status_code == 401, (method, path)
        assert SECRET_TEXT not in response.text
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 0
        assert [p.status for p in svc.search(svc.Filters(), engine)] == ["recibida"]
        assert s.scalars(select(Campaign.status)).all() == ["draft"]
        assert s.scalar(select(func.count()).select_from(AttentionMessage)) == 1, "nothing queued"


def test_the_login_page_returns_to_the_page_asked_for_but_never_to_another_site(
        engine: Engine, anonymous: TestClient) -> None:
    accounts.create_account("ana", PASSWORD, "reviewer", engine)
    first = anonymous.get("/stl/propuestas?tema=movilidad", follow_redirects=True)
    assert first.url.path == "/login"
    token = csrf_of(first.text)
    ok = anonymous.post("/login", data={"usuario": "ana", "contrasena": PASSWORD, "csrf_token": token,
                                        "siguiente": "/stl/propuestas?tema=movilidad"},
                        follow_redirects=False)
    assert ok.headers["location"] == "/stl/propuestas?tema=movilidad"
    anonymous.cookies.clear()
    token = csrf_of(anonymous.get("/login").text)
    evil = anonymous.post("/login", data={"usuario": "ana", "contrasena": PASSWORD, "csrf_token": token,
                                          "siguiente": "//evil.example/robar"}, follow_redirects=False)
    assert evil.headers["location"] == "/stl"


def test_csrf_is_enforced_on_every_form(engine: Engine, reviewer: TestClient) -> None:
    p = add_proposal(engine, consent=True)
    url = f"/stl/propuestas/{p.folio}/estado"
    for data in ({"estado": "turnada"}, {"estado": "turnada", "csrf_token": "adivinado"},
                 {"estado": "turnada", "csrf_token": ""}):
        response = reviewer.post(url, data=data)
        assert response.status_code == 403
        assert "caducó" in response.text
    stored = svc.get(p.folio or "", engine)
    assert stored is not None and stored.status == "recibida"
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 0
    assert reviewer.post(url, data={"estado": "turnada", "csrf_token": reviewer.csrf}).status_code == 200  # type: ignore[attr-defined]
    assert svc.get(p.folio or "", engine).status == "turnada"  # type: ignore[union-attr]


def test_a_token_from_another_session_does_not_work(engine: Engine, app, reviewer: TestClient) -> None:  # type: ignore[no-untyped-def]
    p = add_proposal(engine)
    accounts.create_account("otra", PASSWORD, "reviewer", engine)
    with TestClient(app) as other:
        other_token = sign_in(other, "otra")
    response = reviewer.post(f"/stl/propuestas/{p.folio}/nota",
                             data={"nota": "hola", "csrf_token": other_token})
    assert response.status_code == 403


def test_login_form_needs_its_csrf_token(engine: Engine, anonymous: TestClient) -> None:
    accounts.create_account("ana", PASSWORD, "admin", engine)
    response = anonymous.post("/login", data={"usuario": "ana", "contrasena": PASSWORD},
                              follow_redirects=False)
    assert response.status_code == 403
    assert "participa_sesion" not in response.headers.get("set-cookie", "")


def test_script_in_proposal_text_renders_inert(engine: Engine, reviewer: TestClient) -> None:
    p = add_proposal(engine, problem=f"Baches {INJECTED}", causes=INJECTED, effects=INJECTED,
                     solution=INJECTED)
    reviewer.post(f"/stl/propuestas/{p.folio}/nota", data={"nota": INJECTED, "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    reviewer.post(f"/stl/propuestas/{p.folio}/grupo", data={"grupo": INJECTED, "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    for path in (f"/stl/propuestas/{p.folio}", "/stl/propuestas", "/stl/grupos"):
        page = reviewer.get(path)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, path
        assert "&lt;script&gt;alert(" in page.text, path
        assert "script-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.parametrize("method,path,data", [
    ("GET", "/stl/cuentas", {}),
    ("POST", "/stl/cuentas", {"usuario": "intrusa", "rol": "admin", "contrasena": "x" * 20}),
    ("GET", "/stl/bitacora", {}),
    ("GET", "/stl/compromisos/nuevo", {}),
    ("POST", "/stl/compromisos/nuevo", {"title": "Nuevo", "theme": "movilidad"}),
    ("GET", "/stl/propuestas/exportar?contacto=1", {}),
])
def test_a_reviewer_cannot_act_outside_their_role(engine: Engine, reviewer: TestClient, method: str,
                                                  path: str, data: dict[str, str]) -> None:
    add_proposal(engine, consent=True)
    if method == "POST":
        data = {**data, "csrf_token": reviewer.csrf}  # type: ignore[attr-defined]
    response = reviewer.request(method, path, data=data or None)
    assert response.status_code == 403
    assert "persona@example.org" not in response.text
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Commitment)) == 0
        assert s.scalar(select(WebAccount.id).where(WebAccount.username == "intrusa")) is None


def test_a_reviewer_gets_nothing_from_any_campaign_route(engine: Engine, reviewer: TestClient) -> None:
    campaign_id = _campaign(engine)
    campaign_routes = [(method, re.sub(r"{campaign_id}", str(campaign_id), route.path))
                       for route in routes() if isinstance(route, Route) and "/campanas" in route.path
                       for method in sorted(route.methods or ()) if method != "HEAD"]
    assert len(campaign_routes) == 8
    data = {"title": "Intrusa", "text": "Hola", "topic": "convocatorias", "at": "2099-01-01T10:00",
            "csrf_token": reviewer.csrf}  # type: ignore[attr-defined]
    for method, path in campaign_routes:
        response = reviewer.request(method, path, data=data if method == "POST" else None)
        assert response.status_code in (403, 404), (method, path)
        assert "Campaña de prueba" not in response.text
    with session_scope(engine) as s:
        assert s.scalars(select(Campaign.status)).all() == ["draft"]


def test_campaign_forms_need_their_csrf_token(engine: Engine, editor: TestClient) -> None:
    campaign_id = _campaign(engine)
    for path in (f"/stl/campanas/{campaign_id}/enviar", f"/stl/campanas/{campaign_id}/cancelar",
                 "/stl/campanas/nueva"):
        for token in (None, "adivinado"):
            data = {"title": "Otra", "text": "Hola", "topic": "convocatorias"}
            response = editor.post(path, data=data if token is None else {**data, "csrf_token": token})
            assert response.status_code == 403 and "caducó" in response.text, path
    with session_scope(engine) as s:
        assert s.scalars(select(Campaign.status)).all() == ["draft"]


def test_a_reviewer_cannot_link_proposals_to_commitments(engine: Engine, reviewer: TestClient) -> None:
    p = add_proposal(engine)
    commitment_id = _commitment(engine)
    response = reviewer.post(f"/stl/compromisos/{commitment_id}/propuestas",
                             data={"folio": p.folio, "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    assert response.status_code == 403
    assert svc.get(p.folio or "", engine).status == "recibida"  # type: ignore[union-attr]


def test_an_editor_cannot_manage_accounts_or_export_contacts(engine: Engine, editor: TestClient) -> None:
    add_proposal(engine, consent=True)
    assert editor.get("/stl/cuentas").status_code == 403
    assert editor.get("/stl/bitacora").status_code == 403
    export = editor.get("/stl/propuestas/exportar?formato=csv&contacto=1")
    assert export.status_code == 403 and "persona@example.org" not in export.text
    assert editor.get("/stl/compromisos/nuevo").status_code == 200


def test_guessing_ids_gives_nothing(engine: Engine, reviewer: TestClient, admin: TestClient,
                                    anonymous: TestClient) -> None:
    p = add_proposal(engine, problem=SECRET_TEXT)
    hidden = _commitment(engine, published=False, title="Borrador secreto del STL")
    for path in ("/stl/propuestas/P-2026-999999", "/stl/propuestas/1",
                 "/stl/propuestas/P-2026-000001%27%20OR%201=1", "/stl/compromisos/999999",
                 "/stl/compromisos/abc", f"/stl/compromisos/{hidden + 1}"):
        response = reviewer.get(path)
        assert response.status_code == 404, path
        assert SECRET_TEXT not in response.text
    missing = admin.post("/stl/cuentas/999999", data={"accion": "desactivar", "csrf_token": admin.csrf})  # type: ignore[attr-defined]
    assert missing.status_code == 404
    for path in ("/", "/datos/compromisos.json", "/datos/compromisos.csv", "/datos/propuestas.json"):
        public = anonymous.get(path)
        assert "Borrador secreto del STL" not in public.text and SECRET_TEXT not in public.text
        assert (p.folio or "") not in public.text


def test_logout_ends_the_session_everywhere(engine: Engine, reviewer: TestClient) -> None:
    stolen = dict(reviewer.cookies)
    assert reviewer.get("/stl/propuestas", follow_redirects=False).status_code == 200
    reviewer.post("/logout", data={"csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    reviewer.cookies.clear()
    for name, value in stolen.items():
        reviewer.cookies.set(name, value)
    assert reviewer.get("/stl/propuestas", follow_redirects=False).status_code == 303


def test_a_disabled_account_is_signed_out_at_once(engine: Engine, reviewer: TestClient,
                                                   admin: TestClient) -> None:
    with session_scope(engine) as s:
        account_id = s.scalar(select(WebAccount.id).where(WebAccount.username == reviewer.username))  # type: ignore[attr-defined]
    admin.post(f"/stl/cuentas/{account_id}", data={"accion": "desactivar", "csrf_token": admin.csrf})  # type: ignore[attr-defined]
    assert reviewer.get("/stl", follow_redirects=False).status_code == 303
    again = TestClient(reviewer.app)
    token = csrf_of(again.get("/login").text)
    refused = again.post("/login", data={"usuario": reviewer.username, "contrasena": PASSWORD,  # type: ignore[attr-defined]
                                         "csrf_token": token})
    assert refused.status_code == 400 and "incorrectos" in refused.text


def test_a_tampered_session_cookie_is_ignored(engine: Engine, reviewer: TestClient) -> None:
    value = reviewer.cookies["participa_sesion"]
    reviewer.cookies.set("participa_sesion", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert reviewer.get("/stl", follow_redirects=False).status_code == 303


def test_session_cookie_flags(engine: Engine, app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    accounts.create_account("ana", PASSWORD, "reviewer", engine)

    def cookie_after_login(base_url: str = "http://testserver") -> str:
        with TestClient(app, base_url=base_url) as client:
            token = csrf_of(client.get("/login").text)
            response = client.post("/login", data={"usuario": "ana", "contrasena": PASSWORD,
                                                   "csrf_token": token}, follow_redirects=False)
            cookies = response.headers.get_list("set-cookie")
            return next(v for v in cookies if v.startswith("participa_sesion="))

    plain = cookie_after_login().lower()
    assert "httponly" in plain and "samesite=lax" in plain and "secure" not in plain
    monkeypatch.setattr("bot.web.csrf.get_settings", lambda: Settings(public_url="https://participa.example"))
    assert "secure" in cookie_after_login("https://testserver").lower()


def test_private_pages_are_not_cached_and_cannot_be_framed(reviewer: TestClient) -> None:
    response = reviewer.get("/stl/propuestas")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_hsts_only_when_the_public_address_is_https(anonymous: TestClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert "strict-transport-security" not in anonymous.get("/").headers
    monkeypatch.setattr("bot.web.csrf.get_settings", lambda: Settings(public_url="https://participa.example"))
    for path in ("/", "/login", "/no-existe"):
        hsts = anonymous.get(path).headers.get("strict-transport-security", "")
        assert hsts.startswith("max-age=31536000"), path


def test_login_is_throttled_after_five_failures(engine: Engine, anonymous: TestClient) -> None:
    accounts.create_account("ana", PASSWORD, "reviewer", engine)
    token = csrf_of(anonymous.get("/login").text)

    def attempt(user: str, password: str) -> int:
        return anonymous.post("/login", data={"usuario": user, "contrasena": password, "csrf_token": token},
                              follow_redirects=False).status_code

    assert [attempt("ana", f"mala-{i}") for i in range(5)] == [400] * 5
    assert attempt("ana", PASSWORD) == 429, "the right password is refused while throttled"
    assert "participa_sesion" not in anonymous.cookies
    accounts.create_account("beto", PASSWORD, "reviewer", engine)
    assert attempt("beto", PASSWORD) == 429, "the same address is throttled for every username"


def test_failed_logins_say_nothing_about_which_part_was_wrong(engine: Engine, anonymous: TestClient) -> None:
    accounts.create_account("ana", PASSWORD, "reviewer", engine)
    token = csrf_of(anonymous.get("/login").text)
    unknown = anonymous.post("/login", data={"usuario": "nadie", "contrasena": PASSWORD, "csrf_token": token})
    wrong = anonymous.post("/login", data={"usuario": "ana", "contrasena": "otra-cosa", "csrf_token": token})
    assert unknown.status_code == wrong.status_code == 400
    for response in (unknown, wrong):
        assert "Usuario o contraseña incorrectos." in response.text


def test_a_huge_form_is_refused_without_a_crash(engine: Engine, reviewer: TestClient) -> None:
    p = add_proposal(engine)
    response = reviewer.post(f"/stl/propuestas/{p.folio}/nota",
                             data={"nota": "x" * 400_000, "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    assert response.status_code == 413
    with session_scope(engine) as s:
        from bot.storage.models import ProposalNote

        assert s.scalar(select(func.count()).select_from(ProposalNote)) == 0
