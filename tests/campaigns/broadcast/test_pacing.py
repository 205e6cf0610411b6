"""The pacer on a simulated clock: evenly spaced slots, no bunching, pauses for every lane."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any

import pytest

from bot.campaigns.broadcast.pacing import Pacer


class SimulatedClock:
    """Time that passes only when every lane is asleep (the test checks logic, not the machine)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), future))
        await future

    async def run(self, *lanes: Coroutine[Any, Any, None]) -> None:
        tasks = [asyncio.create_task(lane) for lane in lanes]
        while not all(task.done() for task in tasks):
            for _ in range(20):  # let every lane run until it sleeps again
                await asyncio.sleep(0)
            if self._sleepers:
                wake, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, wake)
                future.set_result(None)
        for task in tasks:
            task.result()


async def sends(pacer: Pacer, clock: SimulatedClock, count: int, lanes: int = 1) -> list[float]:
    times: list[float] = []

    async def lane(n: int) -> None:
        for _ in range(n):
            await pacer.turn()
            times.append(clock())

    await clock.run(*(lane(count // lanes) for _ in range(lanes)))
    return sorted(times)


def most_in_one_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


@pytest.mark.parametrize("lanes", [1, 8])
async def test_never_more_than_the_rate_in_any_second(lanes: int) -> None:
    clock = SimulatedClock()
    pacer = Pacer(29.5, clock=clock, sleep=clock.sleep)
    times = await sends(pacer, clock, 240, lanes)
    assert most_in_one_second(times) <= 30
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 1 / 29.5 - 1e-9


async def test_after_a_stall_late_lanes_catch_up_without_bunching() -> None:
    clock = SimulatedClock()
    pacer = Pacer(29.5, clock=clock, sleep=clock.sleep)
    times: list[float] = []

    async def lane() -> None:
        for _ in range(30):
            await pacer.turn()
            times.append(clock())

    async def stall() -> None:
        await clock.sleep(0.5)
        clock.now += 0.2  # the machine freezes for 200 ms; every lane wakes up late

    await clock.run(*(lane() for _ in range(4)), stall())
    times.sort()
    assert len(times) == 120 and pacer.held_back >= 3, "the lanes asleep during the stall"
    assert most_in_one_second(times) <= 30
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.5 / 29.5 - 1e-9
    assert times[-1] - times[0] < 119 / 29.5 + 0.1, "most of the 200 ms stall is caught up"


async def test_retry_after_pauses_every_lane_and_they_resume_spaced() -> None:
    clock = SimulatedClock()
    pacer = Pacer(20, clock=clock, sleep=clock.sleep)
    await sends(pacer, clock, 5)
    paused_at = clock()
    pacer.pause(3)
    after = await sends(pacer, clock, 8, lanes=4)
    assert min(after) >= paused_at + 3
    assert min(b - a for a, b in zip(after, after[1:], strict=False)) >= 1 / 20 - 1e-9
    assert pacer.pauses == 1


async def test_one_message_per_second_per_chat() -> None:
    clock = SimulatedClock()
    pacer = Pacer(100, per_chat_interval=1.0, clock=clock, sleep=clock.sleep)
    moments: list[float] = []

    async def chats() -> None:
        for chat in (7, 8, 7):
            await pacer.chat_turn(chat)
            moments.append(clock())

    await clock.run(chats())
    assert moments[1] == moments[0], "another chat does not wait"
    assert moments[2] - moments[0] == pytest.approx(1.0)
