"""The buttons last offered to each person, kept in the database (table ``offered_choices``).

A typed "sí" or "la segunda" means something only next to the buttons it answers. Kept in one
process's memory, that meaning was lost on every restart and split between replicas; here it
lives in the application database, keyed by the person key, with a short expiry
(:data:`TTL`), erased by ``/borrar`` and by the retention purge. The main menu, the same for
everyone, is not stored (Rasa reads a typed menu title anyway). The proposal summary itself
(which holds the person's answers) stays in memory only: after a restart the core shows a
reminder instead. If the database fails, the process's memory answers, so a conversation
never breaks over it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.conversation.choices import CONFIRM_PROPOSAL, Offer
from bot.conversation.replies import Button, Reply
from bot.i18n import _
from bot.identity import person_key
from bot.privacy.registry import Person, Provider, register
from bot.storage.db import session_scope
from bot.storage.models import OfferedChoice
from bot.storage.models.base import utcnow

if TYPE_CHECKING:
    from bot.conversation.turn_state import Read

log = logging.getLogger(__name__)

TTL = dt.timedelta(hours=24)  # a day to answer the last question; after that it is stale


REFRESH = dt.timedelta(hours=1)  # the same buttons shown again within this: no new write

# «¿En qué municipio estás?» was asked (with Telegram's one-tap «Compartir mi ubicación» key): kept
# with the buttons as one more, never pressed, so a restart of the bot still reads a typed
# municipality as her answer and takes the key away. Only that it was asked: none of her words.
PLACE_ASKED = Button("📍", "/lugar_preguntado")


def asks_where(replies: list[Reply]) -> bool:
    """This turn asked where she is (a reply that requests her location)."""
    return any((r.custom or {}).get("request_location") for r in replies)


def split_place_asked(offer: Offer | None) -> tuple[Offer | None, bool]:
    """The offer without :data:`PLACE_ASKED` (None if nothing else was offered), and whether
    the place had been asked."""
    if offer is None or PLACE_ASKED not in offer.buttons:
        return offer, False
    rest = [b for b in offer.buttons if b != PLACE_ASKED]
    return (replace(offer, buttons=rest) if rest else None), True


@dataclass(frozen=True)
class Stored:
    """What the table holds for one person, as this process last read or wrote it."""

    buttons: tuple[tuple[str, str], ...]
    reminded: bool
    summary_shown: bool
    expires_at: dt.datetime


class Offers:
    """Per-person offers: the database first, this process's memory as a fallback.

    Each turn reads the row once (:meth:`get`); a write that would leave the row as that read
    found it (the menu again with no row, the same buttons stored less than :data:`REFRESH`
    ago) is skipped, since under load it was a third of the bot's database work.
    """

    def __init__(self, engine: Engine | None = None, limit: int = 20_000,
                 generic: Callable[[], list[Button]] | None = None) -> None:
        self.engine = engine
        self.limit = limit
        self.generic = generic  # the main menu: the same for everyone, so never stored
        self._memory: OrderedDict[str, Offer] = OrderedDict()
        # The row as this turn's read found it (None: no row); absent: unknown, so write.
        self._seen: OrderedDict[str, Stored | None] = OrderedDict()

    def is_generic(self, offer: Offer) -> bool:
        """Only the main menu: nothing was asked that a bare «sí» could answer."""
        return self.generic is not None and not offer.at_summary and offer.buttons == self.generic()

    def _saw(self, sender: str, row: Stored | None) -> None:
        self._seen[sender] = row
        self._seen.move_to_end(sender)
        while len(self._seen) > self.limit:
            self._seen.popitem(last=False)

    async def get(self, sender: str, read: Read[Stored | None] | None = None) -> Offer | None:
        """The offer this person can answer; ``read``: the row already read this turn."""
        try:
            row = read.value if read is not None else await asyncio.to_thread(load_row, sender,
                                                                             self.engine)
        except Exception as exc:  # storage down: what this process remembers
            log.warning("offered choices not read: %s", type(exc).__name__)
            self._seen.pop(sender, None)
            return self._memory.get(sender)
        self._saw(sender, row)
        stored = live_offer(row)
        if stored is None:
            mine = self._memory.get(sender)
            return mine if mine is not None and self.is_generic(mine) else None
        mine = self._memory.get(sender)
        if mine is not None and mine.buttons == stored.buttons:
            mine.reminded = stored.reminded
            return mine  # the same offer, with the summary this process still holds
        return stored

    async def keep(self, sender: str, offer: Offer) -> None:
        self._memory[sender] = offer
        self._memory.move_to_end(sender)
        while len(self._memory) > self.limit:
            self._memory.popitem(last=False)
        known, seen = sender in self._seen, self._seen.pop(sender, None)
        try:
            if self.is_generic(offer):  # nothing about her: only the menu (Rasa reads its titles)
                if not known or seen is not None:  # a row (even an expired one) to delete
                    await asyncio.to_thread(erase, Person.of(sender), self.engine)
                self._saw(sender, None)
            else:
                if not (known and unchanged(seen, offer)):
                    seen = await asyncio.to_thread(store, sender, offer, self.engine)
                self._saw(sender, seen)
        except Exception as exc:
            log.warning("offered choices not stored: %s", type(exc).__name__)

    async def forget(self, sender: str) -> None:
        self._memory.pop(sender, None)
        known, seen = sender in self._seen, self._seen.pop(sender, None)
        if known and seen is None:
            self._saw(sender, None)
            return  # this turn's read found no row: nothing to delete
        try:
            await asyncio.to_thread(erase, Person.of(sender), self.engine)
            self._saw(sender, None)
        except Exception as exc:
            log.warning("offered choices not forgotten: %s", type(exc).__name__)

    async def remember(self, sender: str, replies: list[Reply], previous: Offer | None = None) -> None:
        """The buttons of this turn's replies replace the earlier ones (none: forget them).

        The summary of ``previous`` is carried over while its proposal is still being decided
        (the question "¿Quieres cancelar tu propuesta?" answers to it).
        """
        buttons = [b for r in replies for b in r.buttons]
        if asks_where(replies):
            buttons.append(PLACE_ASKED)
        if not buttons:
            await self.forget(sender)
            return
        summary = next((r for r in replies if any(b.payload == CONFIRM_PROPOSAL for b in r.buttons)),
                       None)
        if summary is None and previous is not None and previous.at_summary \
                and any(b.payload.startswith("/seguir_propuesta") for b in buttons):
            await self.keep(sender, Offer(buttons, previous.summary,
                                          summary_shown=previous.at_summary))
            return
        await self.keep(sender, Offer(buttons, summary))


def unchanged(row: Stored | None, offer: Offer) -> bool:
    """True when storing ``offer`` would only move the expiry of a row refreshed moments ago."""
    return row is not None and row.reminded == offer.reminded \
        and row.summary_shown == offer.at_summary \
        and row.buttons == tuple((b.title, b.payload) for b in offer.buttons) \
        and row.expires_at - utcnow() > TTL - REFRESH


def live_offer(row: Stored | None) -> Offer | None:
    """The offer a row holds, unless it expired."""
    if row is None or row.expires_at <= utcnow():
        return None
    return Offer([Button(title, payload) for title, payload in row.buttons],
                 reminded=row.reminded, summary_shown=row.summary_shown)


COLUMNS = (OfferedChoice.buttons, OfferedChoice.reminded, OfferedChoice.summary_shown,
           OfferedChoice.expires_at)


def stored_row(buttons: list[list[str]] | None, reminded: bool | None, summary_shown: bool | None,
               expires_at: dt.datetime | None) -> Stored | None:
    """:data:`COLUMNS` as read (all None: no row)."""
    if buttons is None or expires_at is None:
        return None
    return Stored(tuple((title, payload) for title, payload in buttons), bool(reminded),
                  bool(summary_shown), expires_at)


def load_row(sender: str, engine: Engine | None = None) -> Stored | None:
    """The person's row, expired or not."""
    with session_scope(engine) as session:
        row = session.execute(select(*COLUMNS).where(
            OfferedChoice.person_key == person_key(sender))).first()
        return None if row is None else stored_row(*row)


def load(sender: str, engine: Engine | None = None) -> Offer | None:
    return live_offer(load_row(sender, engine))


def store(sender: str, offer: Offer, engine: Engine | None = None) -> Stored:
    """Insert or replace the person's row in one statement (an upsert, safe between replicas)."""
    row = Stored(tuple((b.title, b.payload) for b in offer.buttons), offer.reminded,
                 offer.at_summary, utcnow() + TTL)
    values = {"person_key": person_key(sender), "buttons": [list(b) for b in row.buttons],
              "summary_shown": row.summary_shown, "reminded": row.reminded,
              "expires_at": row.expires_at}
    with session_scope(engine) as session:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = insert(OfferedChoice).values(**values)
        session.execute(stmt.on_conflict_do_update(
            index_elements=["person_key"],
            set_={k: v for k, v in values.items() if k != "person_key"}))
    return row


# --- privacy provider (see bot.privacy.registry) ------------------------------------------------

def collect(person: Person, engine: Engine | None) -> dict[str, Any]:
    with session_scope(engine) as session:
        row = session.get(OfferedChoice, person.key)
        if row is None:
            return {}
        data: dict[str, Any] = {
            "botones": [title for title, payload in row.buttons if payload != PLACE_ASKED.payload],
            "caduca": row.expires_at.isoformat(timespec="minutes")}
        if any(payload == PLACE_ASKED.payload for _title, payload in row.buttons):
            data["lugar_preguntado"] = True
        return data


def describe(data: dict[str, Any]) -> list[str]:
    lines = [_("• Los botones que te ofrecí al final ({count}), para entender si respondes "
               "escribiendo «sí» o «la segunda»; se borran en un día.")
             .format(count=len(data.get("botones", [])))]
    if data.get("lugar_preguntado"):
        lines.append(_("• Que te pregunté en qué municipio estás (solo eso, no tu respuesta), "
                       "para entenderte aunque me reinicien; se borra en un día."))
    return lines


def erase(person: Person, engine: Engine | None) -> dict[str, int]:
    with session_scope(engine) as session:
        result = session.execute(delete(OfferedChoice)
                                 .where(OfferedChoice.person_key == person.key))
        return {_("botones ofrecidos"): int(getattr(result, "rowcount", 0) or 0)}


register(Provider("botones", collect, describe, erase, "los botones que te ofrecí", order=45))
