"""Login and logout of the STL's accounts."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.accounts import audit
from bot.accounts import service as accounts
from bot.accounts import sessions as web_sessions
from bot.i18n import _
from bot.web.csrf import CSRF_FIELD, SESSION_COOKIE, csrf_ok, session_token, set_session_cookie
from bot.web.security import csrf_failed, current_user, private, read_form, safe_next
from bot.web.templating import render


def client_address(request: Request) -> str:
    """The client's address (uvicorn resolves X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "desconocida"


async def login(request: Request) -> Response:
    user = await current_user(request)
    following = safe_next(request.query_params.get("siguiente"))
    if request.method == "GET":
        if user is not None:
            return RedirectResponse(following, status_code=303)
        return render(request, "login.html", {"siguiente": following})
    try:
        form = await read_form(request)
    except Exception:
        return csrf_failed(request)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return csrf_failed(request)
    username = form.get("usuario", "")
    following = safe_next(form.get("siguiente"))
    engine = request.app.state.engine
    result = await run_in_threadpool(accounts.login, username, form.get("contrasena", ""),
                                     client_address(request), engine)
    if result.outcome == "throttled":
        return render(request, "login.html", {
            "siguiente": following, "usuario": username,
            "error": _("Demasiados intentos fallidos. Por seguridad, espera 15 minutos y vuelve a "
                       "intentarlo."),
        }, status_code=429)
    if result.account is None:
        return render(request, "login.html", {
            "siguiente": following, "usuario": username,
            "error": _("Usuario o contraseña incorrectos."),
        }, status_code=400)
    account = result.account
    await run_in_threadpool(web_sessions.forget_expired, engine)
    token = await run_in_threadpool(web_sessions.start, account.id, engine)
    await run_in_threadpool(audit.record, account.username, "login", None, None, engine)
    response = RedirectResponse(following, status_code=303)
    set_session_cookie(response, token)
    return response


@private("read")
def logout(request: Request) -> Response:
    engine = request.app.state.engine
    token = session_token(request)
    if token:
        web_sessions.end(token, engine)
    audit.record(request.state.user.username, "logout", engine=engine)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
