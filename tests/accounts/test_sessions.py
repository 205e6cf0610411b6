"""Dashboard sessions: stored as hashes, ended by logout, idleness or a disabled account."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.accounts import service as accounts
from bot.accounts import sessions as web_sessions
from bot.storage.db import session_scope
from bot.storage.models import WebSession
from bot.storage.models.base import utcnow


def _account(engine: Engine, role: str = "reviewer") -> int:
    return accounts.create_account("ana", "correcto-caballo-bateria", role, engine).id


def test_a_session_knows_its_account_and_stores_only_a_hash(db_engine: Engine) -> None:
    token = web_sessions.start(_account(db_engine, "editor"), db_engine)
    signed_in = web_sessions.resolve(token, db_engine)
    assert signed_in is not None and signed_in.username == "ana" and signed_in.role == "editor"
    assert len(signed_in.csrf_token) >= 32
    with session_scope(db_engine) as s:
        row = s.scalar(select(WebSession))
        assert row is not None and token not in row.token_hash
    assert web_sessions.resolve(token + "x", db_engine) is None


def test_each_login_gets_a_new_csrf_token(db_engine: Engine) -> None:
    account_id = _account(db_engine)
    first = web_sessions.resolve(web_sessions.start(account_id, db_engine), db_engine)
    second = web_sessions.resolve(web_sessions.start(account_id, db_engine), db_engine)
    assert first is not None and second is not None and first.csrf_token != second.csrf_token


def test_logout_idleness_and_disabling_end_sessions(db_engine: Engine) -> None:
    account_id = _account(db_engine)
    token = web_sessions.start(account_id, db_engine)
    web_sessions.end(token, db_engine)
    assert web_sessions.resolve(token, db_engine) is None

    idle = web_sessions.start(account_id, db_engine)
    assert web_sessions.resolve(idle, db_engine, now=utcnow() + web_sessions.IDLE * 2) is None
    assert web_sessions.resolve(idle, db_engine) is None, "an expired session is deleted"

    live = web_sessions.start(account_id, db_engine)
    accounts.set_active(account_id, False, db_engine)
    assert web_sessions.resolve(live, db_engine) is None
