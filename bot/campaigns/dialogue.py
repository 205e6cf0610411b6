"""``/suscribir`` and ``/baja`` in the conversation core: buttons whose payloads the core answers.

No Rasa involved (so it works with Rasa down and needs no retraining):

- ``/suscribir`` → topics as buttons (or, for a subscriber, what they have and
  buttons to add or leave topics); a topic → the privacy notice with «Sí, acepto»
  / «No, gracias»; acceptance → consent and subscription stored, then the
  optional municipality, typed ("neza") or skipped («Solo todo el estado»);
- plain words such as «dame de alta» or «quiero recibir noticias de contrataciones» → as
  ``/suscribir`` (with the topic they name, if one);
- ``/baja`` (or plain words such as «ya no me manden nada») → unsubscribed from
  everything at once, chat id deleted; ``/baja <tema>`` or a «Dejar: …» button →
  one topic.

Payloads (``/suscribir_tema gobierno_abierto``…) fit Telegram's 64-byte
``callback_data`` as they are. Every answer is safe to repeat, so a stale
button never does harm.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from bot.campaigns import subscriptions as subs
from bot.campaigns.everything import STOP_EVERYTHING
from bot.content.municipalities import municipality_index
from bot.conversation.replies import Button, Reply
from bot.conversation.yesno import yes_no
from bot.identity import telegram_chat_id
from bot.textnorm import normalize_words

if TYPE_CHECKING:
    from bot.conversation.turn_state import Read

log = logging.getLogger(__name__)

SUBSCRIBE = "/suscribir"
TOPIC = "/suscribir_tema"
ACCEPT = "/suscribir_acepto"
DECLINE = "/suscribir_no"
MUNICIPALITY = "/suscribir_municipio"
CHANGE_MUNICIPALITY = "/suscribir_cambiar_municipio"
UNSUBSCRIBE = "/baja"
WHOLE_STATE = "todo"
COMMANDS = frozenset({SUBSCRIBE, TOPIC, ACCEPT, DECLINE, MUNICIPALITY, CHANGE_MUNICIPALITY, UNSUBSCRIBE,
                      STOP_EVERYTHING})
# «/alta» is what people call subscribing, the opposite of «/baja».
ALIASES = {"/alta": SUBSCRIBE, STOP_EVERYTHING: UNSUBSCRIBE}  # the rest: bot/campaigns/everything.py
MAX_MUNICIPALITY_WORDS = 3  # a longer message while we wait for a municipality is something else
STEM_LETTERS = 6
TOPIC_FILLER_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "a", "contra",
                                "noticias", "tema", "temas", "sobre"})

Answer = tuple[str, list[Reply]]


def _same_word(typed: str, word: str) -> bool:
    """«contratos» is «contrataciones»: the same stem (6+ letters shared) or the same word."""
    if typed == word or (len(typed) >= 4 and word.startswith(typed)):  # «mujer», «convoca»
        return True
    shared = next((i for i, (a, b) in enumerate(zip(typed, word, strict=False)) if a != b),
                  min(len(typed), len(word)))
    return shared >= STEM_LETTERS


def topic_named(argument: str) -> subs.Topic | None:
    """The topic ``/baja <tema>`` names: its id, its title, or a few of its words («violencia»)."""
    content = subs.subscription_content()
    key = normalize_words(argument)
    exact = next((t for t in content.topics
                  if key in (t.id.replace("_", " "), normalize_words(t.title))), None)
    if exact is not None or not key:
        return exact
    typed = [w for w in key.split() if w not in TOPIC_FILLER_WORDS]
    if not typed:
        return None

    def words(topic: subs.Topic) -> set[str]:
        return {*topic.id.split("_"), *normalize_words(topic.title).split()} - TOPIC_FILLER_WORDS

    found = [t for t in content.topics if all(any(_same_word(w, tw) for tw in words(t)) for w in typed)]
    return found[0] if len(found) == 1 else None


def topic_in_text(text: str) -> subs.Topic | None:
    """The one topic a sentence names («quiero las noticias de contrataciones»), if exactly one."""
    words = [w for w in normalize_words(text).split() if w not in TOPIC_FILLER_WORDS]
    content = subs.subscription_content()

    def named(topic: subs.Topic) -> bool:
        own = {*topic.id.split("_"), *normalize_words(topic.title).split()} - TOPIC_FILLER_WORDS
        return any(_same_word(w, t) for w in words for t in own)

    found = [t for t in content.topics if named(t)]
    return found[0] if len(found) == 1 else None


def stale_consent(stripped: str, offered: Sequence[Button] | None) -> bool:
    """«Sí, acepto» pressed on a notice that is no longer the last question asked (an old message,
    after /baja or another topic): consent is given to the notice on screen, never to an old one."""
    command, _, _argument = stripped.partition(" ")
    if command.lower() != ACCEPT:
        return False
    return not any(b.payload == stripped for b in offered or ())


def stale_consent_reply() -> Reply:
    """What a stale «Sí, acepto» gets: the truth (nothing was done) and the way to subscribe."""
    content = subs.subscription_content()
    return Reply(content.message("accept_stale"), [Button(content.button("see_topics"), SUBSCRIBE)])


class SubscriptionDialogue:
    def __init__(self, engine: Engine | None, menu: Callable[[], list[Button]]) -> None:
        self.engine = engine
        self.menu = menu

    @staticmethod
    def is_mine(stripped: str) -> bool:
        """A subscription command or payload, or plain words asking to unsubscribe or subscribe."""
        if stripped.startswith("/"):
            command = stripped.split(" ", 1)[0].lower()
            return command in COMMANDS or command in ALIASES
        return subs.is_unsubscribe_request(stripped) or subs.is_subscribe_request(stripped)

    @staticmethod
    def plain_subscribe(stripped: str) -> bool:
        """Plain words asking for the news («dame de alta»): the core keeps them from an
        interview that waits for an answer (its consent step talks about «avisos» too)."""
        return not stripped.startswith("/") and subs.is_subscribe_request(stripped)

    async def handle(self, sender: str, stripped: str, channel: str) -> Answer | None:
        """The answer to a subscription command, payload or plain-word unsubscribe; else None."""
        if not self.is_mine(stripped):
            return None
        command, _, argument = stripped.partition(" ")
        argument = argument.strip()
        if not stripped.startswith("/"):  # plain words: the topic they name goes along
            command, argument = (UNSUBSCRIBE, "") if subs.is_unsubscribe_request(stripped) \
                else (SUBSCRIBE, stripped)
        command = ALIASES.get(command.lower(), command.lower())
        chat_id = telegram_chat_id(sender)
        if chat_id is None:
            if command == UNSUBSCRIBE:
                return "baja_fuera_de_telegram", [self._text("telegram_only_unsubscribe", menu=True)]
            return "suscribir_fuera_de_telegram", [self._text("telegram_only", menu=True)]
        try:
            return await self._dispatch(command, argument, chat_id)
        except Exception as exc:  # storage down: say so, lose nothing
            log.error("subscriptions.failed", extra={"error": type(exc).__name__})
            return "suscribir_error", [self._text("save_failed", menu=True)]

    async def stale_consent_answer(self, sender: str, stripped: str) -> Reply:
        """A stale «Sí, acepto» does nothing; when she already gets that topic (she accepted it
        once, and taps the old notice again, say after a restart), she is told so, not that
        nothing was saved."""
        topic = subs.subscription_content().topic(stripped.partition(" ")[2].strip())
        chat_id = telegram_chat_id(sender)
        if topic is not None and chat_id is not None:
            try:
                current = await self._db(subs.get, chat_id)
            except Exception as exc:  # storage down: the plain stale answer is still true
                log.error("subscriptions.stale_lookup_failed", extra={"error": type(exc).__name__})
                current = None
            if current is not None and topic.id in current.topics:
                return self._text("already", menu=True, topic=topic.title)
        return stale_consent_reply()

    async def pending_answer(self, sender: str, stripped: str, channel: str,
                             step_read: Read[str | None] | None = None) -> Answer | None:
        """The municipality the bot asked for, if it did and this message looks like one.

        ``step_read``: the pending step as the core already read it this turn.
        """
        chat_id = telegram_chat_id(sender)
        if chat_id is None or stripped.startswith("/"):
            return None
        try:
            step = step_read.value if step_read is not None \
                else await self._db(subs.pending_step, chat_id)
            if step not in (subs.PENDING_MUNICIPALITY, subs.PENDING_MUNICIPALITY_AGAIN):
                return None
            again = step == subs.PENDING_MUNICIPALITY_AGAIN
            return await self._typed_municipality(chat_id, stripped, asked_again=again)
        except Exception as exc:  # never let this stand between a person and the bot
            log.error("subscriptions.pending_failed", extra={"error": type(exc).__name__})
            return None

    # -- steps ----------------------------------------------------------------------------

    async def _dispatch(self, command: str, argument: str, chat_id: int) -> Answer:
        content = subs.subscription_content()
        if command == SUBSCRIBE:
            named = topic_in_text(argument) if argument else None
            if named is None:
                return await self._overview(chat_id)
            command, argument = TOPIC, named.id  # «/suscribir contrataciones»: straight to it
        if command in (TOPIC, ACCEPT):
            topic = content.topic(argument)
            if topic is None:
                return "suscribir_tema_desconocido", [self._topic_choice("unknown_topic")]
            if command == TOPIC and await self._db(subs.needs_consent, chat_id):
                return "suscribir_aviso", [self._notice(topic.id)]
            return await self._subscribe(chat_id, topic.id)
        if command == DECLINE:
            return "suscribir_no", [self._text("declined", menu=True)]
        if command == CHANGE_MUNICIPALITY:
            if not await self._db(subs.ask_municipality, chat_id):
                return "suscribir_sin_suscripcion", [self._topic_choice("need_subscription")]
            return "suscribir_municipio", [self._ask_municipality()]
        if command == MUNICIPALITY:
            return await self._chosen_municipality(chat_id, argument)
        return await self._unsubscribe(chat_id, argument)

    async def _overview(self, chat_id: int) -> Answer:
        current = await self._db(subs.get, chat_id)
        if current is None or not current.topics:
            return "suscribir", [self._topic_choice("intro")]
        content = subs.subscription_content()
        buttons = [Button(content.button("add", topic=t.title), f"{TOPIC} {t.id}")
                   for t in content.topics if t.id not in current.topics]
        buttons += [Button(content.button("leave", topic=t.title), f"{UNSUBSCRIBE} {t.id}")
                    for t in content.topics if t.id in current.topics]
        buttons += [Button(content.button("change_municipality"), CHANGE_MUNICIPALITY),
                    Button(content.button("leave_all"), UNSUBSCRIBE)]
        text = f"{self._status(current)}\n\n{content.message('status_more')}"
        return "suscribir_estado", [Reply(text, buttons)]

    async def _subscribe(self, chat_id: int, topic_id: str) -> Answer:
        content = subs.subscription_content()
        topic = content.topic(topic_id)
        assert topic is not None
        outcome = await self._db(subs.subscribe, chat_id, topic_id)
        warning = f"\n\n{' '.join(topic.warning.split())}" if topic.warning else ""
        if outcome == "subscribed":
            log.info("subscriptions.subscribed", extra={"topic": topic_id})
            text = content.message("subscribed", topic=topic.title) + warning
            return "suscribir_acepto", [Reply(text), self._ask_municipality()]
        current = await self._db(subs.get, chat_id)
        topics = content.titles(current.topics if current else [topic_id])
        if outcome == "added":
            log.info("subscriptions.topic_added", extra={"topic": topic_id})
            text = content.message("topic_added", topic=topic.title, topics=topics) + warning
            return "suscribir_tema", [Reply(text, self.menu())]
        return "suscribir_repetido", [self._text("already", menu=True, topic=topic.title)]

    async def _chosen_municipality(self, chat_id: int, argument: str) -> Answer:
        if argument == WHOLE_STATE:
            if not await self._db(subs.set_municipality, chat_id, None, None):
                return "suscribir_sin_suscripcion", [self._topic_choice("need_subscription")]
            return "suscribir_municipio", [self._text("municipality_none", menu=True)]
        found = next((m for m in municipality_index().municipalities if m.code == argument), None)
        if found is None:  # an old or made-up button: ask again, if there is anything to ask for
            if await self._db(subs.get, chat_id) is None:
                return "suscribir_sin_suscripcion", [self._topic_choice("need_subscription")]
            return "suscribir_municipio", [self._ask_municipality()]
        if not await self._db(subs.set_municipality, chat_id, found.code, found.name):
            return "suscribir_sin_suscripcion", [self._topic_choice("need_subscription")]
        return "suscribir_municipio", [self._text("municipality_set", menu=True,
                                                  municipality=found.name)]

    async def _typed_municipality(self, chat_id: int, text: str, asked_again: bool = False) -> Answer | None:
        """A municipality, "none", a yes before the name, or something else: the person moved on.

        A short text that is no place is asked about once; after a second one the question is
        dropped, so nobody is stuck answering it for half an hour.
        """
        content = subs.subscription_content()
        words = normalize_words(text)
        if words in {normalize_words(w) for w in content.moved_on_words}:
            await self._db(subs.clear_pending, chat_id)
            return None
        if words in {normalize_words(w) for w in content.whole_state_words}:
            return await self._whole_state(chat_id)
        # Names and aliases anywhere in the message, typos included ("vivo en izcali"), but no
        # loose guess: "si" or "todo el estado" must not become a municipality.
        match = municipality_index().find_in_text(text)
        if match.best is not None:
            await self._db(subs.set_municipality, chat_id, match.best.code, match.best.name)
            return "suscribir_municipio", [self._text("municipality_set", menu=True,
                                                      municipality=match.best.name)]
        if match.candidates:
            buttons = [Button(m.name, f"{MUNICIPALITY} {m.code}") for m in match.candidates]
            buttons.append(Button(content.button("whole_state"), f"{MUNICIPALITY} {WHOLE_STATE}"))
            return "suscribir_municipio", [Reply(content.message("municipality_choose"), buttons)]
        answer = yes_no(text)
        if answer == "no":  # «no, así déjalo»
            return await self._whole_state(chat_id)
        if answer == "yes":  # «sí», «va»: the name comes next
            reply = self._text("municipality_which")
            reply.buttons = [Button(content.button("whole_state"), f"{MUNICIPALITY} {WHOLE_STATE}")]
            return "suscribir_municipio", [reply]
        if len(words.split()) <= MAX_MUNICIPALITY_WORDS and "?" not in text and not asked_again:
            await self._db(subs.ask_municipality_again, chat_id)
            reply = self._text("municipality_unknown", text=text[:60])
            reply.buttons = [Button(content.button("whole_state"), f"{MUNICIPALITY} {WHOLE_STATE}")]
            return "suscribir_municipio", [reply]
        await self._db(subs.clear_pending, chat_id)  # they moved on: answer what they asked
        return None

    async def _whole_state(self, chat_id: int) -> Answer:
        await self._db(subs.set_municipality, chat_id, None, None)
        return "suscribir_municipio", [self._text("municipality_none", menu=True)]

    async def _unsubscribe(self, chat_id: int, argument: str) -> Answer:
        content = subs.subscription_content()
        if not argument:
            removed = await self._db(subs.unsubscribe_all, chat_id)
            if not removed:
                return "baja_sin_suscripcion", [self._text("not_subscribed", menu=True)]
            log.info("subscriptions.unsubscribed_all", extra={"topics": len(removed)})
            return "baja", [self._text("unsubscribed_all", menu=True)]
        topic = topic_named(argument)
        current = await self._db(subs.get, chat_id)
        if current is None:
            return "baja_sin_suscripcion", [self._text("not_subscribed", menu=True)]
        if topic is None or topic.id not in current.topics:
            title = topic.title if topic else argument[:40]
            reply = self._text("not_subscribed_topic", topic=title, topics=content.titles(current.topics))
            reply.buttons = [Button(content.button("leave", topic=t.title), f"{UNSUBSCRIBE} {t.id}")
                             for t in content.topics if t.id in current.topics]
            reply.buttons.append(Button(content.button("leave_all"), UNSUBSCRIBE))
            return "baja_tema", [reply]
        remaining = await self._db(subs.unsubscribe_topic, chat_id, topic.id)
        if not remaining:
            log.info("subscriptions.unsubscribed_all", extra={"topics": 1})
            return "baja", [self._text("unsubscribed_all", menu=True)]
        log.info("subscriptions.topic_left", extra={"topic": topic.id})
        return "baja_tema", [self._text("unsubscribed_topic", menu=True, topic=topic.title,
                                        topics=content.titles(remaining))]

    # -- replies --------------------------------------------------------------------------

    def _text(self, key: str, menu: bool = False, **values: object) -> Reply:
        text = subs.subscription_content().message(key, **values)
        return Reply(text, self.menu() if menu else [])

    def _topic_choice(self, key: str) -> Reply:
        content = subs.subscription_content()
        lines = [content.message(key), ""]
        lines += [f"• {t.title}: {' '.join(t.description.split())}" for t in content.topics]
        buttons = [Button(t.title, f"{TOPIC} {t.id}") for t in content.topics]
        return Reply("\n".join(lines), buttons)

    def _notice(self, topic_id: str) -> Reply:
        content = subs.subscription_content()
        topic = content.topic(topic_id)
        assert topic is not None
        parts = [content.message("notice", topic=topic.title),
                 " ".join(content.privacy_notice.text.split())]
        if topic.warning:
            parts.append(" ".join(topic.warning.split()))
        buttons = [Button(content.button("accept"), f"{ACCEPT} {topic_id}"),
                   Button(content.button("decline"), DECLINE)]
        return Reply("\n\n".join(parts), buttons)

    def _ask_municipality(self) -> Reply:
        content = subs.subscription_content()
        return Reply(content.message("ask_municipality"),
                     [Button(content.button("whole_state"), f"{MUNICIPALITY} {WHOLE_STATE}")])

    @staticmethod
    def _status(current: subs.Subscription) -> str:
        content = subs.subscription_content()
        where = (content.message("where_municipality", municipality=current.municipality)
                 if current.municipality else content.message("where_state"))
        return content.message("status", topics=content.titles(current.topics), where=where)

    async def _db(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(function, *args, engine=self.engine)
