"""On Telegram, typing words at every step: emulator → PTB → core → real Rasa → back.

The same person as tests/integration/test_dialogue_with_rasa.py, end to end: she never taps a
button, answers «sí» and «no gracias», asks a question at the summary, and sends in words.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
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
