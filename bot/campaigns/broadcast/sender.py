"""The campaign sender: each subscriber gets a campaign once, even if the sender is killed.

A sender is one process with a stable name (``--sender-id``, the host name by
default) running ``lanes`` workers. Each lane repeats three steps, each step its
own committed transaction or request:

1. **claim** one pending delivery row (``pending → claimed``, stamped with the
   sender's name and lane);
2. **send** it with one Bot API request;
3. **record** the answer (``claimed → sent | blocked | failed | unknown``).

Why no one gets a campaign twice and no one is skipped:

- Rows exist once per (campaign, subscriber): a unique constraint, and they are
  created in the same transaction that moves the campaign to ``sending``
  (:func:`bot.campaigns.service.start`), which only one caller can do.
- A message is sent only for a row its lane has claimed, and the claim is
  committed *before* the request leaves. A claim is atomic: PostgreSQL locks the
  chosen row (``FOR UPDATE SKIP LOCKED``, so concurrent senders take different
  rows without waiting); SQLite locks the database for the write.
- Nothing turns a claimed row back into a pending one, except when Telegram's
  last answer for it said it did not take the message (401/404: wrong token; or
  a 429 while the sender is being stopped). The same lane retries the same row
  after a 429 (``retry_after``), a 5xx or a connection that never opened; it
  never retries after a request that went out and got no answer (that message
  is ``unknown``).
- A lane claims its next row only after recording the previous one, so a lane
  holds at most one claimed row, and a sender at most ``lanes``.
- If the sender dies (SIGKILL, power cut), its claimed rows are exactly the
  messages that were in flight. When it starts again under the same name it
  turns them into ``unknown`` — they may or may not have reached the person, and
  sending them again could be a duplicate — and carries on with the pending rows,
  which nobody has touched. If it never comes back, any other sender does the
  same once the dead one's heartbeat is older than ``stale_after``.

So after a crash every subscriber has the campaign exactly once, except at most
one message per lane, reported as ``unknown`` (``--lanes 1`` gives at most one
per sender). Lanes exist because Telegram answers in tens to hundreds of
milliseconds: one message in flight at a time would stay far below 30 per second.

Pace: :mod:`bot.campaigns.broadcast.pacing` (overall rate, one per second per chat,
RetryAfter pauses every lane). Blocked people are marked
(:func:`bot.campaigns.telegram_chats.mark_blocked`) and left out of later campaigns.
Logs name campaigns and counts, never a chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from bot.campaigns import service as campaigns
from bot.campaigns import telegram_chats
from bot.campaigns.broadcast import queue
from bot.campaigns.broadcast.botapi import BotApi, CampaignMessage
from bot.campaigns.broadcast.pacing import Pacer
from bot.config import Settings, get_settings

log = logging.getLogger(__name__)
DB_RETRIES = 5


class FatalSendError(Exception):
    """Telegram refuses every message (wrong token or API address): stop the campaign."""


@dataclass
class SenderConfig:
    sender_id: str
    lanes: int = 8
    rate: float = 29.5
    per_chat_interval: float = 1.0
    transient_retries: int = 5
    backoff_seconds: float = 0.5
    retry_after_attempts: int = 20
    heartbeat_seconds: float = 5.0
    stale_after_seconds: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> SenderConfig:
        settings = settings or get_settings()
        values: dict[str, Any] = {
            "sender_id": settings.broadcast_sender_id or socket.gethostname(),
            "lanes": settings.broadcast_lanes,
            "rate": settings.broadcast_messages_per_second,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class SendStats:
    """What this process did (other senders may share the campaign: the database has the totals)."""

    sent: int = 0
    blocked: int = 0
    failed: int = 0
    unknown: int = 0
    retry_after: int = 0
    transient: int = 0
    recovered: int = 0
    lost_results: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, state: str) -> None:
        if state in ("sent", "blocked", "failed", "unknown"):
            setattr(self, state, getattr(self, state) + 1)


class Sender:
    def __init__(self, config: SenderConfig, api: BotApi, engine: Engine | None = None) -> None:
        self.config = config
        self.api = api
        self.engine = engine
        self.pacer = Pacer(config.rate, config.per_chat_interval)
        self.stats = SendStats()
        self.token = queue.process_token()
        self._stopping = asyncio.Event()
        self._heartbeat: asyncio.Task[None] | None = None

    # -- lifecycle ------------------------------------------------------------------------

    async def __aenter__(self) -> Sender:
        checked = await self.api.check()
        if checked.kind == "fatal":
            raise FatalSendError(checked.error or "")
        stale = dt.timedelta(seconds=self.config.stale_after_seconds)
        await self._db(queue.acquire_lease, self.config.sender_id, self.token, stale)
        self.stats.recovered = await self._db(queue.recover, self.config.sender_id)
        if self.stats.recovered:
            log.warning("broadcast.recovered_unknown", extra={"count": self.stats.recovered})
        self._heartbeat = asyncio.create_task(self._beat())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
        with contextlib.suppress(Exception):
            await self._db(queue.release_lease, self.config.sender_id, self.token)

    def stop(self) -> None:
        """Finish the messages in flight, claim no more (a clean stop leaves nothing unknown)."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    async def _beat(self) -> None:
        stale = dt.timedelta(seconds=self.config.stale_after_seconds)
        while True:
            await asyncio.sleep(self.config.heartbeat_seconds)
            try:
                if not await asyncio.to_thread(queue.heartbeat, self.config.sender_id, self.token,
                                               engine=self.engine):
                    log.error("broadcast.lease_lost")
                    self.stop()
                    return
                dead = await asyncio.to_thread(queue.recover_dead, stale, engine=self.engine)
                if dead:
                    log.warning("broadcast.dead_sender_claims_unknown", extra={"count": dead})
            except Exception as exc:  # the database blinked: try again next beat
                log.warning("broadcast.heartbeat_failed", extra={"error": type(exc).__name__})

    # -- one campaign ---------------------------------------------------------------------

    async def run_campaign(self, campaign_id: int) -> bool:
        """Send this campaign's pending deliveries; True when the campaign is complete."""
        campaign = await self._db(campaigns.get, campaign_id)
        message = CampaignMessage.of(campaign)
        abort = asyncio.Event()
        log.info("broadcast.campaign_started", extra={"campaign": campaign_id,
                                                       "lanes": self.config.lanes})
        lanes = [
            asyncio.create_task(self._lane(lane, campaign_id, message, abort))
            for lane in range(self.config.lanes)
        ]
        results = await asyncio.gather(*lanes, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        done = bool(await self._db(campaigns.finish_if_complete, campaign_id))
        log.info("broadcast.campaign_stopped" if not done else "broadcast.campaign_done",
                 extra={"campaign": campaign_id, "sent": self.stats.sent,
                        "blocked": self.stats.blocked, "failed": self.stats.failed,
                        "unknown": self.stats.unknown})
        return done

    async def _lane(self, lane: int, campaign_id: int, message: CampaignMessage,
                    abort: asyncio.Event) -> None:
        sender_id = self.config.sender_id
        while not (self.stopping or abort.is_set()):
            claim = await self._db(queue.claim_next, campaign_id, sender_id, lane)
            if claim is None:
                return
            try:
                state, error = await self._deliver(claim.chat_id, message)
            except FatalSendError:
                abort.set()
                await self._db(queue.release, claim.delivery_id, sender_id)
                raise
            if state == "release":  # stopping while Telegram made us wait: never sent
                await self._db(queue.release, claim.delivery_id, sender_id)
                return
            if state == "blocked":
                await self._db(telegram_chats.mark_blocked, claim.chat_id)
            if await self._db(queue.record, claim.delivery_id, sender_id, state, error):
                self.stats.add(state)
            else:
                self.stats.lost_results += 1
                log.warning("broadcast.result_lost", extra={"state": state})

    async def _deliver(self, chat_id: int, message: CampaignMessage) -> tuple[str, str | None]:
        """Send one message, honouring RetryAfter and retrying transient errors; its final state."""
        await self.pacer.chat_turn(chat_id)
        transient = waits = 0
        while True:
            # The slot is taken right before the request (not before the claim), so the time
            # the database takes never bunches requests up at Telegram's end.
            await self.pacer.turn()
            outcome = await self.api.send(chat_id, message)
            if outcome.kind in ("sent", "blocked", "failed", "unknown"):
                if outcome.kind == "blocked":
                    log.info("broadcast.blocked", extra={"chat": telegram_chats.chat_hash(chat_id)[:12]})
                return outcome.kind, outcome.error
            if outcome.kind == "fatal":
                raise FatalSendError(outcome.error or "")
            if outcome.kind == "retry_after":
                self.stats.retry_after += 1
                waits += 1
                if waits > self.config.retry_after_attempts:
                    return "failed", outcome.error
                self.pacer.pause(outcome.retry_after)
            else:  # transient
                self.stats.transient += 1
                transient += 1
                if transient > self.config.transient_retries:
                    return "failed", outcome.error
                await asyncio.sleep(self.config.backoff_seconds * 2 ** (transient - 1))
            if self.stopping:
                return "release", None

    # -- storage --------------------------------------------------------------------------

    async def _db(self, function: Callable[..., Any], *args: Any) -> Any:
        """A storage call in a thread, retried a few times if the database is briefly away."""
        for attempt in range(DB_RETRIES):
            try:
                return await asyncio.to_thread(function, *args, engine=self.engine)
            except (queue.SenderBusy, campaigns.CampaignError):
                raise
            except Exception as exc:
                if attempt == DB_RETRIES - 1:
                    raise
                log.warning("broadcast.storage_retry", extra={"error": type(exc).__name__})
                await asyncio.sleep(0.5 * 2**attempt)
        raise AssertionError("unreachable")


def api_from_settings(settings: Settings | None = None) -> BotApi:
    settings = settings or get_settings()
    if not settings.telegram_bot_token:
        raise RuntimeError("Falta TELEGRAM_BOT_TOKEN")
    return BotApi(settings.telegram_bot_token, settings.telegram_api_base_url)
