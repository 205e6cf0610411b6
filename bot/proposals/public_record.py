"""A proposal's public record, only when its author opted in when sending it (Open311-style).

Anonymised: no author, no contact, no adhesion keys; the citizen's free text passes through
:func:`bot.privacy.masking.mask_personal_data`. It shows the status (and its history), the STL's
public note (Open311 ``status_notes``) and expected date (``expected_datetime``), the group the
proposal is worked in and the published commitments it fed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from bot.i18n import _
from bot.identity import person_key
from bot.privacy.masking import mask_personal_data
from bot.proposals.review import group_of
from bot.proposals.service import ProposalError, adhesion_count, proposal_content
from bot.storage.db import session_scope
from bot.storage.models import Commitment, CommitmentProposal, Proposal

FOLIO_RE = re.compile(r"^P-\d{4}-\d{6}$")
NOTE_MAX = 1000


@dataclass
class PublicRecord:
    folio: str
    theme: str
    municipality: str
    problem: str
    solution: str
    status: str
    status_label: str
    status_meaning: str
    status_notes: str | None
    expected_date: dt.date | None
    received: dt.date
    adhesions: int
    group: str | None
    commitments: list[str] = field(default_factory=list)
    history: list[tuple[dt.date, str]] = field(default_factory=list)


def opt_in(folio: str, sender: str, engine: Engine | None = None) -> str:
    """The author publishes the record: "published", "already_published", "not_author", "not_found"."""
    with session_scope(engine) as session:
        proposal = session.scalar(select(Proposal).where(Proposal.folio == folio.strip().upper()))
        if proposal is None:
            return "not_found"
        if proposal.author_key != person_key(sender):
            return "not_author"
        if proposal.public_record:
            return "already_published"
        proposal.public_record = True
        return "published"


def set_public_info(folio: str, note: str | None, expected: dt.date | None,
                    engine: Engine | None = None) -> Proposal:
    """The STL's public note and expected date (empty values clear them)."""
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX:
        raise ProposalError(_("La nota pública puede tener hasta {max} caracteres.").format(max=NOTE_MAX))
    with session_scope(engine) as session:
        proposal = session.scalar(select(Proposal).where(Proposal.folio == folio.strip().upper()))
        if proposal is None:
            raise ProposalError(_("No existe el folio {folio}.").format(folio=folio))
        proposal.public_note = note
        proposal.expected_date = expected
        return proposal


def record(folio: str, engine: Engine | None = None) -> PublicRecord | None:
    """The public record, or None when the folio is unknown or its author did not opt in."""
    folio = folio.strip().upper()
    if not FOLIO_RE.match(folio):
        return None
    content = proposal_content()
    with session_scope(engine) as session:
        p = session.scalar(select(Proposal).where(Proposal.folio == folio, Proposal.public_record.is_(True))
                           .options(selectinload(Proposal.history)))
        if p is None:
            return None
        commitments = list(session.scalars(
            select(Commitment.title)
            .join(CommitmentProposal, CommitmentProposal.commitment_id == Commitment.id)
            .where(CommitmentProposal.proposal_id == p.id, Commitment.published.is_(True))
            .order_by(Commitment.id)).all())
        info = content.statuses[p.status]
        found = PublicRecord(
            folio=folio, theme=content.theme_title(p.theme), municipality=p.municipality,
            problem=mask_personal_data(p.problem), solution=mask_personal_data(p.solution),
            status=p.status, status_label=info.label, status_meaning=info.meaning,
            status_notes=p.public_note, expected_date=p.expected_date,
            received=p.created_at.date(), adhesions=adhesion_count(p.id, session), group=None,
            commitments=commitments,
            history=[(h.created_at.date(), content.statuses[h.to_status].label) for h in p.history],
        )
        proposal_id = p.id
    group = group_of(proposal_id, engine)
    found.group = group.name if group else None
    return found


def published(limit: int = 50, engine: Engine | None = None) -> list[tuple[str, str, str]]:
    """(folio, theme title, status label) of the newest public records, for the board."""
    content = proposal_content()
    with session_scope(engine) as session:
        rows = session.execute(
            select(Proposal.folio, Proposal.theme, Proposal.status)
            .where(Proposal.public_record.is_(True)).order_by(Proposal.id.desc()).limit(limit)).all()
    return [(str(f), content.theme_title(t), content.statuses[s].label) for f, t, s in rows]
