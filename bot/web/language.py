"""Which language each web request is answered in: ``?lang=``, then the ``lang`` cookie, then the browser.

Choosing a language with ``?lang=`` keeps it in a cookie for the following pages.
Without any choice the pages are in ``PARTICIPA_LOCALE`` (Mexican Spanish by default).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import i18n

YEAR = 365 * 24 * 3600


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
                    cookie.set_cookie(i18n.LANG_COOKIE, asked, max_age=YEAR, path="/", samesite="lax")
                    headers += [(k, v) for k, v in cookie.raw_headers if k == b"set-cookie"]
                message["headers"] = headers
            await send(message)

        with i18n.use_locale(locale):
            await self.app(scope, receive, send_with_cookie)
