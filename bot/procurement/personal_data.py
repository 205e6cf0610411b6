"""Follows of contracts as personal data: ``/mis_datos``, ``/borrar`` and the retention purge.

A follow keeps a Telegram chat id; a chat that blocked the bot will never get its alerts, so the
purge deletes its follows (and their consents are marked revoked) rather than keep the id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select

from bot.i18n import _
from bot.privacy import consent
from bot.privacy.purge import register_step
from bot.privacy.registry import Person, Provider, register
from bot.procurement import follows
from bot.storage.db import session_scope
from bot.storage.models import ProcurementFollow, TelegramBlockedChat


def collect(person: Person, engine: Engine | None) -> dict[str, Any]:
    if person.chat_id is None:
        return {}
    rows = follows.following(person.chat_id, engine)
    if not rows:
        return {}
    return {"chat": person.chat_id,
            "sigues": [{"tipo": "institución" if r.kind == follows.BUYER else "empresa",
                        "nombre": r.label, "desde": r.since.date().isoformat()} for r in rows]}


def describe(data: dict[str, Any]) -> list[str]:
    names = ", ".join(f"«{row['nombre']}»" for row in data.get("sigues", []))
    return [_("• Contratos que sigues: este chat, para avisarte de los nuevos de {names}. "
              "Para dejarlos: /baja.").format(names=names)] if names else []


def erase(person: Person, engine: Engine | None) -> dict[str, int]:
    if person.chat_id is None:
        return {}
    return {_("seguimientos de contratos"): len(follows.unfollow_all(person.chat_id, engine))}


def purge_blocked(months: int, dry_run: bool, engine: Engine | None, now: dt.datetime) -> list[str]:
    """Follows of chats that blocked the bot: nothing can reach them, so the chat id goes."""
    blocked = (select(ProcurementFollow.chat_id)
               .join(TelegramBlockedChat, TelegramBlockedChat.chat_hash == ProcurementFollow.chat_hash))
    with session_scope(engine) as session:
        chats = sorted({int(c) for c in session.scalars(blocked).all()})
        count = int(session.scalar(select(func.count()).select_from(blocked.subquery())) or 0)
    if not dry_run:
        for chat_id in chats:
            follows.unfollow_all(chat_id, engine)
    verb = "se borrarían" if dry_run else "borrados"
    return [f"Seguimientos de contratos de chats que bloquearon el bot ({verb}): {count}"]


consent.describe_purpose(follows.PURPOSE, "avisos de contratos nuevos de quien sigues")
register(Provider("seguimientos_contratos", collect, describe, erase,
                  "los contratos que sigues", order=65))
register_step("procurement_follows", purge_blocked)
