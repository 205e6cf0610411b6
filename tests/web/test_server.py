"""X-Forwarded-For is believed only from the proxies in FORWARDED_ALLOW_IPS (none by default)."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.config import Settings
from bot.rasa.servers import free_port
from bot.web.server import in_background


async def _who(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.client.host if request.client else "?")


ECHO = Starlette(routes=[Route("/", _who)])
FAKE = {"X-Forwarded-For": "203.0.113.7"}


def _seen(settings: Settings) -> str:
    with in_background(ECHO, free_port(), settings=settings) as base:
        return httpx.get(base + "/", headers=FAKE, timeout=10).text


def test_a_forwarded_address_is_ignored_by_default() -> None:
    assert _seen(Settings(forwarded_allow_ips="")) == "127.0.0.1"


def test_a_configured_proxy_is_believed() -> None:
    assert _seen(Settings(forwarded_allow_ips="127.0.0.1")) == "203.0.113.7"
    assert _seen(Settings(forwarded_allow_ips="10.0.0.0/8")) == "127.0.0.1", "another proxy is not"
