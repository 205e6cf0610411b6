"""Follows of a buyer or supplier: consent first, new contracts queued and claimed once, erased."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

import bot.domains  # noqa: F401 - registers the privacy providers and purge steps
from bot.campaigns import telegram_chats
from bot.identity import telegram_sender
from bot.privacy import rights
from bot.privacy.purge import purge
from bot.procurement import follows
from bot.procurement import service as svc
from bot.procurement.follow_alerts import alert_reply
from bot.storage.db import session_scope
from bot.storage.models import Consent, ProcurementFollow, ProcurementFollowAlert

CHAT, OTHER = 8_100_001, 8_100_002
SAMPLE = (Path(__file__).resolve().parents[2] / "content" / "procurement" / "compranet"
          / "compranet_contratos_2017_muestra1pct.raw.csv")
CFE = follows.Target(follows.BUYER, "Comisión Federal de Electricidad",
                     "Comisión Federal de Electricidad")


@pytest.fixture
def halves(tmp_path: Path) -> tuple[str, str]:
    lines = SAMPLE.read_text("utf-8").splitlines(keepends=True)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("".join(lines[:300]), "utf-8")
    second.write_text("".join(lines[300:400]), "utf-8")
    return str(first), str(second)


def test_following_stores_the_chat_with_its_consent(db_engine: Engine) -> None:
    assert follows.follow(CHAT, CFE, db_engine) == "followed"
    assert follows.follow(CHAT, CFE, db_engine) == "already"
    [row] = follows.following(CHAT, db_engine)
    assert row.label == CFE.label
    with session_scope(db_engine) as session:
        consent = session.scalar(select(Consent))
        assert consent is not None and consent.purpose == follows.PURPOSE
        assert str(CHAT) not in consent.person_key, "the consent keeps a keyed hash, not the chat"


def test_a_search_names_one_target_or_none() -> None:
    assert follows.Target.of(svc.SearchQuery(buyers=("Diconsa",))) == follows.Target(
        follows.BUYER, "Diconsa", "Diconsa")
    supplier = follows.Target.of(svc.SearchQuery(suppliers=("siayec",), supplier_labels=("SIAYEC",)))
    assert supplier == follows.Target(follows.SUPPLIER, "siayec", "SIAYEC")
    assert follows.Target.of(svc.SearchQuery(buyers=("A", "B"))) is None
    assert follows.Target.of(svc.SearchQuery(words=(("papel",),))) is None


def test_new_contracts_are_queued_once_and_claimed_by_one_sender(
    db_engine: Engine, halves: tuple[str, str]
) -> None:
    first, second = halves
    svc.load_source(first, engine=db_engine)
    follows.follow(CHAT, CFE, db_engine)
    assert follows.queue_new(db_engine) == 0, "what was loaded before following is not new"
    svc.load_source(second, engine=db_engine)
    assert follows.queue_new(db_engine) == 6
    assert follows.queue_new(db_engine) == 0
    svc.load_source(second, engine=db_engine)  # the same file again
    assert follows.queue_new(db_engine) == 0
    [due] = follows.due(db_engine)
    claimed = follows.claim(due.follow_id, db_engine)
    assert len(claimed) == 6
    assert follows.claim(due.follow_id, db_engine) == [], "a second sender gets nothing"
    hits = follows.contracts(claimed, db_engine)
    assert {h.buyer for h in hits} == {CFE.key} and len(hits) == 6
    text = alert_reply(CFE.label, hits, len(hits)).text
    assert "Hay 6 contratos nuevos de Comisión Federal de Electricidad" in text
    assert "Y 1 más" in text, "five listed, the rest counted"
    follows.mark(due.follow_id, claimed, True, db_engine)
    assert follows.due(db_engine) == []


def test_a_supplier_follow_gets_its_contracts(db_engine: Engine, halves: tuple[str, str]) -> None:
    first, second = halves
    svc.load_source(first, engine=db_engine)
    with session_scope(db_engine) as session:
        from bot.storage.models import ProcurementContract as C

        keys = session.scalars(select(C.supplier_keys).where(C.supplier_keys != "")).all()
    key = keys[0].strip("|").split("|")[0]
    follows.follow(OTHER, follows.Target(follows.SUPPLIER, key, key.upper()), db_engine)
    svc.load_source(second, engine=db_engine)
    follows.queue_new(db_engine)  # whatever it finds, it finds once
    assert follows.queue_new(db_engine) == 0


def test_mis_datos_borrar_and_the_purge_include_follows(db_engine: Engine) -> None:
    sender = telegram_sender(CHAT)
    follows.follow(CHAT, CFE, db_engine)
    data = rights.collect(sender, db_engine)
    assert data["seguimientos_contratos"]["sigues"][0]["nombre"] == CFE.label
    assert any("Contratos que sigues" in line for line in rights.describe(data))
    report = rights.erase(sender, db_engine)
    assert report.counts.get("seguimientos de contratos") == 1
    assert follows.following(CHAT, db_engine) == []
    with session_scope(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(Consent)) == 0

    follows.follow(OTHER, CFE, db_engine)
    telegram_chats.mark_blocked(OTHER, db_engine)
    lines = purge(dry_run=True, engine=db_engine, now=dt.datetime(2030, 1, 1)).lines()
    assert "Seguimientos de contratos de chats que bloquearon el bot (se borrarían): 1" in lines
    purge(engine=db_engine, now=dt.datetime(2030, 1, 1))
    with session_scope(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(ProcurementFollow)) == 0
        assert session.scalar(select(func.count()).select_from(ProcurementFollowAlert)) == 0
