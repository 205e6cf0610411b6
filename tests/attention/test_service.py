"""The queue in storage: one open request per person, staff replies claimed once, alerts once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from bot.attention import service

SENDER = "tg-3003"


def test_one_open_request_per_person(db_engine: Engine) -> None:
    first = service.open_request(SENDER, db_engine)
    again = service.open_request(SENDER, db_engine)
    assert first.created and not again.created and again.request_id == first.request_id


def test_a_staff_reply_is_claimed_by_one_sender_only(db_engine: Engine) -> None:
    request_id = service.open_request(SENDER, db_engine).request_id
    assert service.staff_reply(request_id, "ana", "Hola", db_engine)
    [outgoing] = service.pending_outgoing(engine=db_engine)
    # Two replicas read the same row; only the first claim wins.
    assert service.claim_message(outgoing.id, outgoing.attempts, db_engine)
    assert not service.claim_message(outgoing.id, outgoing.attempts, db_engine)
    service.mark_message(outgoing.id, True, engine=db_engine)
    assert service.pending_outgoing(engine=db_engine) == []


def test_a_failed_send_is_retried_and_a_block_gives_up(db_engine: Engine) -> None:
    request_id = service.open_request(SENDER, db_engine).request_id
    service.staff_reply(request_id, "ana", "Hola", db_engine)
    [outgoing] = service.pending_outgoing(engine=db_engine)
    service.claim_message(outgoing.id, 0, db_engine)
    service.mark_message(outgoing.id, False, engine=db_engine)
    [retry] = service.pending_outgoing(engine=db_engine)
    assert retry.attempts == 1
    service.claim_message(retry.id, 1, db_engine)
    service.mark_message(retry.id, False, give_up=True, engine=db_engine)
    assert service.pending_outgoing(engine=db_engine) == []


def test_empty_replies_and_closed_requests_queue_nothing(db_engine: Engine) -> None:
    request_id = service.open_request(SENDER, db_engine).request_id
    assert not service.staff_reply(request_id, "ana", "   ", db_engine)
    assert service.close(request_id, "ana", "nota", "Adiós", db_engine)
    assert not service.close(request_id, "ana", "otra", "Adiós", db_engine)
    assert not service.staff_reply(request_id, "ana", "¿Sigues?", db_engine)
    assert [o.text for o in service.pending_outgoing(engine=db_engine)] == ["Adiós"]


def test_overdue_requests_are_alerted_once(db_engine: Engine) -> None:
    request_id = service.open_request(SENDER, db_engine).request_id
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=31)
    assert service.overdue_unalerted(30, engine=db_engine) == []
    assert service.overdue_unalerted(30, now=later, engine=db_engine) == [request_id]
    assert service.claim_alert([request_id], db_engine) == [request_id]
    assert service.claim_alert([request_id], db_engine) == []
    assert service.overdue_unalerted(30, now=later, engine=db_engine) == []


def test_daily_counts_answers_and_the_median_first_reply(db_engine: Engine) -> None:
    start = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1)
    answered = service.open_request(SENDER, db_engine).request_id
    service.open_request("tg-3004", db_engine)
    service.staff_reply(answered, "ana", "Hola", db_engine)
    today = service.daily(start, db_engine)
    assert (today.opened, today.answered, today.closed) == (2, 1, 0)
    assert today.median_first_reply_minutes is not None and today.median_first_reply_minutes < 1
