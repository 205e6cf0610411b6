"""The one question after sending a proposal: publish its public record? Answered by the core.

The action that saves a proposal asks it with «Sí, publicarla» / «No, gracias» buttons
(``/ficha_publica_si P-2026-000123``); a typed «sí» or «no» presses them (the core remembers
offered buttons). Only the author can publish; nothing about them is shown
(:mod:`bot.proposals.public_record`). Every answer is safe to repeat.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import utc_now
from bot.conversation.replies import Reply
from bot.proposals import public_record, service
from bot.proposals.service import proposal_content
from bot.textnorm import normalize_words

log = logging.getLogger(__name__)

ACCEPT = "/ficha_publica_si"
DECLINE = "/ficha_publica_no"
INTENT = "ficha_publica"
FOLIO_RE = re.compile(r"\bP-\d{4}-\d{6}\b", re.IGNORECASE)

Answer = tuple[str, list[Reply]]


# «Sí, publícala» typed after something else was asked in between (the buttons are no longer the
# last ones offered): the model read it as an FAQ (walk8). Whole messages, normalised.
TYPED_ACCEPT = frozenset({
    "si publicarla", "publicarla", "si publicala", "publicala", "si publicala por favor",
    "publicala por favor", "si publicarla por favor", "publica mi propuesta", "si publica mi propuesta",
    "quiero la ficha publica", "si quiero la ficha publica", "si a la ficha publica",
    "si quiero que se publique", "si que se publique",
})
RECENT = dt.timedelta(days=1)


def question_buttons(folio: str) -> list[dict[str, str]]:
    """The buttons the saving action offers (Rasa's button format)."""
    c = proposal_content()
    return [{"title": c.message("record_accept"), "payload": f"{ACCEPT} {folio}"},
            {"title": c.message("record_decline"), "payload": f"{DECLINE} {folio}"}]


class RecordDialogue:
    """The core's answers to the public-record question."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine

    async def _typed_accept(self, sender: str, stripped: str) -> str | None:
        """The folio a typed «sí, publícala» means: her newest proposal, sent in the last day and
        not public yet; None when the words say something else or there is no such proposal."""
        if stripped.startswith("/") or normalize_words(stripped) not in TYPED_ACCEPT:
            return None
        try:
            newest = await asyncio.to_thread(service.mine, sender, self.engine)
        except SQLAlchemyError as exc:
            log.error("public record lookup failed: %s", type(exc).__name__)
            return None
        if not newest or newest[0].public_record or newest[0].folio is None:
            return None
        created = newest[0].created_at  # stored naive, in UTC
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.UTC)
        return newest[0].folio if utc_now() - created <= RECENT else None

    async def handle(self, sender: str, stripped: str) -> Answer | None:
        command, _, rest = stripped.partition(" ")
        if command.lower() not in (ACCEPT, DECLINE):
            folio = await self._typed_accept(sender, stripped)
            if folio is None:
                return None
            command, rest = ACCEPT, folio
        c = proposal_content()
        match = FOLIO_RE.search(rest)
        if match is None:
            return INTENT, [Reply(c.message("record_which"))]
        folio = match.group(0).upper()
        if command.lower() == DECLINE:
            return INTENT, [Reply(c.message("record_declined", folio=folio))]
        try:
            result = await asyncio.to_thread(public_record.opt_in, folio, sender, self.engine)
        except SQLAlchemyError as exc:
            log.error("public record not stored: %s", type(exc).__name__)
            return INTENT, [Reply(c.message("follow_failed"))]
        key = {"published": "record_published", "already_published": "record_published",
               "not_author": "record_not_author", "not_found": "not_found"}[result]
        return INTENT, [Reply(c.message(key, folio=folio))]
