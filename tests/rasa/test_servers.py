"""`participa serve` with RASA_URL (as in docker-compose.yml) and the Rasa container's endpoints."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.config import get_settings
from bot.rasa.servers import (
    CONTAINER_ENV,
    RASA_HEALTH_PATH,
    RasaSupervisor,
    free_port,
    sensitive_intents,
    write_container_endpoints,
)


@asynccontextmanager
async def fake_rasa() -> AsyncIterator[str]:
    """Something answering Rasa's health path, standing for the `rasa` container."""

    async def health(request: object) -> JSONResponse:
        return JSONResponse({})

    port = free_port()
    app = Starlette(routes=[Route(RASA_HEALTH_PATH, health)])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def wait_state(supervisor: RasaSupervisor, state: str) -> None:
    for _ in range(200):
        if supervisor.state == state:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"state stayed {supervisor.state!r}, expected {state!r}")


async def test_with_rasa_url_serve_uses_that_rasa_and_starts_none_of_its_own() -> None:
    async with fake_rasa() as url:
        supervisor = RasaSupervisor(url, check_interval=0.1)
        await supervisor.start()
        try:
            await wait_state(supervisor, "up")
            assert supervisor.url == url
            assert supervisor._servers is None  # no Rasa or action server child processes
        finally:
            await supervisor.stop()


async def test_a_silent_rasa_url_is_reported_down_not_replaced() -> None:
    supervisor = RasaSupervisor(f"http://127.0.0.1:{free_port()}", check_interval=0.1)
    await supervisor.start()
    try:
        await wait_state(supervisor, "down")
        await asyncio.sleep(0.3)
        assert supervisor._servers is None
    finally:
        await supervisor.stop()


def test_rasa_fills_the_container_endpoints_from_its_environment(tmp_path: Path) -> None:
    """Read with Rasa's own code (.venv-rasa): the ${VARS} become the container's values."""
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    path = write_container_endpoints(tmp_path / "endpoints.container.yml")
    env = {name: f"v-{name.lower()}" for name in CONTAINER_ENV}
    env |= {"POSTGRES_PORT": "5432", "ACTION_SERVER_URL": "http://actions:5055", "PATH": "/usr/bin"}
    script = (
        "import json, sys\n"
        "from rasa.utils.endpoints import read_endpoint_config\n"
        "out = {}\n"
        "for kind in ('action_endpoint', 'tracker_store', 'lock_store'):\n"
        "    c = read_endpoint_config(sys.argv[1], kind)\n"
        "    out[kind] = {'url': c.url, 'type': c.type, **c.kwargs}\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([str(python), "-W", "ignore", "-c", script, str(path)], env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    read = json.loads(done.stdout.strip().splitlines()[-1])
    assert read["action_endpoint"]["url"] == "http://actions:5055/webhook"
    store = read["tracker_store"]
    assert (store["url"], store["port"], store["db"], store["username"], store["password"]) == (
        "v-postgres_host", "5432", "v-postgres_db", "v-postgres_user", "v-postgres_password"
    )
    assert store["sensitive_intents"] == sensitive_intents()
    assert store["type"] == "tracker_stores.scrubbing.ScrubbingSQLTrackerStore"
    assert (read["lock_store"]["type"], read["lock_store"]["url"]) == ("v-rasa_lock_store", "v-redis_host")


@pytest.mark.parametrize(
    ("redis", "expected"), [("redis://127.0.0.1:6379/1", "2"), (None, None)]
)
def test_several_rasa_workers_only_with_a_redis_lock_store(
    monkeypatch: pytest.MonkeyPatch, redis: str | None, expected: str | None
) -> None:
    from bot.rasa.servers import rasa_process_env

    monkeypatch.setenv("RASA_WORKERS", "2")
    if redis:
        monkeypatch.setenv("REDIS_URL", redis)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert rasa_process_env().get("SANIC_WORKERS") == expected
    finally:
        get_settings.cache_clear()
