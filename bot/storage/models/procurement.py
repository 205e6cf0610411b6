"""Open-contracting (OCDS / EDCA-MX) data: raw releases, and the tables search reads.

``procurement_releases`` keeps every release exactly as published (raw JSON), one
row per ocid + release id, so loading a file twice adds nothing. The other
tables are derived from it: one ``procurement_processes`` row per contracting
process (its current state), its contracts and its parties, shaped for search.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.models.base import Base


class ProcurementRelease(Base):
    """One OCDS release as published. ``compiled`` marks a publisher's compiled release."""

    __tablename__ = "procurement_releases"
    __table_args__ = (
        UniqueConstraint("ocid", "release_id", "compiled", name="uq_procurement_release"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ocid: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    release_id: Mapped[str] = mapped_column(String(200), nullable=False)
    compiled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    date: Mapped[dt.datetime | None] = mapped_column(DateTime)
    tags: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    source: Mapped[str] = mapped_column(String(1000), nullable=False)
    raw_json: Mapped[str] = mapped_column(Text, nullable=False)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class ProcurementProcess(Base):
    """The current state of one contracting process (an ocid), for search and flags."""

    __tablename__ = "procurement_processes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ocid: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(Text, nullable=False, default="")
    buyer_name: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    method: Mapped[str] = mapped_column(String(40), nullable=False, default="", index=True)
    method_details: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    method_rationale: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tender_start: Mapped[dt.datetime | None] = mapped_column(DateTime)
    tender_end: Mapped[dt.datetime | None] = mapped_column(DateTime)
    emergency_reason: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    publisher: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    source_url: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    date: Mapped[dt.datetime | None] = mapped_column(DateTime)
    state_json: Mapped[str] = mapped_column(Text, nullable=False)

    contracts: Mapped[list[ProcurementContract]] = relationship(
        back_populates="process", cascade="all, delete-orphan", passive_deletes=True
    )
    parties: Mapped[list[ProcurementParty]] = relationship(
        back_populates="process", cascade="all, delete-orphan", passive_deletes=True
    )


# Search indexes one engine has and the other has not (migrations 0010_procurement_search and
# 0014_procurement_search_words): the PostgreSQL trigram and words indexes and vocabulary, and the
# SQLite FTS5 table with its shadow tables. Not models.
ENGINE_SEARCH_OBJECTS = (
    "ix_procurement_contracts_amount_order",  # DESC NULLS LAST: written per engine
    "ix_procurement_contracts_date_order",
    "ix_procurement_contracts_search_text_trgm",
    "ix_procurement_contracts_supplier_keys_trgm",
    "procurement_contracts_fts",
    # PostgreSQL: the vocabulary of search_text and the words-array index (migration 0013).
    "procurement_search_words",
    "ix_procurement_search_words",
    "ix_procurement_contracts_search_words",
    "ix_procurement_contracts_search_suppliers",
)
SEARCH_WORDS_TABLE = "procurement_search_words"
SQLITE_FTS_TABLE = "procurement_contracts_fts"


def is_engine_search_object(name: str | None) -> bool:
    """True for the engine-specific search objects (so schema comparisons leave them out)."""
    return bool(name) and str(name).startswith(ENGINE_SEARCH_OBJECTS)


class ProcurementContract(Base):
    """One contract (or award, when no contract was published) of a process.

    Columns repeat what search filters on (buyer, method, year, emergency) so one
    table answers a query. ``subject_text`` (what was bought) and ``search_text`` (that plus
    buyer and suppliers) are normalised: lower case, no accents; ``supplier_keys`` is
    ``|key|key|`` of normalised supplier names.
    """

    __tablename__ = "procurement_contracts"
    __table_args__ = (
        Index("ix_procurement_contracts_amount", "currency", "amount_cents"),
        Index("ix_procurement_contracts_item", "item_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("procurement_processes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    ocid: Mapped[str] = mapped_column(String(200), nullable=False)
    contract_id: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    title: Mapped[str] = mapped_column(Text, nullable=False, default="")
    buyer_name: Mapped[str] = mapped_column(String(500), nullable=False, default="", index=True)
    supplier_names: Mapped[str] = mapped_column(Text, nullable=False, default="")
    supplier_keys: Mapped[str] = mapped_column(Text, nullable=False, default="")
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="")
    date_signed: Mapped[dt.datetime | None] = mapped_column(DateTime)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    method: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    emergency: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    item_key: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    signed_before_tender_closed: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False
    )
    signed_early_known: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Days between tender.tenderPeriod start and end (R003); tenderers who bid (R018). NULL: not
    # published, so the flag cannot be computed for this contract.
    tender_days: Mapped[int | None] = mapped_column(Integer)
    tenderers: Mapped[int | None] = mapped_column(Integer)
    above_median: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    median_cents: Mapped[int | None] = mapped_column(BigInteger)
    source_url: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    subject_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")

    process: Mapped[ProcurementProcess] = relationship(back_populates="contracts")


class ProcurementParty(Base):
    """An organisation named in a process, with its roles (buyer, supplier, tenderer…)."""

    __tablename__ = "procurement_parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("procurement_processes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(500), nullable=False)
    name_key: Mapped[str] = mapped_column(String(500), nullable=False, index=True)
    roles: Mapped[str] = mapped_column(String(300), nullable=False, default="")

    process: Mapped[ProcurementProcess] = relationship(back_populates="parties")


class ProcurementQuery(Base):
    """A search a citizen made, kept by a short id so "ver más" buttons stay small.

    Holds the understood filters only (never the message text).
    """

    __tablename__ = "procurement_queries"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    params_json: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class ProcurementFollow(Base):
    """A Telegram chat that follows one buyer or supplier, stored only after its consent.

    ``kind`` is "buyer" (``target`` is the buyer's name as loaded) or "supplier" (``target`` is
    the normalised supplier key). ``seen_release_id`` is the newest release already looked at:
    contracts of releases loaded after it are the new ones.
    """

    __tablename__ = "procurement_follows"
    __table_args__ = (UniqueConstraint("chat_id", "kind", "target", name="uq_procurement_follow"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
    chat_hash: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    target: Mapped[str] = mapped_column(String(500), nullable=False)
    label: Mapped[str] = mapped_column(String(500), nullable=False)
    seen_release_id: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class ProcurementFollowAlert(Base):
    """One new contract to tell one follower about: ``pending → claimed → sent | failed``.

    Unique per (follow, ocid, contract), so loading the same file twice, or two loads at
    once, queue it once; a sender claims (a conditional update, committed) before it sends.
    """

    __tablename__ = "procurement_follow_alerts"
    __table_args__ = (
        UniqueConstraint("follow_id", "ocid", "contract_id", name="uq_procurement_follow_alert"),
        Index("ix_procurement_follow_alerts_state", "state", "follow_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    follow_id: Mapped[int] = mapped_column(
        ForeignKey("procurement_follows.id", ondelete="CASCADE"), nullable=False
    )
    ocid: Mapped[str] = mapped_column(String(200), nullable=False)
    contract_id: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    claim: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
