"""Anonymous usage counts (intent per day and channel); never message text."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.storage.db import session_scope
from bot.storage.models import UsageDaily


def record(
    intent: str, channel: str, engine: Engine | None = None, day: dt.date | None = None
) -> None:
    """Add one to today's count for ``intent`` on ``channel`` (an atomic upsert)."""
    day = day or dt.date.today()
    with session_scope(engine) as session:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(UsageDaily).values(
            day=day, channel=channel[:20], intent=intent[:120], count=1
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["day", "channel", "intent"],
            set_={"count": UsageDaily.count + 1},
        )
        session.execute(stmt)


def counts(engine: Engine | None = None, day: dt.date | None = None) -> dict[str, int]:
    """Intent → count for ``day`` (all channels)."""
    with session_scope(engine) as session:
        query = select(UsageDaily.intent, UsageDaily.count)
        if day:
            query = query.where(UsageDaily.day == day)
        result: dict[str, int] = {}
        for intent, count in session.execute(query):
            result[intent] = result.get(intent, 0) + count
        return result
