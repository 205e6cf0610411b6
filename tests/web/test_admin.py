"""Admins manage accounts and read the audit log."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.accounts import service as accounts
from tests.web.conftest import PASSWORD, sign_in


def test_an_admin_creates_an_account_that_can_then_log_in(engine: Engine, admin: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    page = admin.post("/stl/cuentas", data={"usuario": "nueva.revisora", "rol": "reviewer",
                                            "contrasena": PASSWORD, "csrf_token": admin.csrf})  # type: ignore[attr-defined]
    assert page.status_code == 200 and "La cuenta quedó creada." in page.text
    assert "nueva.revisora" in page.text
    with TestClient(app) as client:
        sign_in(client, "nueva.revisora")
    log = admin.get("/stl/bitacora").text
    assert "Creó una cuenta" in log and "nueva.revisora" in log


def test_account_errors_are_explained(admin: TestClient) -> None:
    page = admin.post("/stl/cuentas", data={"usuario": "x", "rol": "reviewer", "contrasena": PASSWORD,
                                            "csrf_token": admin.csrf})  # type: ignore[attr-defined]
    assert page.status_code == 400 and "3 a 60 caracteres" in page.text


def test_an_admin_cannot_disable_their_own_account(engine: Engine, admin: TestClient) -> None:
    me = next(a for a in accounts.list_accounts(engine) if a.username == admin.username)  # type: ignore[attr-defined]
    page = admin.post(f"/stl/cuentas/{me.id}", data={"accion": "desactivar", "csrf_token": admin.csrf})  # type: ignore[attr-defined]
    assert page.status_code == 400 and "tu propia cuenta" in page.text
    assert admin.get("/stl/cuentas").status_code == 200


def test_the_audit_log_can_be_filtered_by_person(engine: Engine, admin: TestClient,
                                                  reviewer: TestClient) -> None:
    log = admin.get(f"/stl/bitacora?quien={reviewer.username}").text  # type: ignore[attr-defined]
    assert "Inició sesión" in log and admin.username not in log.split("<table>")[1]  # type: ignore[attr-defined]
