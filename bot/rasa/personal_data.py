"""Rasa's conversation store as a privacy provider (see :mod:`bot.privacy.registry`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from bot.config import get_settings
from bot.i18n import _, ngettext
from bot.privacy.registry import Person, Provider, register
from bot.storage import rasa_tracker

# --- Rasa's conversation store ----------------------------------------------------------------

def collect_conversation(person: Person, engine: Engine | None) -> dict[str, Any]:
    found = rasa_tracker.summary(rasa_tracker.tracker_engine(engine), person.sender)
    if not found.events:
        return {}
    # A message whose text was never stored (a sensitive conversation) says so: null, not "".
    messages = [{**m, "texto": m.get("texto") or None} for m in found.messages]
    return {"registros": found.events, "mensajes": messages}


def describe_conversation(data: dict[str, Any]) -> list[str]:
    messages = data.get("mensajes", [])
    line = (ngettext("• Esta conversación: {count} mensaje tuyo, guardado para seguir el hilo "
                     "(se borra {days} días después de tu último mensaje).",
                     "• Esta conversación: {count} mensajes tuyos, guardados para seguir el hilo "
                     "(se borran {days} días después de tu último mensaje).", len(messages))
            .format(count=len(messages), days=get_settings().tracker_retention_days))
    without_text = sum(1 for m in messages if not m.get("texto"))
    if without_text:
        line += " " + ngettext("De {count} de ellos guardo solo la fecha, no el texto.",
                               "De {count} de ellos guardo solo la fecha, no el texto.",
                               without_text).format(count=without_text)
    return [line]


def erase_conversation(person: Person, engine: Engine | None) -> dict[str, int]:
    count = rasa_tracker.erase(rasa_tracker.tracker_engine(engine), person.sender)
    return {_("registros de la conversación"): count}


register(Provider("conversacion", collect_conversation, describe_conversation, erase_conversation,
                  "los mensajes de esta conversación", order=50))
