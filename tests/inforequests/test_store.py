"""Stored requests: with consent, per person, in /mis_datos, gone with /borrar (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select

from bot.identity import person_key
from bot.inforequests import store
from bot.inforequests.deadlines import deadline
from bot.privacy import rights
from bot.storage.db import session_scope
from bot.storage.models import Consent, InfoRequest

FILED = dt.date(2026, 12, 1)


def test_saved_with_its_consent_and_listed_only_to_its_owner(db_engine: Engine) -> None:
    due = deadline(FILED, "mun:15033")
    store.save(person_key("tg-501"), "mun:15033", "00123/SAIMEX/IP/2026", FILED, due, db_engine)
    store.save(person_key("tg-501"), "mun:15033", "00123/SAIMEX/IP/2026", FILED, due, db_engine)  # again
    store.save(person_key("tg-502"), None, "777777", FILED, due, db_engine)
    mine = store.mine(person_key("tg-501"), db_engine)
    assert [(f.folio, f.body_key, f.due_on) for f in mine] == [("00123/SAIMEX/IP/2026", "mun:15033", due.due)]
    with session_scope(db_engine) as session:
        row = session.scalar(select(InfoRequest).where(InfoRequest.folio == "00123/SAIMEX/IP/2026"))
        assert row is not None and row.consent_id is not None
        assert session.scalar(select(func.count()).select_from(Consent)
                              .where(Consent.person_key == person_key("tg-501"))) == 1


def test_my_data_shows_them_and_erase_deletes_them(db_engine: Engine) -> None:
    due = deadline(FILED, None)
    store.save(person_key("tg-601"), "edo:fiscalia", "4242/FGJEM/2026", FILED, due, db_engine)
    store.save(person_key("tg-602"), "edo:fiscalia", "4343/FGJEM/2026", FILED, due, db_engine)
    data = rights.collect("tg-601", db_engine)
    assert data["solicitudes_de_informacion"][0]["folio"] == "4242/FGJEM/2026"
    assert data["solicitudes_de_informacion"][0]["institucion"].startswith("Fiscalía General")
    lines = rights.describe(data)
    assert any("folio 4242/FGJEM/2026" in line and "Nunca guardo su texto" in line for line in lines)
    assert any("seguir los plazos de tus solicitudes" in line for line in lines)
    report = rights.erase("tg-601", db_engine)
    assert report.complete
    assert store.mine(person_key("tg-601"), db_engine) == []
    with session_scope(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(Consent)
                              .where(Consent.person_key == person_key("tg-601"))) == 0
    assert [f.folio for f in store.mine(person_key("tg-602"), db_engine)] == ["4343/FGJEM/2026"]


def test_the_retention_purge_deletes_old_requests_and_their_consents(db_engine: Engine) -> None:
    from bot.privacy.purge import purge

    old, recent = dt.date(2025, 1, 10), dt.date(2026, 11, 2)
    store.save(person_key("tg-701"), "mun:15106", "OLD-111", old, deadline(old, "mun:15106"), db_engine)
    store.save(person_key("tg-702"), "mun:15106", "NEW-222", recent, deadline(recent, "mun:15106"), db_engine)
    now = dt.datetime(2026, 12, 6, 12, 0)
    dry = purge(months=6, dry_run=True, engine=db_engine, now=now)
    assert any("Solicitudes de información" in line and line.endswith(": 1") for line in dry.lines())
    assert len(store.mine(person_key("tg-701"), db_engine)) == 1  # a dry run deletes nothing
    report = purge(months=6, engine=db_engine, now=now)
    assert any("(borradas): 1 (y 1 consentimientos)" in line for line in report.lines())
    assert store.mine(person_key("tg-701"), db_engine) == []
    assert [f.folio for f in store.mine(person_key("tg-702"), db_engine)] == ["NEW-222"]
    with session_scope(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(Consent)
                              .where(Consent.person_key == person_key("tg-701"))) == 0
        assert session.scalar(select(func.count()).select_from(Consent)
                              .where(Consent.person_key == person_key("tg-702"))) == 1
    again = purge(months=6, engine=db_engine, now=now)
    assert any("(borradas): 0 (y 0 consentimientos)" in line for line in again.lines())
