"""``participa serve`` as a process: Rasa down is reported and retried, SIGTERM stops it cleanly.

Rasa is played by a small stand-in server that appears only after the bot has
started (the error path "Rasa unreachable at start, then back"); the real
Rasa stack is exercised in test_telegram_with_rasa.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.config import PROJECT_ROOT
from bot.rasa.servers import free_port
from bot.serve import _Server
from tests.e2e.emulator import BotApiEmulator

CHAT = 7770001
SECRET_WORDS = "mi vecina Rosalba vive en la calle Jacarandas 12"


def rasa_stand_in(port: int) -> _Server:
    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def webhook(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse({
            "messages": [{"recipient_id": body["sender"], "text": "Respuesta de Rasa"}],
            "intent": "greet",
            "confidence": 0.99,
        })

    app = Starlette(routes=[
        Route("/webhooks/participa/", health),
        Route("/webhooks/participa/webhook", webhook, methods=["POST"]),
    ])
    return _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off"))


@contextlib.asynccontextmanager
async def serving(  # type: ignore[no-untyped-def]
    emulator: BotApiEmulator, tmp_path, rasa_port: int
) -> AsyncIterator[tuple[subprocess.Popen[bytes], str]]:
    http_port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "RASA_CHECK_SECONDS": "0.5",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(http_port),
        "PARTICIPA_SECRET_KEY": "llave-de-prueba-" + "0" * 32,
        "PUBLIC_URL": "",
    }
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"], cwd=PROJECT_ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        yield process, f"http://127.0.0.1:{http_port}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


async def wait_health(base: str, rasa: str, timeout: float = 30) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    last: object = None
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                last = (await client.get(f"{base}/healthz", timeout=1)).json()
                if isinstance(last, dict) and last.get("rasa") == rasa:
                    return last
            await asyncio.sleep(0.2)
    pytest.fail(f"/healthz never reported rasa={rasa}: {last}")


async def test_serve_listens_only_once_rasa_is_up_then_survives_rasa_down(
    emulator: BotApiEmulator, tmp_path  # type: ignore[no-untyped-def]
) -> None:
    rasa_port = free_port()
    async with serving(emulator, tmp_path, rasa_port) as (process, base):
        health = await wait_health(base, "down")
        assert health["status"] == "degraded" and health["telegram"] == "polling"
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"{base}/readyz")).status_code == 503

        emulator.message(CHAT, SECRET_WORDS)  # sent while Rasa loads: kept by Telegram
        await emulator.settle(1.0)
        assert emulator.sent_to(CHAT) == [], "no «problema técnico» while Rasa loads"

        rasa = rasa_stand_in(rasa_port)
        rasa_task = asyncio.create_task(rasa.serve())
        try:
            await wait_health(base, "up")
            [answer] = await emulator.wait_for(CHAT, timeout=15)
            assert answer.text == "Respuesta de Rasa", "the message sent while loading gets a real answer"
            assert emulator.commands, "setMyCommands was sent once listening"
            async with httpx.AsyncClient() as client:
                assert (await client.get(f"{base}/readyz")).status_code == 200
        finally:
            rasa.should_exit = True
            await rasa_task

        await wait_health(base, "down")
        emulator.message(CHAT, "hola")
        replies = await emulator.wait_for(CHAT, 2, timeout=15)
        assert "problema técnico" in replies[-1].text and "911" in replies[-1].text, (
            "Rasa down later: the offline reply with the emergency lines")

        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 20)
        assert code == 0
        assert time.monotonic() - started < 15

    lines = (tmp_path / "serve.log").read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(entries) == len(lines), f"every log line is JSON: {lines[:5]}"
    events = [e["event"] for e in entries]
    assert {"rasa.down", "rasa.up", "telegram.turn", "serve.stopped"} <= set(events)
    everything = "\n".join(lines)
    assert str(CHAT) not in everything and "Rosalba" not in everything, "no personal data in logs"
    assert emulator.token.split(":")[1] not in everything
