"""The buffered usage counter writes what it counted, once, and keeps it when the database fails."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from bot.conversation import usage


def test_buffer_writes_its_counts_on_flush(db_engine: Engine) -> None:
    day = dt.date(2026, 3, 8)
    buffer = usage.UsageBuffer(db_engine, interval=3600)
    for _ in range(5):
        assert buffer.add("faq", "telegram", day=day) is False
    buffer.add("greet", "terminal", day=day)
    assert usage.counts(engine=db_engine, day=day) == {}
    assert buffer.flush() == 6
    assert buffer.flush() == 0
    assert usage.counts(engine=db_engine, day=day) == {"faq": 5, "greet": 1}


def test_buffer_is_due_at_once_with_interval_zero(db_engine: Engine) -> None:
    assert usage.UsageBuffer(db_engine, interval=0).add("faq", "telegram") is True


def test_a_failed_flush_keeps_the_counts_for_the_next_try(db_engine: Engine) -> None:
    day = dt.date(2026, 3, 9)
    broken = usage.UsageBuffer(create_engine("sqlite:///file:nowhere?mode=ro&uri=true"), interval=0)
    broken.add("faq", "telegram", day=day)
    with pytest.raises(Exception):  # noqa: B017 - any database error
        broken.flush()
    broken.engine = db_engine
    assert broken.flush() == 1
    assert usage.counts(engine=db_engine, day=day) == {"faq": 1}
