"""The docker-compose layout without Docker: Rasa as its own service, read from its environment.

Rasa runs with the rasa image's command (``rasa_run_args``, which tests/test_deployment.py
checks against the Dockerfile) and the endpoints file the image is built with
(``participa nlu endpoints``), filled from environment variables as the ``rasa`` service sets
them; the action server runs as the ``actions`` service runs it; the bot side only gets
``RASA_URL``, as in compose. What this cannot show: the images building and the containers'
network and volumes (README, «Docker»).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.config import get_settings
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.rasa.servers import (
    RASA_HEALTH_PATH,
    RasaSupervisor,
    _wait_http,
    free_port,
    rasa_run_args,
    start_action_server,
    write_container_endpoints,
)
from bot.rasa.training import ensure_model, rasa_env, rasa_executable
from bot.storage.db import normalize_url, upgrade

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def compose_like_rasa(pg_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    upgrade(pg_database_url)
    model = ensure_model()
    folder = tmp_path_factory.mktemp("container")
    endpoints = write_container_endpoints(folder / "endpoints.container.yml")
    action_url, actions, action_log, action_log_path = start_action_server(
        database_url=pg_database_url, log_dir=folder
    )
    url = make_url(normalize_url(pg_database_url))
    env = rasa_env() | {  # what docker-compose.yml gives the rasa service
        "ACTION_SERVER_URL": action_url,
        "POSTGRES_HOST": url.host or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_DB": url.database or "",
        "POSTGRES_USER": url.username or "postgres",
        "POSTGRES_PASSWORD": url.password or "",
        "RASA_LOCK_STORE": "in_memory",
        "REDIS_HOST": "redis",
    }
    port = free_port()
    rasa_log_path = folder / "rasa.log"
    with open(rasa_log_path, "wb") as rasa_log:
        rasa = subprocess.Popen(
            [str(rasa_executable()), *rasa_run_args(model, endpoints, "127.0.0.1", port)],
            cwd=get_settings().nlu_dir, env=env, stdout=rasa_log, stderr=subprocess.STDOUT,
        )
    try:
        _wait_http(f"{action_url}/health", actions, 60, "acciones", action_log_path)
        _wait_http(f"http://127.0.0.1:{port}{RASA_HEALTH_PATH}", rasa, 300, "Rasa", rasa_log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        for process in (rasa, actions):
            process.terminate()
            process.wait(timeout=30)
        action_log.close()


async def test_the_bot_talks_to_a_rasa_configured_like_the_container(
    compose_like_rasa: str, pg_database_url: str
) -> None:
    supervisor = RasaSupervisor(compose_like_rasa, check_interval=0.2)
    await supervisor.start()
    client = RasaClient(compose_like_rasa, timeout=60)
    try:
        core = ConversationCore(client, record_usage=False)
        greeting = await core.handle("compose-1", "hola")
        assert greeting.intent == "greet" and greeting.replies[0].buttons
        proposal = await core.handle("compose-2", "quiero hacer una propuesta")  # an action's reply
        assert "árbol de problemas" in proposal.replies[0].text
        violence = await core.handle("compose-3", "¿qué es el feminicidio?")
        assert violence.replies
        assert supervisor.state == "up" and supervisor._servers is None
    finally:
        await client.aclose()
        await supervisor.stop()
    engine = create_engine(normalize_url(pg_database_url))
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT sender_id, data FROM events WHERE sender_id LIKE 'compose-%' AND type_name = 'user'")
        ).all()
    engine.dispose()
    senders = {sender for sender, _data in rows}
    assert senders == {"compose-1", "compose-2", "compose-3"}  # Rasa's tracker store: PostgreSQL
    stored = [json.loads(data) for sender, data in rows]
    assert [e["text"] for e in stored if e["text"] and "hola" in e["text"]]  # kept normally
    violence = [json.loads(data) for sender, data in rows if sender == "compose-3"]
    assert violence and all("feminicidio" not in (e.get("text") or "") for e in violence)  # scrubbed

