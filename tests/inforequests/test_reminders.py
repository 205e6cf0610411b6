"""The reminder the day after the due date: once, even with two replicas on PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

from sqlalchemy import Engine, select

from bot.conversation.replies import Reply
from bot.identity import person_key
from bot.inforequests import reminders, store
from bot.inforequests.deadlines import deadline
from bot.storage.db import make_engine, session_scope, upgrade
from bot.storage.models import InfoRequest

FILED = dt.date(2026, 12, 1)  # due 22 December 2026


def _save(engine: Engine, sender: str, folio: str, chat: int | None) -> int:
    store.save(person_key(sender), "mun:15033", folio, FILED, deadline(FILED, "mun:15033"), engine, chat)
    with session_scope(engine) as session:
        return int(session.scalar(select(InfoRequest.id).where(InfoRequest.folio == folio)) or 0)


def test_due_only_the_day_after_the_due_date_and_only_with_a_chat(db_engine: Engine) -> None:
    _save(db_engine, "tg-801", "R-801", 801)
    _save(db_engine, "terminal-802", "R-802", None)  # no chat: nowhere to remind
    assert reminders.due(dt.date(2026, 12, 22), db_engine) == []  # the due date itself
    [item] = reminders.due(dt.date(2026, 12, 23), db_engine)
    assert (item.chat_id, item.folio) == (801, "R-801")


async def test_send_due_sends_once_and_marks_it(db_engine: Engine) -> None:
    _save(db_engine, "tg-811", "R-811", 811)
    sent: list[tuple[int, Reply]] = []

    async def send(chat: int, reply: Reply) -> bool:
        sent.append((chat, reply))
        return True

    assert await reminders.send_due(send, dt.date(2026, 12, 23), db_engine) == 1
    assert await reminders.send_due(send, dt.date(2026, 12, 24), db_engine) == 0
    [(chat, reply)] = sent
    assert chat == 811
    assert reply.text.startswith("¿Te respondieron? Tu solicitud con folio R-811 al Ayuntamiento de Ecatepec")
    assert [b.title for b in reply.buttons] == ["Sí", "No"]


async def test_a_failed_send_is_not_retried(db_engine: Engine) -> None:
    _save(db_engine, "tg-812", "R-812", 812)
    calls: list[int] = []

    async def failing(chat: int, reply: Reply) -> bool:
        calls.append(chat)
        return False

    assert await reminders.send_due(failing, dt.date(2026, 12, 23), db_engine) == 0
    assert await reminders.send_due(failing, dt.date(2026, 12, 24), db_engine) == 0
    assert calls == [812]  # may go missing, never twice


def test_two_replicas_on_postgresql_never_send_twice(pg_database_url: str) -> None:
    upgrade(pg_database_url)
    first, second = make_engine(pg_database_url), make_engine(pg_database_url)
    try:
        with session_scope(first) as session:
            session.query(InfoRequest).filter(InfoRequest.folio.like("TWIN-%")).delete()
        ids = [_save(first, f"tg-90{i}", f"TWIN-{i}", 900 + i) for i in range(20)]
        sent: list[int] = []
        lock = threading.Lock()
        barrier = threading.Barrier(2)

        def replica(engine: Engine) -> None:
            async def send(chat: int, reply: Reply) -> bool:
                with lock:
                    sent.append(chat)
                await asyncio.sleep(0)
                return True

            barrier.wait()
            asyncio.run(reminders.send_due(send, dt.date(2026, 12, 23), engine))

        threads = [threading.Thread(target=replica, args=(e,)) for e in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(sent) == [900 + i for i in range(20)]  # each chat exactly once
        with session_scope(first) as session:
            rows = session.scalars(select(InfoRequest).where(InfoRequest.id.in_(ids))).all()
            assert all(r.reminder_claimed_at and r.reminder_sent_at for r in rows)
    finally:
        first.dispose()
        second.dispose()
