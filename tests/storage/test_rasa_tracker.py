"""Rasa's conversation store, read and pruned by the application, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.engine import Engine

from bot.rasa.servers import tracker_store_config
from bot.storage import rasa_tracker
from bot.storage.db import make_engine, upgrade
from tests.storage.rasa_events import add_conversation, tracker_db


def sender() -> str:
    return f"tg-{uuid.uuid4().int % 10**10}"


def count(engine: Engine, who: str) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).where(rasa_tracker.events.c.sender_id == who)) or 0)


def test_the_bot_looks_where_rasa_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    written_by_rasa = tracker_store_config(url)["db"]
    assert written_by_rasa == str(tmp_path / "rasa_tracker.db")
    assert rasa_tracker.tracker_url(url) is None, "no file yet: Rasa never ran, nothing stored"
    Path(str(written_by_rasa)).touch()
    assert rasa_tracker.tracker_url(url) == f"sqlite:///{written_by_rasa}"
    pg = "postgresql://participa@db:5432/participa"
    assert rasa_tracker.tracker_url(pg) == "postgresql+psycopg://participa@db:5432/participa"
    assert tracker_store_config(pg)["db"] == "participa"


def test_no_tracker_yet_reads_as_nothing_stored(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    upgrade(url)
    engine = make_engine(url)
    assert rasa_tracker.tracker_engine(engine) is None
    assert rasa_tracker.summary(None, "tg-1").events == 0
    assert rasa_tracker.erase(None, "tg-1") == 0
    assert not (tmp_path / "rasa_tracker.db").exists(), "looking must not create Rasa's file"


def test_summary_gives_the_persons_own_messages(db_engine: Engine) -> None:
    tracker = tracker_db(db_engine)
    me, other = sender(), sender()
    add_conversation(tracker, me, ["hola", "quiero proponer algo"])
    add_conversation(tracker, other, ["mensaje de otra persona"])
    found = rasa_tracker.summary(rasa_tracker.tracker_engine(db_engine), me)
    assert found.events == 5
    assert [m["texto"] for m in found.messages] == ["hola", "quiero proponer algo"]
    assert all(m["fecha"].startswith("20") for m in found.messages)


def test_erase_deletes_only_that_conversation(db_engine: Engine) -> None:
    tracker = tracker_db(db_engine)
    me, other = sender(), sender()
    add_conversation(tracker, me, ["hola"])
    add_conversation(tracker, other, ["hola"])
    assert rasa_tracker.erase(tracker, me) == 3
    assert count(tracker, me) == 0 and count(tracker, other) == 3
    assert rasa_tracker.erase(tracker, me) == 0, "twice is harmless"


def test_idle_conversations_are_purged_recent_ones_kept(db_engine: Engine) -> None:
    tracker = tracker_db(db_engine)
    now = time.time()
    idle, active, woke_up = sender(), sender(), sender()
    add_conversation(tracker, idle, ["hace mucho"], at=now - 40 * 86_400)
    add_conversation(tracker, active, ["ayer"], at=now - 86_400)
    add_conversation(tracker, woke_up, ["hace mucho"], at=now - 40 * 86_400)
    add_conversation(tracker, woke_up, ["y hoy otra vez"], at=now - 60)
    dry = rasa_tracker.purge_idle(tracker, 30, dry_run=True, now=now)
    assert dry[0] >= 1 and count(tracker, idle) == 3, "a dry run deletes nothing"
    rasa_tracker.purge_idle(tracker, 30, now=now)
    assert count(tracker, idle) == 0
    assert count(tracker, active) == 3
    assert count(tracker, woke_up) == 6, "a conversation is idle by its last message, not its first"


def test_active_loop_is_the_form_still_waiting_for_an_answer(db_engine: Engine) -> None:
    tracker = tracker_db(db_engine)
    me, other = sender(), sender()
    add_conversation(tracker, me, ["quiero proponer algo"])
    add_conversation(tracker, other, ["hola"])
    assert rasa_tracker.active_loop(tracker, me) is None

    def loop(name: str | None) -> None:
        with tracker.begin() as conn:
            conn.execute(insert(rasa_tracker.events), [{
                "sender_id": me, "type_name": "active_loop", "timestamp": time.time(),
                "intent_name": None, "action_name": None,
                "data": json.dumps({"event": "active_loop", "name": name})}])

    loop("proposal_form")
    assert rasa_tracker.active_loop(tracker, me) == "proposal_form"
    assert rasa_tracker.active_loop(tracker, other) is None
    loop(None)  # the form ended
    assert rasa_tracker.active_loop(tracker, me) is None
    loop("proposal_form")
    add_conversation(tracker, me, ["otra sesión"])  # a new session forgets the old form
    assert rasa_tracker.active_loop(tracker, me) is None
    assert rasa_tracker.active_loop(None, me) is None


def _slot_store(tmp_path: Path, rows: list[tuple[str, dict[str, object]]]):  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite:///{tmp_path / 'rasa.db'}")
    rasa_tracker.metadata.create_all(engine)
    with engine.begin() as conn:
        for kind, data in rows:
            conn.execute(rasa_tracker.events.insert().values(
                sender_id="tg-1", type_name=kind, timestamp=0.0, data=json.dumps(data)))
    return engine


def test_the_last_value_of_a_slot_and_a_restart_forgets_it(tmp_path: Path) -> None:
    slot = {"event": "slot", "name": "proposal_intake_id", "value": "abc"}
    engine = _slot_store(tmp_path, [("slot", slot), ("slot", {"event": "slot", "name": "x", "value": 1})])
    assert rasa_tracker.slot_value(engine, "tg-1", "proposal_intake_id") == "abc"
    assert rasa_tracker.slot_value(engine, "tg-2", "proposal_intake_id") is None
    with engine.begin() as conn:
        conn.execute(rasa_tracker.events.insert().values(
            sender_id="tg-1", type_name="slot", timestamp=0.0,
            data=json.dumps({"event": "slot", "name": "proposal_intake_id", "value": None})))
    assert rasa_tracker.slot_value(engine, "tg-1", "proposal_intake_id") is None
    assert rasa_tracker.slot_value(None, "tg-1", "proposal_intake_id") is None
