"""A person on Telegram, end to end: emulator → PTB → core → real Rasa + action server → back.

Uses the session's one Rasa stack (tests/conftest.py) with PostgreSQL.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy.engine import Engine

from bot.campaigns import telegram_chats
from bot.content.chat import chat_content
from bot.content.faq import faq_catalog
from bot.content.hotlines import hotlines
from bot.content.render import render_answer
from bot.conversation.core import ConversationCore
from bot.conversation.safety import safety_net
from tests.e2e.conftest import running_bot
from tests.e2e.emulator import BotApiEmulator

pytestmark = pytest.mark.integration


def menu_titles() -> list[str]:
    return [b.title for b in chat_content().menu.buttons]


async def test_start_greets_with_the_menu_as_buttons(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(101, "/start")
        [greeting] = await emulator.wait_for(101)
    assert "Participa" in greeting.text
    assert [b["text"] for b in greeting.buttons] == menu_titles()
    assert all(len(b["callback_data"].encode()) <= 64 for b in greeting.buttons)


async def test_start_with_a_deep_link_records_the_campaign(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    before = telegram_chats.deep_link_counts(pg_engine).get("radio_mexiquense", 0)
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(102, "/start radio_mexiquense")
        [greeting] = await emulator.wait_for(102)
    assert "Participa" in greeting.text, "the same greeting as a plain /start"
    assert telegram_chats.deep_link_counts(pg_engine)["radio_mexiquense"] == before + 1


async def test_a_faq_question_gets_its_sourced_answer(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(103, "que es el gobierno abierto")
        [answer] = await emulator.wait_for(103)
    assert answer.text == render_answer(faq_catalog().by_id()["que_es_gobierno_abierto"])


async def test_details_and_sources_by_tap_and_by_typing(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    """«Más detalles» and «Fuentes» work as Telegram buttons, and typed, after a real answer."""
    entry = faq_catalog().by_id()["que_es_gobierno_abierto"]
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(110, "que es el gobierno abierto")
        [answer] = await emulator.wait_for(110)
        emulator.press(110, "Más detalles")
        [_, details] = await emulator.wait_for(110, 2)
        emulator.message(110, "fuentes")
        [*_, sources] = await emulator.wait_for(110, 3)
    assert [b["text"] for b in answer.buttons] == ["Más detalles", "Fuentes"]
    assert details.text == (entry.details or "").strip()
    assert all(s.ref in html.unescape(sources.text) for s in entry.sources)


async def test_an_emergency_gets_the_lines_at_once(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(104, "mi esposo me golpea y tengo miedo, ayuda")
        [reply] = await emulator.wait_for(104)
    lines = {line.id: line.number for line in hotlines().lines}
    for line_id in safety_net().line_ids:  # the lines the emergency message promises
        assert lines[line_id] in reply.text
    assert "911" in reply.text
    assert reply.buttons, "a button to look for a centre"


async def test_menu_and_topic_buttons_lead_to_a_sourced_answer(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    """A whole conversation by taps only: menu → all topics → one topic → one question."""
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(105, "/start")
        await emulator.wait_for(105, 1)
        emulator.press(105, "Ver todos los temas")
        [_, topics] = await emulator.wait_for(105, 2)
        first_topic = topics.buttons[0]["text"]
        emulator.press(105, first_topic)
        [*_, questions] = await emulator.wait_for(105, 3)
        question = questions.buttons[0]["text"]
        emulator.press(105, question)
        [*_, answer] = await emulator.wait_for(105, 4)
    entry = next(e for e in faq_catalog().entries if e.title == question)
    assert answer.text == render_answer(entry)
    assert all(emulator.callback_answered(str(i)) for i in range(1, 4))


async def test_a_shared_location_gets_an_answer(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.location(106, 19.2826, -99.6557)  # Toluca
        replies = await emulator.wait_for(106)
    assert hotlines().lines[0].number in replies[0].text


async def test_a_stale_button_gets_a_polite_reply(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.callback(107, "k:ffffffffffffffff")  # a key from before a restart
        emulator.callback(108, '/elegir_tema{"tema":"ya_no_existe"}')  # an entry since removed
        [stale] = await emulator.wait_for(107)
        [removed] = await emulator.wait_for(108)
    assert stale.text == chat_content().core_text("stale_button")
    assert "ya no está disponible" in removed.text
    assert stale.buttons and removed.buttons


async def test_an_oversize_message_is_declined_kindly(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(109, "palabra " * 512)  # 4,096 characters, Telegram's maximum
        [reply] = await emulator.wait_for(109)
    assert "muy largo" in reply.text


async def test_a_429_burst_delays_but_loses_no_answer(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    # Telegram's 429 forced on the first three sends, not provoked by speed: a loaded machine
    # may send too slowly to pass a per-second limit, and the test must fail only for a bug.
    emulator.fail_next("sendMessage", times=3, retry_after=1)
    chats = list(range(110, 125))
    async with running_bot(core, emulator, engine=pg_engine):
        for chat in chats:
            emulator.message(chat, "hola")
        for chat in chats:
            [greeting] = await emulator.wait_for(chat, timeout=40)
            assert "Participa" in greeting.text
    sends = emulator.calls_to("sendMessage")
    refused = [c for c in sends if c.status == 429]
    assert len(refused) == 3
    first = refused[0]
    [delivered] = [c for c in sends if c.status == 200 and c.params.get("chat_id") == first.params["chat_id"]]
    assert delivered.at - first.at >= 0.9, "the bot waited retry_after before sending again"


async def test_a_user_who_blocked_the_bot_is_not_retried(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    emulator.block(126, notify=False)
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(126, "que es el gobierno abierto")
        await emulator.settle(1.0)
    assert [c.status for c in emulator.calls_to("sendMessage", 126)] == [403]
    assert telegram_chats.is_blocked(126, pg_engine)


async def test_a_full_proposal_with_buttons_is_stored_with_a_folio(
    emulator: BotApiEmulator, core: ConversationCore, pg_engine: Engine
) -> None:
    """The problem-tree form over Telegram: theme and consent by button, the rest typed."""
    import re

    from sqlalchemy import select

    from bot.storage.db import session_scope
    from bot.storage.models import Proposal

    chat = 130
    async with running_bot(core, emulator, engine=pg_engine):
        emulator.message(chat, "/propuesta")
        sent = await emulator.wait_for(chat, 2)  # the introduction, then step 1 with theme buttons
        assert "Paso 1 de 8" in sent[-1].text
        steps: list[tuple[str, str]] = [
            ("press", "Seguridad"),  # a theme and municipality no other test uses, so no
            ("type", "Temascaltepec"),  # "similar proposal" step (the database is shared)
            ("type", "Las luminarias de la calle principal llevan semanas apagadas y está muy oscuro"),
            ("type", "no sé"),
            ("type", "no sé"),
            ("type", "no sé"),
            ("type", "Que reparen las luminarias y revisen el alumbrado cada mes"),
            ("press", "No, gracias"),
            ("press", "Enviar propuesta"),
        ]
        for kind, value in steps:
            count = len(emulator.sent_to(chat))
            if kind == "press":
                emulator.press(chat, value)
            else:
                emulator.message(chat, value)
            sent = await emulator.wait_for(chat, count + 1)
    done = sent[-1].text
    match = re.search(r"folio (P-\d{4}-\d{6})", done)
    assert match, done
    with session_scope(pg_engine) as session:
        proposal = session.scalars(select(Proposal).where(Proposal.folio == match.group(1))).one()
        assert (proposal.theme, proposal.municipality, proposal.channel) == (
            "seguridad", "Temascaltepec", "telegram"
        )
