"""Information requests a person follows through the bot, stored only with their consent.

A row keeps the body, the folio and the filing date (never the request text) under the person's
keyed hash, plus the due dates computed when it was stored, so ``/mis_solicitudes`` and the
counts need no recomputation. ``consent_id`` points at the consent it was stored under;
``chat_id`` (Telegram only, same consent) is where the one reminder goes the day after the due
date: ``reminder_claimed_at`` is set before sending, by one replica alone, so it goes once.
``outcome``: ``respondida_completa`` | ``respondida_incompleta`` | ``sin_respuesta``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class InfoRequest(Base):
    __tablename__ = "info_requests"
    __table_args__ = (UniqueConstraint("person_key", "folio", name="uq_info_requests_person_folio"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_key: Mapped[str] = mapped_column(String(64), index=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"))
    body_key: Mapped[str | None] = mapped_column(String(40))  # mun:<INEGI> | edo:<id> | None
    folio: Mapped[str] = mapped_column(String(60))
    filed_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    extended_on: Mapped[dt.date] = mapped_column(Date)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    reminder_claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reminder_sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class InfoRequestPending(Base):
    """A question of the request helper waiting for its answer, so it survives a restart.

    One row per person key, gone when the flow ends and at ``expires_at`` (half an hour). It
    keeps the step, the bodies picked from the bot's own list and, once given for a filing, the
    folio and date needed to finish it; never the request text (a draft's subject is asked again
    after a restart). ``token`` tells a process whether its memory holds this same turn.
    """

    __tablename__ = "info_request_pending"

    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    step: Mapped[str] = mapped_column(String(20))
    body_key: Mapped[str | None] = mapped_column(String(40))
    candidate_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    folio: Mapped[str | None] = mapped_column(String(60))
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    body_known: Mapped[bool] = mapped_column(Boolean, default=False)
    request_id: Mapped[int | None] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
