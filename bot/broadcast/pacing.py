"""Telegram's pace for broadcasts: an overall rate, one message a second per chat, and pauses.

Sends get evenly spaced slots (no bursts) at ``rate`` per second, a little under
Telegram's limit. Slots alone are not enough: when the machine stalls (garbage
collection, a busy CPU) the lanes whose slots fell inside the stall would all go
at once when it ends, and Telegram counts arrivals in a one-second window. So a
lane that wakes up more than a quarter of a slot late does not send: it takes a
new slot at the end of the queue. A stall then shifts the schedule once instead
of bunching requests up. What is left is the network's own jitter, which the gap
between ``rate`` and Telegram's 30 absorbs (at 29.5/s, up to 17 ms). A
``RetryAfter`` from Telegram pauses every lane of the sender for the time
Telegram asked, and the lanes then resume one slot at a time. Each chat gets at most one message
per ``per_chat_interval`` seconds (a campaign sends one message per chat, so this
matters for previews and for several campaigns in a row).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

PER_CHAT_MEMORY = 10_000


class Pacer:
    def __init__(
        self,
        rate: float,
        per_chat_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.tolerance = self.interval / 4  # later than this, a slot is given up
        self.late_slots = 0
        self.per_chat_interval = per_chat_interval
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._paused_until = 0.0
        self._last_by_chat: dict[int, float] = {}
        self.pauses = 0

    async def turn(self) -> None:
        """Wait for the next overall slot (slots are handed out in order, one per interval)."""
        while True:
            now = self.clock()
            slot = max(now, self._next, self._paused_until)
            self._next = slot + self.interval
            if slot > now:
                await self.sleep(slot - now)
            if self._paused_until > slot:
                # A pause began while we waited: take a new slot after it, so that the lanes
                # that were waiting do not all go at once when it ends.
                continue
            if self.clock() - slot <= self.tolerance:
                return
            self.late_slots += 1  # going now could bunch up with the next slot: queue again

    async def chat_turn(self, chat_id: int) -> None:
        """Wait until this chat's last message is ``per_chat_interval`` old."""
        now = self.clock()
        last = self._last_by_chat.get(chat_id)
        if last is not None and now - last < self.per_chat_interval:
            await self.sleep(self.per_chat_interval - (now - last))
        self._last_by_chat[chat_id] = self.clock()
        if len(self._last_by_chat) > PER_CHAT_MEMORY:
            cutoff = self.clock() - self.per_chat_interval
            self._last_by_chat = {c: t for c, t in self._last_by_chat.items() if t >= cutoff}

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": nobody sends until then."""
        until = self.clock() + max(0.0, seconds)
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1
        self._next = max(self._next, self._paused_until)
