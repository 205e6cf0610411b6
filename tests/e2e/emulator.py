"""A Telegram Bot API emulator on loopback, for end-to-end tests and benchmarks.

The bot talks to it through python-telegram-bot's real HTTP stack
(``ApplicationBuilder().base_url(f"{emulator.base_url}/bot")``), so what is
tested is what runs in production, minus Telegram. It answers like Telegram
does, with complete objects (``Message`` with ``message_id``, ``date`` in
seconds, ``chat``, ``from``), and it checks what Telegram checks: HTML that does
not parse, text over 4,096 characters, ``callback_data`` over 64 bytes, unknown
chats, stale callback queries, captions over 1,024 characters. On demand it
answers 429 with ``parameters.retry_after`` (the next N calls of a method, above
an overall rate of sends per second, or a second message to the same chat
within ``per_chat_interval``) and 403 "Forbidden: bot was blocked by the user".
For broadcast tests it can also answer slowly (``latency``, like a real network)
and leave one request hanging after delivering it (``hang_after``), so a test
can kill a sender while a message is in flight.

Bot side (``/bot<token>/<method>``, GET or POST, JSON, form-encoded or
multipart bodies): getMe, getUpdates (offset, limit, long-poll timeout),
sendMessage, sendPhoto, sendChatAction, sendLocation, sendVenue, sendDocument,
answerCallbackQuery, editMessageText, editMessageReplyMarkup, deleteMessage,
deleteMessages, setMyCommands, getMyCommands, deleteMyCommands, setWebhook,
deleteWebhook, getWebhookInfo, close, logOut. With a webhook set, updates are
POSTed to it (with ``X-Telegram-Bot-Api-Secret-Token``) instead of queued.

Test side (Python, same event loop): :meth:`message`, :meth:`location`,
:meth:`photo`, :meth:`callback`, :meth:`press` inject what a person does;
:meth:`wait_for`, :meth:`texts`, :attr:`outbox`, :attr:`calls` read what the bot
did; :meth:`block`, :meth:`fail_next`, :attr:`rate_limit`, :attr:`per_chat_interval`,
:attr:`latency` and :attr:`hang_after` make Telegram difficult.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import math
import re
import socket
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

DEFAULT_TOKEN = "123456789:AAEmulatorTokenForTestsOnly_0123456789"
BOT_ID = 123456789
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
# Values that stay strings even when they look like JSON (PTB form-encodes everything).
STRING_PARAMS = {
    "text", "caption", "title", "address", "parse_mode", "url", "secret_token",
    "callback_query_id", "action", "language_code", "filename", "business_connection_id",
}
SENDING_METHODS = {"sendMessage", "sendLocation", "sendVenue", "sendDocument", "sendPhoto"}
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "span", "tg-spoiler", "blockquote", "tg-emoji",
}
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


class _TelegramHtml(HTMLParser):
    """Telegram's HTML parse mode: a few tags, four named entities; returns the plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unexpected end tag "{tag}"')
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data or "&" in data:
            raise ApiError(400, "Bad Request: can't parse entities: unescaped <, > or &")
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            raise ApiError(400, f"Bad Request: can't parse entities: unsupported entity &{name};")
        self.parts.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.parts.append(html.unescape(f"&#{name};"))

    @classmethod
    def plain(cls, text: str) -> str:
        parser = cls()
        parser.feed(text)
        parser.close()
        if parser.rawdata:  # HTMLParser keeps an incomplete "<..." here
            raise ApiError(400, "Bad Request: can't parse entities: unclosed tag")
        if parser.open:
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: Can\'t find end tag for "{parser.open[-1]}"'
            )
        return "".join(parser.parts)


@dataclass
class Sent:
    """Something the bot sent to a chat, as Telegram returned it, and when it arrived."""

    method: str
    message: dict[str, Any]
    params: dict[str, Any]
    at: float

    @property
    def text(self) -> str:
        return str(self.message.get("text") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.message.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard") or [] for b in row]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int = 200


@dataclass
class _Chat:
    id: int
    first_name: str
    language_code: str = "es"
    next_message_id: int = 1
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # the test runner owns the signals
        yield


class BotApiEmulator:
    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        username: str = "participa_pruebas_bot",
        rate_limit: float | None = None,
        per_chat_interval: float | None = None,
        latency: float = 0.0,
        hang_after: int | None = None,
    ) -> None:
        self.token = token
        self.bot_user = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Participa (pruebas)",
            "username": username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.rate_limit = rate_limit  # sends per second above which the emulator answers 429
        self.per_chat_interval = per_chat_interval  # seconds between two sends to one chat
        self.latency = latency  # seconds before answering a send (after delivering it)
        self.hang_after = hang_after  # after this many sends, deliver one more and never answer
        self.hung = asyncio.Event()  # set when that request is hanging
        self.hung_chat: int | None = None  # the chat it was for
        self.sends = 0
        self.too_many_requests = 0  # 429 answers given
        self.outbox: dict[int, list[Sent]] = {}
        self.calls: list[Call] = []
        self.commands: list[dict[str, str]] = []  # the default menu (no language_code)
        self.commands_by_language: dict[str, list[dict[str, str]]] = {}
        self.webhook: dict[str, Any] = {"url": ""}
        self.webhook_statuses: list[int] = []
        self.blocked: set[int] = set()
        self.injected_at: dict[int, float] = {}
        self.delivered_at: dict[int, float] = {}
        self._chats: dict[int, _Chat] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._callbacks: dict[str, bool] = {}
        self._failures: dict[str, deque[tuple[int, int]]] = {}
        self._recent_sends: deque[float] = deque()
        self._last_send_to: dict[int, float] = {}
        self._release_hung: asyncio.Event | None = None
        self._changed: asyncio.Condition | None = None
        self._new_update: asyncio.Event | None = None
        self._server: _Server | None = None
        self._serve_task: asyncio.Task[None] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._closing = False
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> str:
        self._changed = asyncio.Condition()
        self._new_update = asyncio.Event()
        self._release_hung = asyncio.Event()
        self.hung = asyncio.Event()
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets that say so, and
        # without it every keep-alive answer waits ~40 ms for a delayed ACK (Nagle).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        app = Starlette(
            routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])]
        )
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", access_log=False,
            timeout_graceful_shutdown=1, limit_concurrency=2000, backlog=2048,
        )
        self._server = _Server(config)
        self._serve_task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._serve_task.done():
                self._serve_task.result()
            await asyncio.sleep(0.01)
        return self.base_url

    async def stop(self) -> None:
        self._closing = True
        if self._release_hung is not None:
            self._release_hung.set()
        if self._new_update is not None:
            self._new_update.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._server is not None and self._serve_task is not None:
            self._server.should_exit = True
            await self._serve_task

    # -- what a person does ---------------------------------------------------------------

    def add_chat(self, chat_id: int, first_name: str = "Persona", language_code: str = "es") -> None:
        """A private chat with someone who has started the bot (sends to others fail).

        ``language_code`` is what the person's Telegram app is set to.
        """
        self._chats.setdefault(chat_id, _Chat(chat_id, first_name, language_code))

    def _user(self, chat: _Chat) -> dict[str, Any]:
        return {"id": chat.id, "is_bot": False, "first_name": chat.first_name,
                "language_code": chat.language_code}

    def _chat_obj(self, chat: _Chat) -> dict[str, Any]:
        return {"id": chat.id, "type": "private", "first_name": chat.first_name}

    def _user_message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        self.add_chat(chat_id)
        chat = self._chats[chat_id]
        message = {
            "message_id": self._next_message_id(chat),
            "from": self._user(chat),
            "chat": self._chat_obj(chat),
            "date": int(time.time()),
            **content,
        }
        chat.messages[message["message_id"]] = message
        return self._push({"message": message})

    def message(self, chat_id: int, text: str) -> dict[str, Any]:
        """The person types ``text`` (a leading /command gets its bot_command entity)."""
        content: dict[str, Any] = {"text": text}
        match = re.match(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
        if match:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": match.end()}]
        return self._user_message(chat_id, **content)

    def location(self, chat_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        return self._user_message(
            chat_id, location={"latitude": latitude, "longitude": longitude}
        )

    def photo(self, chat_id: int, caption: str | None = None) -> dict[str, Any]:
        size = {"file_id": "photo-1", "file_unique_id": "u-photo-1", "width": 90, "height": 90}
        extra = {"caption": caption} if caption else {}
        return self._user_message(chat_id, photo=[size], **extra)

    def voice(self, chat_id: int) -> dict[str, Any]:
        return self._user_message(
            chat_id, voice={"file_id": "voice-1", "file_unique_id": "u-voice-1", "duration": 4})

    def sticker(self, chat_id: int) -> dict[str, Any]:
        return self._user_message(chat_id, sticker={
            "file_id": "sticker-1", "file_unique_id": "u-sticker-1", "width": 512, "height": 512,
            "is_animated": False, "is_video": False, "type": "regular"})

    def edit(self, chat_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The person corrects message ``message_id`` (as returned by :meth:`message`)."""
        chat = self._chats[chat_id]
        message = {**chat.messages[message_id], "text": text, "edit_date": int(time.time())}
        chat.messages[message_id] = message
        return self._push({"edited_message": message})

    def callback(self, chat_id: int, data: str, message_id: int | None = None) -> dict[str, Any]:
        """The person taps a button whose callback_data is ``data``."""
        self.add_chat(chat_id)
        chat = self._chats[chat_id]
        if message_id is None:
            with_keyboard = [s for s in self.outbox.get(chat_id, []) if s.buttons]
            message_id = with_keyboard[-1].message["message_id"] if with_keyboard else 0
        message = chat.messages.get(message_id) or {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": self._chat_obj(chat),
            "date": int(time.time()) - 3600,
            "text": "…",
        }
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = False
        return self._push({
            "callback_query": {
                "id": query_id,
                "from": self._user(chat),
                "message": message,
                "chat_instance": f"ci-{chat_id}",
                "data": data,
            }
        })

    def press(self, chat_id: int, title: str) -> dict[str, Any]:
        """Tap the button titled ``title`` on the latest keyboard that has it."""
        for sent in reversed(self.outbox.get(chat_id, [])):
            for button in sent.buttons:
                if button.get("text") == title:
                    return self.callback(chat_id, button["callback_data"], sent.message["message_id"])
        raise AssertionError(f"no button titled {title!r} in chat {chat_id}")

    def block(self, chat_id: int, notify: bool = True) -> None:
        """The person blocks the bot: every call for that chat gets 403 from now on."""
        self.add_chat(chat_id)
        self.blocked.add(chat_id)
        if notify:
            self._push(self._member_update(chat_id, "member", "kicked"))

    def unblock(self, chat_id: int, notify: bool = True) -> None:
        self.blocked.discard(chat_id)
        if notify:
            self._push(self._member_update(chat_id, "kicked", "member"))

    def _member_update(self, chat_id: int, old: str, new: str) -> dict[str, Any]:
        chat = self._chats[chat_id]

        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"status": status, "user": self.bot_user}
            if status == "kicked":
                data["until_date"] = 0
            return data

        return {
            "my_chat_member": {
                "chat": self._chat_obj(chat),
                "from": self._user(chat),
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            }
        }

    def fail_next(self, method: str, times: int = 1, retry_after: int = 1, code: int = 429) -> None:
        """The next ``times`` calls of ``method`` get 429 Too Many Requests (or ``code``, e.g. 502)."""
        self._failures.setdefault(method, deque()).extend([(code, retry_after)] * times)

    def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        self.injected_at[update["update_id"]] = time.monotonic()
        self._updates.append(update)
        if self._new_update is not None:
            self._new_update.set()
        return update

    # -- what the bot did -----------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[Sent]:
        return list(self.outbox.get(chat_id, []))

    def texts(self, chat_id: int) -> list[str]:
        return [s.text for s in self.outbox.get(chat_id, []) if s.method == "sendMessage"]

    def visible(self, chat_id: int) -> list[Sent]:
        """What the person still sees (deleted messages removed)."""
        chat = self._chats.get(chat_id)
        deleted = chat.deleted if chat else set()
        return [s for s in self.outbox.get(chat_id, []) if s.message["message_id"] not in deleted]

    def deleted(self, chat_id: int) -> set[int]:
        chat = self._chats.get(chat_id)
        return set(chat.deleted) if chat else set()

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            c for c in self.calls
            if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def callback_answered(self, query_id: str) -> bool:
        return self._callbacks.get(query_id, False)

    async def wait_for(self, chat_id: int, count: int = 1, timeout: float = 20.0) -> list[Sent]:
        """Wait until the bot has sent ``count`` messages to the chat (in total); return them."""
        assert self._changed is not None
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: len(self.outbox.get(chat_id, [])) >= count),
                    timeout,
                )
            except TimeoutError:
                got = [s.text[:80] for s in self.outbox.get(chat_id, [])]
                raise AssertionError(
                    f"chat {chat_id}: expected {count} messages in {timeout} s, got {got}"
                ) from None
        return self.sent_to(chat_id)

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until the bot has been quiet for ``quiet`` seconds."""
        while True:
            before = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == before:
                return

    # -- Bot API side ---------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        if request.path_params["token"] != self.token:
            return self._error(ApiError(401, "Unauthorized"))
        try:
            params = await self._params(request)
        except ClientDisconnect:  # the bot gave up (e.g. a long poll cancelled at shutdown)
            return JSONResponse({"ok": False, "error_code": 499, "description": "gone"}, 499)
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        handler = getattr(self, f"_m_{method}", None)
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            self._check_limits(method, params)
            result = await handler(params)
        except ApiError as exc:
            call.status = exc.code
            if exc.code == 429:
                self.too_many_requests += 1
            return self._error(exc)
        if method in SENDING_METHODS:
            self.sends += 1
            if self.hang_after is not None and self.sends > self.hang_after and not self.hung.is_set():
                self.hung_chat = params.get("chat_id")
                self.hung.set()  # delivered, but the sender will never hear so
                assert self._release_hung is not None
                await self._release_hung.wait()
            if self.latency:
                await asyncio.sleep(self.latency)
        return JSONResponse({"ok": True, "result": result})

    @staticmethod
    def _error(exc: ApiError) -> JSONResponse:
        body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
        if exc.retry_after is not None:
            body["parameters"] = {"retry_after": exc.retry_after}
        return JSONResponse(body, status_code=exc.code)

    async def _params(self, request: Request) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query_params)
        content_type = request.headers.get("content-type", "")
        if "application/json" in content_type:
            body = await request.body()
            if body:
                raw.update(json.loads(body))
            return raw
        if "multipart/form-data" in content_type or "x-www-form-urlencoded" in content_type:
            form = await request.form()
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    data = await value.read()
                    raw[key] = {"upload": value.filename or key, "size": len(data), "data": data}
                else:
                    raw[key] = value
        return {k: self._decode(k, v) for k, v in raw.items()}

    @staticmethod
    def _decode(key: str, value: Any) -> Any:
        if not isinstance(value, str) or key in STRING_PARAMS:
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value

    def _check_limits(self, method: str, params: dict[str, Any]) -> None:
        failures = self._failures.get(method)
        if failures:
            code, retry_after = failures.popleft()
            if code != 429:
                raise ApiError(code, "Bad Gateway" if code == 502 else f"Error {code}")
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        if self.rate_limit and method in SENDING_METHODS:
            now = time.monotonic()
            while self._recent_sends and self._recent_sends[0] <= now - 1.0:
                self._recent_sends.popleft()
            if len(self._recent_sends) >= self.rate_limit:
                wait = max(1, math.ceil(self._recent_sends[0] + 1.0 - now))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
        chat_id = params.get("chat_id")
        if self.per_chat_interval and method in SENDING_METHODS and isinstance(chat_id, int):
            now = time.monotonic()
            last = self._last_send_to.get(chat_id)
            if last is not None and now - last < self.per_chat_interval:
                wait = max(1, math.ceil(last + self.per_chat_interval - now))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
            self._last_send_to[chat_id] = now
        if self.rate_limit and method in SENDING_METHODS:
            self._recent_sends.append(time.monotonic())
        if chat_id is not None:
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id not in self._chats:
                raise ApiError(400, "Bad Request: chat not found")

    def _chat(self, params: dict[str, Any]) -> _Chat:
        try:
            return self._chats[params["chat_id"]]
        except KeyError:
            raise ApiError(400, "Bad Request: chat not found") from None

    @staticmethod
    def _next_message_id(chat: _Chat) -> int:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    async def _record(
        self, method: str, chat: _Chat, params: dict[str, Any], **content: Any
    ) -> dict[str, Any]:
        message = {
            "message_id": self._next_message_id(chat),
            "from": self.bot_user,
            "chat": self._chat_obj(chat),
            "date": int(time.time()),
            **content,
        }
        markup = params.get("reply_markup")
        if markup:
            message["reply_markup"] = self._check_markup(markup)
        chat.messages[message["message_id"]] = message
        assert self._changed is not None
        async with self._changed:
            self.outbox.setdefault(chat.id, []).append(Sent(method, message, params, time.monotonic()))
            self._changed.notify_all()
        if "inline_keyboard" not in message.get("reply_markup", {"inline_keyboard": []}):
            # Telegram's Message carries only an inline keyboard; PTB cannot read another there
            # (a reply keyboard, or its removal, echoed back broke the rest of the turn,
            # e.g. the centres after «Compartir mi ubicación»).
            return {k: v for k, v in message.items() if k != "reply_markup"}
        return message

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any]:
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: BUTTON_TEXT_EMPTY")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    @staticmethod
    def _text(params: dict[str, Any], key: str = "text") -> str:
        text = str(params.get(key) or "")
        if params.get("parse_mode") == "HTML":
            text = _TelegramHtml.plain(text)
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return text

    async def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while not self._updates and not self._closing and time.monotonic() < deadline:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed)
        if allowed:  # as Telegram: kinds the bot did not ask for never reach it
            self._updates = deque(u for u in self._updates if set(u) - {"update_id"} <= set(allowed))
        batch = list(itertools.islice(self._updates, limit))
        now = time.monotonic()
        for update in batch:
            self.delivered_at.setdefault(update["update_id"], now)
        return batch

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        return await self._record("sendMessage", chat, params, text=self._text(params))

    async def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        photo = params.get("photo")
        if isinstance(photo, dict):
            file_id = f"photo-{chat.id}-{chat.next_message_id}"
        elif isinstance(photo, str) and photo:
            file_id = photo if not photo.startswith("http") else f"photo-{abs(hash(photo))}"
        else:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        sizes = [{"file_id": file_id, "file_unique_id": f"u-{file_id}", "width": 800, "height": 600}]
        extra: dict[str, Any] = {}
        if params.get("caption"):
            caption = self._text(params, "caption")
            if len(caption) > MAX_CAPTION:
                raise ApiError(400, "Bad Request: message caption is too long")
            extra["caption"] = caption
        return await self._record("sendPhoto", chat, params, photo=sizes, **extra)

    async def _m_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._chat(params)
        return True

    async def _m_sendLocation(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        location = {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}
        return await self._record("sendLocation", chat, params, location=location)

    async def _m_sendVenue(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        if not params.get("title") or not params.get("address"):
            raise ApiError(400, "Bad Request: venue title and address are required")
        location = {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}
        venue = {"location": location, "title": params["title"], "address": params["address"]}
        return await self._record("sendVenue", chat, params, location=location, venue=venue)

    async def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        document = params.get("document")
        if isinstance(document, dict):
            name, size = str(document["upload"]), int(document["size"])
        elif isinstance(document, str) and document:
            name, size = document, 0
        else:
            raise ApiError(400, "Bad Request: there is no document in the request")
        info = {
            "file_id": f"doc-{chat.id}-{chat.next_message_id}",
            "file_unique_id": f"u-doc-{chat.id}-{chat.next_message_id}",
            "file_name": name,
            "file_size": size,
        }
        extra = {"caption": self._text(params, "caption")} if params.get("caption") else {}
        return await self._record("sendDocument", chat, params, document=info, **extra)

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._callbacks:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._callbacks[query_id] = True
        return True

    async def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        message = chat.messages.get(int(params.get("message_id") or 0))
        if message is None or message["message_id"] in chat.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        message["text"] = self._text(params)
        message["edit_date"] = int(time.time())
        if params.get("reply_markup"):
            message["reply_markup"] = self._check_markup(params["reply_markup"])
        else:
            message.pop("reply_markup", None)
        return message

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        message = chat.messages.get(int(params.get("message_id") or 0))
        if message is None or message["message_id"] in chat.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        if params.get("reply_markup"):
            message["reply_markup"] = self._check_markup(params["reply_markup"])
        else:
            message.pop("reply_markup", None)
        return message

    async def _m_deleteMessage(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        message_id = int(params.get("message_id") or 0)
        if message_id not in chat.messages or message_id in chat.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        chat.deleted.add(message_id)
        return True

    async def _m_deleteMessages(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        ids = [int(i) for i in params.get("message_ids") or []]
        if not 1 <= len(ids) <= 100:
            raise ApiError(400, "Bad Request: message_ids must have 1-100 elements")
        chat.deleted.update(i for i in ids if i in chat.messages)
        return True

    async def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not COMMAND_RE.match(str(command.get("command"))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description") or "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        language = str(params.get("language_code") or "")
        self.commands_by_language[language] = list(commands)
        if not language:
            self.commands = list(commands)
        return True

    async def _m_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands_by_language.get(str(params.get("language_code") or ""), [])

    async def _m_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands = []
        return True

    async def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
        }
        if url and self._webhook_task is None:
            self._webhook_task = asyncio.create_task(self._deliver_webhook())
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {"url": ""}
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook["url"]:
            info["max_connections"] = 40
            if self.webhook.get("allowed_updates"):
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    async def _m_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_logOut(self, params: dict[str, Any]) -> bool:
        return True

    async def _deliver_webhook(self) -> None:
        """POST queued updates to the webhook in order, as Telegram does."""
        assert self._new_update is not None
        async with httpx.AsyncClient(timeout=10) as client:
            while not self._closing:
                url = self.webhook["url"]
                if not url or not self._updates:
                    self._new_update.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._new_update.wait(), 0.5)
                    continue
                update = self._updates.popleft()
                headers = {}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = str(self.webhook["secret_token"])
                self.delivered_at.setdefault(update["update_id"], time.monotonic())
                try:
                    response = await client.post(url, json=update, headers=headers)
                    self.webhook_statuses.append(response.status_code)
                except httpx.HTTPError:
                    self.webhook_statuses.append(0)
