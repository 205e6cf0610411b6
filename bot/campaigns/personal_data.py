"""Campaigns' privacy providers (see :mod:`bot.privacy.registry`): Telegram bookkeeping, subscriptions.

Deep links and blocks are stored under the chat's pseudonym; rows from before it was unified
carry the legacy form, so both are looked up (:func:`bot.identity.chat_hashes`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, delete, select

from bot.campaigns import subscriptions
from bot.i18n import _
from bot.identity import chat_hashes
from bot.privacy import consent
from bot.privacy.registry import Person, Provider, register
from bot.storage.db import session_scope
from bot.storage.models import TelegramBlockedChat, TelegramDeepLink

# --- Telegram bookkeeping ---------------------------------------------------------------------

def collect_telegram(person: Person, engine: Engine | None) -> dict[str, Any]:
    if person.chat_id is None:
        return {}
    digests = chat_hashes(person.chat_id)
    with session_scope(engine) as session:
        links = session.execute(select(TelegramDeepLink.code, TelegramDeepLink.first_seen)
                                .where(TelegramDeepLink.chat_hash.in_(digests))).all()
        blocked = session.scalar(select(TelegramBlockedChat.chat_hash)
                                 .where(TelegramBlockedChat.chat_hash.in_(digests))) is not None
    if not links and not blocked:
        return {}
    return {"enlaces_de_campana": [{"codigo": code, "fecha": day.isoformat()} for code, day in links],
            "bloqueo_registrado": blocked}


def describe_telegram(data: dict[str, Any]) -> list[str]:
    codes = ", ".join(f"«{link['codigo']}»" for link in data.get("enlaces_de_campana", []))
    return [_("• Telegram: llegaste por el enlace {codes} (solo para contar cuántas personas trajo).")
            .format(codes=codes)] if codes else []


def erase_telegram(person: Person, engine: Engine | None) -> dict[str, int]:
    if person.chat_id is None:
        return {}
    digests = chat_hashes(person.chat_id)
    with session_scope(engine) as session:
        links = session.execute(delete(TelegramDeepLink).where(TelegramDeepLink.chat_hash.in_(digests)))
        blocked = session.execute(delete(TelegramBlockedChat)
                                  .where(TelegramBlockedChat.chat_hash.in_(digests)))
        total = int(links.rowcount or 0) + int(blocked.rowcount or 0)  # type: ignore[attr-defined]
    return {_("registros de Telegram"): total}


consent.describe_purpose(subscriptions.PURPOSE, "noticias del programa en este chat")
register(Provider("telegram", collect_telegram, describe_telegram, erase_telegram,
                  "los registros de Telegram", order=40))
register(Provider("suscripciones", subscriptions.privacy_collect, subscriptions.privacy_describe,
                  subscriptions.privacy_erase, "tus suscripciones a noticias", order=60))
