"""The information-request conversation in the core: draft, filing, deadline, /mis_solicitudes.

Rasa only recognises the wish (intent ``pedir_datos``, or the unsure action's marker); from there
the core answers, without Rasa and without new NLU data:

- a draft at once, or a question for what is missing (the body, the subject), answered typed
  ("neza", "la fiscalía", "no sé", "cancelar") or with a button when a name is ambiguous;
- "ya la mandé, mi folio es …, el 1 de diciembre" (recognised by its folio) → the due date, then
  the privacy notice; only after «Sí, guárdala» are the body, folio and date stored;
- ``/mis_solicitudes`` → the stored requests and their dates.

A question in progress is kept in the database for half an hour (:mod:`bot.inforequests.pending`:
the step, the bodies, a filing's folio and date; never the request text), so a restart or another
replica goes on where the person was; a stale button just starts over. The request itself is
stored only after consent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from bot.clock import local_today
from bot.conversation.replies import Button, Reply
from bot.conversation.yesno import bare_answer, yes_no
from bot.i18n import format_day
from bot.identity import person_key, telegram_chat_id
from bot.inforequests import pending as pending_store
from bot.inforequests import reminders, store
from bot.inforequests.bodies import Body, answer_body, body_by_key, find_body
from bot.inforequests.deadlines import deadline, non_working_days
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
from bot.inforequests.filing import folio_in, looks_like_filing, parse_filing
from bot.inforequests.pending import DRAFTED, PENDING_SECONDS, Pending
from bot.textnorm import normalize_words

log = logging.getLogger(__name__)

START = "/solicitud"
CHOOSE_BODY = "/solicitud_institucion"
SAVE = "/solicitud_guardar"
DONT_SAVE = "/solicitud_no_guardar"
MINE = "/mis_solicitudes"
MAX_BODY_ANSWER_WORDS = 6  # a longer message while we wait for a body is something else
DONT_KNOW = frozenset({"no se", "nose", "no lo se", "ni idea", "no tengo idea", "no sabria",
                       "no estoy segura", "no estoy seguro", "cual sea", "la que sea"})
CANCEL = frozenset({"cancelar", "cancela", "cancelalo", "ya no", "olvidalo", "dejalo", "salir",
                    "mejor no", "no gracias", "ya no quiero"})
_CANCEL_WORDS = frozenset(word for phrase in CANCEL for word in phrase.split())
# A thanks, a greeting or an ok is no request and no institution («gracias» drafted «Solicito
# la siguiente información: gracias»): the question is asked again.
COURTESY = frozenset({"gracias", "muchas", "mil", "ok", "okay", "oki", "va", "vale", "sale", "hola",
                      "buenas", "buenos", "buen", "dia", "dias", "tardes", "noches", "perfecto",
                      "listo", "entendido", "ya", "aja", "mmm", "este", "pues", "oye", "si", "sip"})
# «no, mejor no, gracias», «nel, ya no, luego»: a no with only courtesy or putting-off around it
# (it was drafted «Solicito la siguiente información: no mejor no, gracias»).
# Its words beyond those of CANCEL (every cancel word may go with a no) and COURTESY.
DECLINE = _CANCEL_WORDS | frozenset({"nel", "nop", "nope", "nah", "asi", "luego", "despues", "otro",
                                     "nada", "bien", "esta", "por", "ahora", "ahorita", "orita",
                                     "lo", "la", "le", "pienso"})
MAX_DECLINE_WORDS = 8
INTENT = "pedir_datos"
MARKER = "info_request"  # the custom payload actions/data_request.py adds to its reply

Answer = tuple[str, list[Reply]]


def _typed(stripped: str, words: frozenset[str]) -> bool:
    return normalize_words(stripped.removeprefix("/")) in words


def _starts_yes_or_no(text: str) -> bool:
    """«sí pero…», «no, mejor…»: a yes or a no with more after it, which could mean either."""
    head = normalize_words(text).split(" ", 1)[0] if normalize_words(text) else ""
    return yes_no(head) is not None


def _courtesy(text: str) -> bool:
    """Only a thanks, greeting, ok or bare yes/no: no subject, no institution."""
    words = normalize_words(text).split()
    return bool(words) and (all(w in COURTESY for w in words) or bare_answer(text))


def _declines(text: str) -> bool:
    """A no («no», «nel») said with only thanks or «mejor», «ya», «luego» around it: no subject."""
    words = normalize_words(text).split()
    if not words or len(words) > MAX_DECLINE_WORDS:
        return False
    return all(w in DECLINE or w in COURTESY for w in words) and any(yes_no(w) == "no" for w in words)


def _line(text: str) -> str:
    return " ".join(text.split())


def is_info_request(intent: str | None, rasa_messages: list[dict[str, Any]]) -> bool:
    """Rasa's turn asks for data the bot does not hold: the intent, or the unsure action's marker."""
    if intent == INTENT:
        return True
    return any(isinstance(custom := m.get("custom"), dict) and bool(custom.get(MARKER))
               for m in rasa_messages)


class InfoRequestDialogue:
    def __init__(self, menu: Callable[[], list[Button]], engine: Engine | None = None,
                 today: Callable[[], dt.date] = local_today) -> None:
        self.menu = menu
        self.engine = engine
        self.today = today
        self.pending: dict[str, Pending] = {}
        self.last_body: dict[str, Body] = {}  # the body of the last draft, for its filing
        self._loaded: dict[str, Pending] = {}  # this turn's open question, as it was read

    def _memory(self, sender: str) -> Pending | None:
        pending = self.pending.get(sender)
        if pending is not None and time.monotonic() - pending.since > PENDING_SECONDS:
            del self.pending[sender]
            return None
        return pending

    async def _get(self, sender: str, stored_row: bool | None = None) -> Pending | None:
        """The open question: the database's (a restart, another replica), or this memory's
        when it is the same turn (it still holds the subject, which is never stored).
        ``stored_row`` False: the turn already read that there is no stored row."""
        try:
            stored = None if stored_row is False else \
                await asyncio.to_thread(pending_store.load, person_key(sender), self.engine)
        except Exception as exc:  # storage down: what this process remembers
            log.warning("inforequests.pending_not_read", extra={"error": type(exc).__name__})
            return self._memory(sender)
        mine = self._memory(sender)
        if stored is None:
            if mine is not None and mine.token:  # ended elsewhere (or expired): ended here too
                del self.pending[sender]
                return None
            return mine
        if mine is not None and mine.token == stored.token:
            return mine
        # Asked for the body, so she had told what she wants: those words went with the restart.
        stored.subject_lost = stored.step == "body"
        self.pending[sender] = stored
        return stored

    async def _keep(self, sender: str, had: bool) -> None:
        """Store this turn's open question, or drop the stored one (``had``) when the flow ended."""
        after = self.pending.get(sender)
        try:
            if after is not None:
                await asyncio.to_thread(pending_store.store, person_key(sender), after, self.engine)
            elif had:
                await asyncio.to_thread(pending_store.drop, person_key(sender), self.engine)
        except Exception as exc:  # the memory still has it; only a restart would lose it
            log.warning("inforequests.pending_not_stored", extra={"error": type(exc).__name__})

    def start(self, sender: str, text: str) -> Answer:
        """A first message that asks for data the bot does not hold ("¿cuánto gana…?")."""
        self.pending.pop(sender, None)
        found = find_body(text)
        subject = subject_text(text) if has_subject(text, found.best) else None
        intent, replies = self._next(sender, Pending("body", text, subject, found.best, found.candidates))
        if intent == "solicitud_pide_institucion":  # say first that the bot has no such data
            replies = [Reply(_line(messages().text("not_held"))), *replies]
        return intent, replies

    async def begin(self, sender: str, text: str) -> Answer:
        """:meth:`start`, with its question (if any) kept for after a restart."""
        answer = self.start(sender, text)
        await self._keep(sender, had=True)  # a question left from before goes
        return answer

    async def handle(self, sender: str, stripped: str, stored_row: bool | None = None) -> Answer | None:
        """A command or button of this flow, a filing, or the answer to its question; else None.
        ``stored_row``: whether the turn's first read found a stored question (None: not read)."""
        answer = await self._handle(sender, stripped, stored_row)
        read = self._loaded.pop(sender, None) is not None
        if answer is not None or read:  # this flow answered, or its question was read
            await self._keep(sender, had=True)
        return answer

    async def _handle(self, sender: str, stripped: str, stored_row: bool | None = None) -> Answer | None:
        if not stripped:
            return None  # the core says what an empty message needs
        command, _, argument = stripped.partition(" ")
        command = command.lower()
        if command == START:
            return self.start(sender, argument) if argument.strip() else \
                self._next(sender, Pending("subject"))
        if command == MINE:
            return await self._mine(sender)
        if command in reminders.ANSWER_COMMANDS:
            return await self._reminder_answer(sender, command, argument.strip())
        pending = await self._get(sender, stored_row)
        drafted: Body | None = None  # a past draft's institution is no open question
        if pending is not None and pending.step == DRAFTED:
            drafted, pending = pending.body, None
        if pending is not None:
            self._loaded[sender] = pending
        if command in (SAVE, DONT_SAVE):
            if pending is None or pending.step != "consent":  # stale: nothing to save
                return "solicitud_plazo", [Reply(_line(messages().text("mine_none")), self.menu())]
            return await self._consent(sender, pending, command == SAVE)
        if command == CHOOSE_BODY:
            body = body_by_key(argument.strip())
            if pending is None or body is None:  # stale button: start again, nothing lost
                return self._next(sender, Pending("body", body=body))
            pending.body, pending.candidates, pending.body_known = body, [], True
            return self._next_filing(sender, pending) if pending.step == "filing_body" \
                else self._next(sender, pending)
        if not stripped.startswith("/") and looks_like_filing(stripped):
            return self._filing(sender, stripped, drafted)
        if pending is None:
            return await self._typed_reminder_answer(sender, stripped)
        if pending.step == "complete":  # «¿completa?» answered in words
            answer = yes_no(stripped)
            if answer is not None:
                del self.pending[sender]
                command = reminders.COMPLETE if answer == "yes" else reminders.INCOMPLETE
                return await self._reminder_answer(sender, command, str(pending.request_id))
        if _typed(stripped, CANCEL) or command == "/cancelar":
            del self.pending[sender]
            return "solicitud_cancelada", [Reply(messages().text("cancelled"), self.menu())]
        if stripped.startswith("/"):
            return None  # another command: the question stays for when they come back
        if pending.step == "consent":  # «sí» / «no» typed instead of pressed
            answer = yes_no(stripped)
            if answer is None and _starts_yes_or_no(stripped):  # «sí pero no la guardes»: ask again
                m = messages()
                return "solicitud_aviso_otra_vez", [Reply(_line(m.text("consent_again")), [
                    Button(m.text("save_yes"), SAVE), Button(m.text("save_no"), DONT_SAVE)])]
            return None if answer is None else await self._consent(sender, pending, answer == "yes")
        if pending.step in ("folio", "date", "filing_body"):
            return self._filing_answer(sender, pending, stripped)
        if pending.step in ("body", "subject") and _declines(stripped):
            del self.pending[sender]
            return "solicitud_cancelada", [Reply(messages().text("cancelled"), self.menu())]
        if pending.step in ("body", "subject") and _courtesy(stripped) \
                and not _typed(stripped, DONT_KNOW):
            if yes_no(stripped) == "no":  # «no», «nel»: she does not want it after all
                del self.pending[sender]
                return "solicitud_cancelada", [Reply(messages().text("cancelled"), self.menu())]
            return self._ask_again(sender, pending)
        if pending.step == "body":
            return self._body_answer(sender, pending, stripped)
        return self._subject_answer(sender, pending, stripped)

    def _ask_again(self, sender: str, pending: Pending) -> Answer:
        """The open question again, as it was asked (with its buttons, if it had them)."""
        if pending.step == "body":
            return self._body_question(sender, pending, "body", "ask_body") or self._next(sender, pending)
        return self._next(sender, pending)

    # -- the draft ----------------------------------------------------------------------------

    def _body_answer(self, sender: str, pending: Pending, stripped: str) -> Answer | None:
        m = messages()
        if _typed(stripped, DONT_KNOW):
            pending.step = "skip_body"
            return self._next(sender, pending)
        found = answer_body(stripped, pending.candidates)
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
            return "solicitud_ayuda_tema", [Reply(_line(m.text("subject_help")))]
        if len(stripped) > MAX_SUBJECT_CHARS:
            return "solicitud_tema_largo", [Reply(_line(
                m.text("subject_too_long", limit=MAX_SUBJECT_CHARS)))]
        if pending.body is None and not pending.candidates:
            found = find_body(stripped)
            pending.body, pending.candidates = found.best, found.candidates
        if not has_subject(stripped, pending.body):
            return "solicitud_ayuda_tema", [Reply(_line(m.text("subject_help")))]
        pending.subject = subject_text(stripped)
        pending.question = f"{pending.question} {stripped}"
        return self._next(sender, pending)

    def _body_question(self, sender: str, pending: Pending, step: str, key: str) -> Answer | None:
        """Buttons for ambiguous candidates, or the typed question; None when nothing to ask."""
        if pending.candidates:
            pending.step = step
            self.pending[sender] = pending
            buttons = [Button(b.name, f"{CHOOSE_BODY} {b.key}") for b in pending.candidates]
            return "solicitud_pide_institucion", [Reply(messages().text("which_body"), buttons)]
        pending.step = step
        self.pending[sender] = pending
        return "solicitud_pide_institucion", [Reply(_line(messages().text(key)))]

    def _next(self, sender: str, pending: Pending) -> Answer:
        """Ask for the subject, then the body, and draft when both are known (or "no sé")."""
        m = messages()
        if pending.subject is None:
            pending.step = "subject"
            self.pending[sender] = pending
            if pending.subject_lost:
                # Her words are never stored (privacy): after a restart she is told, in one
                # line, why the question comes again.
                pending.subject_lost = False
                to_body = contract(f" a {pending.body.the_name}") if pending.body else ""
                return "solicitud_pide_tema", [Reply(m.text("ask_subject_restarted", to_body=to_body))]
            question = contract(m.text("ask_subject", body=pending.body.the_name)) if pending.body \
                else m.text("ask_subject_any")
            return "solicitud_pide_tema", [Reply(_line(question))]
        if pending.body is None and pending.step != "skip_body":
            asked = self._body_question(sender, pending, "body", "ask_body")
            if asked is not None:
                return asked
        self.pending.pop(sender, None)
        if pending.body is not None:  # kept (institution only) for the filing that follows
            self.last_body[sender] = pending.body
            self.pending[sender] = Pending(DRAFTED, body=pending.body)
        draft = Draft(pending.body, pending.subject, period_text(pending.question, self.today()))
        replies = draft_replies(draft)
        replies[-1].buttons = self.menu()
        return "solicitud_borrador", replies

    # -- the filing and its deadline ------------------------------------------------------------

    def _filing(self, sender: str, text: str, drafted: Body | None = None) -> Answer:
        filing = parse_filing(text, self.today())
        found = find_body(text)
        pending = Pending("folio", folio=filing.folio, filed_on=filing.filed_on)
        if found.best is not None:
            pending.body, pending.body_known = found.best, True
        elif found.candidates:
            pending.candidates = found.candidates
        elif drafted is not None or sender in self.last_body:  # the draft's, even after a restart
            pending.body, pending.body_known = drafted or self.last_body[sender], True
        if filing.bad_date:
            pending.step = "date"
            self.pending[sender] = pending
            return "solicitud_pide_fecha", [Reply(_line(messages().text("bad_date")))]
        return self._next_filing(sender, pending)

    def _filing_answer(self, sender: str, pending: Pending, stripped: str) -> Answer | None:
        m = messages()
        if pending.step == "folio":
            folio = folio_in(f"folio {stripped}")
            if folio is None or len(stripped.split()) > 3:
                return "solicitud_pide_folio", [Reply(_line(m.text("ask_folio")))]
            pending.folio = folio
        elif pending.step == "date":
            filing = parse_filing(stripped, self.today())
            if filing.filed_on is None:
                return "solicitud_pide_fecha", [Reply(_line(m.text("bad_date" if filing.bad_date
                                                                   else "ask_date")))]
            pending.filed_on = filing.filed_on
        else:  # filing_body
            if _typed(stripped, DONT_KNOW):
                pending.body_known = True
            else:
                found = answer_body(stripped, pending.candidates)
                if found.best is None and not found.candidates:
                    return "solicitud_institucion_desconocida", [
                        Reply(m.text("body_unknown", text=stripped[:60]))]
                pending.body, pending.candidates = found.best, found.candidates
                pending.body_known = found.best is not None
        return self._next_filing(sender, pending)

    def _next_filing(self, sender: str, pending: Pending) -> Answer:
        """Ask for the folio, the date and the body in turn; then the deadline and the notice."""
        m = messages()
        if pending.folio is None:
            pending.step = "folio"
            self.pending[sender] = pending
            return "solicitud_pide_folio", [Reply(_line(m.text("ask_folio")))]
        if pending.filed_on is None:
            pending.step = "date"
            self.pending[sender] = pending
            return "solicitud_pide_fecha", [Reply(_line(m.text("ask_date")))]
        if not pending.body_known:
            asked = self._body_question(sender, pending, "filing_body", "ask_filing_body")
            if asked is not None:
                return asked
        pending.step = "consent"
        pending.since = time.monotonic()  # the notice gets its own half hour
        self.pending[sender] = pending
        # Reminders reach Telegram only: the terminal is promised none.
        key = "notice" if telegram_chat_id(sender) is not None else "notice_terminal"
        notice = Reply(_line(m.text(key)), [Button(m.text("save_yes"), SAVE),
                                                  Button(m.text("save_no"), DONT_SAVE)])
        return "solicitud_plazo", [Reply(self._deadline_text(pending)), notice]

    def _deadline_text(self, pending: Pending) -> str:
        m = messages()
        assert pending.filed_on is not None and pending.folio is not None
        key = pending.body.key if pending.body else None
        due = deadline(pending.filed_on, key)
        calendar = non_working_days()
        body = pending.body.the_name if pending.body else m.text("unknown_body")
        lines = [contract(_line(m.text(
            "deadline_reply", folio=pending.folio, body=body, filed=format_day(pending.filed_on),
            due=format_day(due.due), days=calendar.answer_days, extended=format_day(due.extended))))]
        if not due.has_published_days:
            lines.append(_line(m.text("no_published_days")))
        if calendar.sources:
            lines.append(m.text("deadline_source", source=calendar.sources[0].ref))
        return "\n\n".join(lines)

    async def _consent(self, sender: str, pending: Pending, accepted: bool) -> Answer:
        m = messages()
        del self.pending[sender]
        assert pending.filed_on is not None and pending.folio is not None
        key = pending.body.key if pending.body else None
        due = deadline(pending.filed_on, key)
        if not accepted:
            return "solicitud_no_guardada", [Reply(m.text("not_saved", due=format_day(due.due)),
                                                   self.menu())]
        try:
            await asyncio.to_thread(store.save, person_key(sender), key, pending.folio,
                                    pending.filed_on, due, self.engine, telegram_chat_id(sender))
        except Exception as exc:  # storage down: say so; the person still has the date
            log.error("inforequests.save_failed", extra={"error": type(exc).__name__})
            return "solicitud_error", [Reply(_line(m.text("save_failed", due=format_day(due.due))),
                                             self.menu())]
        return "solicitud_guardada", [Reply(_line(m.text("saved")), self.menu())]

    async def _mine(self, sender: str) -> Answer:
        m = messages()
        try:
            followed = await asyncio.to_thread(store.mine, person_key(sender), self.engine)
        except Exception as exc:
            log.error("inforequests.list_failed", extra={"error": type(exc).__name__})
            return "solicitud_error", [Reply(_line(m.text("list_failed")), self.menu())]
        if not followed:
            return "mis_solicitudes", [Reply(_line(m.text("mine_none")), self.menu())]
        lines = [m.text("mine_title")]
        for f in followed:
            lines.append(m.text("mine_item", folio=f.folio, body=store.body_name(f.body_key),
                                filed=format_day(f.filed_on), due=format_day(f.due_on),
                                extended=format_day(f.extended_on)))
        if any(f.extended_on < self.today() for f in followed):
            lines.append(_line(m.text("mine_late")))
        return "mis_solicitudes", [Reply("\n".join(lines), self.menu())]

    # -- the reminder's answers -----------------------------------------------------------------

    async def _typed_reminder_answer(self, sender: str, stripped: str) -> Answer | None:
        """A typed «sí» / «no» right after a reminder the person has not answered yet."""
        answer = yes_no(stripped)
        if answer is None:
            return None
        try:
            request_id = await asyncio.to_thread(reminders.awaiting_answer, person_key(sender),
                                                 self.engine)
        except Exception as exc:  # never stand between a person and the bot
            log.error("inforequests.reminder_lookup_failed", extra={"error": type(exc).__name__})
            return None
        if request_id is None:
            return None
        command = reminders.ANSWERED if answer == "yes" else reminders.NOT_ANSWERED
        return await self._reminder_answer(sender, command, str(request_id))

    async def _reminder_answer(self, sender: str, command: str, argument: str) -> Answer:
        m = messages()
        if not argument.isdigit():
            return "solicitud_recordatorio", [Reply(_line(m.text("mine_none")), self.menu())]
        request_id = int(argument)
        if command == reminders.ANSWERED:
            self.pending[sender] = Pending("complete", request_id=request_id)
            return "solicitud_respondida", [reminders.complete_question(request_id)]
        outcome = {reminders.COMPLETE: "respondida_completa",
                   reminders.INCOMPLETE: "respondida_incompleta"}.get(command, "sin_respuesta")
        try:
            answered = await asyncio.to_thread(reminders.record_outcome, request_id,
                                               person_key(sender), outcome, self.engine)
        except Exception as exc:
            log.error("inforequests.outcome_failed", extra={"error": type(exc).__name__})
            return "solicitud_error", [Reply(_line(m.text("list_failed")), self.menu())]
        if answered is None:  # not this person's request (a forwarded or stale button)
            return "solicitud_recordatorio", [Reply(_line(m.text("mine_none")), self.menu())]
        if outcome == "respondida_completa":
            return "solicitud_respondida_completa", [Reply(m.text("answered_ok"), self.menu())]
        replies = reminders.recurso_replies(answered, outcome)
        replies[-1].buttons = self.menu()
        return "solicitud_recurso", replies
