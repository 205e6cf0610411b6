"""Consents: who agreed to what, when, and after reading which version of the privacy notice.

Shared by every feature that stores personal data only with consent (a proposal's contact,
news subscriptions…). A person is their keyed hash (``person_key``), never a chat id. Each
consent names its ``purpose`` (``contacto_propuesta``, ``suscripcion``…) and records the notice
version in force (``content/privacy.yml``), so the STL can show what the person agreed to.

Functions that write take an optional ``session`` so a feature can record the consent in the
same transaction as the data it covers (a contact is never stored without its consent).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from bot.config import secret_key
from bot.privacy.notice import notice_version
from bot.storage.db import session_scope
from bot.storage.models import Consent

PURPOSE_MAX = 40


def person_key(sender: str) -> str:
    """A keyed hash standing for a person: stable, but does not reveal the chat id."""
    return hmac.new(secret_key(), sender.encode(), hashlib.sha256).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def record(person: str, purpose: str, session: Session | None = None,
           engine: Engine | None = None, version: str | None = None) -> Consent:
    """Store a consent for ``person`` (a person key) and return it (flushed: it has an id)."""
    if not purpose or len(purpose) > PURPOSE_MAX:
        raise ValueError(f"purpose must be 1-{PURPOSE_MAX} characters")
    consent = Consent(person_key=person, purpose=purpose,
                      notice_version=version or notice_version(), granted_at=_now())
    if session is not None:
        session.add(consent)
        session.flush()
        return consent
    with session_scope(engine) as own:
        own.add(consent)
        own.flush()
        return consent


def active(person: str, purpose: str, engine: Engine | None = None) -> Consent | None:
    """The newest consent of ``person`` for ``purpose`` that was not revoked."""
    with session_scope(engine) as session:
        return session.scalar(
            select(Consent).where(Consent.person_key == person, Consent.purpose == purpose,
                                  Consent.revoked_at.is_(None))
            .order_by(Consent.granted_at.desc(), Consent.id.desc()).limit(1))


def revoke(person: str, purpose: str, engine: Engine | None = None) -> int:
    """Withdraw every active consent of ``person`` for ``purpose``; returns how many."""
    with session_scope(engine) as session:
        result = session.execute(
            update(Consent).where(Consent.person_key == person, Consent.purpose == purpose,
                                  Consent.revoked_at.is_(None)).values(revoked_at=_now()))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def of(person: str, engine: Engine | None = None) -> list[Consent]:
    """All consents of ``person``, oldest first (for ``/mis_datos``)."""
    with session_scope(engine) as session:
        return list(session.scalars(
            select(Consent).where(Consent.person_key == person).order_by(Consent.id)).all())


def erase(person: str, session: Session) -> int:
    """Delete every consent of ``person``. Rows that point at a consent must be gone first."""
    result = session.execute(delete(Consent).where(Consent.person_key == person))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
