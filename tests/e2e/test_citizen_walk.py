"""A citizen's walk, end to end: words instead of buttons, typos, «simón» and «nel», a change of
mind halfway, and the bot (and Rasa) restarted in the middle of a conversation.

Emulator → PTB → core → the session's real Rasa and action server (PostgreSQL tracker store).
A restart of the bot is a new core and a new application on the same database: nothing of the
old process's memory is left, as after a deploy. A restart of Rasa is the session's server
stopped and started again (``RunningServers.restart_rasa``). Every conversation checks what the
person read and what was stored. The terminal (``participa chat``) walks the same kinds at the end.
"""

from __future__ import annotations

import asyncio
import html
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from bot.campaigns import subscriptions as subs
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.identity import person_key
from bot.inforequests import store as info_store
from bot.rasa.servers import RunningServers
from bot.storage.db import session_scope
from bot.storage.models import Proposal
from tests.e2e.conftest import running_bot
from tests.e2e.emulator import BotApiEmulator

pytestmark = pytest.mark.integration

TURN_TIMEOUT = 90.0  # Rasa on a loaded machine, and its first answer after a restart


class Walk:
    """One person typing to the bot; each step returns what the bot answered to it."""

    def __init__(self, emulator: BotApiEmulator, chat: int) -> None:
        self.emulator = emulator
        self.chat = chat
        self.log: list[str] = []

    async def _answer(self, before: int) -> list[str]:
        await self.emulator.wait_for(self.chat, before + 1, timeout=TURN_TIMEOUT)
        await self.emulator.settle(0.8)
        new = [html.unescape(s.text) for s in self.emulator.sent_to(self.chat)[before:]]
        self.log += new
        return new

    async def say(self, words: str) -> str:
        before = len(self.emulator.sent_to(self.chat))
        self.log.append(f"> {words}")
        self.emulator.message(self.chat, words)
        return "\n".join(await self._answer(before))

    async def tap(self, title: str) -> str:
        before = len(self.emulator.sent_to(self.chat))
        self.log.append(f"[{title}]")
        self.emulator.press(self.chat, title)
        return "\n".join(await self._answer(before))

    def buttons(self) -> list[str]:
        last = [s for s in self.emulator.sent_to(self.chat) if s.buttons]
        return [b["text"] for b in last[-1].buttons] if last else []

    def transcript(self) -> str:
        return "\n".join(self.log)


@asynccontextmanager
async def bot_process(emulator: BotApiEmulator, rasa_stack: RunningServers,
                      pg_engine: Engine) -> AsyncIterator[None]:
    """One life of the bot process: a fresh core (no memory of earlier lives) and application."""
    client = RasaClient(rasa_stack.rasa_url, timeout=60)
    core = ConversationCore(client, engine=pg_engine)
    try:
        async with running_bot(core, emulator, engine=pg_engine):
            yield
    finally:
        await core.flush_usage()
        await client.aclose()


def proposals_of(pg_engine: Engine, chat: int) -> list[dict[str, object]]:
    with session_scope(pg_engine) as session:
        rows = session.scalars(select(Proposal).where(Proposal.author_key == person_key(f"tg-{chat}")))
        return [{"theme": p.theme, "municipality": p.municipality, "channel": p.channel,
                 "problem": p.problem, "causes": p.causes, "contact": p.contact is not None, "folio": p.folio,
                 "public": p.public_record}
                for p in rows]


def tracker_texts(pg_engine: Engine, sender: str) -> str:
    with pg_engine.connect() as conn:
        rows = conn.execute(text("select data from events where sender_id = :s"), {"s": sender}).all()
    return "\n".join(row[0] or "" for row in rows).lower()


async def test_a_proposal_told_in_words_survives_a_restart_of_the_bot_and_of_rasa(
    emulator: BotApiEmulator, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    chat = 8801
    walk = Walk(emulator, chat)
    async with bot_process(emulator, rasa_stack, pg_engine):
        opened = await walk.say("ola kiero aser una propuesta, ay mucha vasura tirada en mi colonia")
        assert "parece de «Medio ambiente»" in opened, walk.transcript()  # «vasura»: walk8
        asked = await walk.say("simon")
        assert "municipio" in asked, walk.transcript()
        asked = await walk.say("sn felipe del progreso")  # a municipality no other test uses
        assert "problema central" in asked, walk.transcript()
    await asyncio.to_thread(rasa_stack.restart_rasa)  # both down, then both up again
    async with bot_process(emulator, rasa_stack, pg_engine):
        asked = await walk.say(
            "el camion de la basura no pasa desde hace tres semanas y se junta en las esquinas")
        assert "causas" in asked, walk.transcript()
        old = await walk.tap("Movilidad")  # the theme keyboard of step 1, tapped at step 4
        assert "no lo tomé como respuesta" in old and "causas" in old, walk.transcript()
        assert "consecuencias" in await walk.say("no se"), walk.transcript()
        assert "quiénes afecta" in await walk.say("nel"), walk.transcript()
        assert "propones" in await walk.say("no sé"), walk.transcript()
        asked = await walk.say("que pongan un horario fijo del camion y contenedores en las esquinas")
        assert "¿Quieres que te avisemos aquí" in asked, walk.transcript()
        summary = await walk.say("nel")  # no notices, no contact
        assert "Revisa tu propuesta" in summary and "San Felipe del Progreso" in summary, walk.transcript()
    async with bot_process(emulator, rasa_stack, pg_engine):  # restarted at the summary
        sent = await walk.say("a huevo")
        if "Guardar la mía" in walk.buttons():  # similar proposals offered first
            sent = await walk.say("no, la mía es otra")
        assert "ficha pública" in sent, walk.transcript()
        published = await walk.say("ok va")
        assert "Tablero Público" in published, walk.transcript()
    [proposal] = proposals_of(pg_engine, chat)
    assert (proposal["theme"], proposal["municipality"], proposal["channel"]) == (
        "medio_ambiente", "San Felipe del Progreso", "telegram"), walk.transcript()
    assert "tres semanas" in str(proposal["problem"])
    assert proposal["causes"] is None, "the old «Movilidad» button is no answer"
    assert proposal["contact"] is False and proposal["public"] is True
    assert str(proposal["folio"]) in walk.transcript()
    assert "problema técnico" not in walk.transcript()


async def test_changing_the_subject_halfway_asks_before_dropping_the_proposal(
    emulator: BotApiEmulator, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    chat = 8802
    walk = Walk(emulator, chat)
    async with bot_process(emulator, rasa_stack, pg_engine):
        await walk.say("quiero proponer algo de los baches de mi calle")
        asked = await walk.say("sale")
        assert "municipio" in asked, walk.transcript()
        await walk.say("tejupilco")
        # Kept as the central problem before walk8; now the bot asks.
        ask = await walk.say("mejor no, quiero saber de los contratos")
        assert "¿Quieres cancelar tu propuesta?" in ask, walk.transcript()
        done = await walk.say("simón")
        assert "cancelé tu propuesta" in done, walk.transcript()
        answer = await walk.say("quiero saber de los contratos")
        assert "contrat" in answer.lower() and "propuesta" not in answer.lower(), walk.transcript()
    assert proposals_of(pg_engine, chat) == []


async def test_an_information_request_survives_restarts_and_is_kept_with_simon(
    emulator: BotApiEmulator, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    chat = 8803
    walk = Walk(emulator, chat)
    async with bot_process(emulator, rasa_stack, pg_engine):
        await walk.say("/solicitud")
        draft = await walk.say("cuánto gastó la fiscalía en patrullas en 2024")
        assert "Solicito" in draft and "Fiscalía" in draft, walk.transcript()
        assert "patrullas, con las facturas" in draft, walk.transcript()  # «en 2024» went twice
        assert "correspondiente al año 2024" in draft, walk.transcript()
        nothing = await walk.say("cancelar")  # it said «No tienes ninguna propuesta en curso»
        assert "No hay nada en curso que cancelar" in nothing, walk.transcript()
        asked = await walk.say("/solicitud")
        assert "¿Qué información quieres pedir?" in asked, walk.transcript()
    async with bot_process(emulator, rasa_stack, pg_engine):  # restarted while it waits
        asked = await walk.say("cuanto gana el director de obras publicas")
        assert "¿A qué institución" in asked, walk.transcript()
        draft = await walk.say("nesa")
        assert "A la Unidad de Transparencia del Ayuntamiento de Nezahualcóyotl" in draft, walk.transcript()
    async with bot_process(emulator, rasa_stack, pg_engine):  # restarted after the draft
        due = await walk.say("ya la mande, mi folio es 00777/SAIMEX/IP/2026, ayer")
        assert "Nezahualcóyotl" in due and "15 días hábiles" in due, walk.transcript()
        saved = await walk.say("simón")
        assert "la guardé" in saved, walk.transcript()
    [row] = info_store.mine(person_key(f"tg-{chat}"), pg_engine)
    assert "director" not in " ".join(str(v) for v in vars(row).values())


async def test_subscribing_and_leaving_in_words_and_an_old_button_after_a_restart(
    emulator: BotApiEmulator, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    chat = 8804
    walk = Walk(emulator, chat)
    async with bot_process(emulator, rasa_stack, pg_engine):
        notice = await walk.say("quiero recibir noticias de contrataciones")
        assert "necesito tu permiso" in notice, walk.transcript()
        assert subs.get(chat, engine=pg_engine) is None  # nothing before consent
        done = await walk.say("a huevo")
        assert "¿Quieres recibir también las noticias de tu municipio?" in done, walk.transcript()
        placed = await walk.say("izcali")
        assert "Cuautitlán Izcalli" in placed, walk.transcript()
    current = subs.get(chat, engine=pg_engine)
    assert current is not None and current.topics == ["contrataciones"]
    async with bot_process(emulator, rasa_stack, pg_engine):
        old = await walk.tap("Sí, acepto")  # the old notice's button, after the restart
        assert old == "Ya recibes las noticias de «Contrataciones públicas».", walk.transcript()
        left = await walk.say("ya no me manden nada")
        assert "ya no te mandaré noticias" in left, walk.transcript()
        assert subs.get(chat, engine=pg_engine) is None
        erase = await walk.say("borra mis datos")
        assert "¿Borro tus datos?" in erase and "1 mensajes" not in erase, walk.transcript()
        erased = await walk.say("sale")
        assert "borré tus datos" in erased, walk.transcript()


async def test_a_violence_conversation_leaves_no_text_even_across_a_restart(
    emulator: BotApiEmulator, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    chat = 8805
    walk = Walk(emulator, chat)
    async with bot_process(emulator, rasa_stack, pg_engine):
        first = await walk.say("mi pareja me pega cuando toma y no se a donde ir")
        assert "911" in first, walk.transcript()
        asked = await walk.say("donde hay un centro de atencion cerca")
        assert "¿En qué municipio estás?" in asked, walk.transcript()
    async with bot_process(emulator, rasa_stack, pg_engine):  # restarted while it asks where
        centres = await walk.say("ecatepec")
        assert "Ecatepec" in centres and "problema técnico" not in centres, walk.transcript()
    stored = tracker_texts(pg_engine, f"tg-{chat}")
    assert stored, "the conversation is in Rasa's store, without its words"
    for fragment in ("pega", "pareja", "toma", "ecatepec", "centro de atencion"):
        assert fragment not in stored, fragment


async def test_the_terminal_walks_the_same_kinds(core: ConversationCore) -> None:
    """``participa chat``: the notice names no «este chat», news and a person need Telegram and
    it says so, yes-no answered «a huevo» and «ándale», «cancelar» and «borra mis datos» in words."""
    from bot.channels.terminal import respond

    sender = f"terminal-{uuid.uuid4().hex[:8]}"

    async def say(words: str) -> str:
        turn = await respond(core, sender, words)
        return "\n".join(r.text for r in turn.replies)

    notice = await say("aviso de privacidad")
    assert "este chat" not in notice and "tu chat de Telegram" in notice
    news = await say("quiero recibir noticias")
    assert "solo llegan por Telegram" in news and "/suscribir" in news
    person = await say("quiero hablar con una persona")
    assert "Telegram" in person or "no te atiende una persona" in person
    opened = await say("kiero proponer algo, ay vaches en toda mi calle")
    assert "parece de «Movilidad»" in opened
    asked = await say("a huevo")
    assert "municipio" in asked
    cancelled = await say("cancelar")
    assert "¿Quieres cancelar tu propuesta?" in cancelled
    assert "cancelé" in await say("ándale")
    erase = await say("borra mis datos")
    assert "¿Borro tus datos?" in erase
    assert "borré tus datos" in await say("sale")
