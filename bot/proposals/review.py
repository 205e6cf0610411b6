"""What the STL adds to a proposal while reviewing it: internal notes and groups of related proposals.

Status changes and duplicates live in ``bot.proposals.service`` (the CLI uses them too);
this module holds the rest of the review, shared by the web dashboard and any future tool.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError

from bot.i18n import _
from bot.proposals.service import ProposalError
from bot.storage.db import session_scope
from bot.storage.models import Proposal, ProposalGroup, ProposalGroupMember, ProposalNote

MAX_NOTE = 4000
MAX_GROUP_NAME = 120


def _proposal(session, folio: str) -> Proposal:  # type: ignore[no-untyped-def]
    proposal = session.scalar(select(Proposal).where(Proposal.folio == folio.strip().upper()))
    if proposal is None:
        raise ProposalError(_("No existe el folio {folio}.").format(folio=folio))
    return proposal  # type: ignore[no-any-return]


def add_note(folio: str, author: str, text: str, engine: Engine | None = None) -> ProposalNote:
    text = text.strip()
    if not text:
        raise ProposalError(_("La nota está vacía."))
    if len(text) > MAX_NOTE:
        raise ProposalError(_("La nota es muy larga (máximo {count} caracteres).").format(count=MAX_NOTE))
    with session_scope(engine) as session:
        note = ProposalNote(proposal_id=_proposal(session, folio).id, author=author, text=text)
        session.add(note)
        session.flush()
        return note


def notes(proposal_id: int, engine: Engine | None = None) -> list[ProposalNote]:
    with session_scope(engine) as session:
        return list(session.scalars(
            select(ProposalNote).where(ProposalNote.proposal_id == proposal_id).order_by(ProposalNote.id)
        ).all())


@dataclass(frozen=True)
class GroupSummary:
    id: int
    name: str
    size: int


def groups(engine: Engine | None = None) -> list[GroupSummary]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(ProposalGroup.id, ProposalGroup.name, func.count(ProposalGroupMember.id))
            .outerjoin(ProposalGroupMember, ProposalGroupMember.group_id == ProposalGroup.id)
            .group_by(ProposalGroup.id, ProposalGroup.name).order_by(ProposalGroup.name)
        ).all()
    return [GroupSummary(i, n, int(c)) for i, n, c in rows]


def group_of(proposal_id: int, engine: Engine | None = None) -> GroupSummary | None:
    with session_scope(engine) as session:
        group = session.scalar(
            select(ProposalGroup).join(ProposalGroupMember, ProposalGroupMember.group_id == ProposalGroup.id)
            .where(ProposalGroupMember.proposal_id == proposal_id)
        )
        if group is None:
            return None
        size = session.scalar(select(func.count()).where(ProposalGroupMember.group_id == group.id))
        return GroupSummary(group.id, group.name, int(size or 0))


def group(folio: str, name: str, actor: str, engine: Engine | None = None) -> GroupSummary:
    """Put a proposal in the group called ``name`` (created when new); it leaves any other group.

    Two reviewers creating the same new group at once: the second finds the first's row.
    """
    try:
        return _group(folio, name, actor, engine)
    except IntegrityError:
        return _group(folio, name, actor, engine)


def _group(folio: str, name: str, actor: str, engine: Engine | None) -> GroupSummary:
    name = " ".join(name.split())
    if not name:
        raise ProposalError(_("Escribe el nombre del grupo."))
    if len(name) > MAX_GROUP_NAME:
        raise ProposalError(_("El nombre del grupo es muy largo (máximo {count} caracteres).").format(
            count=MAX_GROUP_NAME))
    with session_scope(engine) as session:
        proposal = _proposal(session, folio)
        found = session.scalar(select(ProposalGroup).where(func.lower(ProposalGroup.name) == name.lower()))
        if found is None:
            found = ProposalGroup(name=name, created_by=actor)
            session.add(found)
            session.flush()
        session.execute(delete(ProposalGroupMember).where(ProposalGroupMember.proposal_id == proposal.id))
        session.add(ProposalGroupMember(group_id=found.id, proposal_id=proposal.id))
        session.flush()
        size = session.scalar(select(func.count()).where(ProposalGroupMember.group_id == found.id))
        return GroupSummary(found.id, found.name, int(size or 0))


def ungroup(folio: str, engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        proposal = _proposal(session, folio)
        session.execute(delete(ProposalGroupMember).where(ProposalGroupMember.proposal_id == proposal.id))


def group_members(group_id: int, engine: Engine | None = None) -> list[Proposal]:
    with session_scope(engine) as session:
        return list(session.scalars(
            select(Proposal).join(ProposalGroupMember, ProposalGroupMember.proposal_id == Proposal.id)
            .where(ProposalGroupMember.group_id == group_id).order_by(Proposal.id)
        ).all())
