"""Scheduled campaigns: start each one when it is due and send it, until told to stop.

Runs inside ``participa serve`` (one loop per replica; on PostgreSQL the replicas
share the work) and behind ``participa campaign send --wait``. A campaign left
half-sent by a stopped or crashed sender counts as due too, so it is finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import Engine

from bot.campaigns import service as campaigns
from bot.campaigns.broadcast.queue import SenderBusy
from bot.campaigns.broadcast.sender import FatalSendError, Sender, SenderConfig, api_from_settings
from bot.config import Settings, get_settings

log = logging.getLogger(__name__)
RESTART_SECONDS = 60.0


async def send_due(
    sender: Sender,
    engine: Engine | None = None,
    run: Callable[[int], Awaitable[bool]] | None = None,
) -> list[int]:
    """Start and send every campaign due now (``run`` sends one; the sender's own by default)."""
    run = run or sender.run_campaign
    worked: list[int] = []
    for campaign_id in await asyncio.to_thread(campaigns.due, engine=engine):
        if sender.stopping:
            break
        try:
            await asyncio.to_thread(campaigns.start, campaign_id, engine=engine)
        except campaigns.CampaignError:  # cancelled or rescheduled meanwhile
            continue
        await run(campaign_id)
        worked.append(campaign_id)
    return worked


async def send_due_forever(
    sender: Sender, stop: asyncio.Event, interval: float, engine: Engine | None = None
) -> None:
    """Look for due campaigns every ``interval`` seconds until ``stop`` is set."""
    watcher = asyncio.create_task(_stop_sender_on(stop, sender))
    try:
        while not stop.is_set():
            try:
                await send_due(sender, engine)
            except Exception as exc:  # a campaign problem must not end the loop
                log.error("broadcast.loop_failed", extra={"error": type(exc).__name__})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
    finally:
        watcher.cancel()


async def _stop_sender_on(stop: asyncio.Event, sender: Sender) -> None:
    await stop.wait()
    sender.stop()


async def run_scheduled_campaigns(
    stop: asyncio.Event, settings: Settings | None = None, engine: Engine | None = None
) -> None:
    """``participa serve``'s campaign sender: its own Bot API client and sender lease.

    If the sender cannot start (the database is away, another process holds its
    name) it says so in the log and tries again a minute later; a token Telegram
    rejects ends it (the bot itself cannot work either).
    """
    settings = settings or get_settings()
    api = api_from_settings(settings)
    try:
        while not stop.is_set():
            try:
                async with Sender(SenderConfig.from_settings(settings), api, engine) as sender:
                    log.info("broadcast.loop_started", extra={"lanes": sender.config.lanes})
                    await send_due_forever(sender, stop, settings.broadcast_check_seconds, engine)
                return
            except FatalSendError:
                log.error("broadcast.token_rejected")
                return
            except SenderBusy:
                log.error("broadcast.sender_name_in_use")
            except Exception as exc:
                log.error("broadcast.loop_failed", extra={"error": type(exc).__name__})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RESTART_SECONDS)
    finally:
        await api.aclose()
