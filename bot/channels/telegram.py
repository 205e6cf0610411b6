"""Telegram channel (python-telegram-bot 22): the citizens' front door.

Feeds text, button taps and shared locations to the conversation core and
renders its replies (HTML, inline keyboards, venues, documents). What it takes
care of on the way:

- order: updates are handled concurrently, but one at a time within a chat;
- limits: all sends go through PTB's AIORateLimiter (overall rate from
  settings, 429 ``RetryAfter`` waited out and retried), and per-chat flood
  control slows down anyone sending faster than a person (bot/channels/flood.py);
- blocked users: a 403 "bot was blocked by the user" is recorded (as a keyed
  hash, bot/campaigns/telegram_chats.py) and nothing more is sent to that chat;
- campaign deep links (``/start <code>``) are recorded the same way;
- "escribiendo…" is shown only when a reply takes longer than a moment;
- logs carry event names, intents and timings, never chat ids or text.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from telegram import Bot, BotCommand, ChatMember, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.attention import service as attention
from bot.attention.content import attention_content
from bot.campaigns import telegram_chats
from bot.channels.flood import FloodControl
from bot.channels.telegram_render import (
    PayloadKeys,
    html_chunks,
    keyboard,
    location_keyboard,
    remove_keyboard,
    to_html,
)
from bot.clock import local_today
from bot.config import PROJECT_ROOT, Settings, get_settings
from bot.content.chat import chat_content, telegram_commands, telegram_commands_in
from bot.conversation.core import ConversationCore, menu_buttons
from bot.conversation.replies import Reply, Turn
from bot.conversation.safety import Level
from bot.httpfast import fast_form_encoding, remember_raw_sockets, skip_missing_optional_imports
from bot.identity import TELEGRAM_PREFIX, telegram_chat_id, telegram_sender
from bot.inforequests import reminders as info_reminders
from bot.procurement import follow_alerts
from bot.proposals import service as proposals
from bot.textnorm import clean

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
# What a person can send that the bot cannot read, and the reply (content/chat.yml core) for each.
_SOUND = ("voice", "audio", "video_note")
TYPING_REPEAT_SECONDS = 4.5  # Telegram shows "typing" for 5 s
# Connections to the Bot API (PTB's default is 256, and a burst kept ~50 open): httpcore looks at
# every pooled connection on each request, so a big pool made every send slower (py-spy,
# benchmarks/telegram_throughput.py). 16 sends in flight are far more than Telegram's ~30 msg/s
# needs; a send waits up to TELEGRAM_POOL_WAIT_SECONDS for a free one instead of PTB's 1 s, so a
# burst delays replies rather than dropping them.
TELEGRAM_CONNECTIONS = 16
TELEGRAM_POOL_WAIT_SECONDS = 30.0
RECENT_MESSAGES_PER_CHAT = 50
RECENT_CHATS = 10_000
_COMMAND_RE = re.compile(r"^(/[A-Za-z0-9_]+)(@[A-Za-z0-9_]+)?(?:\s+(.*))?$", re.DOTALL)
_BLOCKED = object()


def sender_id(chat_id: int) -> str:
    return telegram_sender(chat_id)


def normalise_command(text: str) -> tuple[str, str | None]:
    """``/start@bot code`` → (``/start code``, ``code``); other text unchanged."""
    match = _COMMAND_RE.match(text.strip())
    if not match:
        return text, None
    command, _, argument = match.groups()
    argument = (argument or "").strip() or None
    return (f"{command} {argument}" if argument else command), argument


class ChatLocks:
    """One lock per chat while it has messages in flight; forgotten when idle."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users <= 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class RecentMessages:
    """The last message ids of each chat (both sides), so a quick exit can delete them.

    Only ids, only in memory, bounded per chat and in number of chats.
    """

    def __init__(self, per_chat: int = RECENT_MESSAGES_PER_CHAT, chats: int = RECENT_CHATS) -> None:
        self._ids: OrderedDict[int, deque[int]] = OrderedDict()
        self.per_chat = per_chat
        self.chats = chats

    def add(self, chat_id: int, message_id: int) -> None:
        ids = self._ids.get(chat_id)
        if ids is None:
            ids = self._ids[chat_id] = deque(maxlen=self.per_chat)
        ids.append(message_id)
        self._ids.move_to_end(chat_id)
        while len(self._ids) > self.chats:
            self._ids.popitem(last=False)

    def pop(self, chat_id: int) -> list[int]:
        return list(self._ids.pop(chat_id, ()))


@dataclass
class TurnTimings:
    """Where the time of each handled message went (for logs and benchmarks/).

    ``turns`` holds (wall-clock time, ms waiting for the core, ms sending the replies).
    """

    turns: deque[tuple[float, float, float]] = field(default_factory=lambda: deque(maxlen=200_000))
    flood_delayed: int = 0
    flood_dropped: int = 0
    blocked: int = 0
    send_errors: int = 0


class TelegramChannel:
    def __init__(
        self,
        core: ConversationCore,
        settings: Settings | None = None,
        engine: Engine | None = None,
        keys: PayloadKeys | None = None,
    ) -> None:
        settings = settings or get_settings()
        self.core = core
        self.engine = engine
        self.keys = keys or PayloadKeys.with_content_payloads()
        self.flood = FloodControl(settings.telegram_flood_messages_per_minute)
        self.typing_delay = settings.telegram_typing_delay_seconds
        self.locks = ChatLocks()
        self.recent = RecentMessages()
        self.timings = TurnTimings()
        self.alert_chat_id = settings.attention_alert_chat_id
        self.alert_minutes = settings.attention_alert_minutes
        self.location_asked: set[int] = set()  # chats showing the «Compartir mi ubicación» keyboard

    # -- incoming -------------------------------------------------------------------------

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None:
            return
        chat_id = message.chat_id
        self.recent.add(chat_id, message.message_id)
        if message.location is not None:
            lat, lon = message.location.latitude, message.location.longitude
            await self.converse(
                context.bot,
                chat_id,
                lambda: self.core.handle_location(sender_id(chat_id), lat, lon, channel="telegram"),
            )
            return
        text = message.text or ""
        if text.startswith("/"):
            text, argument = normalise_command(text)
            if text.split(" ", 1)[0].lower() == "/start":
                if argument:
                    await self._record_deep_link(chat_id, argument)
                text = "/start"  # the code is attribution, not something Rasa should read
        level = self.core.net.assess(clean(text))  # once: flood control and the core need it
        await self.converse(
            context.bot,
            chat_id,
            lambda: self.core.handle(sender_id(chat_id), text, channel="telegram", level=level),
            emergency=level >= Level.CRISIS,
        )

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.message is None:
            return
        chat_id = query.message.chat.id
        try:
            await query.answer()
        except TelegramError as exc:  # too old to answer: the tap itself still counts
            log.info("telegram.callback_answer_failed", extra={"error": type(exc).__name__})
        payload = self.keys.payload_for(query.data or "")
        if payload is None:
            log.info("telegram.stale_button")
            stale = Reply(chat_content().core_text("stale_button"), buttons=menu_buttons())
            await self.send_replies(context.bot, chat_id, [stale])
            return
        level = self.core.net.assess(clean(payload))  # once: flood control and the core need it
        await self.converse(
            context.bot,
            chat_id,
            lambda: self.core.handle_tap(sender_id(chat_id), payload, channel="telegram", level=level),
            emergency=level >= Level.CRISIS,
        )

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A photo, sticker, voice note, file… The words of a caption are read like a message
        (safety net first); otherwise the reply says what the bot cannot read, and a question
        in progress keeps its buttons instead of the menu that would lead away from it."""
        message = update.message
        if message is None:
            return
        chat_id = message.chat_id
        self.recent.add(chat_id, message.message_id)
        caption = clean(message.caption or "")
        sender = sender_id(chat_id)
        if caption:
            level = self.core.net.assess(caption)

            async def read_caption() -> Turn:
                turn = await self.core.handle(sender, caption, channel="telegram", level=level)
                if not turn.emergency:
                    note = chat_content().core_text("caption_only")
                    turn.replies.insert(0, Reply(note))
                return turn

            await self.converse(context.bot, chat_id, read_caption, emergency=level >= Level.CRISIS)
            return
        key = "only_text_sound" if any(getattr(message, k, None) for k in _SOUND) else "only_text"

        async def cannot_read() -> Turn:
            return Turn("", "no_texto", None, False, [await self._unreadable(sender, key)])

        await self.converse(context.bot, chat_id, cannot_read)

    async def _unreadable(self, sender: str, key: str) -> Reply:
        """What the bot cannot read; the buttons of an open question stay (not the menu)."""
        try:
            offer = await self.core.offers.get(sender)
        except Exception as exc:  # never let bookkeeping stand between a person and a reply
            log.error("telegram.offer_unreadable", extra={"error": type(exc).__name__})
            offer = None
        if offer is not None and offer.buttons and not self.core.offers.is_generic(offer):
            text = chat_content().core_text(f"{key}_question")
            return Reply(text, buttons=list(offer.buttons))
        return Reply(chat_content().core_text(key), buttons=menu_buttons())

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A message corrected after it was sent. It is not answered again (in the middle of a
        proposal it would answer a later step), but the person is told, and an edit that now
        says she is in danger gets the emergency reply like any message."""
        message = update.edited_message
        if message is None:
            return
        chat_id = message.chat_id
        text = clean(message.text or message.caption or "")
        level = self.core.net.assess(text)
        if level >= Level.CRISIS:
            await self.converse(
                context.bot, chat_id,
                lambda: self.core.handle(sender_id(chat_id), text, channel="telegram", level=level),
                emergency=True,
            )
            return
        note = Reply(chat_content().core_text("edited"))
        await self.send_replies(context.bot, chat_id, [note])

    async def on_my_chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Telegram tells the bot when a user blocks (``kicked``) or unblocks it."""
        change = update.my_chat_member
        if change is None or change.chat.type != "private":
            return
        status = change.new_chat_member.status
        if status == ChatMember.BANNED:
            self.timings.blocked += 1
            await self._db(telegram_chats.mark_blocked, change.chat.id)
            log.info("telegram.blocked_by_user")
        elif status == ChatMember.MEMBER:
            await self._db(telegram_chats.mark_unblocked, change.chat.id)
            log.info("telegram.unblocked_by_user")

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        log.error(
            "telegram.handler_error",
            exc_info=(type(error), error, error.__traceback__) if error else None,
            extra={"error": type(error).__name__},
        )

    # -- one turn -------------------------------------------------------------------------

    async def converse(
        self,
        bot: Bot,
        chat_id: int,
        ask: Callable[[], Awaitable[Turn]],
        emergency: bool = False,
    ) -> None:
        """Flood control, then one turn at a time per chat, with a typing indicator."""
        if not emergency:
            admission = self.flood.admit(chat_id)
            if admission.drop:
                self.timings.flood_dropped += 1
                log.warning("telegram.flood_dropped")
                return
            if admission.notify:
                notice = Reply(chat_content().core_text("flood"))
                await self.send_replies(bot, chat_id, [notice])
            if admission.delay:
                self.timings.flood_delayed += 1
                await asyncio.sleep(admission.delay)
        async with self.locks.hold(chat_id):
            started = time.perf_counter()
            typing = asyncio.create_task(self._typing(bot, chat_id))
            try:
                turn = await ask()
            finally:
                typing.cancel()
            asked = time.perf_counter()
            if turn.location_keyboard_shown:  # asked before a restart: still to be taken away
                self.location_asked.add(chat_id)
            await self.send_replies(bot, chat_id, turn.replies)
            done = time.perf_counter()
        core_ms, send_ms = (asked - started) * 1000, (done - asked) * 1000
        self.timings.turns.append((time.time(), core_ms, send_ms))
        log.info(
            "telegram.turn",
            extra={
                "intent": turn.intent,
                "emergency": turn.emergency,
                "replies": len(turn.replies),
                "core_ms": round(core_ms, 1),
                "send_ms": round(send_ms, 1),
            },
        )

    async def _typing(self, bot: Bot, chat_id: int) -> None:
        await asyncio.sleep(self.typing_delay)
        while True:
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError:
                return
            await asyncio.sleep(TYPING_REPEAT_SECONDS)

    # -- outgoing -------------------------------------------------------------------------

    async def send_replies(self, bot: Bot, chat_id: int, replies: list[Reply]) -> bool:
        """Send each reply in order; False (and nothing more sent) once the user blocked us."""
        for reply in replies:
            custom = reply.custom or {}
            if custom.get("quick_exit"):
                await self.quick_exit(bot, chat_id)
            chunks = html_chunks(reply.text)
            for i, chunk in enumerate(chunks):
                markup: Any = keyboard(reply.buttons, self.keys) if i == len(chunks) - 1 else None
                if markup is None and i == len(chunks) - 1 and custom.get("request_location"):
                    markup = location_keyboard()  # one tap shares it; hidden once used
                    self.location_asked.add(chat_id)
                elif markup is None and chat_id in self.location_asked:
                    markup = remove_keyboard()  # the location step is over: take it away
                    self.location_asked.discard(chat_id)
                sent = await self._send(
                    bot.send_message,
                    chat_id,
                    text=chunk,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
                if sent is _BLOCKED:
                    return False
            location = custom.get("location")
            if isinstance(location, dict) and await self._send_location(bot, chat_id, location):
                return False
            document = custom.get("document")
            if isinstance(document, dict) and await self._send_document(bot, chat_id, document):
                return False
        return True

    async def quick_exit(self, bot: Bot, chat_id: int) -> None:
        """Delete what this chat shows of the conversation (as far as the bot remembers)."""
        ids = self.recent.pop(chat_id)
        if not ids:
            return
        try:
            await bot.delete_messages(chat_id, ids[-100:])
        except TelegramError as exc:  # some were too old (48 h) or already gone
            log.info("telegram.quick_exit_partial", extra={"error": type(exc).__name__})

    async def _send_location(self, bot: Bot, chat_id: int, place: dict[str, Any]) -> bool:
        """Send a venue (a pin with a name and address); True if the user blocked us."""
        try:
            lat, lon = float(place["lat"]), float(place["lon"])
        except (KeyError, TypeError, ValueError):
            log.error("telegram.bad_location_reply")
            return False
        title, address = str(place.get("title") or ""), str(place.get("address") or "")
        if title and address:
            sent = await self._send(
                bot.send_venue, chat_id, latitude=lat, longitude=lon,
                title=title[:255], address=address[:255],
            )
        else:
            sent = await self._send(bot.send_location, chat_id, latitude=lat, longitude=lon)
        return sent is _BLOCKED

    async def _send_document(self, bot: Bot, chat_id: int, document: dict[str, Any]) -> bool:
        """A file from disk (``path``) or made for this person (``content``, e.g. /mis_datos)."""
        content = document.get("content")
        if isinstance(content, str) and content:
            filename = str(document.get("filename") or "datos.txt")
            sent = await self._send(
                bot.send_document, chat_id, document=content.encode("utf-8"), filename=filename
            )
            return sent is _BLOCKED
        path = Path(str(document.get("path") or ""))
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        if not path.is_file():
            log.error("telegram.document_missing")
            return False
        filename = str(document.get("filename") or path.name)
        with path.open("rb") as handle:
            sent = await self._send(
                bot.send_document, chat_id, document=handle, filename=filename
            )
        return sent is _BLOCKED

    async def _send(
        self, method: Callable[..., Awaitable[Any]], chat_id: int, **kwargs: Any
    ) -> object:
        """Call one Bot API method; remember the message id; a block stops the turn."""
        try:
            result = await method(chat_id=chat_id, **kwargs)
        except Forbidden:
            self.timings.blocked += 1
            log.info("telegram.blocked_by_user")
            await self._db(telegram_chats.mark_blocked, chat_id)
            return _BLOCKED
        except RetryAfter as exc:  # still limited after the rate limiter's retries
            self.timings.send_errors += 1
            log.warning("telegram.retry_after_exhausted", extra={"retry_after": str(exc.retry_after)})
            return None
        except BadRequest as exc:
            self.timings.send_errors += 1
            log.error("telegram.bad_request", extra={"error": exc.message[:120]})
            return None
        except TelegramError as exc:  # network problems, timeouts
            self.timings.send_errors += 1
            log.warning("telegram.send_failed", extra={"error": type(exc).__name__})
            return None
        if isinstance(result, Message):
            self.recent.add(chat_id, result.message_id)
        return result

    # -- notifications --------------------------------------------------------------------

    async def deliver_notifications(self, bot: Bot) -> int:
        """Send pending notifications (e.g. a proposal's new status) to people who consented."""
        pending = await self._db(proposals.pending_notifications, "telegram") or []
        delivered = 0
        for notification in pending:
            address = notification.address.removeprefix(TELEGRAM_PREFIX)
            if not address.lstrip("-").isdigit():
                await self._db(proposals.mark_notification, notification.id, False, True)
                continue
            if not await self._db(proposals.claim_notification, notification.id, notification.attempts):
                continue  # another replica is sending it
            result: object = None
            for chunk in html_chunks(notification.text):
                result = await self._send(bot.send_message, int(address), text=chunk,
                                          parse_mode=ParseMode.HTML)
                if not isinstance(result, Message):
                    break
            sent = isinstance(result, Message)
            # A chat that blocked the bot will not get it later either: stop retrying.
            await self._db(proposals.mark_notification, notification.id, sent, result is _BLOCKED,
                           claimed=True)
            delivered += int(sent)
        return (delivered + await self.deliver_info_reminders(bot)
                + await self.deliver_follow_alerts(bot))

    async def deliver_follow_alerts(self, bot: Bot) -> int:
        """New contracts of a followed buyer or supplier, after a load; each claimed first."""

        async def send(chat_id: int, reply: Reply) -> bool:
            result: object = None
            for i, chunk in enumerate(chunks := html_chunks(reply.text)):
                markup = keyboard(reply.buttons, self.keys) if i == len(chunks) - 1 else None
                result = await self._send(bot.send_message, chat_id, text=chunk,
                                          parse_mode=ParseMode.HTML, reply_markup=markup)
                if not isinstance(result, Message):
                    return False
            return True

        try:
            return await follow_alerts.send_due(send, self.engine)
        except Exception as exc:  # the outbox must keep running
            log.error("telegram.follow_alerts_failed", extra={"error": type(exc).__name__})
            return 0

    async def deliver_info_reminders(self, bot: Bot, today: dt.date | None = None) -> int:
        """The one «¿Te respondieron?» per information request, the day after its due date."""

        async def send(chat_id: int, reply: Reply) -> bool:
            result = await self._send(bot.send_message, chat_id, text=to_html(reply.text),
                                      parse_mode=ParseMode.HTML,
                                      reply_markup=keyboard(reply.buttons, self.keys))
            return isinstance(result, Message)

        try:
            return await info_reminders.send_due(send, today or local_today(), self.engine)
        except Exception as exc:  # the outbox must keep running
            log.error("telegram.reminders_failed", extra={"error": type(exc).__name__})
            return 0

    async def deliver_attention(self, bot: Bot) -> int:
        """The STL team's replies (and closing messages) to people who asked for a person.

        Each is claimed before sending (:func:`bot.attention.service.claim_message`), so of
        several replicas only one sends it. Then tell the staff group about requests waiting
        too long (``ATTENTION_ALERT_CHAT_ID``), once per request.
        """
        pending = await self._db(attention.pending_outgoing) or []
        delivered = 0
        for message in pending:
            chat_id = telegram_chat_id(message.address)
            if chat_id is None:
                await self._db(attention.claim_message, message.id, message.attempts)
                await self._db(attention.mark_message, message.id, False, True)
                continue
            if not await self._db(attention.claim_message, message.id, message.attempts):
                continue  # another replica is sending it
            text = (attention_content().message("staff_reply", text=message.text)
                    if message.author == "staff" else message.text)
            result: object = None
            for chunk in html_chunks(text):
                result = await self._send(bot.send_message, chat_id, text=chunk,
                                          parse_mode=ParseMode.HTML)
                if not isinstance(result, Message):
                    break
            sent = isinstance(result, Message)
            await self._db(attention.mark_message, message.id, sent, result is _BLOCKED)
            delivered += int(sent)
        await self._alert_overdue(bot)
        return delivered

    async def _alert_overdue(self, bot: Bot) -> None:
        if self.alert_chat_id is None:
            return
        waiting = await self._db(attention.overdue_unalerted, self.alert_minutes) or []
        claimed = await self._db(attention.claim_alert, waiting) if waiting else []
        if claimed:
            text = attention_content().message("alert", count=len(claimed), minutes=self.alert_minutes)
            await self._send(bot.send_message, self.alert_chat_id, text=text)
            log.info("attention.alerted", extra={"count": len(claimed)})

    # -- storage --------------------------------------------------------------------------

    async def _record_deep_link(self, chat_id: int, code: str) -> None:
        if not telegram_chats.valid_deep_link(code):
            log.info("telegram.deep_link_invalid")
            return
        if await self._db(telegram_chats.record_deep_link, chat_id, code):
            log.info("telegram.deep_link", extra={"code": code})

    async def _db(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Bookkeeping in a thread; a database problem never breaks a conversation."""
        try:
            return await asyncio.to_thread(function, *args, engine=self.engine, **kwargs)
        except Exception as exc:
            log.error("telegram.storage_failed", extra={"error": type(exc).__name__})
            return None

    # -- wiring ---------------------------------------------------------------------------

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        application.add_handler(
            MessageHandler(private & (filters.TEXT | filters.LOCATION), self.on_message)
        )
        application.add_handler(
            MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE
                           & (filters.TEXT | filters.CAPTION), self.on_edited)  # not live locations
        )
        application.add_handler(CallbackQueryHandler(self.on_callback))
        application.add_handler(
            ChatMemberHandler(self.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        application.add_handler(
            MessageHandler(private & ~filters.StatusUpdate.ALL, self.on_other)
        )
        application.add_error_handler(self.on_error)
        application.bot_data["channel"] = self


def channel_of(application: Application) -> TelegramChannel:  # type: ignore[type-arg]
    channel = application.bot_data["channel"]
    assert isinstance(channel, TelegramChannel)
    return channel


# Telegram language codes the menu is also published for, and the catalog each one reads.
MENU_LANGUAGES: dict[str, str] = {"es": "es_MX", "en": "en"}


async def sync_commands(bot: Bot) -> bool:
    """Publish the command menu (content/telegram_commands.yml) with setMyCommands.

    Once for everyone in the bot's locale, then once per language in :data:`MENU_LANGUAGES`
    (Telegram shows a phone the list of its own language, else the default one).
    """
    menus: list[tuple[str | None, list[BotCommand]]] = [
        (None, [BotCommand(c.command, c.description) for c in telegram_commands().commands])
    ]
    for language, locale in MENU_LANGUAGES.items():
        menu = telegram_commands_in(locale)
        menus.append((language, [BotCommand(c.command, c.description) for c in menu.commands]))
    try:
        for code, commands in menus:
            await bot.set_my_commands(commands, language_code=code)
    except TelegramError as exc:
        log.warning("telegram.set_my_commands_failed", extra={"error": type(exc).__name__})
        return False
    return True


def build_application(
    core: ConversationCore, settings: Settings | None = None, engine: Engine | None = None
) -> Application:  # type: ignore[type-arg]
    settings = settings or get_settings()
    skip_missing_optional_imports()
    remember_raw_sockets()
    fast_form_encoding()
    if not settings.telegram_bot_token:
        raise RuntimeError("Falta TELEGRAM_BOT_TOKEN")
    overall = settings.telegram_max_messages_per_second
    limiter = AIORateLimiter(
        overall_max_rate=overall if overall > 0 else 1_000_000,
        overall_time_period=1,
        max_retries=settings.telegram_max_retries,
    )
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .rate_limiter(limiter)  # type: ignore[arg-type]
        .concurrent_updates(max(1, settings.telegram_concurrent_updates))
        .connection_pool_size(TELEGRAM_CONNECTIONS)
        .pool_timeout(TELEGRAM_POOL_WAIT_SECONDS)
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    application = builder.build()
    TelegramChannel(core, settings, engine).install(application)
    return application
