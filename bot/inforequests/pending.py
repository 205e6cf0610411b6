"""The request helper's open question, kept in the database so a restart loses nothing.

What the bot asked (:class:`Pending`) lives in the database keyed by the person key, for half an
hour (:data:`PENDING_SECONDS`), and goes as soon as the flow ends. Stored: the step, bodies from
the bot's own list, and a filing's folio and date once the person gave them (needed to finish);
never the request text: a draft's subject stays in this process's memory, and after a restart
the helper asks for it again. ``/mis_datos`` shows the row, ``/borrar`` and the retention purge
delete it. ``token`` says whether a process's memory holds the same turn as the row (then the
memory, which still has the subject, answers).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Select, delete, func, select

from bot.i18n import _
from bot.inforequests.bodies import Body, body_by_key
from bot.privacy import purge
from bot.privacy.registry import Person, Provider, register
from bot.storage.db import session_scope
from bot.storage.models import InfoRequestPending
from bot.storage.models.base import utcnow

PENDING_SECONDS = 30 * 60
# After a draft: only its institution, so the filing («ya la mandé, folio …») that comes back
# later, even after a restart, knows where it went. A day: filing on the state's platform can take a while.
DRAFTED = "drafted"
DRAFTED_SECONDS = 24 * 60 * 60


@dataclass
class Pending:
    """What the bot asked and what it already knows of the request or the filing."""

    step: str  # body, subject, skip_body (draft) | drafted | folio, date, filing_body, consent (filing)
    question: str = ""  # the person's first words, for the period (memory only)
    subject: str | None = None  # memory only: request text is never stored
    body: Body | None = None
    candidates: list[Body] = field(default_factory=list)
    folio: str | None = None
    filed_on: dt.date | None = None
    body_known: bool = False  # for a filing: the body was given (or "no sé" was said)
    request_id: int | None = None  # step "complete": the stored request the reminder was about
    since: float = field(default_factory=time.monotonic)
    token: str = ""  # the stored row this is (empty: never stored)
    subject_lost: bool = False  # read back after a restart: her request was told and not kept


def expiry_query(person: str) -> Select[Any]:
    """When the person's stored question expires (no row: nothing): the core reads it with the
    rest of what is pending (bot/conversation/turn_state.py), so a plain message opens no session
    of its own here."""
    return select(InfoRequestPending.expires_at).where(InfoRequestPending.person_key == person)


def load(person: str, engine: Engine | None = None) -> Pending | None:
    """The person's open question, unless it expired."""
    with session_scope(engine) as session:
        row = session.get(InfoRequestPending, person)
        if row is None:
            return None
        left = (row.expires_at - utcnow()).total_seconds()
        if left <= 0:
            return None
        candidates = [b for b in (body_by_key(k) for k in row.candidate_keys) if b is not None]
        return Pending(row.step, body=body_by_key(row.body_key) if row.body_key else None,
                       candidates=candidates, folio=row.folio, filed_on=row.filed_on,
                       body_known=row.body_known, request_id=row.request_id,
                       since=time.monotonic() - max(0.0, PENDING_SECONDS - left), token=row.token)


def store(person: str, pending: Pending, engine: Engine | None = None) -> None:
    """Keep (or replace) the person's open question; gives ``pending`` a new token."""
    pending.token = uuid.uuid4().hex
    with session_scope(engine) as session:
        session.merge(InfoRequestPending(
            person_key=person, step=pending.step,
            body_key=pending.body.key if pending.body else None,
            candidate_keys=[b.key for b in pending.candidates], folio=pending.folio,
            filed_on=pending.filed_on, body_known=pending.body_known,
            request_id=pending.request_id, token=pending.token,
            expires_at=utcnow() + dt.timedelta(
                seconds=DRAFTED_SECONDS if pending.step == DRAFTED else PENDING_SECONDS)))


def drop(person: str, engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        session.execute(delete(InfoRequestPending).where(InfoRequestPending.person_key == person))


# --- privacy provider and retention -----------------------------------------------------------

def privacy_collect(person: Person, engine: Engine | None) -> dict[str, Any]:
    with session_scope(engine) as session:
        row = session.get(InfoRequestPending, person.key)
        if row is None:
            return {}
        return {"paso": row.step, "folio": row.folio,
                "presentada": row.filed_on.isoformat() if row.filed_on else None,
                "caduca": row.expires_at.isoformat(timespec="minutes")}


def privacy_describe(data: dict[str, Any]) -> list[str]:
    if not data:
        return []
    if data.get("paso") == DRAFTED:
        return [_("• La institución de tu último borrador de solicitud (solo su nombre, no lo que "
                  "pediste), para cuando me des el folio; se borra en un día.")]
    return [_("• La solicitud de información que estábamos viendo ({folio}), para seguir donde "
              "íbamos; se borra en media hora.").format(folio=data.get("folio") or _("sin folio"))]


def privacy_erase(person: Person, engine: Engine | None) -> dict[str, int]:
    with session_scope(engine) as session:
        removed = session.execute(delete(InfoRequestPending)
                                  .where(InfoRequestPending.person_key == person.key))
        return {_("solicitud a medias"): int(getattr(removed, "rowcount", 0) or 0)}


def purge_expired(months: int, dry_run: bool, engine: Engine | None, now: dt.datetime) -> list[str]:
    """The retention step: questions nobody answered in half an hour."""
    expired = InfoRequestPending.expires_at <= now
    verb = "se borrarían" if dry_run else "borradas"
    with session_scope(engine) as session:
        if dry_run:
            count = int(session.scalar(select(func.count()).select_from(InfoRequestPending)
                                      .where(expired)) or 0)
        else:
            result = session.execute(delete(InfoRequestPending).where(expired))
            count = int(getattr(result, "rowcount", 0) or 0)
    return [f"Solicitudes de información a medias ya caducadas ({verb}): {count}"]


purge.register_step("solicitudes_a_medias", purge_expired)
register(Provider("solicitud_a_medias", privacy_collect, privacy_describe, privacy_erase,
                  "la solicitud de información que estábamos viendo", order=71))
