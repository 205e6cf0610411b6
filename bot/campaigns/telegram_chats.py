"""What the bot remembers about Telegram chats: deep-link sources and blocks, never who.

Chats are stored only as a keyed hash (see :mod:`bot.storage.models.telegram`):
the broadcast sender can still ask "did this chat block the bot?" by hashing the
chat id it already has, and campaign reports count people per deep-link code,
but nothing in these tables can be turned back into a person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError

from bot.config import secret_key
from bot.storage.db import session_scope
from bot.storage.models import TelegramBlockedChat, TelegramDeepLink

# Telegram's own rule for the start parameter: 1-64 characters of A-Z a-z 0-9 _ -.
DEEP_LINK_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def chat_hash(chat_id: int, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the chat id with the deployment's secret key (hex, 64 chars)."""
    return hmac.new(key or secret_key(), f"telegram:{chat_id}".encode(), hashlib.sha256).hexdigest()


def valid_deep_link(code: str) -> bool:
    return bool(DEEP_LINK_RE.match(code))


def record_deep_link(chat_id: int, code: str, engine: Engine | None = None) -> bool:
    """Note that this chat arrived through ``code``; False if invalid or already counted."""
    if not valid_deep_link(code):
        return False
    digest = chat_hash(chat_id)
    try:
        with session_scope(engine) as session:
            exists = session.scalar(
                select(TelegramDeepLink.id).where(
                    TelegramDeepLink.code == code, TelegramDeepLink.chat_hash == digest
                )
            )
            if exists is not None:
                return False
            session.add(TelegramDeepLink(code=code, chat_hash=digest, first_seen=dt.date.today()))
    except IntegrityError:  # the same chat tapped the link twice at once
        return False
    return True


def deep_link_counts(engine: Engine | None = None) -> dict[str, int]:
    """Code → number of distinct chats that started with it."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(TelegramDeepLink.code, func.count()).group_by(TelegramDeepLink.code)
        )
        return {code: int(count) for code, count in rows}


def mark_blocked(chat_id: int, engine: Engine | None = None) -> None:
    """The user blocked the bot: remember it so nothing is sent there again."""
    digest = chat_hash(chat_id)
    try:
        with session_scope(engine) as session:
            if session.get(TelegramBlockedChat, digest) is None:
                session.add(
                    TelegramBlockedChat(chat_hash=digest, blocked_at=dt.datetime.now(dt.UTC))
                )
    except IntegrityError:  # recorded concurrently
        pass


def mark_unblocked(chat_id: int, engine: Engine | None = None) -> None:
    """The user unblocked the bot (or wrote to it again)."""
    with session_scope(engine) as session:
        session.execute(
            delete(TelegramBlockedChat).where(TelegramBlockedChat.chat_hash == chat_hash(chat_id))
        )


def is_blocked(chat_id: int, engine: Engine | None = None) -> bool:
    with session_scope(engine) as session:
        return session.get(TelegramBlockedChat, chat_hash(chat_id)) is not None
