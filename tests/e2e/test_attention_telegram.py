"""Talk to a person through the real Telegram front (PTB against the Bot API emulator).

A citizen asks for a person, accepts the notice, writes; the STL's reply (queued as the
dashboard queues it) reaches the chat exactly once; the bot stays quiet until the request is
closed; an emergency during the handover still gets the emergency reply. No Rasa: the button
payload is what the menu button and Rasa's ``hablar_persona`` intent both lead to.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import Engine
from telegram.ext import Application

from bot.attention import service
from bot.channels.telegram import channel_of
from bot.conversation.core import ConversationCore
from tests.e2e.conftest import running_bot
from tests.e2e.emulator import BotApiEmulator

CHAT = 7401234567
SENDER = f"tg-{CHAT}"


@asynccontextmanager
async def bot(emulator: BotApiEmulator, engine: Engine) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    emulator.add_chat(CHAT)
    async with running_bot(ConversationCore(None, record_usage=False, engine=engine), emulator,
                           engine=engine) as app:
        yield app


async def ask_for_a_person(emulator: BotApiEmulator) -> None:
    emulator.message(CHAT, "/hablar_persona")
    [notice] = await emulator.wait_for(CHAT)
    assert "Aviso de privacidad" in notice.text
    emulator.press(CHAT, "Sí, acepto")
    opened = (await emulator.wait_for(CHAT, 2))[-1]
    assert "Te contesta una persona" in opened.text or "fuera de horario" in opened.text
    assert [b["text"] for b in opened.buttons] == ["Terminar"]


async def test_a_reviewer_answers_and_the_bot_stays_quiet_until_closed(
        emulator: BotApiEmulator, sqlite_engine: Engine) -> None:
    async with bot(emulator, sqlite_engine) as app:
        await ask_for_a_person(emulator)
        emulator.message(CHAT, "Mandé una solicitud de información y no me contestan")
        received = await emulator.wait_for(CHAT, 3)
        assert "Recibido" in received[-1].text
        emulator.message(CHAT, "¿qué es el gobierno abierto?")
        await emulator.settle(1.0)
        assert len(emulator.sent_to(CHAT)) == 3, "the bot stays quiet while the team attends"

        request_id = service.open_request_id(SENDER, sqlite_engine)
        assert request_id is not None
        assert service.staff_reply(request_id, "ana", "Hola, soy del STL. ¿Qué folio tiene? <b>x</b>",
                                   engine=sqlite_engine)
        channel = channel_of(app)
        sent = await asyncio.gather(channel.deliver_attention(app.bot),
                                    channel.deliver_attention(app.bot))
        assert sum(sent) == 1, "two deliverers at once send it once"
        reply = (await emulator.wait_for(CHAT, 4))[-1]
        assert reply.text == "Equipo del STL: Hola, soy del STL. ¿Qué folio tiene? <b>x</b>"
        assert await channel.deliver_attention(app.bot) == 0

        emulator.message(CHAT, "me está golpeando ahorita mi esposo, ayúdenme")
        emergency = (await emulator.wait_for(CHAT, 5))[-1]
        assert "911" in emergency.text

        assert service.close(request_id, "ana", "Se le orientó", "El equipo del STL cerró esta "
                             "conversación.", engine=sqlite_engine)
        assert await channel.deliver_attention(app.bot) == 1
        assert "cerró esta conversación" in (await emulator.wait_for(CHAT, 6))[-1].text
        emulator.message(CHAT, "hola")
        back = (await emulator.wait_for(CHAT, 7))[-1]
        assert "Equipo del STL" not in back.text and back.buttons, "the bot answers again"


async def test_terminar_ends_the_handover(emulator: BotApiEmulator, sqlite_engine: Engine) -> None:
    async with bot(emulator, sqlite_engine):
        await ask_for_a_person(emulator)
        emulator.press(CHAT, "Terminar")
        ended = (await emulator.wait_for(CHAT, 3))[-1]
        assert "Vuelves a hablar con Participa" in ended.text
    assert service.open_request_id(SENDER, sqlite_engine) is None


async def test_the_staff_group_hears_of_a_request_waiting_too_long(
        emulator: BotApiEmulator, sqlite_engine: Engine) -> None:
    group = -1001234
    emulator.add_chat(group)
    emulator.add_chat(CHAT)
    core = ConversationCore(None, record_usage=False, engine=sqlite_engine)
    async with running_bot(core, emulator, engine=sqlite_engine, attention_alert_chat_id=group,
                           attention_alert_minutes=1) as app:
        await ask_for_a_person(emulator)
        channel = channel_of(app)
        await channel.deliver_attention(app.bot)
        assert emulator.sent_to(group) == [], "not yet overdue"
        channel.alert_minutes = 0
        await channel.deliver_attention(app.bot)
        await channel.deliver_attention(app.bot)
        [alert] = await emulator.wait_for(group)
        assert "/stl/atencion" in alert.text and "1 solicitud" in alert.text
        await emulator.settle(0.5)
        assert len(emulator.sent_to(group)) == 1, "one alert per request"
