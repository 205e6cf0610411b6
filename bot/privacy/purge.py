"""Retention: contact data and idle conversations are deleted once their purpose is over.

- A proposal's contact (chat address, e-mail or phone), its notifications and the consent
  behind them are deleted ``CONTACT_RETENTION_MONTHS`` after the proposal was closed: status
  ``no_procede``, ``duplicada`` or ``integrada``, counted from the change into that status.
  The proposal itself stays (it is the public record).
- Rasa's stored conversations are deleted ``TRACKER_RETENTION_DAYS`` after their last message.
- Conversations with the STL's team (bot/attention/) are deleted ``ATTENTION_RETENTION_DAYS``
  after they were closed, with the consent that covered them.
- Other domains register their own step with :func:`register_step` (information requests: the
  row and its consent ``CONTACT_RETENTION_MONTHS`` after the extended due date).
- The buttons last offered to a person (``offered_choices``) are deleted once expired (a day).

``participa privacy purge`` runs this (``participa serve`` also runs it once a day). It is
idempotent and safe to run from several places at once: each step is one transaction of
``DELETE … WHERE`` statements, so two runs never delete a row twice and the counts they print
add up to what was removed (PostgreSQL row locks, SQLite's single writer).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Select, delete, func, select

from bot.attention.service import purge_closed as purge_attention
from bot.config import get_settings
from bot.proposals.service import CONTACT_PURPOSE
from bot.storage import rasa_tracker
from bot.storage.db import session_scope
from bot.storage.models import (
    Consent,
    Notification,
    OfferedChoice,
    Proposal,
    ProposalContact,
    StatusChange,
)

CLOSED_STATUSES = ("no_procede", "duplicada", "integrada")


@dataclass
class PurgeReport:
    months: int
    tracker_days: int
    dry_run: bool
    contacts: int = 0
    notifications: int = 0
    consents: int = 0
    conversations: int = 0
    tracker_events: int = 0
    attention_days: int = 30
    attention: int = 0
    domain_lines: list[str] = field(default_factory=list)
    offered_choices: int = 0

    def lines(self) -> list[str]:
        verb = "se borrarían" if self.dry_run else "borrados"
        return [
            f"Contactos de propuestas cerradas hace más de {self.months} meses ({verb}): {self.contacts}",
            f"Avisos de esas propuestas ({verb}): {self.notifications}",
            f"Consentimientos que ya no cubren ningún contacto ({verb}): {self.consents}",
            f"Conversaciones sin mensajes en {self.tracker_days} días ({verb}): {self.conversations} "
            f"({self.tracker_events} registros)",
            f"Conversaciones con el equipo cerradas hace más de {self.attention_days} días ({verb}): "
            f"{self.attention}",
            *self.domain_lines,
            f"Botones ofrecidos ya caducados ({verb}): {self.offered_choices}",
        ]


# A domain's retention step: (months, dry_run, engine, now) → report lines (Spanish, with counts).
Step = Callable[[int, bool, Engine | None, dt.datetime], list[str]]
_STEPS: dict[str, Step] = {}


def register_step(name: str, step: Step) -> Step:
    """Add (or replace, by name) a domain's retention step; domains call it when imported."""
    _STEPS[name] = step
    return step


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def closed_before(cutoff: dt.datetime) -> Select[Any]:
    """Ids of proposals whose current, closed status was reached before ``cutoff``."""
    closed_at = (
        select(StatusChange.proposal_id, func.max(StatusChange.created_at).label("closed_at"))
        .join(Proposal, Proposal.id == StatusChange.proposal_id)
        .where(Proposal.status.in_(CLOSED_STATUSES), StatusChange.to_status == Proposal.status)
        .group_by(StatusChange.proposal_id)
        .subquery()
    )
    return select(closed_at.c.proposal_id).where(closed_at.c.closed_at < cutoff)


def _count(engine: Engine | None, query: Select[Any]) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def purge_contacts(report: PurgeReport, engine: Engine | None, now: dt.datetime) -> None:
    closed = closed_before(months_before(now, report.months))
    contacts = select(ProposalContact.id).where(ProposalContact.proposal_id.in_(closed))
    notifications = select(Notification.id).where(Notification.proposal_id.in_(closed))
    if report.dry_run:
        report.contacts = _count(engine, contacts)
        report.notifications = _count(engine, notifications)
        report.consents = _count(engine, select(ProposalContact.consent_id)
                                 .where(ProposalContact.proposal_id.in_(closed)).distinct())
        return
    with session_scope(engine) as session:
        removed = session.execute(delete(Notification).where(Notification.proposal_id.in_(closed)))
        report.notifications = int(removed.rowcount or 0)  # type: ignore[attr-defined]
        removed = session.execute(delete(ProposalContact).where(ProposalContact.proposal_id.in_(closed)))
        report.contacts = int(removed.rowcount or 0)  # type: ignore[attr-defined]
        # A contact consent is recorded in the same transaction as its contact, so one that no
        # contact points at any more has nothing left to cover.
        removed = session.execute(delete(Consent).where(
            Consent.purpose == CONTACT_PURPOSE,
            Consent.id.not_in(select(ProposalContact.consent_id))))
        report.consents = int(removed.rowcount or 0)  # type: ignore[attr-defined]


def purge(months: int | None = None, tracker_days: int | None = None, dry_run: bool = False,
          engine: Engine | None = None, now: dt.datetime | None = None) -> PurgeReport:
    """Apply both retention rules; ``dry_run`` only counts what would go."""
    settings = get_settings()
    report = PurgeReport(
        months=settings.contact_retention_months if months is None else months,
        tracker_days=settings.tracker_retention_days if tracker_days is None else tracker_days,
        dry_run=dry_run,
        attention_days=settings.attention_retention_days,
    )
    moment = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    purge_contacts(report, engine, moment)
    for step in _STEPS.values():
        report.domain_lines.extend(step(report.months, dry_run, engine, moment))
    report.conversations, report.tracker_events = rasa_tracker.purge_idle(
        rasa_tracker.tracker_engine(engine), report.tracker_days, dry_run=dry_run,
        now=moment.replace(tzinfo=dt.UTC).timestamp(),
    )
    report.attention = purge_attention(moment - dt.timedelta(days=report.attention_days),
                                       dry_run=dry_run, engine=engine)
    report.offered_choices = _purge_offers(engine, moment, dry_run)
    return report


def _purge_offers(engine: Engine | None, moment: dt.datetime, dry_run: bool) -> int:
    """Expired offered buttons (bot.conversation.offered keeps them a day)."""
    where = OfferedChoice.expires_at <= moment
    with session_scope(engine) as session:
        if dry_run:
            return int(session.scalar(select(func.count()).select_from(OfferedChoice).where(where))
                       or 0)
        return int(session.execute(delete(OfferedChoice).where(where)).rowcount or 0)  # type: ignore[attr-defined]
