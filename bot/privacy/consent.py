"""Consents: who agreed to what, when, and after reading which version of the privacy notice.

Shared by every feature that stores personal data only with consent (a proposal's contact,
news subscriptions…). A person is their keyed hash (``person_key``), never a chat id. Each
consent names its ``purpose`` (``contacto_propuesta``, ``suscripcion``…) and records the notice
version in force (``content/privacy.yml``), so the STL can show what the person agreed to.

This module is also the consents' privacy provider, registered last (every table that points at
a consent is found from the models' foreign keys, so no domain is named here); domains name
their purposes for ``/mis_datos`` with :func:`describe_purpose`.

Functions that write take an optional ``session`` so a feature can record the consent in the
same transaction as the data it covers (a contact is never stored without its consent).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, delete, select, union, update
from sqlalchemy.orm import Session

from bot.i18n import _, format_day
from bot.privacy.notice import notice_version
from bot.privacy.registry import Person, Provider, register
from bot.storage.db import session_scope
from bot.storage.models import Base, Consent

PURPOSE_MAX = 40
PURPOSE_LABELS: dict[str, str] = {}  # purpose -> how /mis_datos names it (domains fill it)


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


def describe_purpose(purpose: str, label: str) -> None:
    """How ``/mis_datos`` names a consent's purpose (each domain tells it for its own)."""
    PURPOSE_LABELS[purpose] = label


# --- the consents' privacy provider (last: contacts and other rows point at consents) ---------

def collect_consents(person: Person, engine: Engine | None) -> list[dict[str, Any]]:
    return [{"finalidad": c.purpose, "version_aviso": c.notice_version,
             "otorgado": c.granted_at.isoformat(timespec="seconds"),
             "retirado": c.revoked_at.isoformat(timespec="seconds") if c.revoked_at else None}
            for c in of(person.key, engine)]


def describe_consents(rows: list[dict[str, Any]]) -> list[str]:
    parts = [_("{purpose} (aviso versión {version}, {day})").format(
        purpose=PURPOSE_LABELS.get(r["finalidad"], r["finalidad"]), version=r["version_aviso"],
        day=format_day(dt.datetime.fromisoformat(r["otorgado"]))) for r in rows]
    return [_("• Consentimientos que diste: {items}.").format(items="; ".join(parts))]


def _referencing_columns() -> list[Any]:
    """Every column of the models that points at a consent (contacts, subscribers…)."""
    return [fk.parent for table in Base.metadata.tables.values() for fk in table.foreign_keys
            if fk.column.table.name == Consent.__tablename__]


def erase_consents(person: Person, engine: Engine | None) -> dict[str, int]:
    with session_scope(engine) as session:
        # Rows that point at consents were removed by their own providers already (if one
        # failed, its consent stays, so that table is still consistent).
        referenced = union(*(select(column).where(column.is_not(None))
                             for column in _referencing_columns()))
        ids = session.scalars(select(Consent.id).where(Consent.person_key == person.key,
                                                       Consent.id.not_in(referenced))).all()
        if ids:
            session.execute(delete(Consent).where(Consent.id.in_(ids)))
    return {_("consentimientos"): len(ids)}


register(Provider("consentimientos", collect_consents, describe_consents, erase_consents,
                  "tus consentimientos", order=1000))
