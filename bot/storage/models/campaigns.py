"""Subscribers, their topics, campaigns and one delivery row per (campaign, subscriber).

A subscriber row holds a Telegram chat id: personal data, stored only after the
person accepted the privacy notice (``consent_id``) and deleted, not flagged,
when they unsubscribe from everything. Deliveries keep no chat id: they point at
the subscriber row, and lose that link (``subscriber_id`` NULL) when the person
leaves, so nothing about them remains.

A delivery moves ``pending → claimed → sent | blocked | failed | unknown``
(``skipped`` when the person left before their turn, ``cancelled`` when the
campaign was). See :mod:`bot.campaigns.broadcast.sender` for why this gives one delivery
per person and campaign, even across a crash.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.models.base import Base, utcnow

DELIVERY_STATES = ("pending", "claimed", "sent", "blocked", "failed", "unknown", "skipped", "cancelled")
FINAL_STATES = ("sent", "blocked", "failed", "unknown", "skipped", "cancelled")
CAMPAIGN_STATUSES = ("draft", "scheduled", "sending", "done", "cancelled")


class Subscriber(Base):
    """A Telegram chat that asked for news, with its optional municipality."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_hash: Mapped[str] = mapped_column(String(64), unique=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"))
    municipality_code: Mapped[str | None] = mapped_column(String(5), index=True)
    municipality: Mapped[str | None] = mapped_column(String(80))
    # A question the bot asked and the next message may answer (e.g. "municipality").
    pending_step: Mapped[str | None] = mapped_column(String(20))
    pending_since: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    topics: Mapped[list[SubscriptionTopic]] = relationship(
        back_populates="subscriber", cascade="all, delete-orphan", order_by="SubscriptionTopic.topic"
    )


class SubscriptionTopic(Base):
    __tablename__ = "subscription_topics"

    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    subscriber: Mapped[Subscriber] = relationship(back_populates="topics")


class Campaign(Base):
    """A broadcast: its text, targeting, schedule, and (once done) its delivery report."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)  # the editor's safe-formatting source, not HTML
    image: Mapped[str | None] = mapped_column(String(500))  # https URL or Telegram file_id
    button_text: Mapped[str | None] = mapped_column(String(64))
    button_url: Mapped[str | None] = mapped_column(String(500))
    topic: Mapped[str] = mapped_column(String(40))
    municipalities: Mapped[list[str]] = mapped_column(JSON, default=list)  # codes; empty = all
    status: Mapped[str] = mapped_column(String(20), index=True, default="draft")
    scheduled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)  # UTC
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The final report (also computable from the deliveries at any time).
    total: Mapped[int | None] = mapped_column(Integer)
    sent: Mapped[int | None] = mapped_column(Integer)
    blocked: Mapped[int | None] = mapped_column(Integer)
    failed: Mapped[int | None] = mapped_column(Integer)
    unknown: Mapped[int | None] = mapped_column(Integer)
    skipped: Mapped[int | None] = mapped_column(Integer)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    rate: Mapped[float | None] = mapped_column(Float)  # messages sent per second

    def report(self) -> dict[str, Any]:
        return {
            "total": self.total, "sent": self.sent, "blocked": self.blocked, "failed": self.failed,
            "unknown": self.unknown, "skipped": self.skipped,
            "duration_seconds": self.duration_seconds, "rate": self.rate,
        }


class Delivery(Base):
    """One campaign message to one subscriber: created when the campaign starts, claimed to send."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("campaign_id", "subscriber_id", name="uq_delivery"),
        Index("ix_deliveries_campaign_state", "campaign_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscribers.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(10), default="pending")
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    lane: Mapped[int | None] = mapped_column(Integer)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))  # Telegram's description, never a chat id


class BroadcastSender(Base):
    """A running sender process: its heartbeat tells others whether its claims are still alive."""

    __tablename__ = "broadcast_senders"

    sender_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    token: Mapped[str] = mapped_column(String(120))  # host:pid:random of the process holding it
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
