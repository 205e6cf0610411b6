"""Bot API answers → what the sender does with the message (retry, mark, give up, stop)."""

from __future__ import annotations

import httpx
import pytest

from bot.campaigns.broadcast.botapi import BotApi, CampaignMessage, classify
from bot.rasa.servers import free_port


def answer(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body)


@pytest.mark.parametrize(
    ("status", "body", "kind", "retry_after"),
    [
        (200, {"ok": True, "result": {"message_id": 7}}, "sent", 0.0),
        (429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 14",
               "parameters": {"retry_after": 14}}, "retry_after", 14.0),
        (429, {"ok": False}, "retry_after", 1.0),
        (403, {"ok": False, "description": "Forbidden: bot was blocked by the user"}, "blocked", 0.0),
        (403, {"ok": False, "description": "Forbidden: user is deactivated"}, "blocked", 0.0),
        (400, {"ok": False, "description": "Bad Request: chat not found"}, "failed", 0.0),
        (401, {"ok": False, "description": "Unauthorized"}, "fatal", 0.0),
        (404, {"ok": False, "description": "Not Found"}, "fatal", 0.0),
        (502, {"ok": False, "description": "Bad Gateway"}, "transient", 0.0),
    ],
)
def test_answers_are_classified(status: int, body: object, kind: str, retry_after: float) -> None:
    outcome = classify(answer(status, body))
    assert (outcome.kind, outcome.retry_after) == (kind, retry_after)


def test_a_proxy_page_instead_of_json_is_still_classified() -> None:
    assert classify(httpx.Response(503, text="<html>Service Unavailable</html>")).kind == "transient"


async def test_nobody_listening_is_transient_not_unknown() -> None:
    api = BotApi("123:abc", f"http://127.0.0.1:{free_port()}")
    try:
        outcome = await api.send(1, CampaignMessage("hola"))
    finally:
        await api.aclose()
    assert outcome.kind == "transient", "the request never left: safe to send again"


def test_requests_for_text_photo_and_button() -> None:
    method, params = CampaignMessage("<b>Hola</b>").request(5)
    assert method == "sendMessage" and params == {"chat_id": 5, "parse_mode": "HTML", "text": "<b>Hola</b>"}
    method, params = CampaignMessage("pie", image="https://example.org/a.jpg", button_text="Ver",
                                     button_url="https://example.org").request(5)
    assert method == "sendPhoto" and params["caption"] == "pie"
    assert params["photo"] == "https://example.org/a.jpg"
    assert params["reply_markup"] == {"inline_keyboard": [[{"text": "Ver", "url": "https://example.org"}]]}


def test_news_of_a_topic_carry_a_button_to_leave_it() -> None:
    _, params = CampaignMessage("Mesa", button_text="Ver", button_url="https://example.org",
                                topic="contrataciones").request(5)
    assert params["reply_markup"]["inline_keyboard"][1] == [
        {"text": "Dejar: Contrataciones públicas", "callback_data": "/baja contrataciones"}]
    assert "reply_markup" not in CampaignMessage("Mesa", topic="ya_no_existe").request(5)[1]
