"""Running the web app alone: ``participa web`` in the foreground, or a background thread (tests, tools)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from bot.config import Settings, get_settings
from bot.storage.db import upgrade
from bot.web import create_app


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's proxy settings: X-Forwarded-For only from ``FORWARDED_ALLOW_IPS`` (none by default).

    uvicorn alone trusts 127.0.0.1, so any local process, or a proxy in front that does not
    overwrite the header, could rotate through fake addresses and dodge the login throttle.
    """
    trusted = settings.forwarded_allow_ips.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


def serve(host: str, port: int) -> None:
    """``participa web``: migrate the database, then serve the board and the dashboard until Ctrl+C."""
    settings = get_settings()
    upgrade(settings.database_url)
    uvicorn.run(create_app(), host=host, port=port, log_config=None, access_log=False,
                **proxy_options(settings))


@contextmanager
def in_background(app: ASGIApp, port: int, host: str = "127.0.0.1",
                  settings: Settings | None = None) -> Iterator[str]:
    """Serve ``app`` on a loopback port in a thread; yields its base URL and stops it afterwards."""
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                                           lifespan="off", **proxy_options(settings or get_settings())))
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
