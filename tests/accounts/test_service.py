"""Web accounts on SQLite and PostgreSQL: argon2 hashes, roles, throttled logins."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.accounts import service as accounts
from bot.storage.db import session_scope
from bot.storage.models import LoginAttempt, WebAccount
from bot.storage.models.base import utcnow

PASSWORD = "correcto-caballo-bateria"


def test_passwords_are_stored_as_argon2_hashes(db_engine: Engine) -> None:
    accounts.create_account("Ana.Lopez", PASSWORD, "editor", db_engine)
    with session_scope(db_engine) as s:
        account = s.scalar(select(WebAccount))
        assert account is not None and account.username == "ana.lopez" and account.role == "editor"
        assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash


@pytest.mark.parametrize("username,password,role,message", [
    ("a", PASSWORD, "reviewer", "3 a 60"),
    ("ana lopez", PASSWORD, "reviewer", "3 a 60"),
    ("ana", "corta", "reviewer", "12 caracteres"),
    ("ana", PASSWORD, "jefa", "Rol desconocido"),
])
def test_bad_accounts_are_refused_with_a_reason(db_engine: Engine, username: str, password: str,
                                                role: str, message: str) -> None:
    with pytest.raises(accounts.AccountError, match=message):
        accounts.create_account(username, password, role, db_engine)


def test_a_username_is_taken_once(db_engine: Engine) -> None:
    accounts.create_account("ana", PASSWORD, "reviewer", db_engine)
    with pytest.raises(accounts.AccountError, match="Ya existe"):
        accounts.create_account("ANA", PASSWORD, "admin", db_engine)


def test_login_checks_the_password_and_records_every_attempt(db_engine: Engine) -> None:
    accounts.create_account("ana", PASSWORD, "reviewer", db_engine)
    assert accounts.login("ana", "otra-contrasena", "10.0.0.1", db_engine).outcome == "bad"
    assert accounts.login("nadie", PASSWORD, "10.0.0.1", db_engine).outcome == "bad"
    good = accounts.login(" Ana ", PASSWORD, "10.0.0.1", db_engine)
    assert good.outcome == "ok" and good.account is not None and good.account.last_login_at is not None
    with session_scope(db_engine) as s:
        attempts = s.scalars(select(LoginAttempt).order_by(LoginAttempt.id)).all()
        assert [a.succeeded for a in attempts] == [False, False, True]
        assert all("10.0.0.1" not in a.ip_hash and len(a.ip_hash) == 64 for a in attempts)
        assert "otra-contrasena" not in str([vars(a) for a in attempts])
        assert len({a.username_hash for a in attempts}) == 2, "nadie, and ana (typed twice)"


def test_five_failures_for_a_username_throttle_it_from_any_address(db_engine: Engine) -> None:
    accounts.create_account("ana", PASSWORD, "reviewer", db_engine)
    for i in range(5):
        assert accounts.login("ana", "mala", f"10.0.0.{i}", db_engine).outcome == "bad"
    assert accounts.login("ana", PASSWORD, "10.9.9.9", db_engine).outcome == "throttled"


def test_throttling_ends_after_the_window(db_engine: Engine) -> None:
    accounts.create_account("ana", PASSWORD, "reviewer", db_engine)
    for _ in range(5):
        accounts.login("ana", "mala", "10.0.0.1", db_engine)
    later = utcnow() + accounts.WINDOW + dt.timedelta(seconds=1)
    assert accounts.throttled("ana", "10.0.0.1", db_engine)
    assert not accounts.throttled("ana", "10.0.0.1", db_engine, now=later)


def test_a_disabled_account_cannot_log_in(db_engine: Engine) -> None:
    account = accounts.create_account("ana", PASSWORD, "reviewer", db_engine)
    accounts.set_active(account.id, False, db_engine)
    assert accounts.login("ana", PASSWORD, "10.0.0.1", db_engine).outcome == "bad"


def test_permissions_by_role() -> None:
    assert accounts.can("reviewer", "review") and not accounts.can("reviewer", "commitments")
    assert accounts.can("editor", "campaigns") and not accounts.can("editor", "export_contact")
    assert all(accounts.can("admin", p) for p in accounts.PERMISSIONS)
    assert not accounts.can(None, "read") and not accounts.can("admin", "no-such-permission")


def test_a_hundred_simultaneous_attempts_check_at_most_five_passwords(db_engine: Engine) -> None:
    accounts.create_account("ana", PASSWORD, "reviewer", db_engine)
    gate = threading.Barrier(100)

    def attempt(i: int) -> str:
        gate.wait()
        return accounts.login("ana", f"mala-{i}", f"10.1.{i // 250}.{i % 250}", db_engine).outcome

    with ThreadPoolExecutor(max_workers=100) as pool:
        outcomes = list(pool.map(attempt, range(100)))
    checked = [o for o in outcomes if o != "throttled"]
    assert len(checked) <= accounts.MAX_FAILURES and set(outcomes) <= {"bad", "throttled"}, outcomes
    with session_scope(db_engine) as s:
        assert len(s.scalars(select(LoginAttempt)).all()) == len(checked)
    assert accounts.login("ana", PASSWORD, "10.9.9.9", db_engine).outcome == "throttled"
