"""Retention purge on SQLite and PostgreSQL: what goes, what stays, twice and at once."""

from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from bot.privacy.purge import months_before, purge
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import Consent, Notification, Proposal, ProposalContact, StatusChange
from bot.storage.rasa_tracker import summary
from tests.storage.rasa_events import add_conversation, tracker_db

NOW = dt.datetime(2026, 11, 21, 12, 0)


def proposal(engine: Engine, contact: bool = True) -> str:
    draft = svc.Draft(theme="movilidad", municipality_code="15106", municipality="Toluca",
                      problem="Baches enormes en la avenida principal", causes=None, effects=None,
                      affected=None, solution="Repavimentar la avenida")
    sender = f"tg-{uuid.uuid4().int % 10**10}"
    created = svc.submit(draft, intake_key=uuid.uuid4().hex, sender=sender, channel="telegram",
                         consent=contact, contact_info="ana@example.org" if contact else None,
                         engine=engine)
    assert created.folio
    return created.folio


def close(engine: Engine, folio: str, status: str, days_ago: int) -> None:
    """Move to ``status`` (notifying the author) as if it happened ``days_ago``."""
    svc.set_status(folio, status, "STL", note="Motivo de prueba", engine=engine)
    with session_scope(engine) as session:
        proposal_id = session.scalar(select(Proposal.id).where(Proposal.folio == folio))
        session.execute(update(StatusChange).where(StatusChange.proposal_id == proposal_id)
                        .values(created_at=NOW - dt.timedelta(days=days_ago)))


def contact_of(engine: Engine, folio: str) -> ProposalContact | None:
    found = svc.get(folio, engine=engine)
    assert found is not None
    return found.contact


def rows(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_contacts_of_proposals_closed_long_ago_are_removed(db_engine: Engine) -> None:
    old_rejected, old_integrated, old_duplicate = (proposal(db_engine) for _ in range(3))
    recent, still_open, no_contact = proposal(db_engine), proposal(db_engine), proposal(db_engine, False)
    close(db_engine, old_rejected, "no_procede", 200)
    close(db_engine, old_integrated, "integrada", 365)
    close(db_engine, old_duplicate, "duplicada", 190)
    close(db_engine, recent, "no_procede", 100)
    close(db_engine, still_open, "turnada", 900)
    close(db_engine, no_contact, "no_procede", 400)
    notifications_before = rows(db_engine, Notification)

    report = purge(months=6, engine=db_engine, now=NOW)

    assert (report.contacts, report.notifications, report.consents) == (3, 3, 3)
    for folio in (old_rejected, old_integrated, old_duplicate):
        assert contact_of(db_engine, folio) is None
        kept = svc.get(folio, engine=db_engine)
        assert kept is not None and kept.problem.startswith("Baches"), "the proposal itself stays"
    assert contact_of(db_engine, recent) is not None, "closed 100 days ago: not yet"
    assert contact_of(db_engine, still_open) is not None, "not closed: kept however old"
    assert rows(db_engine, Notification) == notifications_before - 3
    assert rows(db_engine, Consent) == 2, "the consents behind the remaining contacts"


def test_a_reopened_proposal_counts_as_open(db_engine: Engine) -> None:
    folio = proposal(db_engine)
    close(db_engine, folio, "integrada", 400)
    svc.set_status(folio, "en_revision", "STL", note="Se reabre", engine=db_engine)
    assert purge(months=6, engine=db_engine, now=NOW).contacts == 0
    assert contact_of(db_engine, folio) is not None


def test_dry_run_counts_and_deletes_nothing(db_engine: Engine) -> None:
    folio = proposal(db_engine)
    close(db_engine, folio, "no_procede", 365)
    dry = purge(months=6, dry_run=True, engine=db_engine, now=NOW)
    assert (dry.contacts, dry.notifications, dry.consents) == (1, 1, 1)
    assert contact_of(db_engine, folio) is not None
    assert "se borrarían" in "\n".join(dry.lines())


def test_running_twice_removes_nothing_more(db_engine: Engine) -> None:
    folio = proposal(db_engine)
    close(db_engine, folio, "no_procede", 365)
    assert purge(months=6, engine=db_engine, now=NOW).contacts == 1
    again = purge(months=6, engine=db_engine, now=NOW)
    assert (again.contacts, again.notifications, again.consents) == (0, 0, 0)


def test_concurrent_runs_remove_each_contact_once(db_engine: Engine) -> None:
    folios = [proposal(db_engine) for _ in range(12)]
    for folio in folios:
        close(db_engine, folio, "no_procede", 365)
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda _: purge(months=6, engine=db_engine, now=NOW), range(4)))
    assert sum(r.contacts for r in reports) == 12
    assert sum(r.consents for r in reports) == 12
    assert rows(db_engine, ProposalContact) == 0 and rows(db_engine, Consent) == 0


def test_zero_months_means_as_soon_as_it_closes(db_engine: Engine) -> None:
    folio = proposal(db_engine)
    close(db_engine, folio, "duplicada", 1)
    assert purge(months=0, engine=db_engine, now=NOW).contacts == 1


def test_idle_conversations_go_with_the_purge(db_engine: Engine) -> None:
    tracker = tracker_db(db_engine)
    idle, active = f"tg-{uuid.uuid4().int % 10**10}", f"tg-{uuid.uuid4().int % 10**10}"
    now = NOW.replace(tzinfo=dt.UTC).timestamp()
    add_conversation(tracker, idle, ["hola"], at=now - 31 * 86_400)
    add_conversation(tracker, active, ["hola"], at=now - 29 * 86_400)
    report = purge(tracker_days=30, engine=db_engine, now=NOW)
    assert report.conversations >= 1 and report.tracker_events >= 3
    assert summary(tracker, idle).events == 0 and summary(tracker, active).events == 3


def test_months_are_calendar_months() -> None:
    assert months_before(dt.datetime(2026, 3, 31, 8), 1) == dt.datetime(2026, 2, 28, 8)
    assert months_before(dt.datetime(2026, 1, 15), 6) == dt.datetime(2025, 7, 15)
    assert months_before(dt.datetime(2028, 3, 31), 1) == dt.datetime(2028, 2, 29)
    assert months_before(dt.datetime(2026, 5, 1), 0) == dt.datetime(2026, 5, 1)
