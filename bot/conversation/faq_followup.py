"""«Más detalles» and «Fuentes» after an FAQ answer: tapped, typed, or stale.

Answered by the core, before Rasa: the button payload names the entry, so a tap needs no
dialogue state and works with Rasa down. Typed words ("más detalles", "fuentes", "ver más")
need to know which answer they follow, so the core remembers, per conversation and only in
memory, the entry of the last FAQ answer it relayed (an id from content/, nothing the person
wrote). A button whose entry has left content/ gets a clear reply instead of silence.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from bot.content.chat import chat_content
from bot.content.faq import FaqEntry, faq_catalog
from bot.content.files import ContentError
from bot.content.render import (
    DETAILS_PAYLOAD,
    SOURCES_PAYLOAD,
    answer_buttons,
    parse_followup,
    render_details,
    render_sources,
)
from bot.conversation.replies import Button, Reply
from bot.textnorm import normalize_words

MAX_REMEMBERED = 20_000
INTENTS = {DETAILS_PAYLOAD: "faq_detalles", SOURCES_PAYLOAD: "faq_fuentes"}


def _buttons(entry: FaqEntry, with_details: bool) -> list[Button]:
    return [Button(b["title"], b["payload"]) for b in answer_buttons(entry, with_details)]


def _words(items: list[str]) -> frozenset[str]:
    return _normalised(tuple(items))


@lru_cache(maxsize=16)
def _normalised(items: tuple[str, ...]) -> frozenset[str]:
    """Content's follow-up words normalised once, not on every message."""
    return frozenset(normalize_words(w) for w in items)


class FaqFollowups:
    """Which FAQ answer each conversation saw last, and the replies to its follow-ups."""

    def __init__(self, capacity: int = MAX_REMEMBERED) -> None:
        self._last: OrderedDict[str, str] = OrderedDict()
        self._had_last_word: set[str] = set()  # the FAQ answer ended the turn: «más», «sigue» are for it
        self.capacity = capacity

    def remember(self, sender: str, replies: list[Reply]) -> None:
        """After a turn: the FAQ entry its buttons name, or forget (the talk moved on).

        When something came after the answer (a guided flow's next question: "Sigamos con tu
        propuesta…"), a bare «sigue» or «más» answers that question, not the FAQ entry.
        """
        found = [(i, hit[1]) for i, r in enumerate(replies) for b in r.buttons
                 if (hit := parse_followup(b.payload))]
        self._last.pop(sender, None)
        self._had_last_word.discard(sender)
        if found:
            index, faq_id = found[0]
            self._last[sender] = faq_id
            if not any(r.text or r.buttons for r in replies[index + 1:]):
                self._had_last_word.add(sender)
            while len(self._last) > self.capacity:
                dropped, _ = self._last.popitem(last=False)
                self._had_last_word.discard(dropped)

    def requested(self, sender: str, text: str) -> tuple[str, str | None] | None:
        """(kind, faq id or None) when ``text`` asks for details or sources; else None."""
        parsed = parse_followup(text)
        if parsed is not None:
            return parsed
        if text.startswith("/"):
            return None
        words = normalize_words(text)
        if not words:
            return None
        followup = chat_content().faq_followup
        last = self._last.get(sender)
        if words in _words(followup.sources):
            return SOURCES_PAYLOAD, last
        if words in _words(followup.details):
            return DETAILS_PAYLOAD, last
        if last is not None and sender in self._had_last_word \
                and words in _words(followup.details_after_answer):
            return DETAILS_PAYLOAD, last
        return None

    def answer(self, kind: str, faq_id: str | None, menu: list[Button]) -> list[Reply]:
        """The details or sources of ``faq_id``; a clear reply when there is nothing to show."""
        core = chat_content()
        if faq_id is None:
            return [Reply(core.core_text("faq_followup_without_answer"), buttons=menu)]
        try:
            entry = faq_catalog().by_id().get(faq_id)
        except ContentError:  # content being edited: same as an entry that is gone
            entry = None
        if entry is None:
            return [Reply(core.core_text("faq_followup_stale"), buttons=menu)]
        if kind == SOURCES_PAYLOAD:
            return [Reply(render_sources(entry), buttons=_buttons(entry, with_details=True)[:-1])]
        details = render_details(entry)
        if details is None:
            return [Reply(core.core_text("faq_no_details"), buttons=_buttons(entry, False))]
        return [Reply(details, buttons=_buttons(entry, with_details=False))]
