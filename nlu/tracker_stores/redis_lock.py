"""Rasa's Redis lock store, with its Redis round trips off the event loop.

Configured in the endpoints file that ``bot/rasa/servers.py`` writes when Rasa runs several
Sanic workers::

    lock_store:
      type: tracker_stores.redis_lock.ThreadedRedisLockStore
      url: 127.0.0.1
      ...

Same locks, same keys and the same rules as ``rasa.core.lock_store.RedisLockStore`` (one turn
per conversation at a time, across every Rasa process); only where the calls run changes. Rasa
calls its synchronous Redis client from the event loop, about seven round trips per message
(issue a ticket, check it, finish serving, see whether someone waits, delete): each one stopped
the whole Sanic worker, and every conversation in it, until Redis answered. Here they run in a
worker thread, so the event loop goes on with other conversations meanwhile.
"""

import asyncio
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional, Text, Tuple

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class ThreadedRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa builds a lock store named by module path
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _ticket_and_lock(
        self, conversation_id: Text, lock_lifetime: float
    ) -> Tuple[int, Optional[TicketLock]]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        return ticket, self.get_lock(conversation_id)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        ticket, lock = await asyncio.to_thread(
            self._ticket_and_lock, conversation_id, lock_lifetime
        )
        try:
            yield await self._wait_for_turn(conversation_id, ticket, lock, wait_time_in_seconds)
        finally:
            await asyncio.to_thread(self.cleanup, conversation_id, ticket)

    async def _wait_for_turn(
        self,
        conversation_id: Text,
        ticket: int,
        lock: Optional[TicketLock],
        wait_time_in_seconds: float,
    ) -> TicketLock:
        """Rasa's ``_acquire_lock`` with the first read already done and the rest in a thread."""
        while lock:
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            await asyncio.to_thread(self.update_lock, conversation_id)
            lock = await asyncio.to_thread(self.get_lock, conversation_id)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
