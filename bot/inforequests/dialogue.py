"""The information-request conversation in the core: draft at once, or ask for what is missing.

Rasa only recognises the wish (intent ``pedir_datos``); from there the core answers, without
Rasa and without new NLU data: the body and the subject are read from the same message, and a
missing one is asked for. The answer to that question may be typed ("neza", "la fiscalía", "no
sé", "cancelar") or pressed (a button for each candidate municipality). Nothing here is stored:
the pending question lives in memory for a while and a stale button just starts over.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.conversation.replies import Button, Reply
from bot.inforequests.bodies import Body, answer_body, body_by_key, find_body
from bot.inforequests.draft import (
    MAX_SUBJECT_CHARS,
    Draft,
    contract,
    draft_replies,
    has_subject,
    messages,
    period_text,
    subject_text,
)
from bot.textnorm import normalize_words

START = "/solicitud"
CHOOSE_BODY = "/solicitud_institucion"
COMMANDS = frozenset({START, CHOOSE_BODY})
PENDING_SECONDS = 30 * 60
MAX_BODY_ANSWER_WORDS = 6  # a longer message while we wait for a body is something else
DONT_KNOW = frozenset({"no se", "nose", "no lo se", "ni idea", "no tengo idea", "no sabria",
                       "no estoy segura", "no estoy seguro", "cual sea", "la que sea"})
CANCEL = frozenset({"cancelar", "cancela", "cancelalo", "ya no", "olvidalo", "dejalo", "salir",
                    "mejor no", "no gracias", "ya no quiero"})

Answer = tuple[str, list[Reply]]


@dataclass
class Pending:
    """What the bot asked and what it already knows of the request."""

    step: str  # "body" or "subject"
    question: str  # the person's first words, for the period
    subject: str | None = None
    body: Body | None = None
    candidates: list[Body] = field(default_factory=list)
    since: float = field(default_factory=time.monotonic)


def _typed(stripped: str, words: frozenset[str]) -> bool:
    return normalize_words(stripped.removeprefix("/")) in words


class InfoRequestDialogue:
    def __init__(self, menu: Callable[[], list[Button]],
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.menu = menu
        self.today = today
        self.pending: dict[str, Pending] = {}

    def _get(self, sender: str) -> Pending | None:
        pending = self.pending.get(sender)
        if pending is not None and time.monotonic() - pending.since > PENDING_SECONDS:
            del self.pending[sender]
            return None
        return pending

    def start(self, sender: str, text: str) -> Answer:
        """A first message that asks for data the bot does not hold ("¿cuánto gana…?")."""
        self.pending.pop(sender, None)
        found = find_body(text)
        subject = subject_text(text) if has_subject(text, found.best) else None
        return self._next(sender, Pending("body", text, subject, found.best, found.candidates))

    def handle(self, sender: str, stripped: str) -> Answer | None:
        """A button of this flow, ``/solicitud`` or the typed answer to its question; else None."""
        command, _, argument = stripped.partition(" ")
        if command.lower() == START:
            return self.start(sender, argument) if argument.strip() else \
                self._next(sender, Pending("subject", ""))
        pending = self._get(sender)
        if command.lower() == CHOOSE_BODY:
            body = body_by_key(argument.strip())
            if pending is None or body is None:  # stale button: start again, nothing lost
                return self._next(sender, Pending("body", "", None, body))
            pending.body, pending.candidates = body, []
            return self._next(sender, pending)
        if pending is None:
            return None
        if _typed(stripped, CANCEL) or stripped.lower() == "/cancelar":
            del self.pending[sender]
            return "solicitud_cancelada", [Reply(messages().text("cancelled"), self.menu())]
        if stripped.startswith("/"):
            return None  # another command: the question stays for when they come back
        if pending.step == "body":
            return self._body_answer(sender, pending, stripped)
        return self._subject_answer(sender, pending, stripped)

    def _body_answer(self, sender: str, pending: Pending, stripped: str) -> Answer | None:
        m = messages()
        if _typed(stripped, DONT_KNOW):
            pending.step = "skip_body"
            return self._next(sender, pending)
        found = answer_body(stripped)
        if found.best is not None:
            pending.body, pending.candidates = found.best, []
            return self._next(sender, pending)
        if found.candidates:
            pending.candidates = found.candidates
            return self._next(sender, pending)
        if len(stripped.split()) > MAX_BODY_ANSWER_WORDS or "?" in stripped:
            del self.pending[sender]  # something else: let the rest of the bot answer it
            return None
        return "solicitud_institucion_desconocida", [
            Reply(m.text("body_unknown", text=stripped[:60]))]

    def _subject_answer(self, sender: str, pending: Pending, stripped: str) -> Answer:
        m = messages()
        if _typed(stripped, DONT_KNOW):
            return "solicitud_ayuda_tema", [Reply(" ".join(m.text("subject_help").split()))]
        if len(stripped) > MAX_SUBJECT_CHARS:
            return "solicitud_tema_largo", [Reply(" ".join(
                m.text("subject_too_long", limit=MAX_SUBJECT_CHARS).split()))]
        if pending.body is None and not pending.candidates:
            found = find_body(stripped)
            pending.body, pending.candidates = found.best, found.candidates
        if not has_subject(stripped, pending.body):
            return "solicitud_ayuda_tema", [Reply(" ".join(m.text("subject_help").split()))]
        pending.subject = subject_text(stripped)
        pending.question = f"{pending.question} {stripped}"
        return self._next(sender, pending)

    def _next(self, sender: str, pending: Pending) -> Answer:
        """Ask for the subject, then the body, and draft when both are known (or "no sé")."""
        m = messages()
        name = pending.body.the_name if pending.body else m.text("unknown_body")
        if pending.subject is None:
            pending.step = "subject"
            self.pending[sender] = pending
            question = contract(m.text("ask_subject", body=name)) if pending.body \
                else m.text("ask_subject_any")
            return "solicitud_pide_tema", [Reply(" ".join(question.split()))]
        if pending.body is None and pending.candidates and pending.step != "skip_body":
            pending.step = "body"
            self.pending[sender] = pending
            buttons = [Button(b.name, f"{CHOOSE_BODY} {b.key}") for b in pending.candidates]
            return "solicitud_pide_institucion", [Reply(m.text("which_body"), buttons)]
        if pending.body is None and pending.step != "skip_body":
            pending.step = "body"
            self.pending[sender] = pending
            return "solicitud_pide_institucion", [Reply(" ".join(m.text("ask_body").split()))]
        self.pending.pop(sender, None)
        draft = Draft(pending.body, pending.subject, period_text(pending.question, self.today()))
        replies = draft_replies(draft)
        replies[-1].buttons = self.menu()
        return "solicitud_borrador", replies


INTENT = "pedir_datos"
MARKER = "info_request"  # the custom payload actions/data_request.py adds to its reply


def is_info_request(intent: str | None, messages: list[dict[str, Any]]) -> bool:
    """Rasa's turn asks for data the bot does not hold: the intent, or the unsure action's marker."""
    if intent == INTENT:
        return True
    return any(isinstance(custom := m.get("custom"), dict) and bool(custom.get(MARKER))
               for m in messages)
