"""What the core needs to know about a person before each turn, read in one query.

Every message used to open three database sessions just to learn that nothing was pending: the
buttons last offered (:mod:`bot.conversation.offered`), an open request to talk to a person
(:mod:`bot.attention.service`), the subscription question waiting for a municipality
(:mod:`bot.campaigns.subscriptions`), and an information request's open question
(:mod:`bot.inforequests.pending`). Each domain still owns its query; here they are folded into
one statement (one round trip, one transaction). Each value is only a head start for this
turn: the dialogues read it themselves when it is missing (the read failed, or a second step of
the same turn).

The statement itself is built once (one for chats, one for other senders) with the person's
values as bound parameters: building it anew for every message, and SQLAlchemy working out its
cache key each time, was most of this read's CPU outside PostgreSQL's own work.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import BigInteger, ColumnElement, Engine, Select, String, bindparam, literal, null, select

from bot.attention import service as attention
from bot.campaigns import subscriptions
from bot.conversation import offered
from bot.identity import person_key, telegram_chat_id
from bot.inforequests import pending as inforequest_pending
from bot.storage.db import session_scope
from bot.storage.models import OfferedChoice
from bot.storage.models.base import utcnow

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
    inforequest: bool = True  # an unexpired stored information-request question (True: ask)


@lru_cache(maxsize=2)
def statement(chat: bool) -> Select[Any]:
    """The one read, with the sender (``sender``), their person key (``person``) and, for a
    chat, its id (``chat_id``) as bound parameters; each domain's query as it writes it."""
    person = cast(str, bindparam("person", type_=String()))
    one = select(literal(1).label("one")).subquery()
    if not chat:
        extra: list[ColumnElement[Any]] = [null(), null(), null()]
    else:
        sender = cast(str, bindparam("sender", type_=String()))
        chat_id = cast(int, bindparam("chat_id", type_=BigInteger()))
        pending = subscriptions.pending_query(chat_id).subquery()
        extra = [attention.open_request_query(sender).scalar_subquery(),
                 select(pending.c.pending_step).scalar_subquery(),
                 select(pending.c.pending_since).scalar_subquery()]
    asked = inforequest_pending.expiry_query(person).scalar_subquery()
    return select(*offered.COLUMNS, asked, *extra).select_from(
        one.outerjoin(OfferedChoice, OfferedChoice.person_key == person))


def read(sender: str, engine: Engine | None = None) -> TurnState:
    """The person's offered buttons, open attention request and pending subscription step."""
    chat_id = telegram_chat_id(sender)
    values: dict[str, Any] = {"person": person_key(sender)}
    if chat_id is not None:
        values.update(sender=sender, chat_id=chat_id)
    with session_scope(engine) as session:
        row = session.execute(statement(chat_id is not None), values).one()
    offer = Read(offered.stored_row(*row[:4]))
    expires = row[4]
    inforequest = expires is not None and expires > utcnow()
    if chat_id is None:
        return TurnState(offer, None, None, inforequest)
    return TurnState(offer, Read(row[5]), Read(subscriptions.still_pending(row[6], row[7])),
                     inforequest)
