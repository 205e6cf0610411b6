"""Rasa's ``events`` table as Rasa leaves it, for tests that run without a Rasa server.

Rows are written the way Rasa's SQL tracker store writes them (one JSON event per row). On
PostgreSQL the table lives in the application's database (shared with a Rasa server the
session may run, so it is created only if missing and never dropped); on SQLite in the
``rasa_tracker.db`` file next to the application's file.
"""

from __future__ import annotations

import json
import time

from sqlalchemy import Engine, insert

from bot.storage import rasa_tracker
from bot.storage.db import engine_for


def tracker_db(app_engine: Engine) -> Engine:
    """Rasa's tracker database for ``app_engine``, with its ``events`` table."""
    if app_engine.dialect.name == "sqlite":
        path = rasa_tracker.sqlite_tracker_path(app_engine.url.database)
        engine = engine_for(f"sqlite:///{path}")
    else:
        engine = app_engine
    rasa_tracker.metadata.create_all(engine, checkfirst=True)
    return engine


def add_conversation(engine: Engine, sender: str, texts: list[str], at: float | None = None) -> int:
    """A session start, then each text and a bot answer to it; returns the rows written."""
    moment = at if at is not None else time.time()
    rows = [{"sender_id": sender, "type_name": "session_started", "timestamp": moment,
             "intent_name": None, "action_name": None,
             "data": json.dumps({"event": "session_started", "timestamp": moment})}]
    for i, text in enumerate(texts):
        when = moment + i + 0.5
        rows.append({"sender_id": sender, "type_name": "user", "timestamp": when,
                     "intent_name": "faq", "action_name": None,
                     "data": json.dumps({"event": "user", "text": text, "timestamp": when})})
        rows.append({"sender_id": sender, "type_name": "bot", "timestamp": when + 0.1,
                     "intent_name": None, "action_name": None,
                     "data": json.dumps({"event": "bot", "text": "Respuesta", "timestamp": when})})
    with engine.begin() as conn:
        conn.execute(insert(rasa_tracker.events), rows)
    return len(rows)
