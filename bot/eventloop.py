"""The event loop the bot's long-running processes use: uvloop when it is installed.

``participa serve`` spends much of its CPU in the event loop itself and in the socket work of
its HTTP calls (getUpdates, sendMessage, the call to Rasa: several per message). uvloop (already
in requirements.lock, as uvicorn's loop) runs the same coroutines with a loop written in C:
the same replies in the same order, less CPU per message (benchmarks/bot_cpu.py). Where uvloop
is missing, or ``PARTICIPA_EVENT_LOOP=asyncio`` is set (to compare, or to rule the loop out
when chasing a problem), the standard loop runs as before.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
ENV = "PARTICIPA_EVENT_LOOP"


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's ``new_event_loop``, or None for the standard loop."""
    if os.environ.get(ENV, "").strip().lower() == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop  # type: ignore[no-any-return]


def loop_name() -> str:
    return "asyncio" if loop_factory() is None else "uvloop"


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` on the loop :func:`loop_factory` picks."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)
