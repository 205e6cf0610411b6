"""The attention queue in storage: open a request, keep its messages, staff replies, close it.

A request stores the person's Telegram address, so it is opened only with a consent (purpose
``atencion``, recorded in the same transaction). Staff replies and the closing message are an
outbox: :func:`claim_message` counts the attempt before sending, conditioned on the count the
sender saw, so of two bot replicas only one sends each message (as proposal notifications do).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import Engine, Select, delete, func, select, update
from sqlalchemy.orm import Session

from bot.identity import person_key
from bot.privacy import consent as consents
from bot.storage.db import session_scope
from bot.storage.models import AttentionMessage, AttentionRequest, Consent
from bot.storage.models.base import utcnow

PURPOSE = "atencion"
MAX_ATTEMPTS = 5
MAX_TEXT = 4000


@dataclass(frozen=True)
class Opened:
    request_id: int
    created: bool  # False: the person already had an open request


@dataclass(frozen=True)
class Outgoing:
    id: int
    address: str
    author: str  # staff (prefixed «Equipo del STL:» when sent) or system
    text: str
    attempts: int


def open_request_id(sender: str, engine: Engine | None = None) -> int | None:
    """The person's open request, if any."""
    with session_scope(engine) as session:
        return open_request_id_in(session, sender)


def open_request_id_in(session: Session, sender: str) -> int | None:
    """:func:`open_request_id` in the caller's transaction."""
    return session.scalar(open_request_query(sender))


def open_request_query(sender: str) -> Select[int]:
    """The query for the person's open request (the core folds it into its one read a turn)."""
    return select(AttentionRequest.id).where(
        AttentionRequest.address == sender, AttentionRequest.status == "open") \
        .order_by(AttentionRequest.id.desc()).limit(1)


def has_consent(sender: str, engine: Engine | None = None) -> bool:
    return consents.active(person_key(sender), PURPOSE, engine) is not None


def open_request(sender: str, engine: Engine | None = None) -> Opened:
    """Open a request (recording the consent if there is none active); one open at a time."""
    key = person_key(sender)
    with session_scope(engine) as session:
        current = session.scalar(select(AttentionRequest.id).where(
            AttentionRequest.address == sender, AttentionRequest.status == "open").limit(1))
        if current is not None:
            return Opened(current, False)
        active = consents.active(key, PURPOSE, engine)
        consent_id = active.id if active is not None else consents.record(key, PURPOSE, session=session).id
        request = AttentionRequest(person_key=key, address=sender, consent_id=consent_id,
                                   status="open", opened_at=utcnow(), acked=False)
        session.add(request)
        session.flush()
        return Opened(request.id, True)


def add_person_message(request_id: int, text: str | None, engine: Engine | None = None) -> bool:
    """Store what the person wrote (``None``: withheld, a violence message); True when it is the
    first since the request opened, so the bot says «recibido» once and then stays quiet."""
    with session_scope(engine) as session:
        request = session.get(AttentionRequest, request_id)
        if request is None or request.status != "open":
            return False
        session.add(AttentionMessage(request_id=request_id, author="person",
                                     text=None if text is None else text[:MAX_TEXT],
                                     withheld=text is None, created_at=utcnow()))
        first = not request.acked
        request.acked = True
        return first


def end_by_person(sender: str, engine: Engine | None = None) -> bool:
    """The person wrote «terminar»: close their open request (True if there was one)."""
    with session_scope(engine) as session:
        result = session.execute(update(AttentionRequest).where(
            AttentionRequest.address == sender, AttentionRequest.status == "open")
            .values(status="closed", closed_at=utcnow(), closed_by="persona"))
        return bool(getattr(result, "rowcount", 0))


def staff_reply(request_id: int, user: str, text: str, engine: Engine | None = None) -> bool:
    """Queue a staff reply for delivery; False when the request is closed or gone."""
    text = text.strip()
    if not text:
        return False
    with session_scope(engine) as session:
        request = session.get(AttentionRequest, request_id)
        if request is None or request.status != "open":
            return False
        now = utcnow()
        session.add(AttentionMessage(request_id=request_id, author="staff", staff_user=user,
                                     text=text[:MAX_TEXT], created_at=now))
        if request.first_reply_at is None:
            request.first_reply_at = now
        return True


def close(request_id: int, user: str, note: str, goodbye: str,
          engine: Engine | None = None) -> bool:
    """Staff close a request with an internal note; ``goodbye`` is queued for the person."""
    with session_scope(engine) as session:
        request = session.get(AttentionRequest, request_id)
        if request is None or request.status != "open":
            return False
        now = utcnow()
        request.status, request.closed_at, request.closed_by = "closed", now, user
        request.close_note = note.strip()[:MAX_TEXT] or None
        session.add(AttentionMessage(request_id=request_id, author="system", staff_user=user,
                                     text=goodbye, created_at=now))
        return True


# -- delivery -----------------------------------------------------------------------------------

def pending_outgoing(limit: int = 100, engine: Engine | None = None) -> list[Outgoing]:
    """Staff and closing messages not sent yet, oldest first."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(AttentionMessage.id, AttentionRequest.address, AttentionMessage.author,
                   AttentionMessage.text, AttentionMessage.attempts)
            .join(AttentionRequest, AttentionRequest.id == AttentionMessage.request_id)
            .where(AttentionMessage.author.in_(("staff", "system")),
                   AttentionMessage.sent_at.is_(None), AttentionMessage.attempts < MAX_ATTEMPTS)
            .order_by(AttentionMessage.id).limit(limit)).all()
        return [Outgoing(i, a, who, t or "", n) for i, a, who, t, n in rows]


def claim_message(message_id: int, attempts_seen: int, engine: Engine | None = None) -> bool:
    """Take one delivery attempt for this sender alone: only one replica's update matches."""
    with session_scope(engine) as session:
        result = session.execute(
            update(AttentionMessage)
            .where(AttentionMessage.id == message_id, AttentionMessage.attempts == attempts_seen,
                   AttentionMessage.sent_at.is_(None))
            .values(attempts=AttentionMessage.attempts + 1))
        return bool(getattr(result, "rowcount", 0) == 1)


def mark_message(message_id: int, sent: bool, give_up: bool = False,
                 engine: Engine | None = None) -> None:
    """After a claimed attempt: sent, or given up (the person blocked the bot)."""
    with session_scope(engine) as session:
        message = session.get(AttentionMessage, message_id)
        if message is None:
            return
        if sent:
            message.sent_at = utcnow()
        elif give_up:
            message.attempts = MAX_ATTEMPTS


# -- the dashboard --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    id: int
    opened_at: dt.datetime
    waiting_minutes: int
    messages: int
    last_text: str | None  # the person's newest message (None: withheld or none yet)
    replied: bool


@dataclass(frozen=True)
class Line:
    author: str
    staff_user: str | None
    text: str | None
    withheld: bool
    created_at: dt.datetime
    sent: bool


@dataclass(frozen=True)
class Detail:
    id: int
    status: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    closed_by: str | None
    close_note: str | None
    lines: list[Line]


def open_requests(now: dt.datetime | None = None, engine: Engine | None = None) -> list[Summary]:
    """Open requests, longest waiting first."""
    now = now or utcnow()
    with session_scope(engine) as session:
        requests = session.scalars(select(AttentionRequest).where(AttentionRequest.status == "open")
                                   .order_by(AttentionRequest.opened_at, AttentionRequest.id)).all()
        out = []
        for r in requests:
            mine = [m for m in r.messages if m.author == "person"]
            last = mine[-1] if mine else None
            out.append(Summary(r.id, r.opened_at, max(0, int((now - r.opened_at).total_seconds() // 60)),
                               len(mine), last.text if last is not None else None,
                               r.first_reply_at is not None))
        return out


def open_count(engine: Engine | None = None) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AttentionRequest)
                                  .where(AttentionRequest.status == "open")) or 0)


def detail(request_id: int, engine: Engine | None = None) -> Detail | None:
    with session_scope(engine) as session:
        r = session.get(AttentionRequest, request_id)
        if r is None:
            return None
        lines = [Line(m.author, m.staff_user, m.text, m.withheld, m.created_at, m.sent_at is not None)
                 for m in r.messages]
        return Detail(r.id, r.status, r.opened_at, r.closed_at, r.closed_by, r.close_note, lines)


@dataclass(frozen=True)
class Daily:
    opened: int
    closed: int
    answered: int
    median_first_reply_minutes: float | None


def daily(since: dt.datetime, engine: Engine | None = None) -> Daily:
    """Requests opened since ``since`` (UTC), how many were answered and how fast."""
    with session_scope(engine) as session:
        rows = session.execute(select(AttentionRequest.opened_at, AttentionRequest.first_reply_at,
                                      AttentionRequest.closed_at)
                               .where(AttentionRequest.opened_at >= since)).all()
    waits = [(first - opened).total_seconds() / 60 for opened, first, _c in rows if first is not None]
    return Daily(len(rows), sum(1 for *_r, closed in rows if closed is not None), len(waits),
                 round(statistics.median(waits), 1) if waits else None)


# -- nobody forgotten -----------------------------------------------------------------------------

def overdue_unalerted(minutes: int, now: dt.datetime | None = None,
                      engine: Engine | None = None) -> list[int]:
    """Open, unanswered requests waiting more than ``minutes`` that no alert mentioned yet."""
    cutoff = (now or utcnow()) - dt.timedelta(minutes=minutes)
    with session_scope(engine) as session:
        return list(session.scalars(select(AttentionRequest.id).where(
            AttentionRequest.status == "open", AttentionRequest.first_reply_at.is_(None),
            AttentionRequest.alerted_at.is_(None), AttentionRequest.opened_at < cutoff)).all())


def claim_alert(request_ids: list[int], engine: Engine | None = None) -> list[int]:
    """Mark requests as alerted; returns those this caller marked (one alert across replicas)."""
    claimed: list[int] = []
    now = utcnow()
    with session_scope(engine) as session:
        for request_id in request_ids:
            result = session.execute(update(AttentionRequest).where(
                AttentionRequest.id == request_id, AttentionRequest.alerted_at.is_(None))
                .values(alerted_at=now))
            if getattr(result, "rowcount", 0) == 1:
                claimed.append(request_id)
    return claimed


# -- privacy and retention ----------------------------------------------------------------------

def erase_person(sender: str, engine: Engine | None = None) -> int:
    """Delete every request of the person (their messages go with them); returns how many."""
    with session_scope(engine) as session:
        ids = session.scalars(select(AttentionRequest.id).where(
            AttentionRequest.person_key == person_key(sender))).all()
        if ids:
            session.execute(delete(AttentionMessage).where(AttentionMessage.request_id.in_(ids)))
            session.execute(delete(AttentionRequest).where(AttentionRequest.id.in_(ids)))
        return len(ids)


def purge_closed(cutoff: dt.datetime, dry_run: bool = False, engine: Engine | None = None) -> int:
    """Delete requests closed before ``cutoff`` with their messages and spent consents."""
    with session_scope(engine) as session:
        ids = session.scalars(select(AttentionRequest.id).where(
            AttentionRequest.status == "closed", AttentionRequest.closed_at < cutoff)).all()
        if dry_run or not ids:
            return len(ids)
        session.execute(delete(AttentionMessage).where(AttentionMessage.request_id.in_(ids)))
        result = session.execute(delete(AttentionRequest).where(AttentionRequest.id.in_(ids)))
        # A consent no request points at any more has nothing left to cover.
        session.execute(delete(Consent).where(
            Consent.purpose == PURPOSE, Consent.id.not_in(select(AttentionRequest.consent_id))))
        return int(getattr(result, "rowcount", 0) or 0)
