"""Proposals' privacy providers (see :mod:`bot.privacy.registry`): authorship, adhesions, notices.

Proposals stay in the public record when their author erases their data: the author key is
replaced by a random one (nothing links them to the person, or to each other) and the contact
is deleted; the problem, causes, effects and solution stay. Adhesions are anonymised the same
way so public support counts do not change.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine, delete, or_, select, update
from sqlalchemy.orm import selectinload

from bot.i18n import _, ngettext
from bot.privacy import consent
from bot.privacy.registry import Person, Provider, register
from bot.proposals.service import CONTACT_PURPOSE
from bot.storage.db import session_scope
from bot.storage.models import Adhesion, Notification, Proposal, ProposalContact

ANONYMOUS_PREFIX = "borrado-"


def anonymous_key() -> str:
    """A random stand-in for an erased author: unique, so erased rows cannot be grouped."""
    return ANONYMOUS_PREFIX + uuid.uuid4().hex


def _day(value: Any) -> str | None:
    return value.date().isoformat() if value is not None else None


def _notifications_of(person: Person) -> Any:
    own = select(Proposal.id).where(Proposal.author_key == person.key)
    return or_(Notification.address == person.sender, Notification.proposal_id.in_(own))


# --- proposals and their contacts ------------------------------------------------------------

def collect_proposals(person: Person, engine: Engine | None) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        rows = session.scalars(
            select(Proposal).where(Proposal.author_key == person.key)
            .options(selectinload(Proposal.history), selectinload(Proposal.contact))
            .order_by(Proposal.id)
        ).all()
        return [{
            "folio": p.folio, "fecha": _day(p.created_at), "tema": p.theme,
            "municipio": p.municipality, "problema": p.problem, "causas": p.causes,
            "efectos": p.effects, "personas_afectadas": p.affected, "solucion": p.solution,
            "estado": p.status,
            "historial": [{"fecha": _day(h.created_at), "estado": h.to_status, "nota": h.note}
                          for h in p.history],
            "contacto": ({"canal": p.contact.channel, "chat": p.contact.address,
                          "correo_o_telefono": p.contact.contact_info} if p.contact else None),
        } for p in rows]


def describe_proposals(rows: list[dict[str, Any]]) -> list[str]:
    folios = ", ".join(str(r["folio"]) for r in rows)
    lines = [_("• Propuestas que enviaste: {count} ({folios}).").format(count=len(rows), folios=folios)]
    contacts = [r["contacto"] for r in rows if r.get("contacto")]
    chats = [c for c in contacts if c.get("canal") == "telegram"]
    if chats:
        infos = sorted({c["correo_o_telefono"] for c in chats if c.get("correo_o_telefono")})
        extra = f" ({', '.join(infos)})" if infos else ""
        lines.append(ngettext("• Contacto para avisarte cómo va: este chat{extra}, en {count} propuesta.",
                              "• Contacto para avisarte cómo van: este chat{extra}, en {count} propuestas.",
                              len(chats)).format(count=len(chats), extra=extra))
    others = [c for c in contacts if c.get("canal") != "telegram"]  # the terminal: no chat to keep
    if others:
        infos = sorted({c["correo_o_telefono"] for c in others if c.get("correo_o_telefono")})
        said = ", ".join(infos) if infos else _("ninguno (no dejaste correo ni teléfono)")
        lines.append(ngettext("• Contacto para que el STL te busque sobre tu propuesta: {said}, en "
                              "{count} propuesta.",
                              "• Contacto para que el STL te busque sobre tus propuestas: {said}, en "
                              "{count} propuestas.", len(others)).format(count=len(others), said=said))
    return lines


def erase_proposals(person: Person, engine: Engine | None) -> dict[str, int]:
    """Contacts and notifications go; the proposals stay, with a random author key."""
    with session_scope(engine) as session:
        own = select(Proposal.id).where(Proposal.author_key == person.key)
        # Before the author key changes: afterwards nothing finds them.
        notifications = session.execute(delete(Notification).where(_notifications_of(person)))
        contacts = session.execute(delete(ProposalContact).where(or_(
            ProposalContact.proposal_id.in_(own), ProposalContact.address == person.sender)))
        ids = session.scalars(own).all()
        for proposal_id in ids:
            session.execute(update(Proposal).where(Proposal.id == proposal_id)
                            .values(author_key=anonymous_key()))
        return {_("avisos"): int(notifications.rowcount or 0),  # type: ignore[attr-defined]
                _("contactos"): int(contacts.rowcount or 0),  # type: ignore[attr-defined]
                _("propuestas anonimizadas"): len(ids)}


# --- adhesions --------------------------------------------------------------------------------

def collect_adhesions(person: Person, engine: Engine | None) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(Proposal.folio, Adhesion.created_at).join(Proposal, Proposal.id == Adhesion.proposal_id)
            .where(Adhesion.supporter_key == person.key).order_by(Adhesion.id)
        ).all()
    return [{"folio": folio, "fecha": _day(created)} for folio, created in rows]


def describe_adhesions(rows: list[dict[str, Any]]) -> list[str]:
    folios = ", ".join(str(r["folio"]) for r in rows)
    return [_("• Apoyos a propuestas de otras personas: {count} ({folios}).")
            .format(count=len(rows), folios=folios)]


def erase_adhesions(person: Person, engine: Engine | None) -> dict[str, int]:
    with session_scope(engine) as session:
        ids = session.scalars(select(Adhesion.id).where(Adhesion.supporter_key == person.key)).all()
        for adhesion_id in ids:
            session.execute(update(Adhesion).where(Adhesion.id == adhesion_id)
                            .values(supporter_key=anonymous_key()))
    return {_("apoyos anonimizados"): len(ids)}


# --- notifications ----------------------------------------------------------------------------

def collect_notifications(person: Person, engine: Engine | None) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        rows = session.scalars(select(Notification).where(_notifications_of(person))
                               .order_by(Notification.id)).all()
        return [{"fecha": _day(n.created_at), "enviado": _day(n.sent_at), "texto": n.text}
                for n in rows]


def describe_notifications(rows: list[dict[str, Any]]) -> list[str]:
    sent = sum(1 for r in rows if r.get("enviado"))
    return [ngettext("• Avisos sobre tus propuestas: {count} ({sent} ya enviado).",
                     "• Avisos sobre tus propuestas: {count} ({sent} ya enviados).", sent)
            .format(count=len(rows), sent=sent)]


def erase_notifications(person: Person, engine: Engine | None) -> dict[str, int]:
    with session_scope(engine) as session:
        result = session.execute(delete(Notification).where(_notifications_of(person)))
        return {_("avisos"): int(result.rowcount or 0)}  # type: ignore[attr-defined]


consent.describe_purpose(CONTACT_PURPOSE, "avisos y contacto sobre tu propuesta")
register(Provider("propuestas", collect_proposals, describe_proposals, erase_proposals,
                  "tus propuestas y su contacto", order=10))
register(Provider("apoyos", collect_adhesions, describe_adhesions, erase_adhesions, "tus apoyos",
                  order=20))
register(Provider("avisos", collect_notifications, describe_notifications, erase_notifications,
                  "los avisos", order=30))
