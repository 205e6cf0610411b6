"""Running the web app alone: ``participa web`` in the foreground, or a background thread (tests, tools)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from bot.config import get_settings
from bot.storage.db import upgrade
from bot.web import create_app


def serve(host: str, port: int) -> None:
    """``participa web``: migrate the database, then serve the board and the dashboard until Ctrl+C."""
    upgrade(get_settings().database_url)
    uvicorn.run(create_app(), host=host, port=port, log_config=None, access_log=False,
                proxy_headers=True)


@contextmanager
def in_background(app: ASGIApp, port: int, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` on a loopback port in a thread; yields its base URL and stops it afterwards."""
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
