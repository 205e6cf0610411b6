"""Checks the safety-net tests share: which messages miss their level, and a crisis reply."""

from __future__ import annotations

from collections.abc import Iterable

from bot.conversation.safety import Level, safety_net

# The crisis line (Línea de la Vida) every crisis reply starts its lines with.
CRISIS_LINE = "800 911 2000"


def not_at(level: Level, messages: Iterable[str]) -> dict[str, str]:
    """The messages the safety net does not put at ``level``, with the level it gave them."""
    net = safety_net()
    found = {m: net.assess(m) for m in messages}
    return {m: got.name for m, got in found.items() if got != level}


def crisis_reply(message: str) -> str:
    """The reply to ``message``, which must be a crisis; it carries the crisis line."""
    net = safety_net()
    level = net.assess(message)
    assert level == Level.CRISIS, f"{message!r}: {level.name}"
    reply = net.reply_for(level, message).text
    assert CRISIS_LINE in reply
    return reply
