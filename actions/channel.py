"""Which channel a message came from, for what only one channel can do.

The core puts the channel in every message's metadata (bot/conversation/core.py). Notices (how a
proposal goes, new contracts of a followed institution) reach Telegram only, so the terminal
(``participa chat``, ``participa ask``) must not offer or promise them.
"""

from __future__ import annotations

from rasa_sdk import Tracker

TERMINAL = "terminal"


def in_terminal(tracker: Tracker) -> bool:
    """The latest message came from the terminal, where no notice can reach the person."""
    return (tracker.latest_message.get("metadata") or {}).get("channel") == TERMINAL
