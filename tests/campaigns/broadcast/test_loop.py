"""The scheduled-campaign loop of ``participa serve``: a campaign is sent when its time comes."""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy import update
from sqlalchemy.engine import Engine

from bot.campaigns import service as campaigns
from bot.campaigns import subscriptions
from bot.campaigns.broadcast.loop import run_scheduled_campaigns
from bot.config import Settings
from bot.storage.db import session_scope
from bot.storage.models import Campaign
from tests.e2e.emulator import BotApiEmulator

CHATS = range(7_400_000, 7_400_004)


async def test_a_due_campaign_is_sent_by_the_loop_and_a_future_one_waits(db_engine: Engine) -> None:
    emulator = BotApiEmulator(rate_limit=30, per_chat_interval=1.0)
    await emulator.start()
    stop = asyncio.Event()
    try:
        for chat in CHATS:
            subscriptions.subscribe(chat, "gobierno_abierto", db_engine)
            emulator.add_chat(chat)
        due, later = (campaigns.create(campaigns.CampaignDraft(
            title=title, text=title, topic="gobierno_abierto", created_by="pruebas",
            at="2099-12-01T10:00"), db_engine).id for title in ("Ya toca", "Después"))
        with session_scope(db_engine) as session:  # its time has come
            session.execute(update(Campaign).where(Campaign.id == due).values(
                scheduled_at=campaigns.utcnow()))
        settings = Settings(telegram_bot_token=emulator.token, telegram_api_base_url=emulator.base_url,
                            broadcast_check_seconds=0.1, broadcast_sender_id="serve-pruebas")
        loop = asyncio.create_task(run_scheduled_campaigns(stop, settings, db_engine))
        for _ in range(200):
            if campaigns.get(due, db_engine).status == "done":
                break
            await asyncio.sleep(0.1)
        assert campaigns.get(due, db_engine).sent == len(CHATS)
        assert [emulator.texts(chat) for chat in CHATS] == [["Ya toca"]] * len(CHATS)
        assert campaigns.get(later, db_engine).status == "scheduled"
        stop.set()
        await asyncio.wait_for(loop, 10)
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await emulator.stop()
