"""Rasa's conversation store (its SQL tracker store, table ``events``), read and pruned from here.

Rasa writes it (``nlu/tracker_stores/scrubbing.py``, configured by ``bot/rasa/servers.py``); the
application only reads a person's events for ``/mis_datos``, deletes them for ``/borrar``, and
deletes idle conversations for the retention purge. Where it lives follows the application's
database: with PostgreSQL the same database; with SQLite a ``rasa_tracker.db`` file next to the
application's file (Rasa 3.6 pins SQLAlchemy 1.4, so it cannot share the application's file
handle, and one writer per SQLite file keeps locking simple).

The table belongs to Rasa: it is described here with Rasa's own columns on a separate
``MetaData`` so Alembic never creates or changes it, and it may not exist yet (Rasa creates it
when it first starts), which reads as "no events".

Deleting a sender's rows ends that conversation: Rasa reads the events back on every turn (its
tracker store's memory of recent conversations is checked against the newest event id, so an
erasure is never missed), and the next message starts a new session.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import make_url

from bot.config import get_settings
from bot.storage.db import engine_for, normalize_url

TRACKER_FILE = "rasa_tracker.db"

metadata = MetaData()
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def sqlite_tracker_path(database: str | None) -> Path:
    """The tracker file Rasa uses next to the application's SQLite file."""
    return Path(database or "participa.db").with_name(TRACKER_FILE)


def tracker_url(database_url: str) -> str | None:
    """Rasa's tracker database for the application's ``database_url``.

    None for an SQLite tracker file that does not exist yet (Rasa never ran: nothing stored).
    """
    url = make_url(normalize_url(database_url))
    if url.get_backend_name() != "sqlite":
        return url.render_as_string(hide_password=False)
    if not url.database or url.database == ":memory:":
        return None
    path = sqlite_tracker_path(url.database)
    return f"sqlite:///{path}" if path.exists() else None


def tracker_engine(app_engine: Engine | None = None) -> Engine | None:
    """An engine on Rasa's tracker database (the application's own engine for PostgreSQL)."""
    if app_engine is None:
        url = tracker_url(get_settings().database_url)
        return engine_for(url) if url else None
    if app_engine.dialect.name != "sqlite":
        return app_engine
    url = tracker_url(app_engine.url.render_as_string(hide_password=False))
    return engine_for(url) if url else None


def _has_table(engine: Engine) -> bool:
    return inspect(engine).has_table("events")


@dataclass
class TrackerSummary:
    """What Rasa holds for one sender: every event, and the person's own messages."""

    events: int
    messages: list[dict[str, Any]]


def summary(engine: Engine | None, sender: str) -> TrackerSummary:
    """The sender's stored events: the count, and the text and time of each of their messages."""
    if engine is None or not _has_table(engine):
        return TrackerSummary(0, [])
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).where(events.c.sender_id == sender)) or 0
        rows = conn.execute(
            select(events.c.timestamp, events.c.data)
            .where(events.c.sender_id == sender, events.c.type_name == "user")
            .order_by(events.c.id)
        ).all()
    messages = []
    for timestamp, data in rows:
        try:
            text = json.loads(data or "{}").get("text") or ""
        except (json.JSONDecodeError, AttributeError):
            text = ""
        when = dt.datetime.fromtimestamp(timestamp or 0, dt.UTC).isoformat(timespec="seconds")
        messages.append({"fecha": when, "texto": text})
    return TrackerSummary(int(count), messages)


def active_loop(engine: Engine | None, sender: str) -> str | None:
    """The form Rasa is running for ``sender`` (its last question awaits an answer), or None.

    Read so the core can tell a bare "sí" that answers nothing from one that answers a form.
    """
    if engine is None or not _has_table(engine):
        return None
    with engine.connect() as conn:
        row = conn.execute(
            select(events.c.type_name, events.c.data)
            .where(events.c.sender_id == sender,
                   events.c.type_name.in_(("active_loop", "session_started", "restart")))
            .order_by(events.c.id.desc()).limit(1)
        ).first()
    if row is None or row.type_name != "active_loop":
        return None
    try:
        name = json.loads(row.data or "{}").get("name")
    except (json.JSONDecodeError, AttributeError):
        return None
    return name if isinstance(name, str) and name else None


def slot_value(engine: Engine | None, sender: str, name: str) -> Any:
    """The value Rasa last set for slot ``name`` of ``sender`` (None when unset, reset or no store).

    Read so the core can tell a stale proposal button from one whose proposal still waits.
    """
    if engine is None or not _has_table(engine):
        return None
    marker = f'"name": "{name}"'
    with engine.connect() as conn:
        rows = conn.execute(
            select(events.c.type_name, events.c.data)
            .where(events.c.sender_id == sender,
                   events.c.type_name.in_(("slot", "restart")))
            .order_by(events.c.id.desc()).limit(200)
        ).all()
    for type_name, data in rows:
        if type_name == "restart":
            return None
        if marker not in (data or "") and f'"name":"{name}"' not in (data or ""):
            continue
        try:
            parsed = json.loads(data or "{}")
        except json.JSONDecodeError:
            return None
        if isinstance(parsed, dict) and parsed.get("name") == name:
            return parsed.get("value")
    return None


def erase(engine: Engine | None, sender: str) -> int:
    """Delete every event of ``sender``; returns how many."""
    if engine is None or not _has_table(engine):
        return 0
    with engine.begin() as conn:
        result = conn.execute(delete(events).where(events.c.sender_id == sender))
        return int(result.rowcount or 0)


def idle_senders_filter(cutoff: float) -> Any:
    """Senders whose newest event is older than ``cutoff`` (seconds since the epoch)."""
    newest = (
        select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(func.max(events.c.timestamp) < cutoff)
    )
    return events.c.sender_id.in_(newest.scalar_subquery())


def purge_idle(engine: Engine | None, days: int, dry_run: bool = False,
               now: float | None = None) -> tuple[int, int]:
    """Delete the conversations idle for more than ``days``: (conversations, events)."""
    if engine is None or not _has_table(engine):
        return 0, 0
    cutoff = (now if now is not None else time.time()) - days * 86_400
    condition = idle_senders_filter(cutoff)
    with engine.begin() as conn:
        if dry_run:
            senders = conn.scalar(select(func.count(func.distinct(events.c.sender_id))).where(condition))
            count = conn.scalar(select(func.count()).where(condition))
            return int(senders or 0), int(count or 0)
        # Counted from what this very statement deleted: two purges at once (several replicas,
        # cron and serve) never report the same conversations twice.
        deleted = conn.execute(delete(events).where(condition).returning(events.c.sender_id)).scalars().all()
        return len(set(deleted)), len(deleted)
