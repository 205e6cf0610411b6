"""How the bot's HTTP clients use their connections (benchmarks/telegram_throughput.py).

- Rasa: at most ``RASA_CONNECTIONS`` calls in flight, the rest wait in the bot; a new connection
  per call, so with several Sanic workers sharing one socket the free one takes it (kept-alive
  connections stayed with one worker).
- Telegram: PTB keeps ``TELEGRAM_CONNECTIONS`` connections and waits for a free one up to
  ``TELEGRAM_POOL_WAIT_SECONDS`` (PTB's own default is 256 connections and 1 s).
- httpx connections find their socket once, not on every look at the pool.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from bot.channels.telegram import (
    TELEGRAM_CONNECTIONS,
    TELEGRAM_POOL_WAIT_SECONDS,
    build_application,
)
from bot.config import Settings
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RASA_CONNECTIONS, RasaClient
from bot.httpfast import remember_raw_sockets


class CountingRasa:
    """A stand-in for Rasa's channel that counts connections and calls in flight."""

    def __init__(self) -> None:
        self.connections = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self.release = asyncio.Event()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                await reader.readexactly(length)
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
                await self.release.wait()
                self.in_flight -= 1
                body = b'{"messages": [{"text": "hola"}], "intent": "saludo"}'
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def test_rasa_calls_are_capped_and_each_gets_its_own_connection() -> None:
    rasa = CountingRasa()
    server = await asyncio.start_server(rasa.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = RasaClient(f"http://127.0.0.1:{port}", timeout=10)
    try:
        calls = [asyncio.create_task(client.send(f"persona-{i}", "hola")) for i in range(20)]
        for _ in range(100):  # until the cap is reached (the rest wait in the bot)
            await asyncio.sleep(0.01)
            if rasa.in_flight == RASA_CONNECTIONS:
                break
        await asyncio.sleep(0.05)
        assert rasa.in_flight == RASA_CONNECTIONS
        rasa.release.set()
        results = await asyncio.gather(*calls)
    finally:
        await client.aclose()
        server.close()
        await server.wait_closed()
    assert [r.intent for r in results] == ["saludo"] * 20
    assert rasa.most_in_flight == RASA_CONNECTIONS
    assert rasa.connections == 20  # none kept alive for a second call


def test_ptb_keeps_a_small_pool_and_waits_for_a_free_connection() -> None:
    settings = Settings(telegram_bot_token="123456789:AAEmulatorTokenForTestsOnly_0123456789")
    application = build_application(ConversationCore(None), settings)
    request: Any = application.bot.request
    pool = request._client._transport._pool
    assert pool._max_connections == TELEGRAM_CONNECTIONS
    assert request._client.timeout.pool == TELEGRAM_POOL_WAIT_SECONDS


async def test_a_connection_finds_its_socket_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert remember_raw_sockets()
    assert remember_raw_sockets()  # idempotent
    looked_up = 0
    original = socket.socket.getpeername

    def counted(self: socket.socket) -> Any:
        nonlocal looked_up
        looked_up += 1
        return original(self)

    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        from httpcore._backends.anyio import AnyIOBackend

        stream = await AnyIOBackend().connect_tcp("127.0.0.1", port)
        monkeypatch.setattr(socket.socket, "getpeername", counted)
        readable = [stream.get_extra_info("is_readable") for _ in range(10)]
        assert stream.get_extra_info("socket") is not None
        await stream.aclose()
    finally:
        server.close()
    assert readable == [False] * 10  # the same answer as httpcore's own check
    assert looked_up <= 1  # before: one getpeername per check
