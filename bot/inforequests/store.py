"""Requests a person follows: stored with consent, listed, exported and erased (privacy provider).

Only the body's key, the folio and the dates: never the request text, never a chat id (the
person is their keyed hash). The consent is recorded in the same transaction as the row, so a
request is never stored without it. Registering the same folio again updates its dates. The
retention purge deletes a request, and the consent behind it, ``CONTACT_RETENTION_MONTHS`` after
its extended due date: by then the answer (or the appeal) is long past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, func, select

from bot.i18n import _, format_day
from bot.inforequests.bodies import body_by_key
from bot.inforequests.deadlines import Deadline
from bot.privacy import consent, purge
from bot.privacy.registry import Person, Provider, register
from bot.storage.db import session_scope
from bot.storage.models import Consent, InfoRequest

PURPOSE = "solicitud_informacion"
MAX_LISTED = 20


@dataclass(frozen=True)
class Followed:
    body_key: str | None
    folio: str
    filed_on: dt.date
    due_on: dt.date
    extended_on: dt.date


def save(person: str, body_key: str | None, folio: str, filed_on: dt.date, deadline: Deadline,
         engine: Engine | None = None, chat_id: int | None = None) -> None:
    """Store (or update, same folio) one request with its consent, in one transaction."""
    with session_scope(engine) as session:
        row = session.scalar(select(InfoRequest).where(InfoRequest.person_key == person,
                                                       InfoRequest.folio == folio))
        if row is None:
            granted = consent.record(person, PURPOSE, session=session)
            row = InfoRequest(person_key=person, consent_id=granted.id, folio=folio)
            session.add(row)
        row.body_key, row.filed_on = body_key, filed_on
        row.due_on, row.extended_on = deadline.due, deadline.extended
        row.chat_id = chat_id


def mine(person: str, engine: Engine | None = None) -> list[Followed]:
    """The person's requests, newest filing first."""
    with session_scope(engine) as session:
        rows = session.scalars(select(InfoRequest).where(InfoRequest.person_key == person)
                               .order_by(InfoRequest.filed_on.desc(), InfoRequest.id.desc())
                               .limit(MAX_LISTED)).all()
        return [Followed(r.body_key, r.folio, r.filed_on, r.due_on, r.extended_on) for r in rows]


def body_name(key: str | None) -> str:
    body = body_by_key(key) if key else None
    return body.name if body else _("institución sin indicar")


# --- privacy provider -------------------------------------------------------------------------

def privacy_collect(person: Person, engine: Engine | None) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        rows = session.scalars(select(InfoRequest).where(InfoRequest.person_key == person.key)
                               .order_by(InfoRequest.id)).all()
        return [{"institucion": body_name(r.body_key), "folio": r.folio,
                 "presentada": r.filed_on.isoformat(), "vence": r.due_on.isoformat(),
                 "vence_con_prorroga": r.extended_on.isoformat(), "chat_para_recordatorio": r.chat_id,
                 "resultado": r.outcome} for r in rows]


def privacy_describe(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    items = "; ".join(_("folio {folio} ({body}, {day})").format(
        folio=r["folio"], body=r["institucion"], day=format_day(dt.date.fromisoformat(r["presentada"])))
        for r in rows)
    return [_("• Solicitudes de información que sigues conmigo: {items}. Nunca guardo su texto.")
            .format(items=items)]


def privacy_erase(person: Person, engine: Engine | None) -> dict[str, int]:
    with session_scope(engine) as session:
        removed = session.execute(delete(InfoRequest).where(InfoRequest.person_key == person.key))
        return {_("solicitudes de información"): int(removed.rowcount or 0)}  # type: ignore[attr-defined]


def purge_expired(months: int, dry_run: bool, engine: Engine | None, now: dt.datetime) -> list[str]:
    """The retention step (``participa privacy purge``): old requests and their consents."""
    cutoff = purge.months_before(now, months).date()
    expired = select(InfoRequest.id).where(InfoRequest.extended_on < cutoff)
    verb = "se borrarían" if dry_run else "borradas"
    with session_scope(engine) as session:
        if dry_run:
            count = int(session.scalar(select(func.count()).select_from(expired.subquery())) or 0)
            return [f"Solicitudes de información vencidas hace más de {months} meses ({verb}): {count}"]
        removed = session.execute(delete(InfoRequest).where(InfoRequest.extended_on < cutoff))
        # A consent for this purpose covers exactly one row: without it, it covers nothing.
        orphans = session.execute(delete(Consent).where(
            Consent.purpose == PURPOSE, Consent.id.not_in(select(InfoRequest.consent_id))))
    return [f"Solicitudes de información vencidas hace más de {months} meses ({verb}): "
            f"{int(removed.rowcount or 0)} (y {int(orphans.rowcount or 0)} consentimientos)"]  # type: ignore[attr-defined]


purge.register_step("solicitudes_de_informacion", purge_expired)
consent.describe_purpose(PURPOSE, "seguir los plazos de tus solicitudes de información")
register(Provider("solicitudes_de_informacion", privacy_collect, privacy_describe, privacy_erase,
                  "tus solicitudes de información", order=70))
