"""Web accounts of the STL: roles, argon2 passwords, and login with throttling kept in the database.

Throttling lives in the database (not in memory) so it holds across replicas and restarts:
after ``MAX_FAILURES`` failed logins for one username, or from one address, within
``WINDOW``, further attempts are refused without even checking the password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, delete, func, select, text, update
from sqlalchemy.orm import Session

from bot.config import secret_key
from bot.i18n import _
from bot.storage.db import session_scope
from bot.storage.models import LoginAttempt, WebAccount
from bot.storage.models.base import utcnow

ROLES = ("reviewer", "editor", "admin")
# What each role may do. Editors also review (they link proposals to commitments);
# only admins see contact data, manage accounts and read the whole audit log.
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "review": frozenset(ROLES),
    "export": frozenset(ROLES),
    "export_contact": frozenset({"admin"}),
    "commitments": frozenset({"editor", "admin"}),
    "campaigns": frozenset({"editor", "admin"}),
    "accounts": frozenset({"admin"}),
    "audit": frozenset({"admin"}),
}
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


class AccountError(Exception):
    """An account that cannot be created or changed, said in Spanish."""


def can(role: str | None, permission: str) -> bool:
    return role is not None and role in PERMISSIONS.get(permission, frozenset())


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked for unknown usernames so a login takes as long whether or not the account exists."""
    return _hasher().hash("participa-no-such-account")


def sub_key(purpose: str) -> bytes:
    """A key for one purpose derived from the deployment secret (never the secret itself)."""
    return hmac.new(secret_key(), f"participa-web:{purpose}".encode(), hashlib.sha256).digest()


def address_hash(address: str) -> str:
    return hmac.new(sub_key("address"), address.encode(), hashlib.sha256).hexdigest()


def username_hash(username: str) -> str:
    return hmac.new(sub_key("username"), normalize_username(username).encode(), hashlib.sha256).hexdigest()


def normalize_username(username: str) -> str:
    return username.strip().lower()


def create_account(username: str, password: str, role: str, engine: Engine | None = None) -> WebAccount:
    name = normalize_username(username)
    if not USERNAME_RE.match(name):
        raise AccountError(_(
            "El nombre de usuario lleva de 3 a 60 caracteres: letras minúsculas, números, punto, "
            "guion o guion bajo."
        ))
    if role not in ROLES:
        raise AccountError(_("Rol desconocido {role}. Válidos: {valid}.").format(
            role=repr(role), valid=", ".join(ROLES)))
    check_password(password)
    with session_scope(engine) as session:
        if session.scalar(select(WebAccount.id).where(WebAccount.username == name)) is not None:
            raise AccountError(_("Ya existe la cuenta {name}.").format(name=name))
        account = WebAccount(username=name, password_hash=_hasher().hash(password), role=role, active=True)
        session.add(account)
        session.flush()
        return account


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            _("La contraseña necesita al menos {count} caracteres.").format(count=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise AccountError(_("La contraseña es demasiado larga."))


def set_password(username: str, password: str, engine: Engine | None = None) -> None:
    check_password(password)
    with session_scope(engine) as session:
        name = normalize_username(username)
        account = session.scalar(select(WebAccount).where(WebAccount.username == name))
        if account is None:
            raise AccountError(_("No existe la cuenta {name}.").format(name=username))
        account.password_hash = _hasher().hash(password)


def list_accounts(engine: Engine | None = None) -> list[WebAccount]:
    with session_scope(engine) as session:
        return list(session.scalars(select(WebAccount).order_by(WebAccount.username)).all())


def get_account(account_id: int, engine: Engine | None = None) -> WebAccount | None:
    with session_scope(engine) as session:
        return session.get(WebAccount, account_id)


def set_active(account_id: int, active: bool, engine: Engine | None = None) -> WebAccount:
    """Enable or disable an account; disabling ends its sessions at their next request."""
    with session_scope(engine) as session:
        account = session.get(WebAccount, account_id)
        if account is None:
            raise AccountError(_("No existe esa cuenta."))
        account.active = active
        return account


@dataclass
class LoginResult:
    account: WebAccount | None
    outcome: str  # "ok", "bad" (wrong username or password, or disabled) or "throttled"


def _failures(session: Session, name: str, where: str, since: dt.datetime) -> tuple[int, int]:
    by_name = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.username_hash == username_hash(name), LoginAttempt.succeeded.is_(False),
        LoginAttempt.created_at >= since))
    by_address = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.ip_hash == where, LoginAttempt.succeeded.is_(False),
        LoginAttempt.created_at >= since))
    return int(by_name or 0), int(by_address or 0)


def throttled(username: str, address: str, engine: Engine | None = None,
              now: dt.datetime | None = None) -> bool:
    since = (now or utcnow()) - WINDOW
    with session_scope(engine) as session:
        counts = _failures(session, normalize_username(username)[:60], address_hash(address), since)
    return max(counts) >= MAX_FAILURES


def _lock_keys(session: Session, *keys: str) -> None:
    """Serialise attempts on one username or address until this transaction ends.

    PostgreSQL: transaction-scoped advisory locks (sorted, so two attempts cannot deadlock).
    SQLite: the INSERT that follows takes the database's single write lock, which has the
    same effect.
    """
    if session.get_bind().dialect.name == "postgresql":
        for key in sorted(set(keys)):
            session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def _reserve_attempt(name: str, address: str, engine: Engine | None) -> int | None:
    """Record the attempt as a failure *before* checking the password, atomically with the count.

    Counting failures and recording the attempt in separate transactions let 100 simultaneous
    attempts check 19 passwords; here each attempt takes its place in one transaction, so at
    most ``MAX_FAILURES`` passwords are ever checked. Returns the attempt's id, or None when
    throttled (nothing recorded).
    """
    user_key, where = username_hash(name), address_hash(address)
    with session_scope(engine) as session:
        _lock_keys(session, "login-user:" + user_key, "login-ip:" + where)
        attempt = LoginAttempt(username_hash=user_key, ip_hash=where, succeeded=False)
        session.add(attempt)
        session.flush()
        by_name, by_address = _failures(session, name, where, utcnow() - WINDOW)
        if max(by_name, by_address) > MAX_FAILURES:  # our own row is one of them
            session.delete(attempt)
            return None
        return attempt.id


def login(username: str, password: str, address: str, engine: Engine | None = None) -> LoginResult:
    """Check a username and password; every checked attempt is recorded for throttling."""
    name = normalize_username(username)[:60]
    attempt_id = _reserve_attempt(name, address, engine)
    if attempt_id is None:
        return LoginResult(None, "throttled")
    with session_scope(engine) as session:
        account = session.scalar(select(WebAccount).where(WebAccount.username == name))
        ok = False
        try:
            stored = account.password_hash if account else _dummy_hash()
            ok = _hasher().verify(stored, password[:MAX_PASSWORD])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        ok = ok and account is not None and account.active
        if not ok or account is None:
            return LoginResult(None, "bad")
        session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))
        if _hasher().check_needs_rehash(account.password_hash):
            account.password_hash = _hasher().hash(password)
        account.last_login_at = utcnow()
        session.flush()
    forget_old_attempts(engine)
    return LoginResult(account, "ok")


def forget_old_attempts(engine: Engine | None = None, keep: dt.timedelta = dt.timedelta(days=30)) -> int:
    """Login attempts are only needed for throttling and a short security review; drop old ones."""
    with session_scope(engine) as session:
        result = session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < utcnow() - keep))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
