"""Citizens' proposals for the co-creation tables, their history, adhesions and consented contacts.

Authors and supporters are stored as keyed hashes of their chat id (``person_key``):
enough to show people their own proposals and to stop double adhesions, without
keeping who they are. A chat address or contact data is stored only with consent.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.models.base import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Proposal(Base):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    folio: Mapped[str | None] = mapped_column(String(20), unique=True)
    intake_key: Mapped[str] = mapped_column(String(64), unique=True)
    author_key: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    theme: Mapped[str] = mapped_column(String(40), index=True)
    municipality_code: Mapped[str] = mapped_column(String(5), index=True)
    municipality: Mapped[str] = mapped_column(String(80))
    problem: Mapped[str] = mapped_column(Text)
    causes: Mapped[str | None] = mapped_column(Text)
    effects: Mapped[str | None] = mapped_column(Text)
    affected: Mapped[str | None] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True, default="recibida")
    status_reason: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    history: Mapped[list[StatusChange]] = relationship(
        back_populates="proposal", order_by="StatusChange.id", cascade="all, delete-orphan"
    )
    contact: Mapped[ProposalContact | None] = relationship(
        back_populates="proposal", cascade="all, delete-orphan"
    )
    duplicate_of: Mapped[Proposal | None] = relationship(remote_side=[id])


class StatusChange(Base):
    """Every status change: who, when, from, to and why."""

    __tablename__ = "proposal_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="history")


class Adhesion(Base):
    """A person's support for someone else's proposal; once per person and proposal."""

    __tablename__ = "proposal_adhesions"
    __table_args__ = (UniqueConstraint("proposal_id", "supporter_key", name="uq_adhesion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    supporter_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Consent(Base):
    """An explicit consent, with the privacy-notice version the person saw."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_key: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    notice_version: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ProposalContact(Base):
    """How to reach the author: only stored after consent."""

    __tablename__ = "proposal_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), unique=True
    )
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"))
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(80), index=True)
    contact_info: Mapped[str | None] = mapped_column(String(200))

    proposal: Mapped[Proposal] = relationship(back_populates="contact")


class Notification(Base):
    """Outbox of messages to people who consented (e.g. a status change); channels deliver them."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), index=True)
    address: Mapped[str] = mapped_column(String(80), index=True)
    # The proposal it is about, so the contact purge can remove its notifications too.
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
