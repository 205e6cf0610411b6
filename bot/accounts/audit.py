"""The dashboard's audit log: who did what, when, to which folio, commitment or account."""

from __future__ import annotations

from sqlalchemy import Engine, select

from bot.storage.db import session_scope
from bot.storage.models import AuditEvent


def record(actor: str, action: str, target: str | None = None, detail: str | None = None,
           engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        session.add(AuditEvent(actor=actor, action=action, target=target, detail=detail))


def events(target: str | None = None, actor: str | None = None, limit: int = 200,
           engine: Engine | None = None) -> list[AuditEvent]:
    """Newest first, optionally for one target or one actor."""
    query = select(AuditEvent)
    if target is not None:
        query = query.where(AuditEvent.target == target)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    with session_scope(engine) as session:
        return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)).all())
