"""The one question after sending a proposal: publish its public record? Answered by the core.

The action that saves a proposal asks it with «Sí, publicarla» / «No, gracias» buttons
(``/ficha_publica_si P-2026-000123``); a typed «sí» or «no» presses them (the core remembers
offered buttons). Only the author can publish; nothing about them is shown
(:mod:`bot.proposals.public_record`). Every answer is safe to repeat.
"""

from __future__ import annotations

import asyncio
import logging
import re

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.conversation.replies import Reply
from bot.proposals import public_record
from bot.proposals.service import proposal_content

log = logging.getLogger(__name__)

ACCEPT = "/ficha_publica_si"
DECLINE = "/ficha_publica_no"
INTENT = "ficha_publica"
FOLIO_RE = re.compile(r"\bP-\d{4}-\d{6}\b", re.IGNORECASE)

Answer = tuple[str, list[Reply]]


def question_buttons(folio: str) -> list[dict[str, str]]:
    """The buttons the saving action offers (Rasa's button format)."""
    c = proposal_content()
    return [{"title": c.message("record_accept"), "payload": f"{ACCEPT} {folio}"},
            {"title": c.message("record_decline"), "payload": f"{DECLINE} {folio}"}]


class RecordDialogue:
    """The core's answers to the public-record question."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine

    async def handle(self, sender: str, stripped: str) -> Answer | None:
        command, _, rest = stripped.partition(" ")
        if command.lower() not in (ACCEPT, DECLINE):
            return None
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
