"""The one reminder the day after a request's due date, and what the person answers to it.

Every replica polls :func:`due` and sends only what it :func:`claim`-ed: the claim is a
conditional update (``reminder_claimed_at IS NULL``) committed before the message leaves, so of
two replicas that read the same row only one update matches and only one sends. A send that
fails after the claim is not retried: a reminder may go missing, never twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from bot.conversation.replies import Button, Reply
from bot.i18n import format_day
from bot.inforequests.bodies import body_by_key
from bot.inforequests.draft import contract, messages
from bot.storage.db import session_scope
from bot.storage.models import InfoRequest
from bot.storage.models.base import utcnow

OUTCOMES = ("respondida_completa", "respondida_incompleta", "sin_respuesta")
BATCH = 100


@dataclass(frozen=True)
class Due:
    id: int
    chat_id: int
    folio: str
    body_key: str | None
    filed_on: dt.date
    due_on: dt.date


def due(today: dt.date, engine: Engine | None = None, limit: int = BATCH) -> list[Due]:
    """Requests whose due date has passed (today is at least the day after), not yet reminded."""
    with session_scope(engine) as session:
        rows = session.scalars(select(InfoRequest).where(
            InfoRequest.due_on < today, InfoRequest.chat_id.is_not(None),
            InfoRequest.reminder_claimed_at.is_(None), InfoRequest.outcome.is_(None))
            .order_by(InfoRequest.id).limit(limit)).all()
        return [Due(r.id, int(r.chat_id or 0), r.folio, r.body_key, r.filed_on, r.due_on) for r in rows]


def claim(request_id: int, engine: Engine | None = None) -> bool:
    """Take the reminder for this replica alone (committed before sending)."""
    with session_scope(engine) as session:
        result = session.execute(update(InfoRequest).where(
            InfoRequest.id == request_id, InfoRequest.reminder_claimed_at.is_(None))
            .values(reminder_claimed_at=utcnow()))
        return bool(getattr(result, "rowcount", 0) == 1)


def mark_sent(request_id: int, engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        session.execute(update(InfoRequest).where(InfoRequest.id == request_id)
                        .values(reminder_sent_at=utcnow()))


@dataclass(frozen=True)
class Answered:
    folio: str
    body_key: str | None
    filed_on: dt.date
    due_on: dt.date


def record_outcome(request_id: int, person: str, outcome: str,
                   engine: Engine | None = None) -> Answered | None:
    """The person's answer to the reminder, on their own request only (a forwarded button: None)."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    with session_scope(engine) as session:
        row = session.get(InfoRequest, request_id)
        if row is None or row.person_key != person:
            return None
        row.outcome = outcome
        return Answered(row.folio, row.body_key, row.filed_on, row.due_on)


TYPED_ANSWER_HOURS = 48  # a typed «sí» counts as the answer this long after the reminder


def awaiting_answer(person: str, engine: Engine | None = None) -> int | None:
    """The request whose reminder this person just got and has not answered (for a typed «sí»)."""
    since = utcnow() - dt.timedelta(hours=TYPED_ANSWER_HOURS)
    with session_scope(engine) as session:
        return session.scalar(select(InfoRequest.id).where(
            InfoRequest.person_key == person, InfoRequest.reminder_sent_at >= since,
            InfoRequest.outcome.is_(None)).order_by(InfoRequest.reminder_sent_at.desc()).limit(1))


# --- the messages ------------------------------------------------------------------------------

ANSWERED = "/solicitud_respondida"
NOT_ANSWERED = "/solicitud_sin_respuesta"
COMPLETE = "/solicitud_completa"
INCOMPLETE = "/solicitud_incompleta"
ANSWER_COMMANDS = frozenset({ANSWERED, NOT_ANSWERED, COMPLETE, INCOMPLETE})


def _line(text: str) -> str:
    return " ".join(text.split())


def reminder_reply(item: Due) -> Reply:
    """«¿Te respondieron?» with «Sí» / «No» for this request."""
    m = messages()
    text = contract(_line(m.text("reminder", folio=item.folio, body=_the_name(item.body_key),
                                 due=format_day(item.due_on))))
    return Reply(text, [Button(m.text("answer_yes"), f"{ANSWERED} {item.id}"),
                        Button(m.text("answer_no"), f"{NOT_ANSWERED} {item.id}")])


def complete_question(request_id: int) -> Reply:
    m = messages()
    return Reply(m.text("ask_complete"), [Button(m.text("complete_yes"), f"{COMPLETE} {request_id}"),
                                          Button(m.text("complete_no"), f"{INCOMPLETE} {request_id}")])


def _the_name(body_key: str | None) -> str:
    body = body_by_key(body_key) if body_key else None
    return body.the_name if body else messages().text("unknown_body")


def recurso_replies(answered: Answered, outcome: str) -> list[Reply]:
    """The drafted recurso de revisión (its own message, to copy), and what is not confirmed."""
    m = messages()
    cause = (m.text("cause_none", due=format_day(answered.due_on)) if outcome == "sin_respuesta"
             else m.text("cause_incomplete"))
    draft = contract(m.text("recurso", folio=answered.folio, filed=format_day(answered.filed_on),
                            body=_the_name(answered.body_key), cause=cause))
    notes = _line(m.text("recurso_notes")) + "\n\n" + m.text(
        "recurso_sources", sources=", ".join(s.ref for s in m.recurso_sources))
    return [Reply(_line(m.text("recurso_intro"))), Reply(draft), Reply(notes)]


Send = Callable[[int, Reply], Awaitable[bool]]


async def send_due(send: Send, today: dt.date, engine: Engine | None = None) -> int:
    """Send every due reminder this replica claims; how many went out."""
    sent = 0
    for item in await asyncio.to_thread(due, today, engine):
        if not await asyncio.to_thread(claim, item.id, engine):
            continue  # another replica has it
        if await send(item.chat_id, reminder_reply(item)):
            await asyncio.to_thread(mark_sent, item.id, engine)
            sent += 1
    return sent
