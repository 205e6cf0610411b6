"""What the bot remembers about Telegram chats: deep-link sources and blocks, never who.

Chats are stored only as their pseudonym (:func:`bot.identity.chat_hash`; rows from before it
was unified carry the legacy form, so lookups try :func:`bot.identity.chat_hashes`):
the broadcast sender can still ask "did this chat block the bot?" by hashing the
chat id it already has, and campaign reports count people per deep-link code,
but nothing in these tables can be turned back into a person.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.identity import chat_hash, chat_hashes
from bot.storage.db import session_scope
from bot.storage.models import Subscriber, TelegramBlockedChat, TelegramDeepLink

# Telegram's own rule for the start parameter: 1-64 characters of A-Z a-z 0-9 _ -.
DEEP_LINK_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


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
                    TelegramDeepLink.code == code, TelegramDeepLink.chat_hash.in_(chat_hashes(chat_id))
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
    """The user blocked the bot: remember it so nothing is sent there again.

    Rows of this chat still carrying the legacy pseudonym (a block, a subscriber) are rewritten
    to the current one, so campaigns' audience, which joins them on the hash, leaves it out.
    """
    digest, legacy = chat_hashes(chat_id)
    try:
        with session_scope(engine) as session:
            session.execute(delete(TelegramBlockedChat).where(TelegramBlockedChat.chat_hash == legacy))
            if session.get(TelegramBlockedChat, digest) is None:
                session.add(
                    TelegramBlockedChat(chat_hash=digest, blocked_at=dt.datetime.now(dt.UTC))
                )
            session.execute(update(Subscriber).where(Subscriber.chat_id == chat_id,
                                                     Subscriber.chat_hash != digest)
                            .values(chat_hash=digest))
    except IntegrityError:  # recorded concurrently
        pass


def mark_unblocked(chat_id: int, engine: Engine | None = None) -> None:
    """The user unblocked the bot (or wrote to it again)."""
    with session_scope(engine) as session:
        session.execute(
            delete(TelegramBlockedChat).where(TelegramBlockedChat.chat_hash.in_(chat_hashes(chat_id)))
        )


def is_blocked(chat_id: int, engine: Engine | None = None) -> bool:
    with session_scope(engine) as session:
        return session.scalar(select(TelegramBlockedChat.chat_hash).where(
            TelegramBlockedChat.chat_hash.in_(chat_hashes(chat_id)))) is not None
