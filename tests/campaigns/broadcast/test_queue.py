"""Delivery rows as a queue on SQLite and PostgreSQL: claims, results, crash recovery, leases."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from bot.campaigns import service as campaigns
from bot.campaigns import subscriptions
from bot.campaigns.broadcast import queue
from bot.storage.db import session_scope
from bot.storage.models import BroadcastSender, Delivery

STALE = dt.timedelta(seconds=60)


def started_campaign(engine: Engine, chats: range) -> int:
    for chat in chats:
        subscriptions.subscribe(chat, "gobierno_abierto", engine)
    campaign = campaigns.create(campaigns.CampaignDraft(
        title="Avances del plan", text="Hola", topic="gobierno_abierto", created_by="stl"), engine)
    campaigns.start(campaign.id, engine)
    return campaign.id


def states(engine: Engine, campaign_id: int) -> dict[str, int]:
    return {k: v for k, v in campaigns.progress(campaign_id, engine).items() if v}


def test_claim_send_record(db_engine: Engine) -> None:
    campaign_id = started_campaign(db_engine, range(10, 13))
    claims = [queue.claim_next(campaign_id, "s1", 0, db_engine) for _ in range(3)]
    assert sorted(c.chat_id for c in claims if c) == [10, 11, 12]
    assert queue.claim_next(campaign_id, "s1", 0, db_engine) is None, "nothing pending"
    assert states(db_engine, campaign_id) == {"claimed": 3}
    assert claims[0] and queue.record(claims[0].delivery_id, "s1", "sent", engine=db_engine)
    assert not queue.record(claims[0].delivery_id, "s1", "failed", engine=db_engine), "only once"
    assert claims[1] and not queue.record(claims[1].delivery_id, "s2", "sent", engine=db_engine), \
        "only by its sender"
    assert states(db_engine, campaign_id) == {"claimed": 2, "sent": 1}


def test_a_restarted_sender_reports_its_claims_unknown_and_resends_nothing(db_engine: Engine) -> None:
    campaign_id = started_campaign(db_engine, range(20, 25))
    in_flight = queue.claim_next(campaign_id, "s1", 0, db_engine)
    other = queue.claim_next(campaign_id, "s2", 0, db_engine)
    assert in_flight and other
    assert queue.recover("s1", db_engine) == 1
    assert states(db_engine, campaign_id) == {"pending": 3, "claimed": 1, "unknown": 1}
    assert not queue.record(in_flight.delivery_id, "s1", "sent", engine=db_engine), "too late"
    left = {c.chat_id for c in iter(lambda: queue.claim_next(campaign_id, "s1", 0, db_engine), None)}
    assert in_flight.chat_id not in left and other.chat_id not in left and len(left) == 3


def test_a_released_claim_goes_back_to_the_queue(db_engine: Engine) -> None:
    campaign_id = started_campaign(db_engine, range(30, 31))
    claim = queue.claim_next(campaign_id, "s1", 0, db_engine)
    assert claim
    queue.release(claim.delivery_id, "s1", db_engine)
    again = queue.claim_next(campaign_id, "s1", 0, db_engine)
    assert again and again.delivery_id == claim.delivery_id


def test_who_left_after_the_start_is_skipped(db_engine: Engine) -> None:
    campaign_id = started_campaign(db_engine, range(40, 43))
    subscriptions.unsubscribe_all(41, db_engine)
    claimed = [c.chat_id for c in iter(lambda: queue.claim_next(campaign_id, "s1", 0, db_engine), None)]
    assert sorted(claimed) == [40, 42]
    assert states(db_engine, campaign_id) == {"claimed": 2, "skipped": 1}


def test_concurrent_claims_never_share_a_row(db_engine: Engine) -> None:
    campaign_id = started_campaign(db_engine, range(100, 160))

    def drain(name: str) -> list[int]:
        got = []
        while (claim := queue.claim_next(campaign_id, name, 0, db_engine)) is not None:
            got.append(claim.delivery_id)
        return got

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(drain, ["a", "b", "c", "d"]))
    everything = [d for r in results for d in r]
    assert len(everything) == len(set(everything)) == 60


def test_leases(db_engine: Engine) -> None:
    queue.acquire_lease("host-a", "otra-maquina:1:aa", STALE, db_engine)
    with pytest.raises(queue.SenderBusy, match="host-a"):
        queue.acquire_lease("host-a", "otra-maquina:2:bb", STALE, db_engine)
    assert queue.heartbeat("host-a", "otra-maquina:1:aa", db_engine)
    with session_scope(db_engine) as session:  # its heartbeat stops
        session.execute(update(BroadcastSender).values(
            heartbeat_at=queue.utcnow() - dt.timedelta(minutes=5)))
    queue.acquire_lease("host-a", "otra-maquina:2:bb", STALE, db_engine)
    assert not queue.heartbeat("host-a", "otra-maquina:1:aa", db_engine), "the old holder lost it"
    queue.release_lease("host-a", "otra-maquina:2:bb", db_engine)
    queue.acquire_lease("host-a", "otra-maquina:3:cc", STALE, db_engine)


def test_a_dead_process_on_this_machine_gives_its_name_back_at_once(db_engine: Engine) -> None:
    import socket
    import subprocess

    dead_pid = subprocess.Popen(["true"])
    dead_pid.wait()
    queue.acquire_lease("here", f"{socket.gethostname()}:{dead_pid.pid}:aa", STALE, db_engine)
    queue.acquire_lease("here", queue.process_token(), STALE, db_engine)


def test_claims_of_a_sender_that_never_came_back_become_unknown(db_engine: Engine) -> None:
    campaign_id = started_campaign(db_engine, range(50, 52))
    queue.acquire_lease("gone", "otra-maquina:1:aa", STALE, db_engine)
    assert queue.claim_next(campaign_id, "gone", 0, db_engine)
    assert queue.recover_dead(STALE, db_engine) == 0, "its heartbeat is fresh"
    with session_scope(db_engine) as session:
        session.execute(update(BroadcastSender).values(
            heartbeat_at=queue.utcnow() - dt.timedelta(minutes=5)))
    assert queue.recover_dead(STALE, db_engine) == 1
    with session_scope(db_engine) as session:
        assert session.scalar(select(Delivery.error).where(Delivery.state == "unknown")) == \
            "sender died mid-send"
