"""A reviewer merges two suggested groups or splits one in two before accepting them.

The clustering cannot know that "alumbrado" and "luminarias fundidas" are one table for the STL,
or that a group mixes two problems: the reviewer decides. After each change the groups are
described again (size, municipalities, order, three quotes) as ``clustering`` would; a label the
reviewer kept or typed stays, a part split off gets a label of its own words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bot.i18n import _
from bot.proposals import clustering
from bot.proposals import service as svc
from bot.proposals.review import MAX_GROUP_NAME
from bot.proposals.suggestions import PENDING, load_pending
from bot.storage.db import session_scope
from bot.storage.models import ClusterSuggestion, ClusterSuggestionMember, Proposal
from bot.storage.models.base import utcnow

MERGED = "unida"


def merge(target_id: int, source_id: int, actor: str, engine: Engine | None = None) -> ClusterSuggestion:
    """Move every proposal of suggestion ``source_id`` into ``target_id`` (same theme); the target keeps
    its label, the source is closed as merged."""
    if target_id == source_id:
        raise svc.ProposalError(_("Elige otro grupo sugerido para unirlo con este."))
    with session_scope(engine) as session:
        target = load_pending(session, target_id)
        source = load_pending(session, source_id)
        if target.theme != source.theme:
            raise svc.ProposalError(_("Solo se pueden unir grupos sugeridos del mismo tema."))
        have = {m.proposal_id for m in target.members}
        moving = [m.proposal_id for m in source.members if m.proposal_id not in have]
        for member in list(source.members):
            session.delete(member)
        session.flush()
        for rank, proposal_id in enumerate(moving, start=len(have)):
            session.add(ClusterSuggestionMember(suggestion_id=target.id, proposal_id=proposal_id, rank=rank))
        source.status, source.size, source.group_id = MERGED, 0, None
        source.decided_by, source.decided_at = actor, utcnow()
        session.flush()
        session.expire(target, ["members"])
        session.expire(source, ["members"])
        _describe_again(session, [target], keep_label=[True])
        return target


def split(suggestion_id: int, folios: Iterable[str], actor: str,
          engine: Engine | None = None) -> ClusterSuggestion:
    """Take the proposals ``folios`` out of a suggestion into a new suggestion of the same theme.

    Both parts stay pending (a part of one proposal too: the reviewer then accepts or discards it).
    Returns the new suggestion.
    """
    wanted = {f.strip().upper() for f in folios if f.strip()}
    if not wanted:
        raise svc.ProposalError(_("Marca las propuestas que quieres separar del grupo."))
    with session_scope(engine) as session:
        suggestion = load_pending(session, suggestion_id)
        ids = [m.proposal_id for m in suggestion.members]
        folio_of = _folios(session, ids)
        moving = [i for i in ids if folio_of.get(i, "").upper() in wanted]
        if len(moving) != len(wanted):
            raise svc.ProposalError(_("Alguna propuesta marcada ya no está en este grupo sugerido. "
                                      "Vuelve a cargar la página."))
        if len(moving) == len(ids):
            raise svc.ProposalError(_("Deja al menos una propuesta en el grupo: para apartarlas todas, "
                                      "descártalo."))
        part = ClusterSuggestion(theme=suggestion.theme, label=suggestion.label, size=len(moving),
                                 municipalities=[], quotes=[], status=PENDING)
        session.add(part)
        session.flush()
        session.execute(update(ClusterSuggestionMember).where(
            ClusterSuggestionMember.suggestion_id == suggestion.id,
            ClusterSuggestionMember.proposal_id.in_(moving)).values(suggestion_id=part.id))
        session.flush()
        session.expire(suggestion, ["members"])
        session.expire(part, ["members"])
        _describe_again(session, [suggestion, part], keep_label=[True, False])
        return part


def _folios(session: Session, ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), 1000):
        found.update({i: f for i, f in session.execute(select(Proposal.id, Proposal.folio).where(
            Proposal.id.in_(ids[start:start + 1000]))).all() if f})
    return found


def _describe_again(session: Session, found: list[ClusterSuggestion], keep_label: list[bool]) -> None:
    """Size, municipalities, order and quotes of each suggestion from its members' text, as the
    clustering would describe them among all of these proposals."""
    ids = [m.proposal_id for s in found for m in s.members]
    proposals: dict[int, Proposal] = {}
    for start in range(0, len(ids), 1000):
        proposals.update({p.id: p for p in session.scalars(select(Proposal).where(
            Proposal.id.in_(ids[start:start + 1000]))).all()})
    items = [clustering.Item(key=p.folio or str(p.id), municipality=p.municipality, problem=p.problem,
                             causes=p.causes or "", effects=p.effects or "", solution=p.solution)
             for p in proposals.values()]
    key_of = {p.id: p.folio or str(p.id) for p in proposals.values()}
    parts = [[key_of[m.proposal_id] for m in s.members if m.proposal_id in key_of] for s in found]
    described = clustering.describe(items, parts)
    for suggestion, cluster, keep in zip(found, described, keep_label, strict=True):
        rank = {key: r for r, key in enumerate(cluster.keys)}
        for member in suggestion.members:
            member.rank = rank.get(key_of.get(member.proposal_id, ""), len(rank))
        suggestion.size = len(cluster.keys)
        suggestion.municipalities = list(cluster.municipalities)
        suggestion.quotes = list(cluster.quotes)
        if not keep:
            suggestion.label = cluster.label[:MAX_GROUP_NAME]
