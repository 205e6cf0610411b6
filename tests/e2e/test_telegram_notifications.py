"""A proposal's status change reaches its author on Telegram, only when they consented."""

from __future__ import annotations

import uuid

from sqlalchemy.engine import Engine

from bot.channels.telegram import channel_of
from bot.proposals import service as svc
from tests.e2e.conftest import ScriptedCore, running_bot
from tests.e2e.emulator import BotApiEmulator

AUTHOR, SILENT, BLOCKED = 7770001, 7770002, 7770003


def _proposal(engine: Engine, chat: int, consent: bool) -> str:
    draft = svc.Draft(theme="seguridad", municipality_code="15033", municipality="Ecatepec de Morelos",
                      problem="No hay alumbrado en la calle y asaltan a la gente", causes=None,
                      effects=None, affected=None, solution="Poner luminarias")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender=f"tg-{chat}", channel="telegram",
                          consent=consent, engine=engine)
    assert proposal.folio
    return proposal.folio


async def test_status_change_is_told_in_the_chat(emulator: BotApiEmulator, sqlite_engine: Engine) -> None:
    told = _proposal(sqlite_engine, AUTHOR, consent=True)
    silent = _proposal(sqlite_engine, SILENT, consent=False)
    for folio in (told, silent):
        svc.set_status(folio, "turnada", actor="stl", note="Va a la mesa de seguridad <b>1</b>",
                       engine=sqlite_engine)
    emulator.add_chat(AUTHOR)
    emulator.add_chat(SILENT)
    async with running_bot(ScriptedCore(), emulator, engine=sqlite_engine) as app:
        delivered = await channel_of(app).deliver_notifications(app.bot)
        [message] = await emulator.wait_for(AUTHOR)
        assert delivered == 1
        assert told in message.text and "Turnada a mesa de cocreación" in message.text
        assert "Va a la mesa de seguridad <b>1</b>" in message.text, "the note arrives escaped, as text"
        assert emulator.sent_to(SILENT) == []
        assert await channel_of(app).deliver_notifications(app.bot) == 0, "sent once"


async def test_a_blocked_author_is_not_retried(emulator: BotApiEmulator, sqlite_engine: Engine) -> None:
    folio = _proposal(sqlite_engine, BLOCKED, consent=True)
    svc.set_status(folio, "en_revision", actor="stl", engine=sqlite_engine)
    emulator.add_chat(BLOCKED)
    emulator.block(BLOCKED, notify=False)
    async with running_bot(ScriptedCore(), emulator, engine=sqlite_engine) as app:
        assert await channel_of(app).deliver_notifications(app.bot) == 0
        await channel_of(app).deliver_notifications(app.bot)
    assert len(emulator.calls_to("sendMessage", BLOCKED)) == 1
    assert svc.pending_notifications("telegram", engine=sqlite_engine) == []
