"""HTTP client for the Rasa server's ``participa`` channel (nlu/channels/participa_channel.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.httpfast import remember_raw_sockets, skip_missing_optional_imports

log = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out or failed; the core answers without it."""


@dataclass
class RasaResult:
    messages: list[dict[str, Any]] = field(default_factory=list)
    intent: str | None = None
    confidence: float | None = None
    faq: str | None = None
    faq_confidence: float | None = None
    # The form that took the message as an answer (the proposal interview's step), as Rasa's turn
    # says (nlu/tracker_stores/scrubbing.py): then the reply is the form's, whatever the intent.
    form: str | None = None


# Calls to Rasa in flight at once; the rest wait their turn in the bot, first come first served.
# More did not make Rasa faster (a Sanic worker runs one message's model at a time, so more
# messages at once only slowed each one down) and made every call slower: httpcore looks at every
# pooled connection on each request (an expiry check with two system calls per idle connection,
# and a count of the idle ones per idle one), which with 50 connections was a quarter of the
# bot's time under load (py-spy, benchmarks/telegram_throughput.py).
RASA_CONNECTIONS = 8


class RasaClient:
    def __init__(
        self, base_url: str, timeout: float = 10.0, connections: int = RASA_CONNECTIONS
    ) -> None:
        self.base_url = base_url.rstrip("/")
        skip_missing_optional_imports()
        remember_raw_sockets()
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            # ``timeout`` covers the wait for a free connection too (httpx's pool timeout).
            timeout=httpx.Timeout(timeout, connect=2.0),
            # A new connection per call: with several Rasa processes (Sanic workers) sharing one
            # listening socket, the one that is free accepts it. Kept-alive connections stayed
            # with whichever worker accepted them first: in one run all eight went to one worker
            # and the other sat idle. Connecting costs ≈ 0.1 ms on loopback.
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=0),
        )

    async def send(
        self, sender: str, text: str, metadata: dict[str, Any] | None = None
    ) -> RasaResult:
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        try:
            response = await self._client.post("/webhooks/participa/webhook", json=body)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        data = response.json()
        return RasaResult(
            messages=list(data.get("messages") or []),
            intent=data.get("intent"),
            confidence=data.get("confidence"),
            faq=data.get("faq"),
            faq_confidence=data.get("faq_confidence"),
            form=data.get("form"),
        )

    async def ready(self) -> bool:
        try:
            response = await self._client.get("/webhooks/participa/", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def aclose(self) -> None:
        await self._client.aclose()
