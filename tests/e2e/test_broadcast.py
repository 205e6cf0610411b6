"""Campaigns against the Bot API emulator with Telegram's limits enforced (30 msg/s, 1 msg/s per chat).

The sender runs in-process for the behaviour tests, and as the real
``participa campaign send`` process for the crash-and-resume test (SIGKILL while
a message is in flight, then a restart) and for two senders sharing a campaign
on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.campaigns import service as campaigns
from bot.campaigns import subscriptions, telegram_chats
from bot.campaigns.broadcast.botapi import BotApi
from bot.campaigns.broadcast.sender import FatalSendError, Sender, SenderConfig
from bot.storage.db import session_scope
from bot.storage.models import Delivery, Subscriber
from tests.e2e.emulator import BotApiEmulator

FIRST_CHAT = 880_000
TEXT = "*Semana de Gobierno Abierto* 🗳️: del 1 al 5 de diciembre. <Entrada libre> & gratuita."
HTML = "<b>Semana de Gobierno Abierto</b> 🗳️: del 1 al 5 de diciembre. &lt;Entrada libre&gt; &amp; gratuita."
PLAIN = "Semana de Gobierno Abierto 🗳️: del 1 al 5 de diciembre. <Entrada libre> & gratuita."
PARTICIPA = Path(sys.executable).parent / "participa"


def audience(engine: Engine, emulator: BotApiEmulator, count: int, topic: str = "convocatorias") -> list[int]:
    chats = list(range(FIRST_CHAT, FIRST_CHAT + count))
    for chat in chats:
        subscriptions.subscribe(chat, topic, engine)
        emulator.add_chat(chat)
    return chats


def new_campaign(engine: Engine, **changes: object) -> int:
    values: dict[str, object] = {"title": "Semana de Gobierno Abierto", "text": TEXT,
                                 "topic": "convocatorias", "created_by": "pruebas"}
    values.update(changes)
    return campaigns.create(campaigns.CampaignDraft(**values), engine).id  # type: ignore[arg-type]


def received(emulator: BotApiEmulator, chats: list[int]) -> Counter[int]:
    return Counter({chat: len(emulator.sent_to(chat)) for chat in chats})


def delivery_states(engine: Engine, campaign_id: int) -> dict[int, str]:
    """Chat → state of its delivery."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(Subscriber.chat_id, Delivery.state)
            .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
            .where(Delivery.campaign_id == campaign_id)
        ).all()
    return {int(chat): state for chat, state in rows}


async def send_in_process(emulator: BotApiEmulator, engine: Engine, campaign_id: int,
                          **config: object) -> Sender:
    campaigns.start(campaign_id, engine)
    api = BotApi(emulator.token, emulator.base_url)
    settings: dict[str, object] = {"lanes": 4, "rate": 29.5, "backoff_seconds": 0.05}
    settings.update(config)
    try:
        async with Sender(SenderConfig("pruebas", **settings), api, engine) as sender:  # type: ignore[arg-type]
            assert await sender.run_campaign(campaign_id)
    finally:
        await api.aclose()
    return sender


async def test_everyone_gets_it_once_at_telegrams_pace_and_blocks_are_remembered(
    sqlite_engine: Engine,
) -> None:
    emulator = BotApiEmulator(rate_limit=30, per_chat_interval=1.0)
    await emulator.start()
    try:
        chats = audience(sqlite_engine, emulator, 90)
        blocked = chats[5:8]
        for chat in blocked:
            emulator.block(chat, notify=False)
        emulator.fail_next("sendMessage", times=2, retry_after=1)  # Telegram says "wait"
        emulator.fail_next("sendMessage", times=1, code=502)  # and has a hiccup
        campaign_id = new_campaign(sqlite_engine)
        sender = await send_in_process(emulator, sqlite_engine, campaign_id)

        got = received(emulator, chats)
        assert all(got[chat] == 1 for chat in chats if chat not in blocked), "everyone else, once"
        assert all(got[chat] == 0 for chat in blocked)
        message = emulator.sent_to(chats[0])[0]
        assert message.text == PLAIN and message.params["text"] == HTML
        assert sender.stats.retry_after >= 2 and sender.stats.transient >= 1
        states = delivery_states(sqlite_engine, campaign_id)
        assert {states[chat] for chat in blocked} == {"blocked"}
        assert all(telegram_chats.is_blocked(chat, sqlite_engine) for chat in blocked)
        report = campaigns.get(campaign_id, sqlite_engine)
        assert report.status == "done"
        assert (report.sent, report.blocked, report.failed, report.unknown) == (87, 3, 0, 0)
        assert report.duration_seconds and report.rate and report.rate <= 30

        second = new_campaign(sqlite_engine, title="Mesa de cocreación")
        assert campaigns.start(second, sqlite_engine) == 87, "who blocked the bot is left out"
    finally:
        await emulator.stop()


async def test_image_caption_and_link_button(sqlite_engine: Engine) -> None:
    emulator = BotApiEmulator(rate_limit=30, per_chat_interval=1.0)
    await emulator.start()
    try:
        chats = audience(sqlite_engine, emulator, 3)
        campaign_id = new_campaign(sqlite_engine, image="https://example.org/cartel.jpg",
                                   button_text="Ver el programa", button_url="https://example.org/p")
        await send_in_process(emulator, sqlite_engine, campaign_id)
        [sent] = emulator.sent_to(chats[1])
        assert sent.method == "sendPhoto" and sent.message["caption"] == PLAIN
        leave = {"text": "Dejar: Convocatorias y eventos", "callback_data": "/baja convocatorias"}
        assert sent.buttons == [{"text": "Ver el programa", "url": "https://example.org/p"}, leave]
    finally:
        await emulator.stop()


async def test_a_wrong_token_stops_before_claiming_anything(sqlite_engine: Engine) -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    try:
        audience(sqlite_engine, emulator, 2)
        campaign_id = new_campaign(sqlite_engine)
        campaigns.start(campaign_id, sqlite_engine)
        api = BotApi("999:wrong", emulator.base_url)
        with pytest.raises(FatalSendError):
            async with Sender(SenderConfig("pruebas"), api, sqlite_engine):
                pass
        await api.aclose()
        assert campaigns.progress(campaign_id, sqlite_engine)["pending"] == 2
    finally:
        await emulator.stop()


# -- the real sender process ------------------------------------------------------------------


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


async def sender_process(emulator: BotApiEmulator, database_url: str, *args: str,
                         sender_id: str = "pruebas") -> asyncio.subprocess.Process:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "BROADCAST_SENDER_ID": sender_id,
    }
    return await asyncio.create_subprocess_exec(
        str(PARTICIPA), "campaign", "send", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def finished(process: asyncio.subprocess.Process, timeout: float = 90) -> str:
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode == 0, stderr.decode()[-2000:]
    return stdout.decode()


@pytest.mark.parametrize("lanes", [1, 4])
async def test_killed_mid_campaign_and_restarted_no_duplicates_nobody_skipped(
    db_engine: Engine, lanes: int
) -> None:
    if lanes > 1 and db_engine.dialect.name == "sqlite":
        pytest.skip("one run with several lanes is enough (PostgreSQL)")
    emulator = BotApiEmulator(rate_limit=30, per_chat_interval=1.0, hang_after=25)
    await emulator.start()
    try:
        chats = audience(db_engine, emulator, 70)
        campaign_id = new_campaign(db_engine)
        first = await sender_process(emulator, url_of(db_engine), str(campaign_id), "--lanes", str(lanes))
        await asyncio.wait_for(emulator.hung.wait(), 60)  # a message is delivered, its answer held
        first.send_signal(signal.SIGKILL)
        await first.wait()
        in_flight = emulator.hung_chat
        assert in_flight in chats and len(emulator.sent_to(in_flight)) == 1
        assert campaigns.get(campaign_id, db_engine).status == "sending"

        output = await finished(await sender_process(emulator, url_of(db_engine), str(campaign_id),
                                                     "--lanes", str(lanes)))
        got = received(emulator, chats)
        assert max(got.values()) == 1, "nobody got it twice"
        states = delivery_states(db_engine, campaign_id)
        unknown = [chat for chat, state in states.items() if state == "unknown"]
        assert 1 <= len(unknown) <= lanes, "at most one message in flight per lane"
        assert in_flight in unknown and got[in_flight] == 1, "it was delivered, and not again"
        assert all(got[chat] == 1 for chat, state in states.items() if state == "sent"), "nobody skipped"
        assert set(states.values()) <= {"sent", "unknown"} and len(states) == len(chats)
        if lanes == 1:
            assert unknown == [in_flight] and min(got.values()) == 1, "everyone else exactly once"
        report = campaigns.get(campaign_id, db_engine)
        assert report.status == "done" and report.unknown == len(unknown)
        assert report.sent == len(chats) - len(unknown)
        assert f"desconocidos: {len(unknown)}" in output
    finally:
        await emulator.stop()


async def test_two_senders_share_a_campaign_on_postgresql(db_engine: Engine) -> None:
    if db_engine.dialect.name != "postgresql":
        pytest.skip("several senders need FOR UPDATE SKIP LOCKED (PostgreSQL)")
    emulator = BotApiEmulator(rate_limit=30, per_chat_interval=1.0)
    await emulator.start()
    try:
        chats = audience(db_engine, emulator, 150)
        campaign_id = new_campaign(db_engine)
        url = url_of(db_engine)
        # The two share Telegram's 30 msg/s, so each takes half.
        senders = [await sender_process(emulator, url, str(campaign_id), "--rate", "14.5", "--lanes", "3",
                                        sender_id=name) for name in ("envio-a", "envio-b")]
        await asyncio.gather(*(finished(process) for process in senders))
        got = received(emulator, chats)
        assert set(got.values()) == {1}, "everyone exactly once"
        with session_scope(db_engine) as session:
            by_sender = Counter(session.scalars(
                select(Delivery.claimed_by).where(Delivery.campaign_id == campaign_id)))
        assert set(by_sender) == {"envio-a", "envio-b"} and sum(by_sender.values()) == 150
        report = campaigns.get(campaign_id, db_engine)
        assert (report.status, report.sent, report.unknown) == ("done", 150, 0)
    finally:
        await emulator.stop()
