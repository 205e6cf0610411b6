"""Attention requests: a person asked to talk to someone of the STL's team (issue 19).

A request holds the person's Telegram address (personal data: stored only with the consent it
points at) and its messages both ways. Staff replies are an outbox the Telegram channel
delivers once (claimed before sending, like proposal notifications).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.models.base import Base, utcnow

REQUEST_STATES = ("open", "closed")
AUTHORS = ("person", "staff", "system")


class AttentionRequest(Base):
    """One request to talk to a person; open until staff close it or the person says «terminar»."""

    __tablename__ = "attention_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_key: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(80), index=True)  # the sender, e.g. tg-123
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    first_reply_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    alerted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    closed_by: Mapped[str | None] = mapped_column(String(60))  # a web account, or "persona"
    close_note: Mapped[str | None] = mapped_column(Text)
    acked: Mapped[bool] = mapped_column(Boolean, default=False)  # the bot said «lo recibió…»

    messages: Mapped[list[AttentionMessage]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="AttentionMessage.id"
    )


class AttentionMessage(Base):
    """A message of the conversation; ``withheld`` ones (violence) keep no text at all."""

    __tablename__ = "attention_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("attention_requests.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(10))  # person | staff | system
    staff_user: Mapped[str | None] = mapped_column(String(60))
    text: Mapped[str | None] = mapped_column(Text)
    withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Outbox of staff and system messages: sent once, attempts counted before sending.
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    request: Mapped[AttentionRequest] = relationship(back_populates="messages")
