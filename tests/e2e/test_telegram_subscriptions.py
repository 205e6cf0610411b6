"""A person subscribes through the real Telegram channel, gets a campaign, and leaves with plain words."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.campaigns import service as campaigns
from bot.campaigns import subscriptions
from bot.campaigns.broadcast.botapi import BotApi
from bot.campaigns.broadcast.sender import Sender, SenderConfig
from bot.conversation.core import ConversationCore
from tests.e2e.conftest import running_bot
from tests.e2e.emulator import BotApiEmulator

PERSON = 7_300_001


async def test_subscribe_receive_and_leave_on_telegram(
    emulator: BotApiEmulator, sqlite_engine: Engine
) -> None:
    core = ConversationCore(None, record_usage=False, engine=sqlite_engine)
    async with running_bot(core, emulator, engine=sqlite_engine):
        emulator.message(PERSON, "/suscribir")
        [intro] = await emulator.wait_for(PERSON, 1)
        assert "¿De qué tema quieres recibir noticias?" in intro.text
        emulator.press(PERSON, "Convocatorias y eventos")
        notice = (await emulator.wait_for(PERSON, 2))[-1]
        assert "Aviso de privacidad simplificado" in notice.text
        assert subscriptions.get(PERSON, sqlite_engine) is None, "nothing stored yet"
        emulator.press(PERSON, "Sí, acepto")
        done, ask = (await emulator.wait_for(PERSON, 4))[-2:]
        assert "«Convocatorias y eventos»" in done.text and "municipio" in ask.text
        emulator.message(PERSON, "vivo en izcalli")
        [*_, municipality] = await emulator.wait_for(PERSON, 5)
        assert "Cuautitlán Izcalli" in municipality.text

        campaign = campaigns.create(campaigns.CampaignDraft(
            title="Mesa en Izcalli", text="*Mesa de cocreación* en tu municipio", topic="convocatorias",
            created_by="pruebas", municipalities=["Cuautitlán Izcalli"]), sqlite_engine)
        assert campaigns.start(campaign.id, sqlite_engine) == 1
        api = BotApi(emulator.token, emulator.base_url)
        async with Sender(SenderConfig("pruebas", lanes=2), api, sqlite_engine) as sender:
            assert await sender.run_campaign(campaign.id)
        await api.aclose()
        [*_, news] = await emulator.wait_for(PERSON, 6)
        assert news.text == "Mesa de cocreación en tu municipio"
        assert news.params["text"] == "<b>Mesa de cocreación</b> en tu municipio"

        assert [b["text"] for b in news.buttons] == ["Dejar: Convocatorias y eventos"]
        emulator.press(PERSON, "Dejar: Convocatorias y eventos")  # leaving from the news itself
        [*_, left] = await emulator.wait_for(PERSON, 7)
        assert "borré este chat de mi lista de envíos" in left.text, left.text
        assert subscriptions.get(PERSON, sqlite_engine) is None
        emulator.message(PERSON, "Ya no me manden nada, gracias")
        [*_, bye] = await emulator.wait_for(PERSON, 8)
        assert "no te mandaré noticias" in bye.text
        assert subscriptions.get(PERSON, sqlite_engine) is None
        second = campaigns.create(campaigns.CampaignDraft(
            title="Otra", text="Otra noticia", topic="convocatorias", created_by="pruebas"), sqlite_engine)
        assert campaigns.start(second.id, sqlite_engine) == 0
