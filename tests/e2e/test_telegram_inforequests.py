"""An information request on Telegram, end to end: emulator → PTB → core → real Rasa → back.

Draft, filing by folio, the due date, the privacy notice pressed as a button, and
``/mis_solicitudes``; the row is checked in PostgreSQL (and holds no request text).
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.i18n import format_day
from bot.identity import person_key
from bot.inforequests import store
from bot.inforequests.deadlines import deadline
from bot.storage.db import session_scope
from bot.storage.models import InfoRequest
from tests.e2e.conftest import running_bot
from tests.e2e.emulator import BotApiEmulator

pytestmark = pytest.mark.integration


async def test_draft_filing_deadline_and_my_requests(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    chat = 4701
    yesterday = dt.date.today() - dt.timedelta(days=1)
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(chat, "Quiero saber cuánto gana el presidente municipal de Ecatepec")
        draft = await emulator.wait_for(chat, 4)
        emulator.message(chat, "ya la mandé, mi folio es 00123/SAIMEX/IP/2026, ayer")
        *_, due, notice = await emulator.wait_for(chat, 6)
        assert store.mine(person_key(f"tg-{chat}"), pg_engine) == []  # nothing before consent
        emulator.press(chat, "Sí, guárdala")
        *_, saved = await emulator.wait_for(chat, 7)
        emulator.message(chat, "/mis_solicitudes")
        *_, mine = await emulator.wait_for(chat, 8)
    request = html.unescape(draft[1].text)
    assert request.startswith("A la Unidad de Transparencia del Ayuntamiento de Ecatepec de Morelos:")
    assert "del presidente municipal de Ecatepec" in request
    expected = deadline(yesterday, "mun:15033")
    assert f"tienen hasta el {format_day(expected.due, locale='es_MX')}" in html.unescape(due.text)
    assert [b["text"] for b in notice.buttons] == ["Sí, guárdala", "No, gracias"]
    assert "la guardé" in saved.text
    assert "Folio 00123/SAIMEX/IP/2026, Ayuntamiento de Ecatepec de Morelos" in html.unescape(mine.text)
    with session_scope(pg_engine) as session:
        row = session.scalar(select(InfoRequest).where(InfoRequest.person_key == person_key(f"tg-{chat}")))
        assert row is not None and (row.body_key, row.filed_on) == ("mun:15033", yesterday)
        assert "presidente" not in " ".join(str(v) for v in vars(row).values())  # never the text
