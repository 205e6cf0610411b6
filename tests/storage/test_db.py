"""Migrations and the usage counter work the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from bot.conversation import usage
from bot.storage.db import normalize_url


def test_migrations_create_the_tables(db_engine: Engine) -> None:
    assert "usage_daily" in inspect(db_engine).get_table_names()


def test_usage_counts_add_up_per_day_and_intent(db_engine: Engine) -> None:
    day = dt.date(2026, 11, 21)
    for _ in range(3):
        usage.record("faq", "telegram", engine=db_engine, day=day)
    usage.record("greet", "terminal", engine=db_engine, day=day)
    usage.record("faq", "terminal", engine=db_engine, day=day)
    assert usage.counts(engine=db_engine, day=day) == {"faq": 4, "greet": 1}


def test_concurrent_increments_lose_nothing(db_engine: Engine) -> None:
    day = dt.date(2026, 1, 1)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(
            pool.map(
                lambda _: usage.record("faq", "telegram", engine=db_engine, day=day), range(80)
            )
        )
    assert usage.counts(engine=db_engine, day=day) == {"faq": 80}


def test_plain_postgresql_urls_use_psycopg3() -> None:
    assert normalize_url("postgresql://u:p@h:5432/d").startswith("postgresql+psycopg://")
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"
