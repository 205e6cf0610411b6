"""Talk to a person, in the conversation core: ask, consent, hand over, and get the bot back.

``/hablar_persona`` (the «Hablar con una persona» button, or Rasa's ``hablar_persona`` intent
through the core) shows the privacy notice the first time; «Sí, acepto» opens a request and
tells the person who answers, when, and what to do meanwhile. While the request is open the bot
steps aside: every message goes to the queue (a violence message without its text), the bot
says «recibido» once and then stays quiet, until staff close it or the person writes
«terminar». The core answers emergencies and ``/salida_rapida`` before this module sees a
message, and privacy requests (``/mis_datos``, ``/borrar``) after it lets them through.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from bot.attention import service
from bot.attention.content import attention_content
from bot.attention.hours import attention_hours
from bot.conversation.replies import Button, Reply
from bot.identity import telegram_chat_id
from bot.storage.models.base import utcnow

ASK = "/hablar_persona"
ACCEPT = "/atencion_acepto"
DECLINE = "/atencion_no"
END = "/terminar"
COMMANDS = frozenset({ASK, ACCEPT, DECLINE, END})

if TYPE_CHECKING:
    from bot.conversation.turn_state import Read

log = logging.getLogger(__name__)

Answer = tuple[str, list[Reply]]


class AttentionDialogue:
    def __init__(self, engine: Engine | None, menu: Callable[[], list[Button]]) -> None:
        self.engine = engine
        self.menu = menu

    async def handle(self, sender: str, stripped: str, sensitive: bool = False,
                     in_words: bool = False, open_request: Read[int | None] | None = None,
                     ) -> Answer | None:
        """The answer when this is about talking to a person (or a request is open); else None.

        ``in_words``: Rasa recognised the request in plain words; outside Telegram its own honest
        reply («soy un asistente automático») then stands. ``open_request``: the person's open
        request as the core already read it this turn.
        """
        command = stripped.split(" ", 1)[0].lower() if stripped.startswith("/") else ""
        try:
            if command in (ASK, ACCEPT, DECLINE):
                if in_words and telegram_chat_id(sender) is None:
                    return None
                return await self._command(sender, command)
            if telegram_chat_id(sender) is None:
                return None
            request_id = open_request.value if open_request is not None \
                else await self._db(service.open_request_id, sender)
            if request_id is None:  # a stale «Terminar» button: nothing open
                return ("atencion_sin_abrir", [self._text("not_open", menu=True)]) if command == END \
                    else None
            return await self._while_open(sender, request_id, stripped, command, sensitive)
        except Exception as exc:  # storage down: say so for a request; never block the bot
            log.error("attention.failed", extra={"error": type(exc).__name__})
            if command in (ASK, ACCEPT):
                return "atencion_error", [self._text("save_failed", menu=True)]
            return None

    async def _command(self, sender: str, command: str) -> Answer:
        if telegram_chat_id(sender) is None:
            return "atencion_fuera_de_telegram", [self._text("telegram_only", menu=True)]
        if command == DECLINE:
            return "atencion_no", [self._text("declined", menu=True)]
        if command == ASK and await self._db(service.open_request_id, sender) is not None:
            return "atencion_abierta", [self._end_reply("already_open", hours=self._hours())]
        if command == ASK and not await self._db(service.has_consent, sender):
            content = attention_content()
            text = f"{content.message('ask_consent')}\n\n{content.notice()}"
            return "atencion_aviso", [Reply(text, [Button(content.buttons["accept"], ACCEPT),
                                                   Button(content.buttons["decline"], DECLINE)])]
        hours = attention_hours()  # a misconfigured setting fails here, before anything is stored
        now = utcnow()
        opened = await self._db(service.open_request, sender)
        if not opened.created:
            return "atencion_abierta", [self._end_reply("already_open", hours=hours.describe())]
        log.info("attention.opened")
        if hours.is_open(now):
            text = attention_content().message("opened", hours=hours.describe())
        else:
            text = attention_content().message("opened_outside", hours=hours.describe(),
                                               next=hours.describe_next(now))
        text += "\n\n" + attention_content().message("emergency_note")
        return "atencion_abre", [Reply(text, [self._end_button()])]

    async def _while_open(self, sender: str, request_id: int, stripped: str, command: str,
                          sensitive: bool) -> Answer | None:
        if command == END or (not command and attention_content().is_end(stripped)):
            await self._db(service.end_by_person, sender)
            log.info("attention.ended_by_person")
            return "atencion_termina", [self._text("ended_by_person", menu=True)]
        if command:
            return "atencion_comando", [self._end_reply("command_while_open")]
        if sensitive:  # violence: the team learns that the person wrote, never what
            await self._db(service.add_person_message, request_id, None)
            return "atencion_mensaje", [self._end_reply("withheld")]
        first = await self._db(service.add_person_message, request_id, stripped)
        return "atencion_mensaje", [self._end_reply("received")] if first else []

    # -- replies --------------------------------------------------------------------------

    @staticmethod
    def _hours() -> str:
        return attention_hours().describe()

    def _text(self, key: str, menu: bool = False, **values: object) -> Reply:
        return Reply(attention_content().message(key, **values), self.menu() if menu else [])

    @staticmethod
    def _end_button() -> Button:
        return Button(attention_content().buttons["end"], END)

    def _end_reply(self, key: str, **values: object) -> Reply:
        return Reply(attention_content().message(key, **values), [self._end_button()])

    async def _db(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(function, *args, engine=self.engine)
