"""The delivery rows as a work queue: claim one, record its result, recover after a crash.

Every function is one short transaction. On PostgreSQL a claim locks the row it
picks with ``FOR UPDATE SKIP LOCKED``, so senders running at the same time pick
different rows without waiting for each other; on SQLite the whole database is
locked for the write, which is just as safe but serialises senders (run one).

Senders hold a lease on their name (``broadcast_senders``) with a heartbeat, so
that no two live processes share a name, and so that the claims of a sender that
died and never came back can be declared ``unknown`` by the others.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from bot.storage.db import rowcount, session_scope
from bot.storage.models import BroadcastSender, Delivery, Subscriber


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    chat_id: int


def claim_next(campaign_id: int, sender_id: str, lane: int, engine: Engine | None = None) -> Claim | None:
    """Take one pending delivery of the campaign for this sender's lane (None: nothing left).

    Deliveries whose person unsubscribed after the campaign started are marked
    ``skipped`` on the way.
    """
    while True:
        with session_scope(engine) as session:
            other = aliased(Delivery)  # not correlated with the row being updated
            candidate = (
                select(other.id)
                .where(other.campaign_id == campaign_id, other.state == "pending")
                .limit(1)
                .with_for_update(skip_locked=True)
                .scalar_subquery()
            )
            row = session.execute(
                update(Delivery)
                .where(Delivery.id == candidate)
                .values(state="claimed", claimed_by=sender_id, lane=lane, claimed_at=utcnow(),
                        attempts=Delivery.attempts + 1)
                .returning(Delivery.id, Delivery.subscriber_id)
            ).first()
            if row is None:
                return None
            delivery_id, subscriber_id = row
            chat_id = (
                session.scalar(select(Subscriber.chat_id).where(Subscriber.id == subscriber_id))
                if subscriber_id is not None
                else None
            )
            if chat_id is not None:
                return Claim(delivery_id, int(chat_id))
            session.execute(
                update(Delivery).where(Delivery.id == delivery_id)
                .values(state="skipped", finished_at=utcnow(), error="unsubscribed")
            )


def record(
    delivery_id: int, sender_id: str, state: str, error: str | None = None,
    engine: Engine | None = None,
) -> bool:
    """Final state of a claimed delivery; False if the claim was no longer ours (see recover)."""
    with session_scope(engine) as session:
        changed = rowcount(session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.state == "claimed",
                   Delivery.claimed_by == sender_id)
            .values(state=state, finished_at=utcnow(), error=error[:200] if error else None)
        ))
    return bool(changed)


def release(delivery_id: int, sender_id: str, engine: Engine | None = None) -> None:
    """Give a claim back untouched: only when Telegram certainly did not take the message."""
    with session_scope(engine) as session:
        session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.state == "claimed",
                   Delivery.claimed_by == sender_id)
            .values(state="pending", claimed_by=None, lane=None, claimed_at=None)
        )


def recover(sender_id: str, engine: Engine | None = None) -> int:
    """A (re)starting sender's own claims become ``unknown``: they may have been delivered."""
    with session_scope(engine) as session:
        return int(rowcount(session.execute(
            update(Delivery)
            .where(Delivery.state == "claimed", Delivery.claimed_by == sender_id)
            .values(state="unknown", finished_at=utcnow(), error="sender stopped mid-send")
        )) or 0)


def recover_dead(stale_after: dt.timedelta, engine: Engine | None = None) -> int:
    """Claims of senders whose heartbeat stopped ``stale_after`` ago become ``unknown``."""
    cutoff = utcnow() - stale_after
    with session_scope(engine) as session:
        dead = select(BroadcastSender.sender_id).where(BroadcastSender.heartbeat_at < cutoff)
        changed = rowcount(session.execute(
            update(Delivery)
            .where(Delivery.state == "claimed", Delivery.claimed_by.in_(dead))
            .values(state="unknown", finished_at=utcnow(), error="sender died mid-send")
        ))
        return int(changed or 0)


# -- leases ---------------------------------------------------------------------------------


class SenderBusy(Exception):
    """Another live process already sends under this name."""


def process_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"


def _process_gone(token: str) -> bool:
    """True when the lease holder ran on this machine and its process no longer exists."""
    host, _, rest = token.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def acquire_lease(
    sender_id: str, token: str, stale_after: dt.timedelta, engine: Engine | None = None
) -> None:
    """Hold the name ``sender_id``; raises SenderBusy while another live process holds it.

    The holder is taken as gone when its heartbeat is older than ``stale_after``, or
    at once when it ran on this machine and its process has died (e.g. SIGKILL).
    """
    now = utcnow()
    with session_scope(engine) as session:
        holder = session.get(BroadcastSender, sender_id)
        if holder is None:
            session.add(BroadcastSender(sender_id=sender_id, token=token, started_at=now,
                                        heartbeat_at=now))
            try:
                session.flush()
                return
            except IntegrityError:
                raise SenderBusy(sender_id) from None
        if holder.token != token and holder.heartbeat_at >= now - stale_after and not _process_gone(
            holder.token
        ):
            age = (now - holder.heartbeat_at).total_seconds()
            raise SenderBusy(f"{sender_id} (último latido hace {age:.0f} s)")
        taken = rowcount(session.execute(
            update(BroadcastSender)
            .where(BroadcastSender.sender_id == sender_id, BroadcastSender.token == holder.token)
            .values(token=token, started_at=now, heartbeat_at=now)
        ))
        if not taken:
            raise SenderBusy(sender_id)


def heartbeat(sender_id: str, token: str, engine: Engine | None = None) -> bool:
    """Renew the lease; False when another process took the name over."""
    with session_scope(engine) as session:
        return bool(rowcount(session.execute(
            update(BroadcastSender)
            .where(BroadcastSender.sender_id == sender_id, BroadcastSender.token == token)
            .values(heartbeat_at=utcnow())
        )))


def release_lease(sender_id: str, token: str, engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        session.execute(
            delete(BroadcastSender)
            .where(BroadcastSender.sender_id == sender_id, BroadcastSender.token == token)
        )
