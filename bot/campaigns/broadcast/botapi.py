"""One Bot API call per campaign message, over httpx, with its outcome classified.

httpx is used directly (not PTB's Bot) so that every answer maps to exactly one
decision the sender needs, and so that we know whether a failed request may have
reached Telegram:

- ``sent``: 200;
- ``retry_after``: 429, wait ``parameters.retry_after`` and send the same message again;
- ``blocked``: 403 (the person blocked the bot, deleted their account, never started it);
- ``failed``: any other 4xx, e.g. "chat not found" (sending again would fail again);
- ``transient``: 5xx, or the connection could not be opened: Telegram did not take the
  message, so it is retried with backoff;
- ``unknown``: the request went out but no answer came back (read timeout, connection
  dropped): Telegram may have delivered it, so it is NOT retried (a retry could be a
  duplicate);
- ``fatal``: 401/404 (wrong token or base URL): nothing can be sent, the sender stops.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from bot.campaigns.subscriptions import subscription_content
from bot.campaigns.text import format_campaign_text
from bot.storage.models import Campaign

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CampaignMessage:
    html: str
    image: str | None = None
    button_text: str | None = None
    button_url: str | None = None
    topic: str | None = None  # its subscription topic: a button under the news leaves it

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignMessage:
        return cls(format_campaign_text(campaign.text).html, campaign.image,
                   campaign.button_text, campaign.button_url, campaign.topic)

    def leave_button(self) -> dict[str, str] | None:
        """«Dejar: Contrataciones públicas» under the news: one tap leaves that topic (the
        payload the bot answers, bot/campaigns/dialogue.py), as /baja contrataciones does."""
        content = subscription_content()
        topic = content.topic(self.topic) if self.topic else None
        if topic is None:
            return None
        return {"text": content.button("leave", topic=topic.title), "callback_data": f"/baja {topic.id}"}

    def request(self, chat_id: int) -> tuple[str, dict[str, Any]]:
        """The Bot API method and its JSON parameters for one chat."""
        params: dict[str, Any] = {"chat_id": chat_id, "parse_mode": "HTML"}
        rows: list[list[dict[str, str]]] = []
        if self.button_text and self.button_url:
            rows.append([{"text": self.button_text, "url": self.button_url}])
        leave = self.leave_button()
        if leave is not None:
            rows.append([leave])
        if rows:
            params["reply_markup"] = {"inline_keyboard": rows}
        if self.image:
            return "sendPhoto", params | {"photo": self.image, "caption": self.html}
        return "sendMessage", params | {"text": self.html}


@dataclass(frozen=True)
class Outcome:
    kind: str  # sent | retry_after | blocked | failed | transient | unknown | fatal
    retry_after: float = 0.0
    error: str | None = None
    message_id: int | None = None


class BotApi:
    """A pooled HTTP/1.1 client for ``{base}/bot{token}/{method}``."""

    def __init__(
        self, token: str, base_url: str | None = None, timeout: float = 30.0, connections: int = 32
    ) -> None:
        base = (base_url or "https://api.telegram.org").rstrip("/")
        self._client = httpx.AsyncClient(
            base_url=f"{base}/bot{token}",
            timeout=httpx.Timeout(timeout, connect=10.0),
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def call(self, method: str, params: dict[str, Any]) -> Outcome:
        try:
            response = await self._client.post(f"/{method}", json=params)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            return Outcome("transient", error=type(exc).__name__)
        except httpx.HTTPError as exc:  # sent, but the answer was lost
            return Outcome("unknown", error=type(exc).__name__)
        return classify(response)

    async def check(self) -> Outcome:
        """``getMe``: a wrong token or address shows up before anything is claimed."""
        return await self.call("getMe", {})

    async def send(self, chat_id: int, message: CampaignMessage) -> Outcome:
        method, params = message.request(chat_id)
        return await self.call(method, params)


def classify(response: httpx.Response) -> Outcome:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    status = response.status_code
    description = str(body.get("description") or response.reason_phrase)[:200]
    if status == 200 and body.get("ok"):
        result = body.get("result") or {}
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return Outcome("sent", message_id=message_id)
    if status == 429:
        parameters = body.get("parameters") or {}
        try:
            retry_after = float(parameters.get("retry_after", 1))
        except (TypeError, ValueError):
            retry_after = 1.0
        return Outcome("retry_after", retry_after=max(retry_after, 0.0), error=description)
    if status == 403:
        return Outcome("blocked", error=description)
    if status in (401, 404):
        return Outcome("fatal", error=description)
    if status >= 500:
        return Outcome("transient", error=description)
    return Outcome("failed", error=description)
