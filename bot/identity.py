"""Who a person is in storage: conversation ids, person keys and chat hashes, in one place.

A Telegram chat talks to the bot as the sender ``tg-<chat id>`` (also Rasa's conversation id);
the terminal uses its own sender ids. Everything stored about a person carries ONE pseudonym,
:func:`person_key` — an HMAC-SHA256 of the sender keyed with the deployment's secret — never a
chat id. For a Telegram chat that is also its chat hash: ``chat_hash(id) ==
person_key(telegram_sender(id))``, so a person's proposals, consents, subscription, deep links
and blocks share one key.

Until this module, Telegram bookkeeping (deep links, blocked chats, ``subscribers.chat_hash``)
used a second pseudonym, the HMAC of ``telegram:<chat id>``. Rows written then keep it (a hash
cannot be turned back into a chat id to rewrite it): they are found through :func:`chat_hashes`,
which gives the current form first and then that legacy one. Nothing writes the legacy form.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.config import secret_key

TELEGRAM_PREFIX = "tg-"


def telegram_sender(chat_id: int) -> str:
    """The sender id of a Telegram chat, as the core, Rasa and the stored rows know it."""
    return f"{TELEGRAM_PREFIX}{chat_id}"


def telegram_chat_id(sender: str) -> int | None:
    """The chat id behind a Telegram sender id (``tg-<chat id>``); None for other channels."""
    if not sender.startswith(TELEGRAM_PREFIX):
        return None
    rest = sender[len(TELEGRAM_PREFIX):]
    return int(rest) if rest.lstrip("-").isdigit() else None


def person_key(sender: str, key: bytes | None = None) -> str:
    """A keyed hash standing for a person: stable, but it does not reveal the chat id (hex, 64)."""
    return hmac.new(key or secret_key(), sender.encode(), hashlib.sha256).hexdigest()


def chat_hash(chat_id: int, key: bytes | None = None) -> str:
    """The pseudonym of a Telegram chat: the person key of its sender id."""
    return person_key(telegram_sender(chat_id), key)


def legacy_chat_hash(chat_id: int, key: bytes | None = None) -> str:
    """The old, second pseudonym of a Telegram chat; only read, never written."""
    return hmac.new(key or secret_key(), f"telegram:{chat_id}".encode(), hashlib.sha256).hexdigest()


def chat_hashes(chat_id: int, key: bytes | None = None) -> tuple[str, str]:
    """Every form a stored row may carry for this chat: the current one first, then the legacy one."""
    return chat_hash(chat_id, key), legacy_chat_hash(chat_id, key)
