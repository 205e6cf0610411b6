"""A supporter asks «avísame cómo va» on Telegram, accepts the notice, and hears of a status change once."""

from __future__ import annotations

import uuid

from sqlalchemy.engine import Engine

from bot.channels.telegram import channel_of
from bot.conversation.core import ConversationCore
from bot.proposals import service as svc
from tests.e2e.conftest import running_bot
from tests.e2e.emulator import BotApiEmulator

SUPPORTER, OTHER = 7_400_001, 7_400_002


async def test_a_supporter_who_asked_is_told_once(emulator: BotApiEmulator, sqlite_engine: Engine) -> None:
    draft = svc.Draft(theme="seguridad", municipality_code="15033", municipality="Ecatepec de Morelos",
                      problem="No hay alumbrado en la calle y asaltan a la gente", causes=None,
                      effects=None, affected=None, solution="Poner luminarias")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender="tg-7400000", channel="telegram",
                          consent=False, engine=sqlite_engine)
    folio = str(proposal.folio)
    for chat in (SUPPORTER, OTHER):
        assert svc.adhere(folio, f"tg-{chat}", sqlite_engine) == "adhered"
        emulator.add_chat(chat)
    core = ConversationCore(None, record_usage=False, engine=sqlite_engine)
    async with running_bot(core, emulator, engine=sqlite_engine) as app:
        emulator.message(SUPPORTER, f"avísame cómo va {folio}")
        [notice] = await emulator.wait_for(SUPPORTER, 1)
        assert "Aviso de privacidad simplificado" in notice.text
        emulator.press(SUPPORTER, "Sí, acepto")
        done = (await emulator.wait_for(SUPPORTER, 2))[-1]
        assert f"Te avisaré aquí cuando la propuesta {folio} cambie de estado" in done.text

        svc.set_status(folio, "turnada", actor="stl", note="Va a la mesa de seguridad", engine=sqlite_engine)
        assert await channel_of(app).deliver_notifications(app.bot) == 1
        update = (await emulator.wait_for(SUPPORTER, 3))[-1]
        assert update.text.startswith(f"La propuesta {folio} que apoyas cambió de estado: Turnada")
        assert "Nota del STL: Va a la mesa de seguridad" in update.text
        assert await channel_of(app).deliver_notifications(app.bot) == 0, "sent once"
    assert len(emulator.sent_to(SUPPORTER)) == 3
    assert emulator.sent_to(OTHER) == [], "a supporter who did not ask hears nothing"
