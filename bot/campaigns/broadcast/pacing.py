"""Telegram's pace for broadcasts: an overall rate, one message a second per chat, and pauses.

Sends get evenly spaced slots at ``rate`` per second, a little under Telegram's
limit. Slots alone are not enough: when the machine stalls (garbage collection,
a busy CPU) the lanes whose slots fell inside the stall would all go at once when
it ends, and Telegram counts arrivals in a one-second window. So the actual send
times are checked as well: never two sends closer than half a slot, and never
more than ``ceil(rate)`` sends within ``ceil(rate) / rate`` seconds (the window
the slots themselves would fill). After a stall the late lanes catch up at that
safe pace instead of bunching, and no time is lost for good. What is left is the
network's own jitter, which the gap between ``rate`` and Telegram's 30 absorbs
(at 29.5/s, up to 17 ms). A ``RetryAfter`` from Telegram pauses every lane of the
sender for the time Telegram asked, and the lanes then resume one slot at a time.
Each chat gets at most one message
per ``per_chat_interval`` seconds (a campaign sends one message per chat, so this
matters for previews and for several campaigns in a row).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
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
        self.min_gap = self.interval / 2
        self.window_count = max(1, math.ceil(rate))
        self.window = self.window_count / rate
        self._sent: deque[float] = deque(maxlen=self.window_count)
        self.held_back = 0  # times a late lane had to wait for the window or the gap
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
            while self._paused_until <= slot:
                wait = self._wait_for_window(self.clock())
                if wait <= 0:
                    self._sent.append(self.clock())
                    return
                self.held_back += 1
                await self.sleep(wait)
            # A pause began while we waited: take a new slot after it, so that the lanes
            # that were waiting do not all go at once when it ends.

    def _wait_for_window(self, now: float) -> float:
        if not self._sent:
            return 0.0
        wait = self._sent[-1] + self.min_gap - now
        if len(self._sent) == self.window_count:
            wait = max(wait, self._sent[0] + self.window - now)
        return wait

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
