"""Admins' pages: accounts (create, disable, enable) and the whole audit log."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.accounts import audit
from bot.accounts import service as accounts
from bot.accounts import sessions as web_sessions
from bot.i18n import _
from bot.web.params import whole_number
from bot.web.security import private
from bot.web.templating import render


def _accounts_page(request: Request, error: str | None = None, status_code: int = 200,
                   values: dict[str, str] | None = None) -> Response:
    notice = {"creada": _("La cuenta quedó creada."), "desactivada": _("La cuenta quedó desactivada."),
              "activada": _("La cuenta quedó reactivada.")}.get(request.query_params.get("aviso", ""))
    return render(request, "stl/accounts.html", {
        "accounts": accounts.list_accounts(request.app.state.engine), "roles": accounts.ROLES,
        "error": error, "notice": notice, "values": values or {},
    }, status_code=status_code)


@private("accounts")
def account_list(request: Request) -> Response:
    return _accounts_page(request)


@private("accounts")
def account_create(request: Request) -> Response:
    form, user, engine = request.state.form, request.state.user, request.app.state.engine
    username, role = form.get("usuario", ""), form.get("rol", "")
    try:
        account = accounts.create_account(username, form.get("contrasena", ""), role, engine)
    except accounts.AccountError as exc:
        return _accounts_page(request, str(exc), 400, {"usuario": username, "rol": role})
    audit.record(user.username, "account_create", account.username, role, engine)
    return RedirectResponse("/stl/cuentas?aviso=creada", status_code=303)


@private("accounts")
def account_toggle(request: Request) -> Response:
    raw, engine, user = request.path_params["account_id"], request.app.state.engine, request.state.user
    number = whole_number(raw)
    account = accounts.get_account(number, engine) if number is not None else None
    if account is None:
        raise HTTPException(404)
    if account.id == user.account_id:
        return _accounts_page(request, _("No puedes desactivar tu propia cuenta."), 400)
    enable = request.state.form.get("accion") == "activar"
    accounts.set_active(account.id, enable, engine)
    if not enable:
        web_sessions.end_all(account.id, engine)
    audit.record(user.username, "account_enable" if enable else "account_disable", account.username,
                 engine=engine)
    return RedirectResponse(f"/stl/cuentas?aviso={'activada' if enable else 'desactivada'}", status_code=303)


@private("audit")
def audit_log(request: Request) -> Response:
    who = request.query_params.get("quien", "").strip()[:60] or None
    return render(request, "stl/audit.html", {
        "events": audit.events(actor=who, limit=500, engine=request.app.state.engine), "quien": who or "",
    })
