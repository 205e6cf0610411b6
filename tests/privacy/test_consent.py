"""Consents on SQLite and PostgreSQL: recorded with the notice version, withdrawn, erased."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.identity import person_key
from bot.privacy import consent
from bot.privacy.notice import notice_version
from bot.storage.db import session_scope
from bot.storage.models import Consent


def test_a_consent_records_the_notice_version_in_force(db_engine: Engine) -> None:
    person = person_key("tg-100")
    stored = consent.record(person, "suscripcion", engine=db_engine)
    assert stored.id is not None
    found = consent.active(person, "suscripcion", db_engine)
    assert found is not None and found.notice_version == notice_version()
    assert consent.active(person, "contacto_propuesta", db_engine) is None, "one purpose only"


def test_person_keys_are_keyed_hashes_not_chat_ids() -> None:
    key = person_key("tg-100")
    assert key == person_key("tg-100") and key != person_key("tg-101")
    assert "100" not in key and len(key) == 64


def test_withdrawing_keeps_the_record_but_ends_it(db_engine: Engine) -> None:
    person = person_key("tg-101")
    consent.record(person, "suscripcion", engine=db_engine)
    assert consent.revoke(person, "suscripcion", db_engine) == 1
    assert consent.active(person, "suscripcion", db_engine) is None
    [only] = consent.of(person, db_engine)
    assert only.revoked_at is not None and only.revoked_at >= only.granted_at
    assert consent.revoke(person, "suscripcion", db_engine) == 0


def test_recorded_in_the_callers_transaction(db_engine: Engine) -> None:
    person = person_key("tg-102")
    with pytest.raises(RuntimeError), session_scope(db_engine) as session:
        consent.record(person, "suscripcion", session=session)
        raise RuntimeError("the data it covers could not be stored")
    assert consent.of(person, db_engine) == [], "rolled back with the data it covered"


def test_erase_removes_every_purpose(db_engine: Engine) -> None:
    person, other = person_key("tg-103"), person_key("tg-104")
    consent.record(person, "suscripcion", engine=db_engine)
    consent.record(person, "contacto_propuesta", engine=db_engine)
    consent.record(other, "suscripcion", engine=db_engine)
    with session_scope(db_engine) as session:
        assert consent.erase(person, session) == 2
    with session_scope(db_engine) as session:
        left = session.scalars(select(Consent.person_key)).all()
    assert left == [other]


def test_a_purpose_must_fit_its_column(db_engine: Engine) -> None:
    with pytest.raises(ValueError):
        consent.record(person_key("tg-105"), "", engine=db_engine)
    with pytest.raises(ValueError):
        consent.record(person_key("tg-105"), "x" * 41, engine=db_engine)
