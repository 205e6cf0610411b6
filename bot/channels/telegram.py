"""Telegram channel (python-telegram-bot 22): renders core replies as HTML with inline keyboards.

Long button payloads do not fit Telegram's 64-byte ``callback_data``, so every
payload is sent as a short key and looked up on the way back; an unknown key
(a stale button, e.g. after a restart) gets a polite reply instead of an error.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
from collections import OrderedDict
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, MessageLimit, ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import get_settings
from bot.conversation.core import ConversationCore, menu_buttons
from bot.conversation.rasa_client import RasaClient
from bot.conversation.replies import Button, Reply

log = logging.getLogger(__name__)
MAX_PAYLOADS = 50_000


class PayloadKeys:
    """Maps button payloads to short callback keys (≤ 64 bytes) and back."""

    def __init__(self, capacity: int = MAX_PAYLOADS) -> None:
        self._by_key: OrderedDict[str, str] = OrderedDict()
        self.capacity = capacity

    def key_for(self, payload: str) -> str:
        if len(payload.encode()) <= 60 and not payload.startswith("k:"):
            return payload
        key = "k:" + hashlib.sha1(payload.encode()).hexdigest()[:16]
        self._by_key[key] = payload
        self._by_key.move_to_end(key)
        while len(self._by_key) > self.capacity:
            self._by_key.popitem(last=False)
        return key

    def payload_for(self, data: str) -> str | None:
        if data.startswith("k:"):
            return self._by_key.get(data)
        return data


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split on paragraph boundaries so each part fits one Telegram message."""
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(paragraph) > limit:
            cut = paragraph.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            parts.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        current = paragraph
    if current:
        parts.append(current)
    return parts or [""]


async def send_document(chat, document: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """A file a reply points to (e.g. a CSV of contracts), sent as a Telegram document."""
    path = Path(document["path"])
    if not path.is_file():
        log.warning("document to send is missing")
        return
    with path.open("rb") as handle:
        await chat.send_document(handle, filename=document.get("filename") or path.name)


class TelegramChannel:
    def __init__(self, core: ConversationCore) -> None:
        self.core = core
        self.keys = PayloadKeys()

    def keyboard(self, buttons: list[Button]) -> InlineKeyboardMarkup | None:
        if not buttons:
            return None
        rows = [[InlineKeyboardButton(b.title, callback_data=self.keys.key_for(b.payload))]
                for b in buttons]
        return InlineKeyboardMarkup(rows)

    async def send_replies(self, update: Update, replies: list[Reply]) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        for reply in replies:
            document = (reply.custom or {}).get("document")
            if isinstance(document, dict) and document.get("path"):
                await send_document(chat, document)
            if not reply.text and not reply.buttons:
                continue
            chunks = split_text(html.escape(reply.text))
            for i, chunk in enumerate(chunks):
                markup = self.keyboard(reply.buttons) if i == len(chunks) - 1 else None
                await chat.send_message(chunk, parse_mode=ParseMode.HTML, reply_markup=markup)

    async def _handle(self, update: Update, text: str) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        typing = asyncio.create_task(chat.send_action(ChatAction.TYPING))
        turn = await self.core.handle(f"tg-{chat.id}", text, channel="telegram")
        typing.cancel()
        await self.send_replies(update, turn.replies)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message and update.message.text is not None:
            await self._handle(update, update.message.text)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        await query.answer()
        payload = self.keys.payload_for(query.data or "")
        if payload is None:
            stale = Reply(
                "Ese botón ya no está disponible. Elige otra opción:", buttons=menu_buttons()
            )
            await self.send_replies(update, [stale])
            return
        await self._handle(update, payload)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.send_replies(update, [Reply(
            "Por ahora solo entiendo mensajes de texto. Escríbeme tu pregunta o elige una opción:",
            buttons=menu_buttons(),
        )])

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        application.add_handler(CommandHandler(["start", "ayuda", "menu"], self.on_text))
        application.add_handler(MessageHandler(filters.TEXT, self.on_text))
        application.add_handler(CallbackQueryHandler(self.on_callback))
        application.add_handler(MessageHandler(~filters.TEXT, self.on_other))


def build_application(core: ConversationCore) -> Application:  # type: ignore[type-arg]
    settings = get_settings()
    if not settings.telegram_bot_token:
        raise RuntimeError("Falta TELEGRAM_BOT_TOKEN")
    builder = ApplicationBuilder().token(settings.telegram_bot_token)
    builder = builder.rate_limiter(AIORateLimiter(max_retries=2))  # type: ignore[arg-type]
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    application = builder.build()
    TelegramChannel(core).install(application)
    return application


def serve() -> None:
    """Start Rasa and the action server (unless RASA_URL answers) and poll Telegram."""
    from bot.servers import rasa_available
    from bot.storage.db import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    with rasa_available() as url:
        core = ConversationCore(RasaClient(url, timeout=settings.rasa_timeout_seconds))
        application = build_application(core)
        if settings.public_url:
            application.run_webhook(
                listen="0.0.0.0", port=8443, url_path="telegram",
                webhook_url=f"{settings.public_url.rstrip('/')}/telegram",
                secret_token=settings.webhook_secret,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
