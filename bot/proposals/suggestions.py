"""Suggested groups of similar proposals: computed per theme, stored for the reviewer to decide on.

``run`` clusters the open proposals nobody has grouped yet (``clustering``), replaces the
suggestions still undecided for those themes and keeps accepted or discarded ones. A reviewer then
accepts a suggestion (it becomes a ``ProposalGroup`` under its label), renames it or discards it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import selectinload

from bot.i18n import _
from bot.proposals import clustering
from bot.proposals import service as svc
from bot.proposals.review import MAX_GROUP_NAME
from bot.storage.db import session_scope
from bot.storage.models import (
    ClusterSuggestion,
    ClusterSuggestionMember,
    Proposal,
    ProposalGroup,
    ProposalGroupMember,
)
from bot.storage.models.base import utcnow

PENDING, ACCEPTED, DISCARDED = "sugerida", "aceptada", "descartada"
CLOSED = ("no_procede", "duplicada")


@dataclass(frozen=True)
class SuggestedGroup:
    """A group as the CLI prints it and ``--json`` writes it (no database ids: deterministic)."""

    theme: str
    label: str
    folios: tuple[str, ...]
    municipalities: tuple[str, ...]
    quotes: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"tema": self.theme, "etiqueta": self.label, "tamano": len(self.folios),
                "municipios": list(self.municipalities), "citas": list(self.quotes),
                "folios": sorted(self.folios)}


def _theme_order() -> dict[str, int]:
    return {t.id: i for i, t in enumerate(svc.proposal_content().themes)}


def run(theme: str | None = None, engine: Engine | None = None,
        threshold: float = clustering.DISTANCE_THRESHOLD) -> list[SuggestedGroup]:
    """Cluster open, ungrouped proposals per theme; store groups of two or more as suggestions.

    Every clustered proposal is in exactly one returned group (a proposal like no other is a
    group of one, returned but not stored: there is nothing to decide about it).
    """
    with session_scope(engine) as session:
        query = select(Proposal).where(
            Proposal.status.not_in(CLOSED), Proposal.folio.is_not(None),
            Proposal.id.not_in(select(ProposalGroupMember.proposal_id)),
        ).order_by(Proposal.id)
        if theme:
            query = query.where(Proposal.theme == theme)
        proposals = session.scalars(query).all()
        by_theme: dict[str, list[clustering.Item]] = {}
        ids: dict[str, int] = {}
        for p in proposals:
            folio = p.folio or ""
            ids[folio] = p.id
            by_theme.setdefault(p.theme, []).append(clustering.Item(
                key=folio, municipality=p.municipality, problem=p.problem, causes=p.causes or "",
                effects=p.effects or "", solution=p.solution,
            ))
        order = _theme_order()
        groups: list[SuggestedGroup] = []
        for theme_id in sorted(by_theme, key=lambda t: (order.get(t, len(order)), t)):
            for found in clustering.cluster(by_theme[theme_id], threshold):
                groups.append(SuggestedGroup(theme_id, found.label[:MAX_GROUP_NAME], found.keys,
                                             found.municipalities, found.quotes))
        themes = [theme] if theme else list(by_theme)
        stale = select(ClusterSuggestion.id).where(ClusterSuggestion.status == PENDING)
        if theme:
            stale = stale.where(ClusterSuggestion.theme.in_(themes))
        session.execute(delete(ClusterSuggestionMember).where(ClusterSuggestionMember.suggestion_id.in_(stale)))
        session.execute(delete(ClusterSuggestion).where(ClusterSuggestion.id.in_(stale)))
        for group in groups:
            if len(group.folios) < 2:
                continue
            suggestion = ClusterSuggestion(theme=group.theme, label=group.label, size=len(group.folios),
                                           municipalities=list(group.municipalities),
                                           quotes=list(group.quotes), status=PENDING)
            suggestion.members = [ClusterSuggestionMember(proposal_id=ids[f], rank=rank)
                                  for rank, f in enumerate(group.folios)]
            session.add(suggestion)
    return groups


def suggestions(status: str | None = PENDING, theme: str | None = None,
                engine: Engine | None = None) -> list[ClusterSuggestion]:
    """Stored suggestions, largest first, with their members' proposals loaded."""
    with session_scope(engine) as session:
        query = select(ClusterSuggestion).options(
            selectinload(ClusterSuggestion.members))
        if status:
            query = query.where(ClusterSuggestion.status == status)
        if theme:
            query = query.where(ClusterSuggestion.theme == theme)
        return list(session.scalars(query.order_by(ClusterSuggestion.theme, ClusterSuggestion.size.desc(),
                                                   ClusterSuggestion.id)).all())


@dataclass(frozen=True)
class Member:
    """A proposal of a suggestion as the reviewer picks it out to split the group."""

    folio: str
    municipality: str
    problem: str


@dataclass(frozen=True)
class SuggestionView:
    """A stored suggestion as the dashboard shows it."""

    id: int
    theme: str
    label: str
    folios: tuple[str, ...]  # closest to the group's centre first
    municipalities: tuple[str, ...]
    quotes: tuple[str, ...]
    members: tuple[Member, ...] = ()


def pending_views(theme: str | None = None, engine: Engine | None = None) -> list[SuggestionView]:
    """Undecided suggestions, per theme in the content's order, largest first."""
    found = suggestions(PENDING, theme, engine)
    ids = [m.proposal_id for s in found for m in s.members]
    with session_scope(engine) as session:
        rows: dict[int, Member] = {}
        for start in range(0, len(ids), 1000):
            rows.update({i: Member(f, m, clustering.short_quote(p, 120))
                         for i, f, m, p in session.execute(select(
                             Proposal.id, Proposal.folio, Proposal.municipality, Proposal.problem).where(
                             Proposal.id.in_(ids[start:start + 1000]))).all() if f})
    order = _theme_order()
    views = []
    for s in found:
        members = tuple(rows[m.proposal_id] for m in s.members if m.proposal_id in rows)
        views.append(SuggestionView(s.id, s.theme, s.label, tuple(m.folio for m in members),
                                    tuple(s.municipalities), tuple(s.quotes), members))
    return sorted(views, key=lambda v: (order.get(v.theme, len(order)), -len(v.folios), v.id))


def folios_of(suggestion: ClusterSuggestion, engine: Engine | None = None) -> list[str]:
    ids = [m.proposal_id for m in suggestion.members]
    with session_scope(engine) as session:
        found = dict(session.execute(select(Proposal.id, Proposal.folio).where(Proposal.id.in_(ids))).all())
    return [str(found[i]) for i in ids if found.get(i)]


def load_pending(session: Any, suggestion_id: int) -> ClusterSuggestion:
    suggestion = session.get(ClusterSuggestion, suggestion_id)
    if suggestion is None:
        raise svc.ProposalError(_("No existe ese grupo sugerido."))
    if suggestion.status != PENDING:
        raise svc.ProposalError(_("Ese grupo sugerido ya se había decidido."))
    return suggestion  # type: ignore[no-any-return]


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise svc.ProposalError(_("Escribe el nombre del grupo."))
    if len(name) > MAX_GROUP_NAME:
        raise svc.ProposalError(_("El nombre del grupo es muy largo (máximo {count} caracteres).").format(
            count=MAX_GROUP_NAME))
    return name


def rename(suggestion_id: int, name: str, engine: Engine | None = None) -> ClusterSuggestion:
    with session_scope(engine) as session:
        suggestion = load_pending(session, suggestion_id)
        suggestion.label = _clean_name(name)
        return suggestion


def accept(suggestion_id: int, actor: str, name: str | None = None,
           engine: Engine | None = None) -> ProposalGroup:
    """The suggestion becomes a group of the STL; members already in another group stay there."""
    with session_scope(engine) as session:
        suggestion = load_pending(session, suggestion_id)
        label = _clean_name(name if name is not None else suggestion.label)
        if session.scalar(select(ProposalGroup.id).where(func.lower(ProposalGroup.name) == label.lower())):
            raise svc.ProposalError(
                _("Ya hay un grupo llamado «{name}»; ponle otro nombre.").format(name=label))
        group = ProposalGroup(name=label, created_by=actor)
        session.add(group)
        session.flush()
        taken = set(session.scalars(select(ProposalGroupMember.proposal_id).where(
            ProposalGroupMember.proposal_id.in_([m.proposal_id for m in suggestion.members]))).all())
        for member in suggestion.members:
            if member.proposal_id not in taken:
                session.add(ProposalGroupMember(group_id=group.id, proposal_id=member.proposal_id))
        suggestion.label, suggestion.status, suggestion.group_id = label, ACCEPTED, group.id
        suggestion.decided_by, suggestion.decided_at = actor, utcnow()
        return group


def discard(suggestion_id: int, actor: str, engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        suggestion = load_pending(session, suggestion_id)
        suggestion.status, suggestion.decided_by = DISCARDED, actor
        suggestion.decided_at = utcnow()
