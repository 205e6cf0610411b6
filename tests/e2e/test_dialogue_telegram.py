"""On Telegram, typing words at every step: emulator → PTB → core → real Rasa → back.

The same person as tests/integration/test_dialogue_with_rasa.py, end to end: she never taps a
button, answers «sí» and «no gracias», asks a question at the summary, and sends in words.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.rasa.servers import RunningServers
from tests.e2e.conftest import running_bot
from tests.e2e.emulator import BotApiEmulator

pytestmark = pytest.mark.integration

CHAT = 7780001
WORDS = [
    ("Hay baches enormes en la avenida principal de mi colonia y nadie los repara", "¿Es correcto?"),
    ("sí", "Paso 2 de 8"),
    ("Almoloya de Alquisiras", "Paso 4 de 8"),
    ("Falta de mantenimiento", "Paso 5 de 8"),
    ("no sé", "Paso 6 de 8"),
    ("Unas 200 familias", "Paso 7 de 8"),
    ("Que reparen los baches cada año", "Aviso de privacidad"),
    ("no gracias", "Revisa tu propuesta"),
    ("que es una mesa de cocreacion?", "Tu propuesta sigue aquí"),
    ("si, enviala", "quedó registrada con el folio"),
]


async def test_a_whole_proposal_typed_in_words_on_telegram(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    async with running_bot(core, emulator, engine=pg_engine):
        for text, expected in WORDS:
            before = len(emulator.outbox.get(CHAT, []))
            emulator.message(CHAT, text)
            await emulator.wait_for(CHAT, before + 1, timeout=60)
            await emulator.settle(0.5)
            said = "\n".join(s.text for s in emulator.outbox[CHAT][before:])
            assert expected in said, f"after «{text}»: {said}"
            assert "problema técnico" not in said and "No estoy segura" not in said
        status = len(emulator.outbox[CHAT])
        emulator.message(CHAT, "/mis_propuestas")
        await emulator.wait_for(CHAT, status + 1, timeout=60)
    folio = re.findall(r"P-\d{4}-\d{6}", "\n".join(emulator.texts(CHAT)))
    assert folio and folio[-1] in emulator.texts(CHAT)[-1]


async def say_on(emulator: BotApiEmulator, chat: int, text: str) -> str:
    """One typed message, and everything the bot answered to it."""
    before = len(emulator.outbox.get(chat, []))
    emulator.message(chat, text)
    await emulator.wait_for(chat, before + 1, timeout=60)
    await emulator.settle(0.5)
    return "\n".join(s.text for s in emulator.outbox[chat][before:])


async def test_a_typed_yes_after_a_restart_answers_the_question_asked_before_it(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine, rasa_stack: RunningServers
) -> None:
    """«/cancel» mid-interview asks first; the bot and Rasa restart; «sí» typed still cancels."""
    chat = CHAT + 1
    async with running_bot(core, emulator, engine=pg_engine):
        for text in ("/propuesta", "Movilidad", "Metepec"):
            await say_on(emulator, chat, text)
        asked = await say_on(emulator, chat, "/cancel")
        assert "¿Quieres cancelar tu propuesta?" in asked, asked
        assert "Paso" not in asked, "one prompt: the question waits for its answer"
    rasa_stack.restart_rasa()
    fresh = ConversationCore(core.rasa, engine=pg_engine)  # a new process: nothing in memory
    async with running_bot(fresh, emulator, engine=pg_engine):
        done = await say_on(emulator, chat, "sí")
    assert "cancelé" in done, done
