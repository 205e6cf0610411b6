"""/mis_datos, /borrar and the retention purge include conversations with the STL's team."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.attention import service
from bot.privacy import purge, rights
from bot.storage.db import session_scope
from bot.storage.models import AttentionMessage, AttentionRequest, Consent

ME, NEIGHBOUR = "tg-6001", "tg-6002"


def count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def conversation(engine: Engine, sender: str, text: str) -> int:
    request_id = service.open_request(sender, engine).request_id
    service.add_person_message(request_id, text, engine)
    service.add_person_message(request_id, None, engine)
    service.staff_reply(request_id, "ana", "Hola, ¿en qué te ayudo?", engine)
    return request_id


def test_my_data_shows_my_conversation_and_not_the_neighbours(db_engine: Engine) -> None:
    conversation(db_engine, ME, "Mi correo es yo@example.org")
    conversation(db_engine, NEIGHBOUR, "Soy la vecina")
    data = rights.collect(ME, db_engine)
    [request] = data["atencion"]
    assert [m["texto"] for m in request["mensajes"]] == ["Mi correo es yo@example.org", None,
                                                         "Hola, ¿en qué te ayudo?"]
    assert request["mensajes"][1]["texto_no_guardado"] is True
    assert "Soy la vecina" not in str(data)
    lines = rights.describe(data)
    assert any("Conversaciones con el equipo del STL: 1 (con 3 mensajes" in line for line in lines)
    assert any("que una persona del equipo te conteste" in line for line in lines)


def test_erase_removes_my_conversation_and_its_consent(db_engine: Engine) -> None:
    conversation(db_engine, ME, "Borra esto")
    conversation(db_engine, NEIGHBOUR, "Esto se queda")
    report = rights.erase(ME, db_engine)
    assert report.counts.get("conversaciones con el equipo") == 1 and not report.failed
    assert rights.collect(ME, db_engine) == {}
    assert count(db_engine, AttentionRequest) == 1 and count(db_engine, Consent) == 1
    assert service.open_request_id(NEIGHBOUR, db_engine) is not None


def test_the_purge_removes_conversations_closed_long_ago(db_engine: Engine) -> None:
    old = conversation(db_engine, ME, "Hace mucho")
    conversation(db_engine, NEIGHBOUR, "Sigue abierta")
    assert service.close(old, "ana", "", "Cerrada", db_engine)
    soon = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=10)
    assert purge.purge(engine=db_engine, now=soon).attention == 0, "30 days have not passed"
    later = soon + dt.timedelta(days=30)
    assert purge.purge(dry_run=True, engine=db_engine, now=later).attention == 1
    report = purge.purge(engine=db_engine, now=later)
    assert report.attention == 1 and any("Conversaciones con el equipo" in line for line in report.lines())
    assert count(db_engine, AttentionRequest) == 1, "the open one stays"
    with session_scope(db_engine) as session:
        assert session.scalars(select(AttentionMessage.text).where(
            AttentionMessage.author == "person")).all() == ["Sigue abierta", None]
        assert session.scalar(select(func.count()).select_from(Consent)) == 1
