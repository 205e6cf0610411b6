"""What the core needs to know about a person before each turn, read in one transaction.

Every message used to open three database sessions just to learn that nothing was pending: the
buttons last offered (:mod:`bot.conversation.offered`), an open request to talk to a person
(:mod:`bot.attention.service`) and the subscription question waiting for a municipality
(:mod:`bot.campaigns.subscriptions`). Read together they cost one connection and one
transaction. Each value is only a head start for this turn: the dialogues read it themselves
when it is missing (the read failed, or a second step of the same turn).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Engine

from bot.attention import service as attention
from bot.campaigns import subscriptions
from bot.conversation import offered
from bot.identity import telegram_chat_id
from bot.storage.db import session_scope

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Read(Generic[T]):
    """A value already read this turn (the value itself may be None: "nothing there")."""

    value: T


@dataclass(frozen=True)
class TurnState:
    offer: Read[offered.Stored | None]
    attention: Read[int | None] | None  # None: not a Telegram chat, the dialogue decides
    subscription_step: Read[str | None] | None


def read(sender: str, engine: Engine | None = None) -> TurnState:
    """The person's offered buttons, open attention request and pending subscription step."""
    chat_id = telegram_chat_id(sender)
    with session_scope(engine) as session:
        offer = offered.read_row(session, sender)
        if chat_id is None:
            return TurnState(Read(offer), None, None)
        return TurnState(Read(offer), Read(attention.open_request_id_in(session, sender)),
                         Read(subscriptions.pending_step_in(session, chat_id)))
