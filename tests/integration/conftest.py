"""One trained model, one Rasa server and one action server for all integration tests.

The servers use real PostgreSQL for Rasa's tracker store, as in production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.servers import RunningServers, start_servers
from bot.storage.db import make_engine, upgrade


@pytest.fixture(scope="session")
def rasa_stack(pg_database_url: str) -> Iterator[RunningServers]:
    upgrade(pg_database_url)
    servers = start_servers(database_url=pg_database_url)
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def pg_engine(pg_database_url: str) -> Iterator[Engine]:
    upgrade(pg_database_url)
    engine = make_engine(pg_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def core(rasa_stack: RunningServers, pg_engine: Engine) -> AsyncIterator[ConversationCore]:
    client = RasaClient(rasa_stack.rasa_url, timeout=30)
    yield ConversationCore(client, engine=pg_engine)
    await client.aclose()
