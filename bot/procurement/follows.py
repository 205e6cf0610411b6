"""Following a buyer or supplier: who follows what, and the new contracts to tell them.

A follow keeps the Telegram chat id (the sender needs it), so it is personal data: :func:`follow`
records the consent (purpose ``seguimiento_contratos``, with the privacy-notice version, keyed
hash of the person only) in the same transaction and before the follow. ``/baja``, ``/borrar``
and the retention purge delete it (:mod:`bot.procurement.personal_data`).

After a load, :func:`queue_new` turns the contracts of releases loaded since each follow last
looked into alert rows, unique per (follow, contract): loading the same file again, or two
loads at once, queue nothing twice. A sender :func:`claim`-s a follow's pending alerts with one
conditional update committed before it sends, so of two senders only one gets them: an alert
may go missing after a failed send, never arrive twice (as the information-request reminders).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Engine, and_, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.identity import chat_hash, person_key, telegram_sender
from bot.privacy import consent as consents
from bot.privacy.notice import notice_version
from bot.procurement import service as svc
from bot.procurement.service import SearchQuery
from bot.storage.db import default_engine, session_scope
from bot.storage.models import (
    Consent,
    ProcurementContract,
    ProcurementFollow,
    ProcurementFollowAlert,
    ProcurementRelease,
    TelegramBlockedChat,
)

PURPOSE = "seguimiento_contratos"
BUYER, SUPPLIER = "buyer", "supplier"
MAX_PER_MESSAGE = 5  # contracts listed in one message; the rest are counted
MAX_FOLLOWS = 20  # per chat


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Target:
    """What is followed: a buyer (by its loaded name) or a supplier (by its normalised key)."""

    kind: str
    key: str
    label: str

    @classmethod
    def of(cls, query: SearchQuery) -> Target | None:
        """The one buyer or supplier a search names, and nothing else; else None."""
        if len(query.buyers) + len(query.suppliers) != 1:
            return None
        if query.buyers:
            return cls(BUYER, query.buyers[0], query.buyers[0])
        label = query.supplier_labels[0] if query.supplier_labels else query.suppliers[0]
        return cls(SUPPLIER, query.suppliers[0], label)

    def query(self) -> SearchQuery:
        if self.kind == BUYER:
            return SearchQuery(buyers=(self.key,))
        return SearchQuery(suppliers=(self.key,), supplier_labels=(self.label,))


@dataclass(frozen=True)
class Followed:
    id: int
    kind: str
    label: str
    since: dt.datetime


def follow(chat_id: int, target: Target, engine: Engine | None = None) -> str:
    """Follow ``target`` after the person accepted the notice: "followed", "already" or "full".

    The consent row is written first, in the same transaction as the follow.
    """
    for _attempt in range(2):  # the same button pressed twice at once: the second finds the row
        try:
            with session_scope(engine) as session:
                F = ProcurementFollow
                rows = session.scalars(select(F).where(F.chat_id == chat_id)).all()
                if any(r.kind == target.kind and r.target == target.key for r in rows):
                    return "already"
                if len(rows) >= MAX_FOLLOWS:
                    return "full"
                consent = consents.record(person_key(telegram_sender(chat_id)), PURPOSE,
                                          session=session, version=notice_version())
                newest = session.scalar(select(func.max(ProcurementRelease.id))) or 0
                session.add(F(chat_id=chat_id, chat_hash=chat_hash(chat_id), consent_id=consent.id,
                              kind=target.kind, target=target.key[:500], label=target.label[:500],
                              seen_release_id=int(newest), created_at=utcnow()))
            return "followed"
        except IntegrityError:
            continue
    return "already"


def following(chat_id: int, engine: Engine | None = None) -> list[Followed]:
    with session_scope(engine) as session:
        rows = session.scalars(select(ProcurementFollow).where(ProcurementFollow.chat_id == chat_id)
                               .order_by(ProcurementFollow.id)).all()
        return [Followed(r.id, r.kind, r.label, r.created_at) for r in rows]


def _revoke(session: Session, consent_ids: list[int]) -> None:
    if consent_ids:
        session.execute(update(Consent).where(Consent.id.in_(consent_ids),
                                              Consent.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))


def unfollow(chat_id: int, follow_id: int, engine: Engine | None = None) -> str | None:
    """Stop following one (by id, only this chat's own); its label, or None if not theirs."""
    with session_scope(engine) as session:
        row = session.scalar(select(ProcurementFollow).where(
            ProcurementFollow.id == follow_id, ProcurementFollow.chat_id == chat_id))
        if row is None:
            return None
        label = row.label
        session.execute(delete(ProcurementFollowAlert)
                        .where(ProcurementFollowAlert.follow_id == row.id))
        session.delete(row)
        _revoke(session, [row.consent_id])
    return label


def unfollow_all(chat_id: int, engine: Engine | None = None) -> list[str]:
    """Delete every follow of this chat (chat id included) at once; return their labels."""
    with session_scope(engine) as session:
        rows = session.scalars(select(ProcurementFollow)
                               .where(ProcurementFollow.chat_id == chat_id)).all()
        labels = [r.label for r in rows]
        ids = [r.id for r in rows]
        if ids:
            session.execute(delete(ProcurementFollowAlert)
                            .where(ProcurementFollowAlert.follow_id.in_(ids)))
            session.execute(delete(ProcurementFollow).where(ProcurementFollow.id.in_(ids)))
        _revoke(session, [r.consent_id for r in rows])
    return labels


# -- new contracts ----------------------------------------------------------------------------


def queue_new(engine: Engine | None = None) -> int:
    """Queue, per follow, the contracts of releases loaded since it last looked; how many queued.

    Safe to run from several loads at once: an alert row is unique per (follow, contract) and a
    duplicate insert is skipped, so each contract is queued once per follow.
    """
    queued = 0
    with session_scope(engine) as session:
        newest = int(session.scalar(select(func.max(ProcurementRelease.id))) or 0)
        follows = session.execute(select(ProcurementFollow.id, ProcurementFollow.kind,
                                         ProcurementFollow.target, ProcurementFollow.label,
                                         ProcurementFollow.seen_release_id)
                                  .where(ProcurementFollow.seen_release_id < newest)).all()
    engine = engine or default_engine()
    for follow_id, kind, key, label, seen in follows:
        conds = svc.conditions(Target(kind, key, label).query(), engine.dialect.name)
        fresh = select(ProcurementRelease.ocid).where(ProcurementRelease.id > seen)
        with session_scope(engine) as session:
            found = session.execute(
                select(ProcurementContract.ocid, ProcurementContract.contract_id)
                .where(and_(*conds), ProcurementContract.ocid.in_(fresh))).all()
            now = utcnow()
            rows = [{"follow_id": follow_id, "ocid": o, "contract_id": c, "state": "pending",
                     "created_at": now} for o, c in dict.fromkeys(found)]
            if rows:
                insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
                # RETURNING counts what was inserted (rowcount is -1 here on PostgreSQL).
                inserted = session.execute(insert(ProcurementFollowAlert).values(rows)
                                           .on_conflict_do_nothing(
                                               index_elements=["follow_id", "ocid", "contract_id"])
                                           .returning(ProcurementFollowAlert.id)).all()
                queued += len(inserted)
            session.execute(update(ProcurementFollow).where(
                ProcurementFollow.id == follow_id, ProcurementFollow.seen_release_id < newest)
                .values(seen_release_id=newest))
    return queued


@dataclass(frozen=True)
class Due:
    """A follow with new contracts waiting, as a sender sees it."""

    follow_id: int
    chat_id: int
    kind: str
    label: str


def due(engine: Engine | None = None, limit: int = 100) -> list[Due]:
    """Follows with pending alerts, leaving out chats that blocked the bot."""
    F, A = ProcurementFollow, ProcurementFollowAlert
    with session_scope(engine) as session:
        rows = session.execute(
            select(F.id, F.chat_id, F.kind, F.label)
            .where(F.id.in_(select(A.follow_id).where(A.state == "pending")))
            .outerjoin(TelegramBlockedChat, TelegramBlockedChat.chat_hash == F.chat_hash)
            .where(TelegramBlockedChat.chat_hash.is_(None))
            .order_by(F.id).limit(limit)).all()
    return [Due(int(i), int(c), str(k), str(label)) for i, c, k, label in rows]


def claim(follow_id: int, engine: Engine | None = None) -> list[tuple[str, str]]:
    """Take this follow's pending alerts for this sender alone; the (ocid, contract id) taken.

    One conditional update, committed before anything is sent: of two senders that read the
    same follow, only one update matches each row.
    """
    token = uuid.uuid4().hex
    A = ProcurementFollowAlert
    with session_scope(engine) as session:
        session.execute(update(A).where(A.follow_id == follow_id, A.state == "pending")
                        .values(state="claimed", claim=token))
    with session_scope(engine) as session:
        return [(str(o), str(c)) for o, c in session.execute(
            select(A.ocid, A.contract_id).where(A.claim == token).order_by(A.id)).all()]


def mark(follow_id: int, claimed: list[tuple[str, str]], sent: bool,
         engine: Engine | None = None) -> None:
    A = ProcurementFollowAlert
    with session_scope(engine) as session:
        session.execute(update(A).where(A.follow_id == follow_id, A.state == "claimed")
                        .values(state="sent" if sent else "failed", sent_at=utcnow()))


def contracts(claimed: list[tuple[str, str]], engine: Engine | None = None,
              ) -> list[svc.ContractHit]:
    """The claimed contracts with their red flags, largest first."""
    return svc.hits_by_key(claimed, engine)
