"""«Avísame cómo va» in the conversation core: a supporter asks to hear about status changes.

Answered before Rasa (no NLU change, works with Rasa down). After adhering, the action offers a
«Avísame cómo va» button (``/avisame P-2026-000123``); typing its title presses it (the core
remembers offered buttons), and «avísame cómo va P-2026-000123» works too. The answer is the
privacy notice with «Sí, acepto» / «No, gracias» (a typed «sí» or «no» presses them); only then
is anything stored (:func:`bot.proposals.followers.follow`). Every answer is safe to repeat.
"""

from __future__ import annotations

import asyncio
import logging
import re

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.conversation.replies import Button, Reply
from bot.proposals import followers
from bot.proposals.service import proposal_content
from bot.textnorm import normalize_words

log = logging.getLogger(__name__)

ASK = "/avisame"
ACCEPT = "/avisame_si"
DECLINE = "/avisame_no"
INTENT = "seguir_apoyo"
TERMINAL = "terminal"  # the channel of ``participa chat``: no notice can reach it
FOLIO_RE = re.compile(r"\bP-\d{4}-\d{6}\b", re.IGNORECASE)
ASK_WORDS = ("avisame", "avisenme", "me avisas", "quiero que me avises", "quiero avisos")
# Without a folio, the words must speak of a proposal's progress: «avísenme cuando haya talleres»
# asks for the news (the subscription), not which proposal to follow.
ABOUT_PROGRESS_RE = re.compile(r"\b(como va|como van|propuestas?|folio|avances?|estatus|status"
                               r"|cambi\w* de estado|seguimiento)\b")

Answer = tuple[str, list[Reply]]


def follow_button(folio: str) -> dict[str, str]:
    """The button the adhesion action offers (Rasa's button format)."""
    return {"title": proposal_content().message("follow_button"), "payload": f"{ASK} {folio}"}


def _folio(text: str) -> str | None:
    match = FOLIO_RE.search(text)
    return match.group(0).upper() if match else None


class FollowDialogue:
    """The core's answers to «avísame cómo va» and to its consent question."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine

    async def handle(self, sender: str, stripped: str, channel: str) -> Answer | None:
        command, _, rest = stripped.partition(" ")
        command = command.lower()
        if command in (ASK, ACCEPT, DECLINE):
            folio = _folio(rest)
            if folio is None:
                return INTENT, [Reply(proposal_content().message("follow_which"))]
            if command == DECLINE:
                return INTENT, [Reply(proposal_content().message("follow_declined", folio=folio))]
            if channel == TERMINAL:  # notices reach Telegram only: said before any notice
                return INTENT, [Reply(proposal_content().message("follow_terminal", folio=folio))]
            if command == ASK:
                return INTENT, [await self._ask(sender, folio)]
            return INTENT, [await self._accept(sender, folio, channel)]
        if stripped.startswith("/"):
            return None
        words = normalize_words(stripped)
        if not any(words.startswith(w) for w in ASK_WORDS):
            return None
        folio = _folio(stripped)
        if folio is None:
            if not ABOUT_PROGRESS_RE.search(words):
                return None  # «avísenme cuando haya talleres»: news, for Rasa and the subscription
            return INTENT, [Reply(proposal_content().message("follow_which"))]
        if channel == TERMINAL:
            return INTENT, [Reply(proposal_content().message("follow_terminal", folio=folio))]
        return INTENT, [await self._ask(sender, folio)]

    async def _ask(self, sender: str, folio: str) -> Reply:
        """The notice, unless the answer is already known (no such folio, not a supporter…)."""
        try:
            result = await asyncio.to_thread(followers.standing, folio, sender, self.engine)
        except SQLAlchemyError as exc:  # the notice anyway: accepting checks again
            log.error("follow standing not read: %s", type(exc).__name__)
            result = "ok"
        if result != "ok":
            return Reply(proposal_content().message(result, folio=folio))
        return self._notice(folio)

    @staticmethod
    def _notice(folio: str) -> Reply:
        c = proposal_content()
        return Reply(c.message("follow_notice", folio=folio),
                     [Button(c.message("follow_accept"), f"{ACCEPT} {folio}"),
                      Button(c.message("follow_decline"), f"{DECLINE} {folio}")])

    async def _accept(self, sender: str, folio: str, channel: str) -> Reply:
        c = proposal_content()
        try:
            result = await asyncio.to_thread(followers.follow, folio, sender, channel, self.engine)
        except SQLAlchemyError as exc:
            log.error("follow not stored: %s", type(exc).__name__)
            return Reply(c.message("follow_failed"))
        if result == "not_found":
            return Reply(c.message("not_found", folio=folio))
        return Reply(c.message(result, folio=folio))
