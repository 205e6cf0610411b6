"""Commitments (compromisos) of the Local Action Plan, their road maps, progress and linked proposals.

There is no real commitments data yet: editors create and update them in the dashboard.
Only published commitments reach the public board and the open data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, select

from bot.i18n import N_, _, configured_locale
from bot.proposals import service as proposals_svc
from bot.proposals.service import ProposalError
from bot.storage.db import session_scope
from bot.storage.models import Commitment, CommitmentProposal, Proposal

# The eight elements of a road map (STL methodology, phase 4), in the order the methodology lists them.
TEXT_FIELDS = ("title", "theme", "description", "responsible", "co_responsible", "activities",
               "final_result", "products", "indicators", "verification")
LIST_FIELDS = ("activities", "products", "indicators", "verification")
LIMITS = {"title": 200, "theme": 40, "responsible": 200, "co_responsible": 200}
MAX_TEXT = 8000
FIELD_NAMES = {
    "title": N_("título"), "theme": N_("tema"), "description": N_("descripción"),
    "responsible": N_("persona servidora pública responsable"),
    "co_responsible": N_("organización de la sociedad civil corresponsable"),
    "activities": N_("actividades"), "final_result": N_("resultado final"),
    "products": N_("productos esperados"), "indicators": N_("indicadores"),
    "verification": N_("medios de verificación"),
}


class CommitmentError(Exception):
    """A commitment that cannot be saved as given, said in Spanish."""


@dataclass
class CommitmentData:
    """What an editor fills in; ``lines`` fields hold one item per line."""

    title: str
    theme: str
    description: str = ""
    responsible: str = ""
    co_responsible: str = ""
    activities: str = ""
    final_result: str = ""
    products: str = ""
    indicators: str = ""
    verification: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    progress: int = 0
    published: bool = False

    def problems(self) -> list[str]:
        found: list[str] = []
        if not self.title.strip():
            found.append(_("El compromiso necesita un título."))
        themes = {t.id for t in proposals_svc.proposal_content().themes}
        if self.theme not in themes:
            found.append(_("Elige un tema de la lista."))
        for name in TEXT_FIELDS:
            value = getattr(self, name)
            if len(value) > LIMITS.get(name, MAX_TEXT):
                limit = LIMITS.get(name, MAX_TEXT)
                found.append(_("El campo «{field}» es muy largo (máximo {count} caracteres).").format(
                    field=_(FIELD_NAMES[name]), count=limit))
        if not 0 <= self.progress <= 100:
            found.append(_("El avance va de 0 a 100 %."))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            found.append(_("La fecha de conclusión no puede ser anterior a la de inicio."))
        if self.published and not (self.responsible.strip() and self.start_date and self.end_date):
            found.append(_("Para publicarlo hacen falta la persona servidora pública responsable y las "
                           "fechas de inicio y conclusión."))
        return found


@dataclass
class CommitmentView:
    """A commitment with its list fields split into items and the folios of its proposals."""

    commitment: Commitment
    folios: list[str] = field(default_factory=list)

    def items(self, name: str) -> list[str]:
        return [line.strip(" -•\t") for line in getattr(self.commitment, name).splitlines()
                if line.strip(" -•\t")]


def _clean(data: CommitmentData) -> CommitmentData:
    for name in TEXT_FIELDS:
        value = getattr(data, name).replace("\r\n", "\n").strip()
        setattr(data, name, value if name in LIST_FIELDS or "\n" in value else " ".join(value.split()))
    return data


def save(data: CommitmentData, commitment_id: int | None = None, engine: Engine | None = None) -> Commitment:
    data = _clean(data)
    problems = data.problems()
    if problems:
        raise CommitmentError(" ".join(problems))
    with session_scope(engine) as session:
        if commitment_id is None:
            commitment = Commitment()
            session.add(commitment)
        else:
            found = session.get(Commitment, commitment_id)
            if found is None:
                raise CommitmentError(_("No existe ese compromiso."))
            commitment = found
        for name, value in vars(data).items():
            setattr(commitment, name, value)
        session.flush()
        return commitment


def _folios(session, commitment_ids: list[int]) -> dict[int, list[str]]:  # type: ignore[no-untyped-def]
    found: dict[int, list[str]] = {i: [] for i in commitment_ids}
    rows = session.execute(
        select(CommitmentProposal.commitment_id, Proposal.folio)
        .join(Proposal, Proposal.id == CommitmentProposal.proposal_id)
        .where(CommitmentProposal.commitment_id.in_(commitment_ids)).order_by(Proposal.id)
    ).all()
    for commitment_id, folio in rows:
        found[commitment_id].append(folio)
    return found


def listing(published_only: bool = True, engine: Engine | None = None) -> list[CommitmentView]:
    query = select(Commitment).order_by(Commitment.id)
    if published_only:
        query = query.where(Commitment.published.is_(True))
    with session_scope(engine) as session:
        found = list(session.scalars(query).all())
        folios = _folios(session, [c.id for c in found])
    return [CommitmentView(c, folios[c.id]) for c in found]


def get(commitment_id: int, published_only: bool = True,
        engine: Engine | None = None) -> CommitmentView | None:
    with session_scope(engine) as session:
        commitment = session.get(Commitment, commitment_id)
        if commitment is None or (published_only and not commitment.published):
            return None
        return CommitmentView(commitment, _folios(session, [commitment.id])[commitment.id])


def link(commitment_id: int, folio: str, actor: str, engine: Engine | None = None) -> Proposal:
    """Link a proposal to a commitment and mark it «integrada» (its author is told, if they consented)."""
    with session_scope(engine) as session:
        if session.get(Commitment, commitment_id) is None:
            raise CommitmentError(_("No existe ese compromiso."))
        proposal = session.scalar(select(Proposal).where(Proposal.folio == folio.strip().upper()))
        if proposal is None:
            raise ProposalError(_("No existe el folio {folio}.").format(folio=folio))
        if proposal.status in ("no_procede", "duplicada"):
            raise ProposalError(_("{folio} está «{status}»; cambia su estado antes de vincularla.").format(
                folio=proposal.folio, status=proposal.status))
        already = session.scalar(select(CommitmentProposal.id).where(
            CommitmentProposal.commitment_id == commitment_id, CommitmentProposal.proposal_id == proposal.id))
        if already is None:
            session.add(CommitmentProposal(commitment_id=commitment_id, proposal_id=proposal.id))
        folio_found, status = proposal.folio or "", proposal.status
    if status != "integrada":
        title = get(commitment_id, published_only=False, engine=engine)
        name = title.commitment.title if title else ""
        # The note reaches the citizen: the bot's language, not the editor's page's.
        note = _("Integrada en el compromiso «{title}».", locale=configured_locale()).format(title=name)
        return proposals_svc.set_status(folio_found, "integrada", actor, note=note, engine=engine)
    return proposal


def unlink(commitment_id: int, folio: str, engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        proposal_id = session.scalar(select(Proposal.id).where(Proposal.folio == folio.strip().upper()))
        session.execute(delete(CommitmentProposal).where(
            CommitmentProposal.commitment_id == commitment_id, CommitmentProposal.proposal_id == proposal_id))
