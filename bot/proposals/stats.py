"""Counts behind the dashboard's charts and the public board: by theme, municipality, status and time.

Everything here is anonymous (counts, folios, themes, places): the public board and its
open data are built only from these functions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from bot.proposals.service import STATUSES, proposal_content
from bot.storage.db import session_scope
from bot.storage.models import Adhesion, Proposal, ProposalGroupMember, StatusChange
from bot.storage.models.base import utcnow


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    value: int


def by_theme(engine: Engine | None = None) -> list[Count]:
    """Every theme of content/proposals.yml, in its order, with zero when it has no proposals."""
    with session_scope(engine) as session:
        found = dict(session.execute(select(Proposal.theme, func.count()).group_by(Proposal.theme)).all())
    content = proposal_content()
    return [Count(t.id, t.title, int(found.get(t.id, 0))) for t in content.themes]


def by_status(engine: Engine | None = None) -> list[Count]:
    with session_scope(engine) as session:
        found = dict(session.execute(select(Proposal.status, func.count()).group_by(Proposal.status)).all())
    statuses = proposal_content().statuses
    return [Count(s, statuses[s].label, int(found.get(s, 0))) for s in STATUSES]


def by_municipality(limit: int | None = None, engine: Engine | None = None) -> list[Count]:
    """Municipalities with proposals, most first (ties by name); ``key`` is the INEGI code."""
    with session_scope(engine) as session:
        query = (select(Proposal.municipality_code, Proposal.municipality, func.count())
                 .group_by(Proposal.municipality_code, Proposal.municipality)
                 .order_by(func.count().desc(), Proposal.municipality))
        rows = session.execute(query.limit(limit) if limit else query).all()
    return [Count(code, name, int(n)) for code, name, n in rows]


def per_municipality_code(engine: Engine | None = None) -> dict[str, int]:
    """Proposals per INEGI municipality code (the maps colour municipalities by code)."""
    with session_scope(engine) as session:
        rows = session.execute(select(Proposal.municipality_code, func.count())
                               .group_by(Proposal.municipality_code)).all()
    return {code: int(n) for code, n in rows}


def groups_per_municipality_code(engine: Engine | None = None) -> dict[str, int]:
    """How many of the STL's groups have at least one proposal from each municipality."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(Proposal.municipality_code, func.count(func.distinct(ProposalGroupMember.group_id)))
            .join(ProposalGroupMember, ProposalGroupMember.proposal_id == Proposal.id)
            .group_by(Proposal.municipality_code)).all()
    return {code: int(n) for code, n in rows}


def totals(engine: Engine | None = None) -> dict[str, int]:
    with session_scope(engine) as session:
        return {
            "proposals": int(session.scalar(select(func.count()).select_from(Proposal)) or 0),
            "adhesions": int(session.scalar(select(func.count()).select_from(Adhesion)) or 0),
        }


def open_data_rows(engine: Engine | None = None) -> list[dict[str, object]]:
    """Counts by theme × municipality × status: the public, anonymous view of every proposal."""
    content = proposal_content()
    with session_scope(engine) as session:
        rows = session.execute(
            select(Proposal.theme, Proposal.municipality_code, Proposal.municipality, Proposal.status,
                   func.count())
            .group_by(Proposal.theme, Proposal.municipality_code, Proposal.municipality, Proposal.status)
            .order_by(Proposal.municipality_code, Proposal.theme, Proposal.status)
        ).all()
    return [
        {"tema": theme, "tema_nombre": content.theme_title(theme), "clave_municipio": code,
         "municipio": name, "estado": status, "estado_nombre": content.statuses[status].label,
         "propuestas": int(n)}
        for theme, code, name, status, n in rows
    ]


def periods(first: dt.date, last: dt.date) -> tuple[str, list[dt.date]]:
    """Period ends from ``first`` to ``last``: weeks for a span up to 20 weeks, months beyond."""
    if (last - first).days <= 140:
        end = first + dt.timedelta(days=6 - first.weekday())
        ends = []
        while True:
            ends.append(end)
            if end >= last:
                return "week", ends
            end += dt.timedelta(days=7)
    ends = []
    year, month = first.year, first.month
    while True:
        next_first = dt.date(year + month // 12, month % 12 + 1, 1)
        ends.append(next_first - dt.timedelta(days=1))
        if ends[-1] >= last:
            return "month", ends
        year, month = next_first.year, next_first.month


@dataclass
class Series:
    """One value per period for each key (a status, or adhesions)."""

    granularity: str
    ends: list[dt.date]
    values: dict[str, list[int]]


def status_over_time(engine: Engine | None = None, today: dt.date | None = None) -> Series:
    """How many proposals were in each status at the end of each period, from their history."""
    today = today or utcnow().date()
    with session_scope(engine) as session:
        changes = session.execute(
            select(StatusChange.proposal_id, StatusChange.to_status, StatusChange.created_at)
            .order_by(StatusChange.proposal_id, StatusChange.id)
        ).all()
    if not changes:
        return Series("week", [], {s: [] for s in STATUSES})
    by_proposal: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)
    for proposal_id, status, at in changes:
        by_proposal[proposal_id].append((at, status))
    first = min(at for _, _, at in changes).date()
    granularity, ends = periods(first, max(today, max(at for _, _, at in changes).date()))
    values = {s: [0] * len(ends) for s in STATUSES}
    for history in by_proposal.values():
        step = 0
        for index, end in enumerate(ends):
            limit = dt.datetime.combine(end, dt.time.max)
            while step < len(history) and history[step][0] <= limit:
                step += 1
            if step and history[step - 1][1] in values:
                values[history[step - 1][1]][index] += 1
    return Series(granularity, ends, values)


def adhesions_over_time(engine: Engine | None = None, today: dt.date | None = None) -> Series:
    """Adhesions received in each period."""
    today = today or utcnow().date()
    with session_scope(engine) as session:
        moments = [at for (at,) in session.execute(select(Adhesion.created_at)).all()]
    if not moments:
        return Series("week", [], {"adhesions": []})
    first = min(moments).date()
    granularity, ends = periods(first, max(today, max(moments).date()))
    counts: Counter[int] = Counter()
    for at in moments:
        counts[next(i for i, end in enumerate(ends) if at.date() <= end)] += 1
    return Series(granularity, ends, {"adhesions": [counts[i] for i in range(len(ends))]})


@dataclass(frozen=True)
class Supported:
    folio: str
    theme: str
    municipality: str
    adhesions: int


def most_supported(limit: int = 10, engine: Engine | None = None) -> list[Supported]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(Proposal.folio, Proposal.theme, Proposal.municipality, func.count(Adhesion.id))
            .join(Adhesion, Adhesion.proposal_id == Proposal.id)
            .group_by(Proposal.id, Proposal.folio, Proposal.theme, Proposal.municipality)
            .order_by(func.count(Adhesion.id).desc(), Proposal.id).limit(limit)
        ).all()
    content = proposal_content()
    return [Supported(f or "", content.theme_title(t), m, int(n)) for f, t, m, n in rows]
