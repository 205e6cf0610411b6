"""The attention queue's privacy provider (:mod:`bot.privacy.registry`): conversations with the team.

Imported by :mod:`bot.domains`, which also registers ``attention.yml``'s content check (imported
here) and names the consent purpose for ``/mis_datos``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from bot.attention import content as _content  # noqa: F401  (registers the content check)
from bot.attention import service
from bot.i18n import _
from bot.privacy import consent
from bot.privacy.registry import Person, Provider, register
from bot.storage.db import session_scope
from bot.storage.models import AttentionRequest


def collect(person: Person, engine: Engine | None) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        requests = session.scalars(select(AttentionRequest).where(
            AttentionRequest.person_key == person.key).order_by(AttentionRequest.id)).all()
        return [{"abierta": r.opened_at.isoformat(timespec="seconds"),
                 "cerrada": r.closed_at.isoformat(timespec="seconds") if r.closed_at else None,
                 "chat": r.address,
                 "mensajes": [{"de": {"person": "tú", "staff": "equipo", "system": "bot"}[m.author],
                               "texto": None if m.withheld else m.text,
                               "texto_no_guardado": m.withheld,
                               "fecha": m.created_at.isoformat(timespec="seconds")}
                              for m in r.messages]}
                for r in requests]


def describe(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    messages = sum(len(r["mensajes"]) for r in rows)
    return [_("• Conversaciones con el equipo del STL: {requests} (con {messages} mensajes y el "
              "identificador de tu chat para contestarte).").format(requests=len(rows),
                                                                   messages=messages)]


def erase(person: Person, engine: Engine | None) -> dict[str, int]:
    return {_("conversaciones con el equipo"): service.erase_person(person.sender, engine)}


consent.describe_purpose(service.PURPOSE, "que una persona del equipo te conteste en este chat")
register(Provider("atencion", collect, describe, erase, "tus conversaciones con el equipo", order=55))
