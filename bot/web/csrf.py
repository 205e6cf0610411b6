"""Signed cookies and CSRF tokens of the STL dashboard.

The session cookie holds a random token signed with a key derived from the deployment secret
(the session itself is in the database, :mod:`bot.accounts.sessions`). Cookies are HttpOnly,
SameSite=Lax, and Secure when ``PUBLIC_URL`` is https. A POST's CSRF token is the session's own
when signed in, otherwise the one in a signed cookie (the login form).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from itsdangerous import BadSignature, TimestampSigner
from starlette.requests import Request
from starlette.responses import Response

from bot.accounts import sessions as web_sessions
from bot.accounts.service import sub_key
from bot.config import get_settings

SESSION_COOKIE = "participa_sesion"
CSRF_COOKIE = "participa_csrf"
CSRF_FIELD = "csrf_token"


def _signer(purpose: str) -> TimestampSigner:
    return TimestampSigner(sub_key(purpose), salt=f"participa-{purpose}")


def secure_cookies() -> bool:
    return (get_settings().public_url or "").lower().startswith("https://")


def cookie_options() -> dict[str, Any]:
    return {"httponly": True, "samesite": "lax", "secure": secure_cookies(), "path": "/"}


def sign(purpose: str, value: str) -> str:
    return _signer(purpose).sign(value).decode()


def unsign(purpose: str, value: str | None, max_age: int | None = None) -> str | None:
    if not value:
        return None
    try:
        return _signer(purpose).unsign(value, max_age=max_age).decode()
    except (BadSignature, UnicodeDecodeError):
        return None


def set_session_cookie(response: Response, token: str) -> None:
    max_age = int(web_sessions.LIFETIME.total_seconds())
    response.set_cookie(SESSION_COOKIE, sign("session", token), max_age=max_age, **cookie_options())


def session_token(request: Request) -> str | None:
    return unsign("session", request.cookies.get(SESSION_COOKIE),
                  max_age=int(web_sessions.LIFETIME.total_seconds()))


def anonymous_csrf(request: Request) -> str:
    """The CSRF token of a visitor who is not signed in (kept in a signed cookie)."""
    known = unsign("csrf", request.cookies.get(CSRF_COOKIE))
    if known:
        return known
    if getattr(request.state, "new_csrf", None) is None:
        request.state.new_csrf = secrets.token_urlsafe(32)
    return request.state.new_csrf  # type: ignore[no-any-return]


def csrf_token(request: Request) -> str:
    user = getattr(request.state, "user", None)
    return user.csrf_token if user else anonymous_csrf(request)


def csrf_ok(request: Request, given: object) -> bool:
    expected = csrf_token(request)
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given.encode(), expected.encode())
