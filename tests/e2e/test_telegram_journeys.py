"""Participa's other journeys as a citizen walks them on Telegram (round 9): the information
request, the news, the contract search and the centre finder, in words instead of buttons, with
the bot restarted halfway. Emulator → PTB → core → the session's real Rasa and action server.

Each step checks what the person read; nothing may show a technical problem or lose what she
already gave. (Photos, voice notes, edits and unknown commands: tests/e2e/test_telegram_channel.py.)
"""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bot.campaigns import service as campaigns
from bot.campaigns import subscriptions as subs
from bot.campaigns.broadcast.botapi import BotApi
from bot.campaigns.broadcast.sender import Sender, SenderConfig
from bot.procurement import service as procurement
from bot.rasa.servers import RunningServers
from tests.e2e.emulator import BotApiEmulator
from tests.e2e.test_citizen_walk import Walk, bot_process

pytestmark = pytest.mark.integration


def no_error(walk: Walk) -> None:
    transcript = walk.transcript()
    assert "problema técnico" not in transcript and "Traceback" not in transcript, transcript


async def test_an_information_request_in_words_across_a_restart(
    emulator: BotApiEmulator, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    walk = Walk(emulator, rasa_stack, pg_engine, 9101)
    async with bot_process(emulator, rasa_stack, pg_engine):
        which = await walk.say("quiero saber cuántos policías hay en tenango")
        assert "¿Cuál de estos municipios?" in which, walk.transcript()
        draft = await walk.say("el del valle")  # the button, typed by its name
        assert "Unidad de Transparencia del Ayuntamiento de Tenango del Valle" in draft, walk.transcript()
        await walk.say("/solicitud")
        asked = await walk.say("cuánto se gastó en luminarias")
        assert "¿A qué institución" in asked, walk.transcript()
    async with bot_process(emulator, rasa_stack, pg_engine):  # restarted while it asks
        asked = await walk.say("metepec")
        assert "Ayuntamiento de Metepec" in asked and "Solicito" not in asked, walk.transcript()
        again = await walk.say("gracias")  # it drafted «Solicito la siguiente información: gracias»
        assert "Solicito" not in again and "Ayuntamiento de Metepec" in again, walk.transcript()
        draft = await walk.say("cuánto se gastó en luminarias en 2025")
        assert "Ayuntamiento de Metepec" in draft and "luminarias" in draft, walk.transcript()
        await walk.say("quiero saber cuanto gana el tesorero")
        dropped = await walk.say("nel")
        assert "dejé la solicitud" in dropped, walk.transcript()
    no_error(walk)


async def test_news_chosen_in_words_arrive_and_are_left_from_the_news(
    emulator: BotApiEmulator, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    chat = 9102
    walk = Walk(emulator, rasa_stack, pg_engine, chat)
    async with bot_process(emulator, rasa_stack, pg_engine):
        topics = await walk.say("quiero que me lleguen noticias")
        assert "¿De qué tema quieres recibir noticias?" in topics, walk.transcript()
        notice = await walk.say("la de contrataciones")  # it went to the contracts menu
        assert "necesito tu permiso" in notice and "Contrataciones públicas" in notice, walk.transcript()
        asked = await walk.say("simon")
        assert "municipio" in asked, walk.transcript()
        placed = await walk.say("tenancingo")
        assert "Tenancingo" in placed, walk.transcript()
        current = subs.get(chat, engine=pg_engine)
        assert current is not None and current.topics == ["contrataciones"]
        campaign = campaigns.create(campaigns.CampaignDraft(
            title="Contratos abiertos", text="*Taller* de contratos abiertos", topic="contrataciones",
            created_by="pruebas", municipalities=["Tenancingo"]), pg_engine)
        assert campaigns.start(campaign.id, pg_engine) >= 1
        before = len(emulator.sent_to(chat))
        api = BotApi(emulator.token, emulator.base_url)
        async with Sender(SenderConfig("journeys", lanes=1), api, pg_engine) as sender:
            assert await sender.run_campaign(campaign.id)
        await api.aclose()
        await emulator.wait_for(chat, before + 1, timeout=60)
        assert "Taller de contratos abiertos" in emulator.sent_to(chat)[-1].text
        left = await walk.tap("Dejar: Contrataciones públicas")  # from the news itself
        assert "borré este chat de mi lista de envíos" in left, walk.transcript()
    assert subs.get(chat, engine=pg_engine) is None
    no_error(walk)


async def test_a_contract_search_paged_in_words_downloaded_and_after_a_restart(
    emulator: BotApiEmulator, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    for path in procurement.bundled_files():
        procurement.load_source(str(path), engine=pg_engine)  # quick when already loaded
    chat = 9103
    walk = Walk(emulator, rasa_stack, pg_engine, chat)
    async with bot_process(emulator, rasa_stack, pg_engine):
        first = await walk.say("contratos de la secretaria de finansas")
        assert "SECRETARÍA DE FINANZAS" in first and "del 1 al 5" in first, walk.transcript()
        assert "del 6 al 8" in await walk.say("más"), walk.transcript()
        assert "Ya te mostré todos los resultados" in await walk.say("siguiente"), walk.transcript()
        await walk.say("descargalos en excel")
        assert emulator.calls_to("sendDocument", chat), walk.transcript()
        none = await walk.say("contratos de paracaidas voladores")
        assert "No encontré contratos" in none, walk.transcript()
        imss = await walk.say("contratos del imss")
        assert "Instituto Mexicano del Seguro Social" in imss and "del 1 al 5" in imss, walk.transcript()
    async with bot_process(emulator, rasa_stack, pg_engine):  # the «más» button of before
        assert "del 6 al 10" in await walk.tap("Ver más resultados"), walk.transcript()
        assert "del 11 al 15" in await walk.say("siguiente"), walk.transcript()
    no_error(walk)


async def test_the_centre_finder_typed_without_accents_and_by_location(
    emulator: BotApiEmulator, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    chat = 9104
    walk = Walk(emulator, rasa_stack, pg_engine, chat)
    async with bot_process(emulator, rasa_stack, pg_engine):
        asked = await walk.say("donde hay un centro de atencion para mujeres")
        assert "¿En qué municipio estás?" in asked, walk.transcript()
        centres = await walk.say("naucalpan")
        assert "Naucalpan de Juárez" in centres and "1. " in centres, walk.transcript()
        assert emulator.calls_to("sendVenue", chat), "every centre arrives, with its map"
        far = await walk.say("centro de atencion en ixtapan del oro")
        assert "Ixtapan del Oro" in far, walk.transcript()
        before = len(emulator.sent_to(chat))
        emulator.location(chat, 19.2826, -99.6557)  # Toluca
        await emulator.wait_for(chat, before + 2, timeout=90)
        assert "más cercanos a tu ubicación" in emulator.sent_to(chat)[before].text
    no_error(walk)
