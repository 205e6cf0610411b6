"""Telegram bookkeeping that holds no personal data: deep-link sources and blocked chats.

A Telegram chat id identifies a person, so it is never stored. Both tables keep
``chat_hash`` instead: an HMAC-SHA256 of the chat id keyed with the deployment's
secret key (``bot.config.secret_key``). A plain or salted-with-a-public-salt hash
would not do: chat ids are ~10-digit numbers, so anyone could hash them all and
reverse it. With the key kept secret, the hash only lets the bot recognise the
same chat again (to count a campaign once per person, to skip a chat that
blocked the bot); it cannot be turned back into the chat id or the person.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class TelegramDeepLink(Base):
    """A conversation that started from ``t.me/<bot>?start=<code>`` (campaign attribution).

    One row per code and chat, with the day it was first seen: enough to count how
    many people each campaign link brought, nothing about who they are.
    """

    __tablename__ = "telegram_deep_links"
    __table_args__ = (UniqueConstraint("code", "chat_hash", name="uq_telegram_deep_link"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    chat_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    first_seen: Mapped[dt.date] = mapped_column(Date, nullable=False)


class TelegramBlockedChat(Base):
    """A chat whose user blocked the bot: nothing is sent to it until it writes again."""

    __tablename__ = "telegram_blocked_chats"

    chat_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    blocked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
