"""Signed-in browsers of the STL dashboard, kept in the database.

The cookie holds a random token (signed, so a tampered cookie is refused before any
query); the database keeps only its SHA-256, the account and the session's CSRF token.
A logout, a disabled account or ``IDLE`` without activity ends the session everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select

from bot.storage.db import session_scope
from bot.storage.models import WebAccount, WebSession
from bot.storage.models.base import utcnow

IDLE = dt.timedelta(hours=8)
LIFETIME = dt.timedelta(hours=24)
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    """Who is behind a request."""

    account_id: int
    username: str
    role: str
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(account_id: int, engine: Engine | None = None) -> str:
    """A new session (new token and new CSRF token: nothing carries over from before the login)."""
    token = secrets.token_urlsafe(32)
    with session_scope(engine) as session:
        session.add(WebSession(token_hash=_digest(token), account_id=account_id,
                               csrf_token=secrets.token_urlsafe(32)))
    return token


def resolve(token: str, engine: Engine | None = None, now: dt.datetime | None = None) -> SignedIn | None:
    now = now or utcnow()
    with session_scope(engine) as session:
        row = session.execute(
            select(WebSession, WebAccount).join(WebAccount, WebAccount.id == WebSession.account_id)
            .where(WebSession.token_hash == _digest(token))
        ).first()
        if row is None:
            return None
        web_session, account = row
        if (not account.active or now - web_session.last_seen_at > IDLE
                or now - web_session.created_at > LIFETIME):
            session.delete(web_session)
            return None
        if now - web_session.last_seen_at > TOUCH_EVERY:
            web_session.last_seen_at = now
        return SignedIn(account.id, account.username, account.role, web_session.csrf_token)


def end(token: str, engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))


def end_all(account_id: int, engine: Engine | None = None) -> None:
    with session_scope(engine) as session:
        session.execute(delete(WebSession).where(WebSession.account_id == account_id))


def forget_expired(engine: Engine | None = None, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    with session_scope(engine) as session:
        session.execute(delete(WebSession).where(
            (WebSession.last_seen_at < now - IDLE) | (WebSession.created_at < now - LIFETIME)))
