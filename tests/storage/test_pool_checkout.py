"""A pooled PostgreSQL connection the server closed is replaced without a ping per checkout.

``bot/storage/db.py`` checks, before a pooled connection is handed out, whether the server hung
up (its socket is readable while idle) instead of sending ``SELECT 1`` and waiting each time.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.storage.db import make_engine, normalize_url


def test_a_connection_the_server_closed_is_replaced_without_pinging(
    pg_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(pg_database_url)
    pings: list[Any] = []
    original = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(conn) or original(conn))
    admin = create_engine(normalize_url(pg_database_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            first = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as conn:  # the same pooled connection again
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == first
        with admin.connect() as conn:  # as a restart or an idle timeout would
            # (waits until the backend is gone: the signal is delivered asynchronously)
            assert conn.execute(
                text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": first}
            ).scalar()
        with engine.connect() as conn:  # no error: the dead one is dropped at checkout
            second = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    finally:
        engine.dispose()
        admin.dispose()
    assert second != first
    assert pings == []  # no SELECT 1 round trip per checkout
