"""Citizens' proposals for the co-creation tables, their history, adhesions and consented contacts;
the STL's notes and groups of proposals, and the commitments they feed.

Authors and supporters are stored as keyed hashes of their chat id (``person_key``):
enough to show people their own proposals and to stop double adhesions, without
keeping who they are. A chat address or contact data is stored only with consent.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.models.base import Base, utcnow


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
    # Public record (Open311-style), only when its author opted in: anonymised, see
    # bot/proposals/public_record.py. The note and the date are the STL's, written for the public.
    public_record: Mapped[bool] = mapped_column(Boolean, default=False)
    public_note: Mapped[str | None] = mapped_column(Text)
    expected_date: Mapped[dt.date | None] = mapped_column(Date)
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


class ProposalFollower(Base):
    """A supporter who asked to be told about a proposal's status changes: only with consent.

    The chat address is what the notification outbox needs to reach them; it goes with
    ``/borrar`` and with the retention purge once the proposal is closed.
    """

    __tablename__ = "proposal_followers"
    __table_args__ = (UniqueConstraint("proposal_id", "follower_key", name="uq_proposal_follower"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    follower_key: Mapped[str] = mapped_column(String(64), index=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"))
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(80), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


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


class ProposalNote(Base):
    """An internal note of the STL on a proposal (never shown to the citizen or the public)."""

    __tablename__ = "proposal_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ProposalGroup(Base):
    """Proposals the STL works on together (e.g. "Alumbrado en la cabecera")."""

    __tablename__ = "proposal_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ProposalGroupMember(Base):
    """A proposal belongs to at most one group."""

    __tablename__ = "proposal_group_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("proposal_groups.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), unique=True
    )


class Commitment(Base):
    """A commitment (compromiso) of the Local Action Plan with the 8 elements of its road map.

    Road map per the STL methodology (phase 4, "Elaboración de hojas de ruta"):
    responsible public servant, co-responsible civil-society organisation, activities,
    final result, expected products, indicators, means of verification, start and end dates.
    List-like elements are stored one item per line.
    """

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(String(200), default="")
    co_responsible: Mapped[str] = mapped_column(String(200), default="")
    activities: Mapped[str] = mapped_column(Text, default="")
    final_result: Mapped[str] = mapped_column(Text, default="")
    products: Mapped[str] = mapped_column(Text, default="")
    indicators: Mapped[str] = mapped_column(Text, default="")
    verification: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class CommitmentProposal(Base):
    """A proposal integrated in a commitment."""

    __tablename__ = "commitment_proposals"
    __table_args__ = (UniqueConstraint("commitment_id", "proposal_id", name="uq_commitment_proposal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)


class ClusterSuggestion(Base):
    """A group of similar proposals suggested by ``participa review cluster``, for a reviewer to
    accept (it becomes a ``ProposalGroup``), rename or discard; re-clustering replaces only the
    suggestions nobody has decided on yet."""

    __tablename__ = "proposal_cluster_suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme: Mapped[str] = mapped_column(String(40), index=True)
    label: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    municipalities: Mapped[list[str]] = mapped_column(JSON)
    quotes: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True, default="sugerida")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("proposal_groups.id", ondelete="SET NULL"))
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    members: Mapped[list[ClusterSuggestionMember]] = relationship(
        back_populates="suggestion", order_by="ClusterSuggestionMember.rank", cascade="all, delete-orphan"
    )


class ClusterSuggestionMember(Base):
    """A proposal in a suggested group; ``rank`` 0 is the one closest to the group's centre."""

    __tablename__ = "proposal_cluster_suggestion_members"
    __table_args__ = (UniqueConstraint("suggestion_id", "proposal_id", name="uq_cluster_suggestion_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        ForeignKey("proposal_cluster_suggestions.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)

    suggestion: Mapped[ClusterSuggestion] = relationship(back_populates="members")
