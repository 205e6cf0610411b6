"""Who is signed in, page guards (login, CSRF, roles) and security headers for the STL dashboard.

- The session cookie holds a random token signed with a key derived from the deployment
  secret; the session itself is in the database (``bot.accounts.sessions``).
  Cookies are HttpOnly, SameSite=Lax, and Secure when ``PUBLIC_URL`` is https.
- Every POST carries a CSRF token (:mod:`bot.web.csrf`): the session's own when signed in,
  otherwise the one in a signed cookie (the login form). A missing or wrong token gets 403 and
  changes nothing.
- With an https ``PUBLIC_URL`` every response carries Strict-Transport-Security (one year).
- ``private(permission)`` guards a page: anonymous visitors go to /login, a role without
  the permission gets 403. Objects a role may not see answer 404 (nothing to learn by guessing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import i18n
from bot.accounts import sessions as web_sessions
from bot.accounts.service import can
from bot.accounts.sessions import SignedIn
from bot.i18n import _
from bot.textclean import strip_control
from bot.web.csrf import (
    CSRF_COOKIE,
    CSRF_FIELD,
    cookie_options,
    csrf_ok,
    secure_cookies,
    session_token,
    sign,
)
from bot.web.templating import render

MAX_FORM_PART = 64 * 1024
HSTS = "max-age=31536000; includeSubDomains"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

Endpoint = Callable[[Request], Any]
_UNSET = object()


async def current_user(request: Request) -> SignedIn | None:
    """Who is signed in (None for the public); looked up once per request."""
    known = getattr(request.state, "user", _UNSET)
    if known is not _UNSET:
        return known  # type: ignore[return-value]
    token = session_token(request)
    user = None
    if token:
        user = await run_in_threadpool(web_sessions.resolve, token, request.app.state.engine)
    request.state.user = user
    return user


def forbidden(request: Request, message: str | None = None) -> Response:
    return render(request, "error.html", {
        "title": _("No tienes permiso"),
        "message": message or _("Tu cuenta no tiene permiso para esto. Si lo necesitas, pídelo a "
                                "una persona administradora."),
    }, status_code=403)


def csrf_failed(request: Request) -> Response:
    return forbidden(request, _("El formulario caducó o no vino de esta página. Vuelve a cargar la "
                                "página e inténtalo otra vez."))


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?siguiente={quote(target, safe='')}", status_code=303)


def safe_next(value: str | None) -> str:
    """Only a path of this site (no //other.host, no scheme) may follow a login."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/stl"


async def read_form(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=200, max_part_size=MAX_FORM_PART)
    values: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            value = strip_control(value)  # nothing typed in a form may break an export later
            values[key] = value if key not in values else values[key] + "\n" + value
    return values


def private(permission: str = "read") -> Callable[[Endpoint], Callable[[Request], Awaitable[Response]]]:
    """Guard a (sync) endpoint: login, then CSRF on POST, then the role's permission.

    The endpoint runs in a worker thread (database work must not block the event loop
    that also serves Telegram); a POST's form is parsed first into ``request.state.form``.
    """

    def wrap(endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
        @wraps(endpoint)
        async def guarded(request: Request) -> Response:
            user = await current_user(request)
            if user is None:
                if request.method == "GET":
                    return login_redirect(request)
                return PlainTextResponse(_("Inicia sesión primero."), status_code=401)
            if request.method == "POST":
                try:
                    request.state.form = await read_form(request)
                except Exception:
                    return PlainTextResponse(_("El formulario es demasiado grande."), status_code=413)
                if not csrf_ok(request, request.state.form.get(CSRF_FIELD)):
                    return csrf_failed(request)
            if not can(user.role, permission):
                return forbidden(request)
            return await run_in_threadpool(endpoint, request)  # type: ignore[no-any-return]

        guarded.permission = permission  # type: ignore[attr-defined]
        return guarded

    return wrap


def public(endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    """A page anyone may see; still runs off the event loop and knows who is signed in."""

    @wraps(endpoint)
    async def open_page(request: Request) -> Response:
        await current_user(request)
        return await run_in_threadpool(endpoint, request)  # type: ignore[no-any-return]

    open_page.permission = None  # type: ignore[attr-defined]
    return open_page


class SecurityHeaders:
    """Headers for every response; private pages are never cached; a new CSRF cookie is set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private_path = scope["path"].startswith(("/stl", "/login", "/logout"))
        state = scope.setdefault("state", {})

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
                ]
                if private_path:
                    headers.append((b"cache-control", b"no-store"))
                if secure_cookies():  # served over https: browsers must never fall back to http
                    headers.append((b"strict-transport-security", HSTS.encode()))
                new_csrf = state.get("new_csrf")
                if new_csrf:
                    cookie = Response()
                    cookie.set_cookie(CSRF_COOKIE, sign("csrf", new_csrf), **cookie_options())
                    headers += [(k, v) for k, v in cookie.raw_headers if k == b"set-cookie"]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Which language each web request is answered in: ``?lang=``, then the ``lang`` cookie, then the
# browser; a ``?lang=`` choice is kept in a cookie for the following pages. Without any choice the
# pages are in ``PARTICIPA_LOCALE``. (A middleware like SecurityHeaders, hence here.)
LANG_COOKIE_SECONDS = 365 * 24 * 3600


class LanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        asked = i18n.supported(request.query_params.get("lang"))
        locale = i18n.web_locale(asked, request.cookies.get(i18n.LANG_COOKIE),
                                 request.headers.get("accept-language"))

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"content-language", locale.replace("_", "-").encode()))
                if asked:
                    cookie = Response()
                    cookie.set_cookie(i18n.LANG_COOKIE, asked, max_age=LANG_COOKIE_SECONDS, path="/",
                                      samesite="lax")
                    headers += [(k, v) for k, v in cookie.raw_headers if k == b"set-cookie"]
                message["headers"] = headers
            await send(message)

        with i18n.use_locale(locale):
            await self.app(scope, receive, send_with_cookie)
