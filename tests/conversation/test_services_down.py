"""Services failing mid-conversation: what the person reads and what is kept (walk10).

The database refusing connections mid-interview, and a restart of the bot after it asked where
she is: the question is kept in the database (only that it was asked, never her words), so a
typed municipality still finds the centres with Rasa down in a new process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select

from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient, RasaResult
from bot.identity import person_key
from bot.rasa.servers import free_port
from bot.storage.db import make_engine, normalize_url, session_scope, upgrade
from bot.storage.models import OfferedChoice


class _RecordingRasa:
    """A Rasa that answers every message with «No estoy segura» and records what it read."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, sender: str, text: str, metadata: dict[str, object] | None = None) -> RasaResult:
        self.sent.append(text)
        return RasaResult(messages=[{"text": "No estoy segura de haberte entendido."}],
                          intent="nlu_fallback", confidence=0.2)


@pytest.fixture
def refused() -> Iterator[Engine]:
    """A PostgreSQL database that refuses every connection (nothing listens on the port)."""
    engine = create_engine(normalize_url(f"postgresql://nobody@127.0.0.1:{free_port()}/gone"))
    yield engine
    engine.dispose()


@pytest.fixture
def app_engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
async def rasa_down() -> AsyncIterator[RasaClient]:
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    yield client
    await client.aclose()


async def test_the_database_down_mid_interview_says_her_answers_are_kept(refused: Engine) -> None:
    """walk9: Rasa read the answer with its store unreachable, started over and replied «No
    estoy segura…»; the person thought her proposal was gone. Now Rasa never reads it."""
    rasa = _RecordingRasa()
    core = ConversationCore(rasa, record_usage=False, engine=refused)  # type: ignore[arg-type]
    turn = await core.handle("u-db", "los microbuses no respetan el semáforo de la escuela",
                             channel="telegram")
    [reply] = turn.replies
    assert rasa.sent == [], "Rasa, without its store, would start the conversation over"
    assert "No estoy segura" not in reply.text
    assert "no se perdió" in reply.text and "mándame otra vez" in reply.text.lower()
    assert "911" in reply.text, "the emergency lines, as with every technical problem"
    assert turn.intent == "storage_down"


async def test_the_database_down_still_answers_danger_first(refused: Engine) -> None:
    rasa = _RecordingRasa()
    core = ConversationCore(rasa, record_usage=False, engine=refused)  # type: ignore[arg-type]
    turn = await core.handle("u-db2", "me está pegando mi pareja, auxilio", channel="telegram")
    assert turn.emergency and "911" in turn.replies[0].text
    assert rasa.sent == []


async def test_asked_where_she_is_survives_a_restart_with_rasa_down(
    app_engine: Engine, rasa_down: RasaClient
) -> None:
    """The centre button pressed with Rasa down: the core asks where she is itself. That
    question lived in the process's memory: after a restart «chalco» got «problema técnico»."""
    first = ConversationCore(rasa_down, record_usage=False, engine=app_engine)
    asked = await first.handle("u-place", "/buscar_centro", channel="telegram")
    assert asked.replies[0].custom == {"request_location": True}
    restarted = ConversationCore(rasa_down, record_usage=False, engine=app_engine)
    turn = await restarted.handle("u-place", "chalco", channel="telegram")
    text = "\n".join(r.text for r in turn.replies)
    assert "Chalco" in text and "problema técnico" not in text
    assert turn.location_keyboard_shown, "Telegram takes its «Compartir mi ubicación» key away"
    with session_scope(app_engine) as session:  # answered: the question's flag goes
        row = session.scalar(select(OfferedChoice).where(
            OfferedChoice.person_key == person_key("u-place")))
        # what stays is the list's «Ver más lugares» (beh10: «otros» presses it), never her words
        assert row is None or [b for b in row.buttons if b[1] == "/lugar_preguntado"] == []
        assert row is None or "chalco" not in str(row.buttons).lower()


async def test_only_that_the_place_was_asked_is_stored_never_her_words(
    app_engine: Engine, rasa_down: RasaClient
) -> None:
    core = ConversationCore(rasa_down, record_usage=False, engine=app_engine)
    await core.handle("u-flag", "/buscar_centro", channel="telegram")
    with session_scope(app_engine) as session:
        row = session.get(OfferedChoice, person_key("u-flag"))
        assert row is not None and row.buttons == [["📍", "/lugar_preguntado"]]
