"""One pseudonym per Telegram user, and rows stored under the old second one still found."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.engine import Engine

import bot.campaigns.personal_data as campaigns_personal_data
from bot.campaigns import subscriptions, telegram_chats
from bot.identity import (
    chat_hash,
    chat_hashes,
    legacy_chat_hash,
    person_key,
    telegram_chat_id,
    telegram_sender,
)
from bot.privacy.registry import Person
from bot.storage.db import session_scope
from bot.storage.models import Subscriber, TelegramBlockedChat, TelegramDeepLink


def test_a_telegram_chat_has_one_pseudonym_everywhere() -> None:
    sender = telegram_sender(5551234)
    assert sender == "tg-5551234" and telegram_chat_id(sender) == 5551234
    assert chat_hash(5551234) == person_key(sender) == Person.of(sender).key
    assert telegram_chat_id("terminal-abc") is None and telegram_chat_id("tg-x") is None
    assert chat_hashes(5551234) == (chat_hash(5551234), legacy_chat_hash(5551234))
    assert legacy_chat_hash(5551234) != chat_hash(5551234)


def _legacy_rows(engine: Engine, chat_id: int) -> None:
    with session_scope(engine) as session:
        session.add(TelegramDeepLink(code="radio", chat_hash=legacy_chat_hash(chat_id),
                                     first_seen=dt.date(2026, 11, 1)))
        session.add(TelegramBlockedChat(chat_hash=legacy_chat_hash(chat_id),
                                        blocked_at=dt.datetime(2026, 11, 2)))


def test_rows_under_the_legacy_pseudonym_are_still_found(db_engine: Engine) -> None:
    _legacy_rows(db_engine, 777)
    assert telegram_chats.is_blocked(777, db_engine)
    assert not telegram_chats.record_deep_link(777, "radio", db_engine)  # already counted
    person = Person.of(telegram_sender(777))
    found = campaigns_personal_data.collect_telegram(person, db_engine)
    assert found["bloqueo_registrado"] and found["enlaces_de_campana"][0]["codigo"] == "radio"
    assert campaigns_personal_data.erase_telegram(person, db_engine) == {"registros de Telegram": 2}
    assert not telegram_chats.is_blocked(777, db_engine)


def test_a_new_block_rewrites_the_chats_legacy_rows(db_engine: Engine) -> None:
    subscriptions.subscribe(888, subscriptions.subscription_content().topics[0].id, db_engine)
    with session_scope(db_engine) as session:  # as a subscription stored before the unification
        session.scalar(select(Subscriber).where(Subscriber.chat_id == 888)).chat_hash = \
            legacy_chat_hash(888)
        session.add(TelegramBlockedChat(chat_hash=legacy_chat_hash(888),
                                        blocked_at=dt.datetime(2026, 11, 2)))
    telegram_chats.mark_blocked(888, db_engine)
    with session_scope(db_engine) as session:
        blocked = session.scalars(select(TelegramBlockedChat.chat_hash)).all()
        subscriber = session.scalar(select(Subscriber.chat_hash).where(Subscriber.chat_id == 888))
    assert blocked == [chat_hash(888)] and subscriber == chat_hash(888)
    assert subscriptions.blocked_subscribers(db_engine) == 1
