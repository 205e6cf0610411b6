"""Turning channel-neutral replies into what Telegram accepts.

- Text goes out in HTML parse mode with every character of it escaped, so a
  ``<`` in an answer (or a user's words echoed back) can never break a message.
- Telegram caps a message at 4,096 characters (counted after entity parsing,
  i.e. on the plain text), so long answers are split on paragraph boundaries
  first and escaped after: a split never cuts an ``&amp;`` in half.
- ``callback_data`` is at most 64 bytes, and a Rasa payload such as
  ``/elegir_tema{"tema":"..."}`` can be longer (Spanish accents take 2 bytes).
  Long payloads travel as a short key and are looked up when the button is
  tapped. Keys are a hash of the payload, and the payloads content/ can produce
  are registered at start-up, so menu and FAQ buttons keep working after a
  restart and across replicas; any other key that is not known is a stale
  button, which gets a polite reply.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import OrderedDict
from collections.abc import Iterable

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from bot.content.chat import chat_content
from bot.content.faq import faq_catalog
from bot.content.render import catalog_payloads
from bot.conversation.replies import Button
from bot.i18n import _

MAX_PAYLOADS = 50_000
KEY_PREFIX = "k:"
MAX_BUTTONS = 100  # Telegram's (undocumented) limit per keyboard
EMPTY_TITLE = "Elegir"


class PayloadKeys:
    """Maps button payloads to short callback keys (≤ 64 bytes) and back."""

    def __init__(self, capacity: int = MAX_PAYLOADS) -> None:
        self._by_key: OrderedDict[str, str] = OrderedDict()
        self._known: dict[str, str] = {}
        self.capacity = capacity

    @classmethod
    def with_content_payloads(cls, capacity: int = MAX_PAYLOADS) -> PayloadKeys:
        keys = cls(capacity)
        keys.register(content_payloads())
        return keys

    @staticmethod
    def _key(payload: str) -> str:
        return KEY_PREFIX + hashlib.sha1(payload.encode()).hexdigest()[:16]

    @staticmethod
    def _fits(payload: str) -> bool:
        size = len(payload.encode())
        return 0 < size <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA and not payload.startswith(
            KEY_PREFIX
        )

    def register(self, payloads: Iterable[str]) -> None:
        """Payloads whose keys must resolve forever (they come from content/)."""
        for payload in payloads:
            if not self._fits(payload):
                self._known[self._key(payload)] = payload

    def key_for(self, payload: str) -> str:
        if self._fits(payload):
            return payload
        key = self._key(payload)
        if key not in self._known:
            self._by_key[key] = payload
            self._by_key.move_to_end(key)
            while len(self._by_key) > self.capacity:
                self._by_key.popitem(last=False)
        return key

    def payload_for(self, data: str) -> str | None:
        """The payload behind a tapped button, or None for a stale or unknown key."""
        if data.startswith(KEY_PREFIX):
            return self._known.get(data) or self._by_key.get(data)
        return data or None


def content_payloads() -> list[str]:
    """Every button payload content/ can produce: menu, topics, FAQ entries and their follow-ups."""
    payloads = [b.payload for b in chat_content().menu.buttons]
    try:
        catalog = faq_catalog()
    except Exception:  # content being edited: those buttons fall back to the LRU keys
        return payloads
    compact = {"separators": (",", ":")}
    payloads += ["/ver_tema" + json.dumps({"topic": t.id}, **compact) for t in catalog.topics]  # type: ignore[arg-type]
    payloads += ["/elegir_tema" + json.dumps({"tema": e.id}, **compact) for e in catalog.entries]  # type: ignore[arg-type]
    return payloads + catalog_payloads(catalog)


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
            cut = paragraph.rfind("\n", 0, limit)
            if cut <= 0:
                cut = paragraph.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            parts.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        current = paragraph
    if current:
        parts.append(current)
    return parts or [""]


def to_html(text: str) -> str:
    """Plain text as Telegram HTML: only ``<``, ``>`` and ``&`` need escaping."""
    return html.escape(text, quote=False)


def html_chunks(text: str) -> list[str]:
    """A reply's text as escaped chunks that each fit one message."""
    return [to_html(chunk) for chunk in split_text(text.strip()) if chunk.strip()]


def keyboard(buttons: list[Button], keys: PayloadKeys) -> InlineKeyboardMarkup | None:
    """One button a row (titles are up to 40 characters: they read best that way)."""
    if not buttons:
        return None
    rows = [
        # Telegram refuses a button without text (BUTTON_TEXT_EMPTY): never send one.
        [InlineKeyboardButton(b.title[:64] if b.title.strip() else EMPTY_TITLE,
                              callback_data=keys.key_for(b.payload))]
        for b in buttons[:MAX_BUTTONS]
    ]
    return InlineKeyboardMarkup(rows)


def location_keyboard() -> ReplyKeyboardMarkup:
    """Telegram's own "share my location" button, shown once where a location is asked."""
    button = KeyboardButton(_("📍 Compartir mi ubicación"), request_location=True)
    return ReplyKeyboardMarkup([[button]], one_time_keyboard=True, resize_keyboard=True)


def remove_keyboard() -> ReplyKeyboardRemove:
    return ReplyKeyboardRemove()
