"""Per-chat flood control: slow a chat down, never ban it.

Each chat may send ``per_minute`` messages a minute, in bursts of up to that
many (a person tapping through a menu is never slowed). Past that, messages
are answered in order, one every ``60 / per_minute`` seconds, and the chat
gets one polite notice per episode. Only when more than ``max_waiting`` messages
are already queued for a chat is a message dropped (a script, not a person).

Messages the safety net flags as an emergency never pass through here: help
comes at once, however fast someone is typing.

State is in memory (a few floats per recently active chat), so each bot replica
throttles what it receives; that is enough to protect Rasa from one chat.
Implemented as a generic cell rate algorithm (GCRA) used for shaping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_CHATS = 50_000


@dataclass(frozen=True)
class Admission:
    delay: float = 0.0  # seconds to wait before handling the message
    notify: bool = False  # first message over the limit in this episode: tell the person
    drop: bool = False  # too many already waiting


@dataclass
class _Chat:
    tat: float  # theoretical arrival time of the next message
    notified: bool = False


class FloodControl:
    def __init__(
        self,
        per_minute: int,
        max_waiting: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_chats: int = MAX_CHATS,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self.interval = 60.0 / per_minute
        self.tolerance = (per_minute - 1) * self.interval
        self.max_waiting = per_minute if max_waiting is None else max_waiting
        self.clock = clock
        self.max_chats = max_chats
        self._chats: dict[int, _Chat] = {}

    def admit(self, chat_id: int) -> Admission:
        now = self.clock()
        chat = self._chats.get(chat_id)
        if chat is None:
            if len(self._chats) >= self.max_chats:
                self._prune(now)
            chat = self._chats[chat_id] = _Chat(tat=now)
        tat = max(chat.tat, now)
        start = max(now, tat - self.tolerance)
        delay = start - now
        if delay <= 0:
            chat.tat = tat + self.interval
            chat.notified = False
            return Admission()
        if delay / self.interval > self.max_waiting:
            return Admission(drop=True)
        chat.tat = tat + self.interval
        notify = not chat.notified
        chat.notified = True
        return Admission(delay=delay, notify=notify)

    def _prune(self, now: float) -> None:
        """Forget chats back at full allowance (they behave exactly like new ones)."""
        for chat_id in [c for c, s in self._chats.items() if s.tat <= now]:
            del self._chats[chat_id]
        while len(self._chats) >= self.max_chats:  # all active: drop the oldest entries
            del self._chats[next(iter(self._chats))]
