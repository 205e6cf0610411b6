"""Scripted turns for the integration tests: several messages of one sender, and a turn's text."""

from __future__ import annotations

from bot.conversation.core import ConversationCore
from bot.conversation.replies import Turn


async def say(core: ConversationCore, sender: str, *messages: str, channel: str = "terminal") -> Turn:
    """Send ``messages`` in order as one sender; the last turn. ``channel="telegram"`` for what
    only Telegram offers (notices of how a proposal goes)."""
    turn = None
    for message in messages:
        turn = await core.handle(sender, message, channel)
    assert turn is not None
    return turn


def texts(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)
