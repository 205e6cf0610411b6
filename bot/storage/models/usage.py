"""Anonymous usage counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class UsageDaily(Base):
    """How often each intent was seen per day and channel: counts only, never message text.

    Lets the STL see what citizens ask about without storing personal data.
    """

    __tablename__ = "usage_daily"
    __table_args__ = (UniqueConstraint("day", "channel", "intent", name="uq_usage_daily"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    intent: Mapped[str] = mapped_column(String(120), nullable=False)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
