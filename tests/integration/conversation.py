"""Scripted turns for the integration tests: several messages of one sender, and a turn's text."""

from __future__ import annotations

from bot.conversation.core import ConversationCore
from bot.conversation.replies import Turn


async def say(core: ConversationCore, sender: str, *messages: str) -> Turn:
    """Send ``messages`` in order as one sender; the last turn."""
    turn = None
    for message in messages:
        turn = await core.handle(sender, message)
    assert turn is not None
    return turn


def texts(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)
