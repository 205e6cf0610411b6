"""What the conversation core must remember between two messages of a person.

``offered_choices`` holds the buttons the bot last offered each person, so that a typed "sí",
"la segunda" or a button's words still press it after a restart or on another replica. Keyed
by the person key (:func:`bot.identity.person_key`), never a chat id; it holds the buttons'
titles and payloads (bot texts), never a message of the person; rows expire within a day and
the retention purge deletes them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class OfferedChoice(Base):
    __tablename__ = "offered_choices"

    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    buttons: Mapped[list[list[str]]] = mapped_column(JSON, nullable=False)  # [[title, payload]]
    summary_shown: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reminded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, index=True)
