"""Rasa's tracker store and lock store talk to PostgreSQL and Redis off the event loop.

Rasa calls both from its (single) event loop; a synchronous query there stops the whole Sanic
worker, every other conversation in it included, for each round trip. Runs in Rasa's own
environment against a real PostgreSQL database and Redis; what is checked is on which thread
each SQL statement and each Redis command runs, and that the results are Rasa's: the same events
read back, and the same ticket lock (a second turn of the same conversation waits for the first).
"""

from __future__ import annotations

import json
import socket
import subprocess

import pytest

from bot.config import PROJECT_ROOT, get_settings
from bot.rasa.servers import REDIS_LOCK_STORE, tracker_store_config

SCRIPT = """
import asyncio, json, sys, threading, uuid
sys.path.insert(0, "nlu")
from rasa.core.lock_store import LockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import event
from tracker_stores.scrubbing import ScrubbingSQLTrackerStore

config = json.loads(sys.argv[1])
config.pop("type")
store = ScrubbingSQLTrackerStore(domain=Domain.empty(), **config)
threads = {"sql": [], "redis": []}
event.listen(store.engine, "before_cursor_execute",
             lambda *args: threads["sql"].append(threading.get_ident()))
locks = LockStore.create(EndpointConfig.from_dict(json.loads(sys.argv[2])))
command = locks.red.execute_command
def counted(*args, **kwargs):
    threads["redis"].append(threading.get_ident())
    return command(*args, **kwargs)
locks.red.execute_command = counted


def said(tracker, text):
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(ActionExecuted("action_listen"))


async def turn(sender, text, order):
    async with locks.lock(sender):
        order.append(text + " starts")
        tracker = await store.get_or_create_tracker(sender)
        said(tracker, text)
        await asyncio.sleep(0.01)
        await store.save(tracker)
        order.append(text + " ends")


async def main():
    loop_thread = threading.get_ident()
    sender = "offloop-" + uuid.uuid4().hex
    order = []
    await turn(sender, "hola", order)
    await asyncio.gather(turn(sender, "uno", order), turn(sender, "dos", order))
    again = await store.retrieve(sender)
    print(json.dumps({
        "class": type(locks).__name__,
        "sql": len(threads["sql"]), "sql_on_loop": threads["sql"].count(loop_thread),
        "redis": len(threads["redis"]), "redis_on_loop": threads["redis"].count(loop_thread),
        "texts": [e.text for e in again.events if isinstance(e, UserUttered)],
        "order": order,
        "lock_left": locks.get_lock(sender) is not None,
    }))

asyncio.run(main())
"""


def redis_up(port: int = 6379) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_sql_and_redis_run_off_the_event_loop_with_the_same_results(pg_database_url: str) -> None:
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    if not redis_up():
        pytest.skip("Redis no responde en 127.0.0.1:6379")
    lock_store = {"type": REDIS_LOCK_STORE, "url": "127.0.0.1", "port": 6379, "db": 1,
                  "key_prefix": "participatest"}
    done = subprocess.run(
        [str(python), "-W", "ignore", "-c", SCRIPT,
         json.dumps(tracker_store_config(pg_database_url)), json.dumps(lock_store)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["class"] == "ThreadedRedisLockStore"
    assert result["sql"] > 0 and result["sql_on_loop"] == 0
    assert result["redis"] > 0 and result["redis_on_loop"] == 0
    # Rasa's results: every turn stored, one turn of a conversation at a time, no lock left.
    assert sorted(result["texts"]) == ["dos", "hola", "uno"]
    first = result["order"][2].split()[0]
    second = ({"uno", "dos"} - {first}).pop()
    assert result["order"][2:] == [f"{first} starts", f"{first} ends",
                                   f"{second} starts", f"{second} ends"]
    assert result["lock_left"] is False
