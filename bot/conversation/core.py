"""The conversation core every channel feeds: safety net first, then input checks, then Rasa.

A message from someone in danger gets the emergency lines before anything else
and is never sent to Rasa (so its text is stored nowhere). Privacy requests
(``/privacidad``, ``/mis_datos``, ``/borrar``) are answered here too
(:mod:`bot.privacy.dialogue`). Messages that touch
violence go to Rasa marked ``sensitive`` so its tracker store keeps no text of
them. A shared location is answered here from the directory and never leaves the
bot. When Rasa is down or slow the person still gets the menu and the emergency
lines, never a crash.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
import math
import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.attention import dialogue as attention
from bot.campaigns import everything
from bot.campaigns import subscriptions as subs
from bot.campaigns.dialogue import Answer, SubscriptionDialogue, stale_consent
from bot.config import get_settings
from bot.content.chat import chat_content, telegram_commands
from bot.content.faq import faq_catalog
from bot.content.hotlines import hotlines
from bot.content.render import answer_buttons, render_answer
from bot.conversation import usage
from bot.conversation.choices import (
    ASK_CENTRES,
    CANCEL_PROPOSAL,
    CONFIRM_CANCEL,
    CONFIRM_PROPOSAL,
    KEEP_PROPOSAL,
    PICK_CENTRE,
    PICK_CONTRACT,
    THEN,
    WHICH_ONE,
    Offer,
    Pressed,
    after_an_answer,
    press,
    typed_support,
)
from bot.conversation.faq_followup import INTENTS as FOLLOWUP_INTENTS
from bot.conversation.faq_followup import FaqFollowups
from bot.conversation.farewell import thanks_and_goodbye
from bot.conversation.first_contact import asks_what_this_is, only_thanks
from bot.conversation.healed import question_after_story
from bot.conversation.offered import Offers, split_place_asked
from bot.conversation.rasa_client import RasaClient, RasaUnavailable
from bot.conversation.replies import Button, Reply, Turn
from bot.conversation.safety import Level, SafetyNet, reading, safety_net
from bot.conversation.turn_state import TurnState
from bot.conversation.turn_state import read as read_turn_state
from bot.conversation.yesno import bare_answer, yes_no
from bot.i18n import _, format_number
from bot.identity import telegram_chat_id
from bot.inforequests.dialogue import InfoRequestDialogue, is_info_request
from bot.privacy import dialogue as privacy
from bot.procurement import replies as procurement_replies
from bot.procurement.follow_dialogue import FollowDialogue as ContractFollowDialogue
from bot.procurement.follow_dialogue import stop_all
from bot.proposals.follow_dialogue import FollowDialogue as SupporterDialogue
from bot.proposals.record_dialogue import RecordDialogue
from bot.proposals.service import proposal_content
from bot.storage import rasa_tracker
from bot.textnorm import clean, normalize_words, what_first
from bot.violence.crisis_talk import talks_of_dying
from bot.violence.directory import MORE_CENTRES, DirectoryMessage, answer_typed_place, directory
from bot.violence.misread import misread
from bot.violence.own_violence import MEN_ENTRY
from bot.violence.professional import asks_for_a_professional, entry_for

log = logging.getLogger(__name__)
T = TypeVar("T")

# Telegram-style commands mapped to the Rasa payload they stand for. /suscribir and /baja (and
# their button payloads) are answered by the core itself: bot/campaigns/dialogue.py.
COMMANDS: dict[str, str] = {
    "/start": "/greet",
    "/ayuda": "/help",
    "/menu": "/help",
    "/help": "/help",
    "/propuesta": "/proponer",
    "/mis_propuestas": "/mis_propuestas",
    "/cancelar": "/cancelar",
    "/cancel": "/cancelar",  # the usual Telegram word, for people used to other bots
    CONFIRM_CANCEL: "/cancelar",  # «Sí, cancelarla»: reaches Rasa marked cancel_confirmed
}
_PAYLOAD_RE = re.compile(r"^/([a-z_]+)(\{.*\})?$", re.DOTALL)
CENTRE_PAYLOAD = "/buscar_centro"
UNREADABLE_LOOP = "?"  # Rasa's store could not say which form waits: taken as one waiting
CENTRE_FORM = "centro_form"  # Rasa's form that asks where she is (nlu/domain/violence.yml)
PROPOSAL_FORM = "proposal_form"  # the proposal interview (nlu/domain/proposals.yml)
# Input the core answers itself (_check_input) and its wording while a proposal interview waits.
IN_INTERVIEW = {"no_words": "no_words_in_interview", "too_long": "too_long_in_interview",
                "unknown_command": "unknown_command_in_interview"}
QUICK_EXIT_PAYLOAD = "/salida_rapida"
QUICK_EXIT_RESPONSE = "utter_salida_rapida"
_HAS_WORD_RE = re.compile(r"\w", re.UNICODE)
MAX_PLACE_ASKED = 10_000
# «ya no quiero seguir» while the proposal interview waits is most likely about the interview (the
# lead's citizen walk got the suicide-crisis reply): the interview asks whether to cancel it, with
# the crisis line above the question in case it was not. Only these bare words; anything more
# («… así», «… con mi vida») keeps the crisis reply.
LEAVES_INTERVIEW = frozenset({"ya no quiero seguir", "no quiero seguir", "ya no quiero continuar",
                              "no quiero continuar", "ya no quiero seguir con esto",
                              "ya no quiero seguir gracias", "ya no quiero continuar gracias"})
# Rasa intents the core answers itself, as the command they stand for: Rasa only recognises the
# plain words ("ya no me manden nada", "borren lo que tienen de mí") when the core's own patterns
# did not, and its placeholder reply is replaced by the core's dialogue.
CORE_INTENTS: dict[str, str] = {
    "suscribir": "/suscribir",
    "baja": "/baja",
    "aviso_privacidad": "/privacidad",
    "mis_datos": "/mis_datos",
    "borrar_datos": "/borrar",
    "hablar_persona": attention.ASK,  # talk to a person: bot/attention/ (issue 19)
}
# Intents that act on the proposal shown in the summary: after them no reminder is needed.
PROPOSAL_INTENTS = frozenset({"proponer", "cancelar", "confirmar_propuesta", "editar_propuesta",
                              "guardar_propuesta", "apoyar_propuesta"})


@lru_cache(maxsize=1)
def payload_intents() -> frozenset[str]:
    """Intents a button payload may name: those declared in the Rasa domain."""
    domain_dir: Path = get_settings().nlu_dir / "domain"
    intents: set[str] = set()
    for path in domain_dir.glob("*.yml"):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        for item in data.get("intents") or []:
            intents.add(item if isinstance(item, str) else next(iter(item)))
    return frozenset(intents)


THANKS_INTENT = "thanks"
THANKS_RESPONSE = "utter_thanks"
GOODBYE_INTENT = "goodbye"
GOODBYE_RESPONSE = "utter_goodbye"
HELP_INTENT = "help"
ABOUT_ENTRY = "sobre_participa"  # «¿Quién administra este chat?»: what Participa is


def menu_buttons() -> list[Button]:
    return [Button(b.title, b.payload) for b in chat_content().menu.buttons]


def directory_replies(messages: list[DirectoryMessage]) -> list[Reply]:
    """Directory answers as replies; a centre carries its location for the channel's map."""
    return [
        Reply(text=m.text, custom={"location": m.location} if m.location else None,
              buttons=[Button(title, payload) for title, payload in m.buttons])
        for m in messages
    ]


def professional_replies(text: str) -> tuple[str, list[Reply]]:
    """A psychologist or a lawyer asked for (bot/violence/professional.py): the centres near the
    municipality the words name, else the entry with the free services and the lines."""
    entry = faq_catalog().by_id()[entry_for(text)]
    centres = answer_typed_place(text) if entry.id != MEN_ENTRY else None
    if centres is not None:
        return "buscar_centro", directory_replies(centres)
    return "faq", [Reply(text=render_answer(entry),
                         buttons=[Button(b["title"], b["payload"]) for b in answer_buttons(entry)])]


def merge_custom(replies: list[Reply]) -> list[Reply]:
    """Rasa sends a response's custom payload as a message of its own: join it to its text."""
    merged: list[Reply] = []
    for reply in replies:
        if not reply.text and not reply.buttons and reply.custom and merged and not merged[-1].custom:
            merged[-1].custom = reply.custom
        else:
            merged.append(reply)
    return merged


def asked_instead(replies: list[Reply]) -> tuple[list[Reply], str | None]:
    """The replies without the :data:`THEN` a form put in them, and that text (else None)."""
    then: str | None = None
    kept: list[Reply] = []
    for reply in replies:
        if reply.custom and THEN in reply.custom:
            custom = dict(reply.custom)
            value = custom.pop(THEN)
            then = then or (str(value).strip() or None)
            reply.custom = custom or None
            if not reply.text and not reply.buttons and not reply.custom:
                continue
        kept.append(reply)
    return kept, then


def quick_exit_reply() -> Reply:
    variant = chat_content().responses[QUICK_EXIT_RESPONSE][0]
    return Reply(text=variant.text.strip(), custom=dict(variant.custom or {"quick_exit": True}))


def ask_location_reply() -> Reply:
    return Reply(text=" ".join(directory().content.messages.ask.split()),
                 custom={"request_location": True})


class ConversationCore:
    """Turns one incoming text into a :class:`Turn`; shared by Telegram and the terminal."""

    def __init__(
        self,
        rasa: RasaClient | None,
        net: SafetyNet | None = None,
        record_usage: bool = True,
        engine: Engine | None = None,
    ) -> None:
        self.rasa = rasa
        self.engine = engine
        self.net = net or safety_net()
        self.record_usage = record_usage
        self.max_chars = get_settings().max_message_chars
        self.usage = usage.UsageBuffer(engine, get_settings().usage_flush_seconds)
        self.subscriptions = SubscriptionDialogue(engine, menu_buttons)
        self.contract_follows = ContractFollowDialogue(engine, menu_buttons)
        self.attention = attention.AttentionDialogue(engine, menu_buttons)
        self.inforequests = InfoRequestDialogue(menu_buttons, engine)
        self.supporters = SupporterDialogue(engine)
        self.records = RecordDialogue(engine)
        self.offers = Offers(engine, generic=menu_buttons)
        self.followups = FaqFollowups()
        self.place_asked: set[str] = set()  # asked for a municipality or location (ids only)
        # This turn's senders whose first database read failed (see _storage_down), and whose
        # «Compartir mi ubicación» key was showing, as the database says (read each turn).
        self._unreadable: set[str] = set()
        self._keyboard_shown: set[str] = set()

    def _place_asked(self, sender: str | None, replies: list[Reply]) -> None:
        """Remember whether this turn asked where she is, so a typed place works with Rasa down."""
        if sender is None:
            return
        if any((r.custom or {}).get("request_location") for r in replies):
            if len(self.place_asked) >= MAX_PLACE_ASKED:
                self.place_asked.clear()
            self.place_asked.add(sender)
        else:
            self.place_asked.discard(sender)

    def _core_reply(self, key: str, with_menu: bool = True, **values: object) -> Reply:
        return Reply(
            text=chat_content().core_text(key, **values),
            buttons=menu_buttons() if with_menu else [],
        )

    async def _active_loop(self, sender: str | None) -> str | None:
        """The Rasa form waiting for her answer, read from Rasa's store (None: none, or unreadable;
        and without Rasa at all, which has no store to read)."""
        if sender is None:
            return None
        return await self._tracker_read(rasa_tracker.active_loop, sender, unsure=None)

    async def _tracker_read(self, read: Callable[..., T], sender: str, *args: object,
                            unsure: T) -> T:
        """One read of Rasa's store for ``sender``; ``unsure`` when there is no Rasa (so no store
        to read) or the store cannot be read (logged; the turn goes on)."""
        if self.rasa is None:
            return unsure
        try:
            return await asyncio.to_thread(read, rasa_tracker.tracker_engine(self.engine), sender,
                                           *args)
        except SQLAlchemyError as exc:
            log.error("tracker unreadable: %s", type(exc).__name__)
            return unsure

    async def _offline_reply(self, message: str = "", sender: str | None = None) -> list[Reply]:
        if message.startswith(CENTRE_PAYLOAD):
            # The emergency button still works: a shared location needs no Rasa.
            self._place_asked(sender, [ask_location_reply()])
            return [ask_location_reply()]
        # Rasa's centre form or proposal interview still waiting, read from its store: a restart
        # of the bot forgets nothing (``place_asked`` lived in memory only: walk8).
        loop = await self._active_loop(sender)
        if sender is not None and message and not message.startswith("/") \
                and (sender in self.place_asked or loop == CENTRE_FORM):
            # Asked where she is (by Rasa's form or just above): a typed municipality is enough.
            self.place_asked.discard(sender)
            centres = answer_typed_place(message)
            if centres is not None:
                return directory_replies(centres)
        if loop == PROPOSAL_FORM:
            # Her proposal is in Rasa's store and waits at the same step: she is told so, and no
            # menu leads her away from it.
            text = f"{chat_content().core_text('rasa_down_interview')}\n\n{hotlines().render()}"
            return [Reply(text=text)]
        return [self._trouble_reply()]

    async def handle_location(
        self, sender: str, lat: float, lon: float, channel: str = "terminal"
    ) -> Turn:
        """The nearest centres to a shared location, from the directory alone.

        The location is never sent to Rasa, logged or stored: it lives only in this call.
        """
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            return Turn("", "buscar_centro_ubicacion", None, False, [ask_location_reply()])
        replies = directory_replies(directory().answer_location(lat, lon))
        self.place_asked.discard(sender)
        # answered: the stored question goes too; «otros» next presses its «Ver más lugares»
        await self.offers.remember(sender, replies)
        await self._count("buscar_centro_ubicacion", channel)
        return Turn("", "buscar_centro_ubicacion", 1.0, False, replies)

    async def handle(self, sender: str, text: str | None, channel: str = "terminal",
                     level: Level | None = None) -> Turn:
        """One message in, the bot's turn out; a typed word may press an offered button.

        ``level``: the safety net's verdict on this same text, when the channel already asked
        (Telegram does, to let an emergency past flood control); else it is asked here. Whatever
        fails on the way (the database down for a moment), she gets an answer: the technical
        problem, the emergency lines and the menu, never silence.
        """
        try:
            with reading():  # the safety net works out each reading of this text once
                turn = await self._turn(sender, text, channel, level)
        except Exception as exc:
            log.error("conversation.turn_failed", extra={"error": type(exc).__name__})
            turn = Turn(clean(text or ""), None, None, False, [self._trouble_reply()])
        finally:
            self._unreadable.discard(sender)
        if sender in self._keyboard_shown:
            self._keyboard_shown.discard(sender)
            turn.location_keyboard_shown = True
        return turn

    def _trouble_reply(self) -> Reply:
        text = f"{chat_content().core_text('rasa_down')}\n\n{hotlines().render()}"
        return Reply(text=text, buttons=menu_buttons())

    async def _turn(self, sender: str, text: str | None, channel: str, level: Level | None) -> Turn:
        text = clean(text or "")
        if level is None:
            level = self.net.assess(text)
        if level == Level.CRISIS and normalize_words(text) in LEAVES_INTERVIEW \
                and await self._active_loop(sender) == PROPOSAL_FORM:
            turn = await self._handle(sender, text, channel, level=Level.SENSITIVE)
            line = Reply(text=f"{chat_content().core_text('leaves_interview')}\n"
                              f"{hotlines().render(['linea_vida'])}")
            return replace(turn, replies=[line, *turn.replies])
        if level >= Level.CRISIS:
            turn = await self._handle(sender, text, channel, level=level)  # safety first
            if self._asks_if_in_danger(turn):
                # «¿Estás en peligro ahora?» is a yes-no question: a typed «sí» must press «Sí,
                # estoy en peligro», not meet «nada pendiente». Only its two buttons are kept.
                await self.offers.remember(sender, turn.replies)
            return turn
        stripped = text.strip()
        state = await self._turn_state(sender)
        if state is None:
            self._unreadable.add(sender)
        offer = await self.offers.get(sender, state.offer if state is not None else None)
        offer = self._where_asked(sender, offer)
        pressed = press(offer, stripped) if offer and not stripped.startswith("/") else None
        if stripped == KEEP_PROPOSAL or (pressed is not None and pressed.payload == KEEP_PROPOSAL):
            if await self._in_interview(sender):
                # «No, seguir con ella» in the middle of the interview: the form asks the same
                # step again (Rasa reads the payload, never the title as a question).
                pressed = Pressed(KEEP_PROPOSAL)
            else:
                return await self._local_turn(text, ("seguir_propuesta",
                                                     await self._keep_proposal(sender, offer)), channel)
        if stale_consent(stripped, offer.buttons if offer is not None else None):
            # «Sí, acepto» of a notice no longer on screen (after /baja, say): nothing is done.
            reply = await self.subscriptions.stale_consent_answer(sender, stripped)
            return await self._local_turn(text, ("suscribir_boton_viejo", [reply]), channel)
        if pressed is not None and pressed.payload == WHICH_ONE and offer is not None:
            # "sí" with several similar proposals: which one? (the same buttons stay offered)
            reply = Reply(text=proposal_content().message("which_one"), buttons=list(offer.buttons))
            return await self._local_turn(text, ("apoyar_cual", [reply]), channel)
        if pressed is None and offer is not None and offer.at_summary and yes_no(stripped) == "no":
            pressed = Pressed(CANCEL_PROPOSAL)  # a "no" at the summary: Rasa asks before dropping
        if pressed is None:
            turn = await self._handle(sender, text, channel,
                                     nothing_offered=offer is None or self.offers.is_generic(offer),
                                     state=state, level=level,
                                     answered=offer is not None and after_an_answer(offer))
        else:
            turn = await self._handle(sender, pressed.payload, channel, state=state)
            if pressed.then:  # "cambia el municipio a …": the new value right after
                first = turn
                turn = await self._handle(sender, pressed.then, channel)
                turn.intent, turn.confidence = first.intent, first.confidence
            turn.text = text
        if turn.emergency:
            return turn
        if turn.intent == privacy.INTENTS["notice"] and offer is not None \
                and not any(r.buttons for r in turn.replies):
            # The full notice read in the middle of a question («Aviso completo: /privacidad»):
            # the question's buttons come back under it, so «sí, acepto» still answers it.
            turn.replies[-1].buttons = list(offer.buttons)
        if offer is not None and offer.at_summary and pressed is None and not offer.reminded \
                and turn.intent not in PROPOSAL_INTENTS and not stripped.startswith("/"):
            # Nothing lost: whatever was asked got its answer, and the proposal is still there.
            turn.replies.append(self._summary_reminder())
            buttons = [b for r in turn.replies for b in r.buttons] + (offer.buttons)
            await self.offers.keep(sender, Offer(buttons, offer.summary, reminded=True,
                                                 summary_shown=True))
            return turn
        if turn.intent == privacy.INTENTS["erase_confirm"]:
            await self.offers.forget(sender)  # after /borrar nothing of hers stays, not even this
            return turn
        await self.offers.remember(sender, turn.replies, previous=offer)
        return turn

    def _where_asked(self, sender: str, offer: Offer | None) -> Offer | None:
        """The offer without the stored «asked where she is» mark, which becomes this process's
        ``place_asked`` (a restart of the bot loses neither the question nor the location key)."""
        offer, asked = split_place_asked(offer)
        if asked:
            self.place_asked.add(sender)
            self._keyboard_shown.add(sender)
        else:
            self.place_asked.discard(sender)
        return offer

    async def _storage_down(self, sender: str) -> bool:
        """The database is unreachable for this turn (its first read failed, and Rasa's store
        cannot be read either). Rasa must not read the message then: without its store it
        starts the conversation over (an interview's answer got «No estoy segura…»: walk9)."""
        if sender not in self._unreadable or self.rasa is None:
            return False
        try:
            await asyncio.to_thread(rasa_tracker.active_loop,
                                    rasa_tracker.tracker_engine(self.engine), sender)
        except Exception as exc:
            log.error("tracker unreadable: %s", type(exc).__name__)
            return True
        return False

    def _storage_down_reply(self) -> Reply:
        text = f"{chat_content().core_text('storage_down')}\n\n{hotlines().render()}"
        return Reply(text=text)

    def _asks_if_in_danger(self, turn: Turn) -> bool:
        """The turn is the safety net's check-in (a bare «ayuda por favor»)."""
        check_in = self.net.check_in
        if check_in is None or not check_in.buttons:
            return False
        offered = [b.payload for r in turn.replies for b in r.buttons]
        return offered == [b.payload for b in check_in.buttons]

    async def handle_tap(self, sender: str, payload: str, channel: str = "telegram",
                         level: Level | None = None) -> Turn:
        """A tapped button's payload (Telegram). An old button whose payload is plain words (a
        theme, the form's «Sí, acepto»), tapped while the interview waits for another step, is
        not that step's answer: read as typed, an old «Movilidad» became the causes (walk8).
        The same step is asked again, and nothing already answered is lost."""
        stripped = clean(payload).strip()
        if stripped and not stripped.startswith("/") and (level is None or level < Level.CRISIS) \
                and await self._in_interview(sender):
            offer = await self.offers.get(sender)
            if offer is None or all(b.payload != stripped for b in offer.buttons):
                log.info("conversation.stale_tap_in_interview")
                turn = await self._handle(sender, KEEP_PROPOSAL, channel)
                note = Reply(text=chat_content().core_text("stale_button_interview"))
                turn.replies = [note, *turn.replies]
                turn.text = payload
                await self.offers.remember(sender, turn.replies)
                return turn
        return await self.handle(sender, payload, channel, level=level)

    def _summary_reminder(self) -> Reply:
        c = proposal_content()
        return Reply(text=c.message("summary_kept"),
                     buttons=[Button(c.message("confirm"), CONFIRM_PROPOSAL),
                              Button(_("Cancelar"), CANCEL_PROPOSAL)])

    async def _keep_proposal(self, sender: str, offer: Offer | None) -> list[Reply]:
        """Back to the summary after "no, seguir con ella" (or a reminder after a restart)."""
        if offer is not None and offer.summary is not None:
            await self.offers.keep(sender, Offer(list(offer.summary.buttons), offer.summary))
            return [offer.summary]
        if not await self._proposal_waiting(sender):
            # A stale «No, seguir con ella» (the proposal was sent or cancelled since): the truth,
            # not «Tu propuesta sigue aquí».
            return [Reply(text=proposal_content().message("none_in_progress"), buttons=menu_buttons())]
        reminder = self._summary_reminder()
        await self.offers.keep(sender, Offer(reminder.buttons, reminded=True, summary_shown=True))
        return [reminder]

    async def _turn_state(self, sender: str) -> TurnState | None:
        """This turn's pending things in one read; None (each dialogue reads its own) on error."""
        try:
            return await asyncio.to_thread(read_turn_state, sender, self.engine)
        except Exception as exc:  # storage trouble: the dialogues try, and cope, one by one
            log.warning("turn state not read: %s", type(exc).__name__)
            return None

    async def _handle(self, sender: str, text: str, channel: str, nothing_offered: bool = False,
                      state: TurnState | None = None, level: Level | None = None,
                      answered: bool = False) -> Turn:
        """One message after the buttons were read; ``state``: what the core already read this
        turn (only for the turn's first step: a second step reads afresh); ``level``: the safety
        net's verdict on this very text, when :meth:`handle` already asked for it."""
        # The door: one clean text (no invisible characters, no look-alike letters) for the
        # safety net, Rasa and storage alike.
        cleaned = clean(text or "")
        if level is None or cleaned != text:  # a verdict on other text does not count
            level = self.net.assess(cleaned)
        text = cleaned
        if level >= Level.CRISIS:
            intent = "crisis" if level == Level.CRISIS else "emergency"
            await self._count(intent, channel)
            return Turn(text, intent, 1.0, True, [self.net.reply_for(level, text)])
        stripped = typed_support(text.strip()) or text.strip()
        if stripped == QUICK_EXIT_PAYLOAD or self.net.is_quick_exit(stripped):
            # Answered here so it works with Rasa down and leaves no trace in Rasa.
            await self._count("salida_rapida", channel)
            return Turn(text, "salida_rapida", 1.0, False, [quick_exit_reply()])
        # -- talk to a person (bot/attention/, issue 19): after the safety net and the quick exit,
        # before everything else, so while a request is open the bot steps aside. Privacy
        # requests still reach the privacy dialogue below.
        if stripped and len(stripped) <= self.max_chars and privacy.requested(stripped) is None:
            handover = await self.attention.handle(
                sender, stripped, level >= Level.SENSITIVE,
                open_request=state.attention if state is not None else None)
            if handover is not None:
                return await self._local_turn(text, handover, channel)
        # -- end of talk to a person
        if len(stripped) <= self.max_chars:
            # Following a buyer or supplier's new contracts (bot/procurement/follow_dialogue.py).
            answer = await self.contract_follows.handle(sender, stripped)
            if answer is not None:
                return await self._local_turn(text, answer, channel)
            # Subscriptions are answered here, before Rasa (and with Rasa down); «quiero recibir
            # avisos» while the proposal interview waits is its answer, not a subscription.
            answer = None
            if not (self.subscriptions.plain_subscribe(stripped) and await self._in_interview(sender)):
                answer = await self.subscriptions.handle(sender, stripped, channel)
            if answer is not None:
                return await self._local_turn(
                    text, await self._also_unfollow(sender, answer, stripped), channel)
            # Information requests: their buttons and the answer to their pending question.
            answer = await self.inforequests.handle(
                sender, stripped, stored_row=state.inforequest if state is not None else None)
            if answer is not None:
                return await self._local_turn(text, answer, channel)
            # «Avísame cómo va»: a supporter asks for status changes (bot/proposals/follow_dialogue.py).
            answer = await self.supporters.handle(sender, stripped, channel)
            if answer is not None:
                return await self._local_turn(text, answer, channel)
            answer = await self.records.handle(sender, stripped)  # the public record question
            if answer is not None:
                return await self._local_turn(text, answer, channel)
        if stripped.startswith(MORE_CENTRES + " "):
            # «otros» after a list of centres (choices.press): the next ones, from the directory.
            replies = directory_replies(directory().answer_more(stripped[len(MORE_CENTRES) + 1:]))
            return await self._local_turn(text, ("mas_centros", replies), channel)
        if stripped.startswith(PICK_CENTRE + " "):
            # «el segundo», «la 2» typed after a list of centres (choices.picked_centre).
            return await self._local_turn(text, ("ver_centro", self._picked_centre(stripped)),
                                          channel)
        if stripped.startswith(ASK_CENTRES + " "):
            # «¿a qué hora abren?» typed after a list of centres (choices.asked_about_centres).
            about = directory().answer_about(stripped[len(ASK_CENTRES) + 1:].strip())
            return await self._local_turn(text, ("centros_pregunta", directory_replies([about])),
                                          channel)
        if stripped.startswith(PICK_CONTRACT + " "):
            # «el segundo», «ese» typed after contract results (choices.picked_result).
            return await self._local_turn(text, ("ver_contrato", await self._picked_contract(
                stripped)), channel)
        followup = self.followups.requested(sender, stripped) if stripped else None
        if followup is not None:
            # «Más detalles» / «Fuentes» of an FAQ answer: from content/, no Rasa needed.
            kind, faq_id = followup
            replies = self.followups.answer(kind, faq_id, menu_buttons())
            return await self._local_turn(text, (FOLLOWUP_INTENTS[kind], replies), channel)
        local = self._check_input(stripped)
        if local is not None:
            intent, reply = local
            if intent in IN_INTERVIEW and await self._active_loop(sender) == PROPOSAL_FORM:
                # «😡😡», a pasted page, «/xyz» in the middle of a proposal: she is told it is
                # kept, and no menu leads her away from it.
                reply = self._core_reply(
                    IN_INTERVIEW[intent], with_menu=False, command=stripped.split(" ", 1)[0].lower()[:40],
                    length=format_number(len(stripped)), limit=format_number(self.max_chars))
            return Turn(text, intent, None, False, [reply])
        request = privacy.requested(stripped)
        if request is not None:
            # Answered here: works with Rasa down and adds nothing to Rasa's store.
            replies = await privacy.answer(request, sender, stripped, self.engine, channel)
            return await self._local_turn(text, (privacy.INTENTS[request], replies), channel)
        if not stripped.startswith("/"):
            answer = await self.subscriptions.pending_answer(
                sender, stripped, channel,
                step_read=state.subscription_step if state is not None else None)
            if answer is not None:
                return await self._local_turn(text, answer, channel)
        message = (
            COMMANDS.get(stripped.split(" ", 1)[0].lower(), stripped)
            if stripped.startswith("/")
            else stripped
        )
        if (answered and not stripped.startswith("/") and yes_no(stripped) == "yes"
                and bare_answer(stripped) and not await self._in_interview(sender)):
            # «ándale», «va» after an FAQ answer (``answered``: its buttons, no yes-no question):
            # an ok, a thanks, never a guess at a topic («No estoy segura…»).
            thanks = " ".join(chat_content().responses[THANKS_RESPONSE][0].text.split())
            return await self._local_turn(text, (THANKS_INTENT, [Reply(text=thanks,
                                                                        buttons=menu_buttons())]),
                                          channel)
        if (level < Level.SENSITIVE and not stripped.startswith("/") and thanks_and_goodbye(stripped)
                and not await self._in_interview(sender)):
            # «ok muchas gracias, muy amable, hasta mañana»: the goodbye, not «¿otra duda?» nor an
            # answer picked from the story around it (bot/conversation/farewell.py).
            bye = chat_content().responses[GOODBYE_RESPONSE][0]
            return await self._local_turn(text, (GOODBYE_INTENT, [
                Reply(text=" ".join(bye.text.split()), buttons=menu_buttons())]), channel)
        first_contact = self._first_contact(stripped, level)
        if first_contact is not None and not await self._in_interview(sender):
            # «grax!! me sirvió un buen»: the thanks; «no sé qué es esto, ¿para qué sirve?»: what
            # Participa is, then the menu (bot/conversation/first_contact.py).
            return await self._local_turn(text, first_contact, channel)
        if self.rasa is None:
            return Turn(text, None, None, False, await self._offline_reply(message, sender))
        if nothing_offered and await self._answers_nothing(sender, stripped):
            # Rasa would guess a topic for a lone "sí"; nothing was asked, so ask what she needs.
            reply = self._core_reply("nothing_asked")
            return await self._local_turn(text, ("nada_pendiente", [reply]), channel)
        if level < Level.DISCLOSURE and not message.startswith("/"):
            question = self.net.without_figures(message)
            if question is not None:
                # «me muero de hambre jaja, ¿qué es la puerta violeta?»: Rasa reads (and keeps) the
                # question alone, sensitive only if the question itself is
                message, level = question, min(level, self.net.assess(question))
        elif level in (Level.SENSITIVE, Level.DISCLOSURE) and not message.startswith("/"):
            asked = question_after_story(self.net, message)
            if asked is not None:
                # «hace años mi ex me golpeaba, ya lo superé; ahora quiero ser voluntaria, ¿cómo?»:
                # Rasa reads what she asks, not the story (the 911 line and the mark stay)
                message = asked
        if not message.startswith("/") and talks_of_dying(stripped):
            # A thought of suicide told calmly, hers or someone close's, that the net left below a
            # crisis: the crisis line first, without the alarm (bot/violence/crisis_talk.py).
            await self._count("crisis", channel)
            return Turn(text, "crisis", 1.0, False, [self.net.reply_for(Level.CRISIS, stripped)])
        if not message.startswith("/"):
            message = what_first(message)  # «el STL q hace?» as Rasa learnt it: «¿qué hace el STL?»
        metadata: dict[str, object] = {"channel": channel}
        if level >= Level.SENSITIVE:
            metadata["sensitive"] = True
            if self.net.is_violence_story(stripped):
                # A story of violence never starts a proposal interview (actions/proposal_form.py),
                # however sure the model is that it proposes something.
                metadata["violence"] = True
        if stripped.split(" ", 1)[0].lower() == CONFIRM_CANCEL:
            metadata["cancel_confirmed"] = True  # the answer to "¿Quieres cancelar tu propuesta?"
        if await self._storage_down(sender):
            return await self._local_turn(text, ("storage_down", [self._storage_down_reply()]),
                                          channel)
        try:
            result = await self.rasa.send(sender, message, metadata=metadata)
        except RasaUnavailable as exc:
            log.error("rasa unavailable: %s", exc)
            return Turn(text, None, None, False, await self._offline_reply(message, sender))
        redo = misread(result.intent, stripped) if not message.startswith("/") else None
        if redo == "":
            # A long message read as the quick exit, never asked for (bot/violence/misread.py).
            return await self._local_turn(text, ("nlu_fallback", [self._core_reply("not_sure")]),
                                          channel)
        if redo:  # a place of help for women read as the quick exit or a goodbye: the centres
            try:
                result = await self.rasa.send(sender, redo, metadata=metadata)
            except RasaUnavailable as exc:
                log.error("rasa unavailable: %s", exc)
                return Turn(text, None, None, False, await self._offline_reply(message, sender))
        if result.intent in CORE_INTENTS:
            command = CORE_INTENTS[result.intent]
            if command == attention.ASK and asks_for_a_professional(stripped):
                # «quiero hablar con una psicóloga»: the free services for women, not the STL's team.
                intent, replies = professional_replies(stripped)
                if level == Level.DISCLOSURE:
                    replies = self.net.with_disclosure_line(replies)
                return await self._local_turn(text, (intent, replies), channel)
            if command == "/suscribir" and subs.subscription_content().unsubscribe.said_inside(stripped):
                # The model read «subscribe» in «… que ya no me lleguen sus mensajes, mi esposo …»:
                # the words say the opposite (prop11).
                command = "/baja"
            elif command == "/suscribir":  # the topic it names, if any, goes along
                command = f"{command} {stripped}"
            answer = await self._core_intent(sender, command, channel, stripped)
            if answer is not None:
                return await self._local_turn(text, answer, channel)
        if is_info_request(result.intent, result.messages) and result.form != PROPOSAL_FORM:
            # Data the bot does not hold: the core drafts the request (bot/inforequests/). Not an
            # answer the proposal interview took, as Rasa's turn says («que reparen los baches»,
            # read as a request for data: the interview's next step came back and was lost).
            _intent, replies = await self.inforequests.begin(sender, stripped)
            if level == Level.DISCLOSURE:
                replies = self.net.with_disclosure_line(replies)
            await self._count(result.intent or "pedir_datos", channel)
            return Turn(text, result.intent, result.confidence, False, replies)
        replies, then = asked_instead(merge_custom(
            [Reply.from_rasa(m) for m in result.messages if m.get("text") or m.get("custom")]
        ))
        if then:
            # «nel, mejor dime qué es X», then «sí» to cancelling: X is answered right after
            # «cancelé tu propuesta» (it was lost: walk8).
            replies += (await self._handle(sender, then, channel)).replies
        if not replies:
            log.error("rasa answered nothing (intent %s)", result.intent)
            replies = await self._offline_reply("", sender)
        self.followups.remember(sender, replies)
        self._place_asked(sender, replies)
        if level == Level.DISCLOSURE:  # violence that is over: the answer, 911 line in front
            replies = self.net.with_disclosure_line(replies)
        if result.intent:
            await self._count(result.intent, channel)
        return Turn(text, result.intent, result.confidence, False, replies)

    @staticmethod
    def _first_contact(stripped: str, level: Level) -> tuple[str, list[Reply]] | None:
        """A bare thanks, or «what is this chat, how is it used»: answered here (prop12)."""
        if level >= Level.SENSITIVE or stripped.startswith("/"):
            return None
        if only_thanks(stripped):
            thanks = " ".join(chat_content().responses[THANKS_RESPONSE][0].text.split())
            return THANKS_INTENT, [Reply(text=thanks, buttons=menu_buttons())]
        if asks_what_this_is(stripped):
            entry = faq_catalog().by_id().get(ABOUT_ENTRY)
            menu = chat_content().menu
            about = [Reply(text=render_answer(entry))] if entry is not None else []
            return HELP_INTENT, [*about, Reply(text=menu.text, buttons=menu_buttons())]
        return None

    @staticmethod
    def _picked_centre(payload: str) -> list[Reply]:
        """One centre of the list on screen, from the directory (no Rasa, nothing stored)."""
        _command, place, after = (payload.split(" ", 2) + ["", ""])[:3]
        try:
            return directory_replies(directory().answer_pick(after, int(place)))
        except ValueError:
            return directory_replies(directory().answer_pick("", 0))

    async def _picked_contract(self, payload: str) -> list[Reply]:
        """One contract of the results on screen, from the stored search (no Rasa needed)."""
        try:
            _command, qid, page, place, numbered = payload.split(" ")
            answer = await asyncio.to_thread(procurement_replies.answer_pick, qid, int(page),
                                             int(place), numbered == "1", self.engine)
        except ValueError:
            return [self._trouble_reply()]
        return [Reply(text=answer.text,
                      buttons=[Button(b["title"], b["payload"]) for b in answer.buttons])]

    async def _in_interview(self, sender: str) -> bool:
        """A Rasa form (the proposal interview) is waiting for this person's answer."""
        return await self._active_loop(sender) is not None

    async def _proposal_waiting(self, sender: str) -> bool:
        """Rasa still holds a proposal being put together (or shown, unsent) for this person;
        True when unsure (no Rasa, store unreadable): the old answer, a reminder, stays."""
        return bool(await self._tracker_read(rasa_tracker.slot_value, sender,
                                             "proposal_intake_id", unsure=True))

    async def _answers_nothing(self, sender: str, stripped: str) -> bool:
        """A bare yes/no/"later" with no question pending: no buttons (checked by the caller),
        no place asked by the core, no Rasa form waiting for an answer."""
        if stripped.startswith("/") or not bare_answer(stripped) or sender in self.place_asked:
            return False
        # Unsure (store unreadable): a form taken as waiting, so Rasa answers as before.
        unsure: str | None = UNREADABLE_LOOP
        return await self._tracker_read(rasa_tracker.active_loop, sender, unsure=unsure) is None

    async def _core_intent(self, sender: str, command: str, channel: str,
                           words: str = "") -> Answer | None:
        """The core's own answer to a request Rasa recognised in plain words."""
        request = privacy.requested(command)
        if request is not None:
            return privacy.INTENTS[request], await privacy.answer(request, sender, command, self.engine,
                                                                  channel)
        if command in attention.COMMANDS:  # talk to a person (issue 19)
            return await self.attention.handle(sender, command, in_words=True)
        answer = await self.subscriptions.handle(sender, command, channel)
        return await self._also_unfollow(sender, answer, words) if answer is not None else None

    async def _also_unfollow(self, sender: str, answer: Answer, words: str = "") -> Answer:
        """``/baja`` (everything) also ends every follow of contracts, chat id and all.

        Proposal notices and request reminders are named and offered with one button, or stopped
        at once when the words say «nada» (bot/campaigns/everything.py).
        """
        intent, replies = answer
        if intent not in ("baja", "baja_sin_suscripcion"):
            return answer
        lines: list[str] = []
        offer: list[Button] = []
        try:
            labels = await asyncio.to_thread(stop_all, telegram_chat_id(sender), self.engine)
            if labels:
                lines.append(_("Ya no te aviso de los contratos nuevos de {names}; lo borré.").format(
                    names=", ".join(labels)))
            if everything.means_everything(words):
                stopped = await asyncio.to_thread(everything.stop_everything, sender, self.engine)
                lines += [stopped] if stopped else []
            else:
                rest = await asyncio.to_thread(everything.still_coming, sender, self.engine)
                if rest:
                    lines.append(rest)
                    offer = [Button(_("Sí, ya no me mandes nada"), everything.STOP_EVERYTHING)]
        except Exception as exc:  # storage down: the unsubscribe answer still goes
            log.error("follows.stop_failed", extra={"error": type(exc).__name__})
        if not lines:
            return answer
        line = "\n\n".join(lines)
        if intent == "baja_sin_suscripcion":
            return "baja", [Reply(text=line, buttons=offer + menu_buttons())]
        replies[-1].text += "\n\n" + line
        if offer:
            replies[-1].buttons = offer + list(replies[-1].buttons)
        return intent, replies

    async def _local_turn(self, text: str, answer: tuple[str, list[Reply]], channel: str) -> Turn:
        intent, replies = answer
        await self._count(intent, channel)
        return Turn(text, intent, 1.0, False, replies)

    def _check_input(self, stripped: str) -> tuple[str, Reply] | None:
        """Replies the core gives itself for input Rasa should not see."""
        if not stripped:
            return "empty", self._core_reply("empty")
        if len(stripped) > self.max_chars:
            return "too_long", self._core_reply(
                "too_long",
                with_menu=False,
                length=format_number(len(stripped)),
                limit=format_number(self.max_chars),
            )
        if stripped.startswith("/"):
            command = stripped.split(" ", 1)[0].lower()
            if command in COMMANDS or privacy.requested(stripped) is not None:
                return None
            match = _PAYLOAD_RE.match(stripped)
            if match and match.group(1) in payload_intents():
                return None
            if command in telegram_commands().names():  # in the menu, not built yet: say so
                return "coming_soon", self._core_reply("coming_soon", command=command)
            close = difflib.get_close_matches(command[:40], telegram_commands().names(), n=1, cutoff=0.8)
            if close:  # «/solisitud»: offer the one it looks like, as a button
                return "unknown_command", Reply(text=chat_content().core_text(
                    "unknown_command_close", command=command[:40], close=close[0]),
                    buttons=[Button(close[0], close[0])])
            return "unknown_command", self._core_reply(
                "unknown_command", command=command[:40], commands=", ".join(telegram_commands().names())
            )
        if not _HAS_WORD_RE.search(stripped):
            return "no_words", self._core_reply("no_words")
        return None

    async def _count(self, intent: str, channel: str) -> None:
        if not self.record_usage:
            return
        if self.usage.add(intent, channel):
            await self.flush_usage()

    async def flush_usage(self) -> None:
        """Write the buffered usage counts (also called when a channel shuts down)."""
        try:
            await asyncio.to_thread(self.usage.flush)
        except Exception as exc:  # statistics must never break a conversation
            log.warning("usage not recorded: %s", type(exc).__name__)
