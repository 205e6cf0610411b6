"""Deep links and blocked chats on SQLite and PostgreSQL: counted once, stored as keyed hashes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.campaigns import telegram_chats
from bot.identity import chat_hash
from bot.storage.db import session_scope
from bot.storage.models import TelegramBlockedChat, TelegramDeepLink


def test_deep_links_count_each_chat_once(db_engine: Engine) -> None:
    assert telegram_chats.record_deep_link(42, "feria_toluca", db_engine)
    assert not telegram_chats.record_deep_link(42, "feria_toluca", db_engine)
    assert telegram_chats.record_deep_link(43, "feria_toluca", db_engine)
    assert telegram_chats.record_deep_link(42, "radio", db_engine)
    assert not telegram_chats.record_deep_link(44, "no válido!", db_engine)
    assert telegram_chats.deep_link_counts(db_engine) == {"feria_toluca": 2, "radio": 1}


def test_blocks_are_recorded_and_lifted(db_engine: Engine) -> None:
    telegram_chats.mark_blocked(7, db_engine)
    telegram_chats.mark_blocked(7, db_engine)  # a second 403: still one row
    assert telegram_chats.is_blocked(7, db_engine)
    assert not telegram_chats.is_blocked(8, db_engine)
    telegram_chats.mark_unblocked(7, db_engine)
    assert not telegram_chats.is_blocked(7, db_engine)


def test_no_chat_id_is_stored(db_engine: Engine) -> None:
    chat_id = 987654321
    telegram_chats.record_deep_link(chat_id, "campana", db_engine)
    telegram_chats.mark_blocked(chat_id, db_engine)
    with session_scope(db_engine) as session:
        stored = [*session.scalars(select(TelegramDeepLink.chat_hash)),
                  *session.scalars(select(TelegramBlockedChat.chat_hash))]
    assert stored and all(str(chat_id) not in value for value in stored)
    assert chat_hash(chat_id, b"otra llave") != chat_hash(chat_id)
