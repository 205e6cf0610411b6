"""A restart with people writing: ``participa serve`` answers them only once Rasa has loaded.

Real Rasa (the session's stack, restarted here) and a real ``participa serve`` process behind the
Bot API emulator. Messages are sent while Rasa is down and loading; each gets its real answer and
nobody reads "problema técnico".
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bot.content.faq import faq_catalog
from bot.content.render import render_answer
from bot.rasa.servers import RunningServers, rasa_is_up
from tests.e2e.emulator import BotApiEmulator
from tests.e2e.test_serve import serving, wait_health

pytestmark = pytest.mark.integration

GREETER, ASKER = 7790001, 7790002


async def test_messages_sent_while_rasa_loads_get_real_answers(
    emulator: BotApiEmulator, rasa_stack: RunningServers, tmp_path  # type: ignore[no-untyped-def]
) -> None:
    port = int(rasa_stack.rasa_url.rsplit(":", 1)[1])
    restart = asyncio.create_task(asyncio.to_thread(rasa_stack.restart_rasa))
    while await asyncio.to_thread(rasa_is_up, rasa_stack.rasa_url):
        await asyncio.sleep(0.1)
    async with serving(emulator, tmp_path, port) as (_process, base):
        await wait_health(base, "down")
        emulator.message(GREETER, "/start")
        emulator.message(ASKER, "que es el gobierno abierto")
        async with httpx.AsyncClient() as client:
            loading = await client.get(f"{base}/readyz")
        assert loading.status_code == 503, "not ready while Rasa loads"
        await restart
        [greeting] = await emulator.wait_for(GREETER, timeout=120)
        [answer] = await emulator.wait_for(ASKER, timeout=120)
    assert "Participa" in greeting.text and greeting.buttons
    assert answer.text == render_answer(faq_catalog().by_id()["que_es_gobierno_abierto"])
    everything = "\n".join(emulator.texts(GREETER) + emulator.texts(ASKER))
    assert "problema técnico" not in everything
