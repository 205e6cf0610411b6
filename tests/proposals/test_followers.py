"""Supporters kept informed: consent first, one message per status change, gone with /borrar."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.privacy import rights
from bot.privacy.notice import notice_version
from bot.privacy.purge import purge
from bot.proposals import followers
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import Consent, Notification, ProposalFollower, StatusChange


def _proposal(engine: Engine, author: str = "tg-100", consent: bool = False) -> str:
    draft = svc.Draft(theme="seguridad", municipality_code="15106", municipality="Toluca",
                      problem="No hay alumbrado en la calle Hidalgo", causes=None, effects=None,
                      affected=None, solution="Poner luminarias")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender=author, channel="telegram",
                          consent=consent, engine=engine)
    assert proposal.folio
    return proposal.folio


def _count(engine: Engine, model: type, *where: object) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_only_a_supporter_can_follow_and_the_consent_is_recorded(db_engine: Engine) -> None:
    folio = _proposal(db_engine)
    assert followers.follow(folio, "tg-200", "telegram", db_engine) == "not_supporter"
    assert followers.follow("P-2026-999999", "tg-200", "telegram", db_engine) == "not_found"
    assert _count(db_engine, ProposalFollower) == 0 and _count(db_engine, Consent) == 0
    assert svc.adhere(folio, "tg-200", db_engine) == "adhered"
    assert followers.follow(folio.lower(), "tg-200", "telegram", db_engine) == "following"
    assert followers.follow(folio, "tg-200", "telegram", db_engine) == "already_following"
    with session_scope(db_engine) as session:
        [consent] = session.scalars(select(Consent)).all()
        assert consent.purpose == followers.FOLLOW_PURPOSE
        assert consent.notice_version == notice_version()
        [row] = session.scalars(select(ProposalFollower)).all()
        assert row.address == "tg-200" and row.consent_id == consent.id


def test_each_status_change_queues_one_message_per_follower(db_engine: Engine) -> None:
    folio = _proposal(db_engine, consent=True)
    for supporter in ("tg-201", "tg-202", "tg-203"):
        svc.adhere(folio, supporter, db_engine)
    followers.follow(folio, "tg-201", "telegram", db_engine)
    followers.follow(folio, "tg-202", "telegram", db_engine)  # tg-203 did not ask
    svc.set_status(folio, "turnada", actor="stl", note="Mesa de seguridad del 12 de enero",
                   engine=db_engine)
    svc.set_status(folio, "turnada", actor="stl", engine=db_engine)  # no change: nothing new
    pending = svc.pending_notifications("telegram", engine=db_engine)
    by_address = {n.address: n.text for n in pending}
    assert set(by_address) == {"tg-100", "tg-201", "tg-202"}
    assert by_address["tg-201"].startswith(f"La propuesta {folio} que apoyas cambió de estado: Turnada")
    assert "Nota del STL: Mesa de seguridad del 12 de enero" in by_address["tg-201"]
    assert by_address["tg-100"].startswith(f"Tu propuesta {folio}")


def test_two_replicas_send_a_followers_message_once(db_engine: Engine) -> None:
    folio = _proposal(db_engine)
    svc.adhere(folio, "tg-210", db_engine)
    followers.follow(folio, "tg-210", "telegram", db_engine)
    svc.set_status(folio, "en_revision", actor="stl", engine=db_engine)
    [seen_by_a] = svc.pending_notifications("telegram", engine=db_engine)
    [seen_by_b] = svc.pending_notifications("telegram", engine=db_engine)
    assert svc.claim_notification(seen_by_a.id, seen_by_a.attempts, engine=db_engine) is True
    assert svc.claim_notification(seen_by_b.id, seen_by_b.attempts, engine=db_engine) is False


def test_mis_datos_and_borrar_include_what_a_follower_gave(db_engine: Engine) -> None:
    folio = _proposal(db_engine)
    svc.adhere(folio, "tg-220", db_engine)
    followers.follow(folio, "tg-220", "telegram", db_engine)
    svc.set_status(folio, "en_revision", actor="stl", engine=db_engine)
    data = rights.collect("tg-220", db_engine)
    assert data["seguimiento_apoyos"] == [{"folio": folio, "canal": "telegram", "chat": "tg-220",
                                           "fecha": dt.date.today().isoformat()}]
    lines = "\n".join(rights.describe(data))
    assert f"Avisos de propuestas que apoyas: este chat, en 1 ({folio})" in lines
    assert "avisos sobre propuestas que apoyas" in lines  # the consent, named
    report = rights.erase("tg-220", db_engine)
    assert report.complete
    assert report.counts["avisos de propuestas que apoyas"] == 1
    assert _count(db_engine, ProposalFollower) == 0
    assert _count(db_engine, Notification, Notification.address == "tg-220") == 0
    assert _count(db_engine, Consent) == 0
    assert rights.collect("tg-220", db_engine) == {}


def test_the_purge_forgets_followers_of_long_closed_proposals(db_engine: Engine) -> None:
    closed, open_ = _proposal(db_engine), _proposal(db_engine)
    for folio in (closed, open_):
        svc.adhere(folio, "tg-230", db_engine)
        followers.follow(folio, "tg-230", "telegram", db_engine)
    svc.set_status(closed, "integrada", actor="stl", engine=db_engine)
    long_ago = dt.datetime(2020, 1, 1)
    with session_scope(db_engine) as session:
        for change in session.scalars(select(StatusChange)).all():
            change.created_at = long_ago
    report = purge(months=6, dry_run=True, engine=db_engine)
    assert any("Personas que seguían propuestas cerradas" in line and line.endswith(": 1")
               for line in report.lines())
    assert _count(db_engine, ProposalFollower) == 2, "a dry run deletes nothing"
    purge(months=6, engine=db_engine)
    with session_scope(db_engine) as session:
        [kept] = session.scalars(select(ProposalFollower)).all()
        assert _count(db_engine, Consent, Consent.id == kept.consent_id) == 1
    assert _count(db_engine, Consent, Consent.purpose == followers.FOLLOW_PURPOSE) == 1
