"""Supporters kept informed: people who adhered and asked to hear about status changes.

Only with consent (purpose :data:`FOLLOW_PURPOSE`, the notice version recorded): the chat address
is stored in ``proposal_followers``. :func:`bot.proposals.service.set_status` puts one message per
follower in the same notification outbox as authors' messages, so each status change reaches each
follower exactly once across replicas (the outbox claims every message before sending it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.i18n import _
from bot.identity import person_key
from bot.privacy import consent as consents
from bot.privacy.purge import closed_before, months_before, register_step
from bot.privacy.registry import Person, Provider, register
from bot.storage.db import session_scope
from bot.storage.models import Adhesion, Consent, Proposal, ProposalFollower

FOLLOW_PURPOSE = "avisos_apoyo"


def _standing(session: Session, folio: str, key: str) -> tuple[str, int | None]:
    """Whether this person may follow this proposal: "ok" (with its id) or why not."""
    proposal = session.scalar(select(Proposal).where(Proposal.folio == folio.strip().upper()))
    if proposal is None:
        return "not_found", None
    supported = session.scalar(select(Adhesion.id).where(
        Adhesion.proposal_id == proposal.id, Adhesion.supporter_key == key))
    if not supported:
        return "not_supporter", None
    if session.scalar(select(ProposalFollower.id).where(
            ProposalFollower.proposal_id == proposal.id, ProposalFollower.follower_key == key)):
        return "already_following", None
    return "ok", proposal.id


def standing(folio: str, sender: str, engine: Engine | None = None) -> str:
    """"ok", "not_found", "not_supporter" or "already_following", before any notice is shown."""
    with session_scope(engine) as session:
        return _standing(session, folio, person_key(sender))[0]


def follow(folio: str, sender: str, channel: str, engine: Engine | None = None) -> str:
    """Store a consented follower: "following", "already_following", "not_supporter", "not_found".

    Only someone who supports the proposal can follow it (its author is told already).
    """
    key = person_key(sender)
    with session_scope(engine) as session:
        result, proposal_id = _standing(session, folio, key)
        if result != "ok":
            return result
    try:
        with session_scope(engine) as session:
            record = consents.record(key, FOLLOW_PURPOSE, session=session)
            session.add(ProposalFollower(proposal_id=proposal_id, follower_key=key,
                                         consent_id=record.id, channel=channel, address=sender))
    except IntegrityError:  # the same «sí» on two replicas at once: one row, one consent
        return "already_following"
    return "following"


# --- privacy: /mis_datos, /borrar and the retention purge ------------------------------------

def collect_follows(person: Person, engine: Engine | None) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(Proposal.folio, ProposalFollower.channel, ProposalFollower.address,
                   ProposalFollower.created_at)
            .join(Proposal, Proposal.id == ProposalFollower.proposal_id)
            .where(ProposalFollower.follower_key == person.key).order_by(ProposalFollower.id)
        ).all()
    return [{"folio": folio, "canal": channel, "chat": address,
             "fecha": created.date().isoformat() if created else None}
            for folio, channel, address, created in rows]


def describe_follows(rows: list[dict[str, Any]]) -> list[str]:
    folios = ", ".join(str(r["folio"]) for r in rows)
    return [_("• Avisos de propuestas que apoyas: este chat, en {count} ({folios}).")
            .format(count=len(rows), folios=folios)]


def erase_follows(person: Person, engine: Engine | None) -> dict[str, int]:
    """The follower rows go (their notifications go with the «avisos» provider, by address)."""
    with session_scope(engine) as session:
        result = session.execute(delete(ProposalFollower).where(
            (ProposalFollower.follower_key == person.key) | (ProposalFollower.address == person.sender)))
        return {_("avisos de propuestas que apoyas"): int(result.rowcount or 0)}  # type: ignore[attr-defined]


def purge_follows(months: int, dry_run: bool, engine: Engine | None, now: Any) -> list[str]:
    """Followers of proposals closed more than ``months`` ago, and their now idle consents."""
    closed = closed_before(months_before(now, months))
    where = ProposalFollower.proposal_id.in_(closed)
    verb = "se borrarían" if dry_run else "borrados"
    with session_scope(engine) as session:
        if dry_run:
            count = len(session.scalars(select(ProposalFollower.id).where(where)).all())
        else:
            count = int(session.execute(delete(ProposalFollower).where(where)).rowcount or 0)  # type: ignore[attr-defined]
            session.execute(delete(Consent).where(
                Consent.purpose == FOLLOW_PURPOSE,
                Consent.id.not_in(select(ProposalFollower.consent_id))))
    return [f"Personas que seguían propuestas cerradas hace más de {months} meses ({verb}): {count}"]


consents.describe_purpose(FOLLOW_PURPOSE, "avisos sobre propuestas que apoyas")
register(Provider("seguimiento_apoyos", collect_follows, describe_follows, erase_follows,
                  "los avisos de propuestas que apoyas", order=25))
register_step("seguimiento_apoyos", purge_follows)
