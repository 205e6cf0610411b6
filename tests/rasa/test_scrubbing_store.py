"""Rasa's tracker store (nlu/tracker_stores/scrubbing.py) reads each conversation from memory.

Runs in Rasa's own environment against a real PostgreSQL database. A new conversation is
remembered from its first turn, so neither its first save (counting stored events) nor its second
turn (reading them all back) asks the database more than for the newest event id; what another
Rasa replica writes is still read.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.config import PROJECT_ROOT, get_settings
from bot.rasa.servers import tracker_store_config

SCRIPT = """
import asyncio, json, sys, uuid
sys.path.insert(0, "nlu")
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from sqlalchemy import event
from tracker_stores.scrubbing import ScrubbingSQLTrackerStore

config = json.loads(sys.argv[1])
config.pop("type")
store = ScrubbingSQLTrackerStore(domain=Domain.empty(), **config)
statements = []
event.listen(store.engine, "before_cursor_execute",
             lambda conn, cursor, statement, *rest: statements.append(statement))


def kinds(done):
    reads = [s for s in done if s.lstrip().upper().startswith("SELECT") and "events.data" in s]
    counts = [s for s in done if "count(" in s.lower()]
    return {"full_reads": len(reads), "counts": len(counts)}


def said(tracker, text):
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(ActionExecuted("action_listen"))


async def main():
    sender = "store-" + uuid.uuid4().hex
    statements.clear()
    tracker = await store.get_or_create_tracker(sender)
    said(tracker, "hola")
    await store.save(tracker)
    first = kinds(statements)
    statements.clear()
    tracker = await store.retrieve(sender)
    said(tracker, "otra cosa")
    await store.save(tracker)
    second = kinds(statements)
    replica = ScrubbingSQLTrackerStore(domain=Domain.empty(), **config)
    other = await replica.retrieve(sender)
    said(other, "desde otra replica")
    await replica.save(other)
    again = await store.retrieve(sender)
    texts = [e.text for e in again.events if isinstance(e, UserUttered)]
    print(json.dumps({"first": first, "second": second, "texts": texts}))

asyncio.run(main())
"""


def test_a_new_conversation_is_read_from_memory_and_another_replica_is_still_seen(
    pg_database_url: str,
) -> None:
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    config = tracker_store_config(pg_database_url)
    done = subprocess.run([str(python), "-W", "ignore", "-c", SCRIPT, json.dumps(config)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # The first turn creates the conversation without counting its (zero) stored events...
    assert result["first"] == {"full_reads": 1, "counts": 0}
    # ...and the second reads it from memory (only the newest event id is asked).
    assert result["second"] == {"full_reads": 0, "counts": 0}
    assert result["texts"] == ["hola", "otra cosa", "desde otra replica"]
