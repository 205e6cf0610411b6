"""An information request on Telegram, end to end: emulator → PTB → core → real Rasa → back.

Draft, filing by folio, the due date, the privacy notice pressed as a button,
``/mis_solicitudes``; then, with a fake clock (the day after the due date), the one reminder,
«No» pressed and the drafted recurso de revisión. The row is checked in PostgreSQL (it holds no
request text) and the reminder goes once however often the outbox runs.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.channels.telegram import channel_of
from bot.clock import local_today
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
    yesterday = local_today() - dt.timedelta(days=1)  # «ayer» where the person is
    async with running_bot(core, emulator, engine=pg_engine) as app:
        emulator.message(chat, "Quiero saber cuánto gana el presidente municipal de Ecatepec")
        draft = await emulator.wait_for(chat, 4)
        emulator.message(chat, "ya la mandé, mi folio es 00123/SAIMEX/IP/2026, ayer")
        *_, due, notice = await emulator.wait_for(chat, 6)
        assert store.mine(person_key(f"tg-{chat}"), pg_engine) == []  # nothing before consent
        emulator.press(chat, "Sí, guárdala")
        *_, saved = await emulator.wait_for(chat, 7)
        emulator.message(chat, "/mis_solicitudes")
        *_, mine = await emulator.wait_for(chat, 8)
        expected = deadline(yesterday, "mun:15033")
        channel = channel_of(app)
        await channel.deliver_info_reminders(app.bot, today=expected.due)
        assert len(emulator.outbox[chat]) == 8  # not on the due date itself
        day_after = expected.due + dt.timedelta(days=1)
        assert await channel.deliver_info_reminders(app.bot, today=day_after) >= 1
        await channel.deliver_info_reminders(app.bot, today=day_after)  # the outbox runs again
        *_, reminder = await emulator.wait_for(chat, 9)
        emulator.press(chat, "No")
        *_, intro, recurso, notes = await emulator.wait_for(chat, 12)
    request = html.unescape(draft[1].text)
    assert request.startswith("A la Unidad de Transparencia del Ayuntamiento de Ecatepec de Morelos:")
    assert "del presidente municipal de Ecatepec" in request
    assert f"tienen hasta el {format_day(expected.due, locale='es_MX')}" in html.unescape(due.text)
    assert [b["text"] for b in notice.buttons] == ["Sí, guárdala", "No, gracias"]
    assert "la guardé" in saved.text
    assert "Folio 00123/SAIMEX/IP/2026, Ayuntamiento de Ecatepec de Morelos" in html.unescape(mine.text)
    assert html.unescape(reminder.text).startswith(
        "¿Te respondieron? Tu solicitud con folio 00123/SAIMEX/IP/2026")
    assert [b["text"] for b in reminder.buttons] == ["Sí", "No"]
    assert "recurso de revisión" in intro.text
    assert html.unescape(recurso.text).startswith("Recurso de revisión")
    assert f"que venció el {format_day(expected.due, locale='es_MX')}" in html.unescape(recurso.text)
    assert "Por confirmar" in notes.text
    assert len(emulator.outbox[chat]) == 12  # nothing more: one reminder
    with session_scope(pg_engine) as session:
        row = session.scalar(select(InfoRequest).where(InfoRequest.person_key == person_key(f"tg-{chat}")))
        assert row is not None and (row.body_key, row.filed_on) == ("mun:15033", yesterday)
        assert (row.chat_id, row.outcome) == (chat, "sin_respuesta")
        assert "presidente" not in " ".join(str(v) for v in vars(row).values())  # never the text
