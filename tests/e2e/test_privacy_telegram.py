"""Privacy through the real Telegram front (PTB against the Bot API emulator), without Rasa.

- /privacidad, /mis_datos (text and a JSON file), /borrar with its buttons, a stale button.
- The logs of a whole proposal intake, captured at DEBUG: no chat id, no name, no typed text,
  no contact data, no shared location. Rasa's part of the intake (asking each step, saving)
  is played here by the scripted core and the real proposals service, as the action server
  would call it; tests/integration/test_privacy_with_rasa.py runs the same check with Rasa.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid

import pytest
from sqlalchemy.engine import Engine

from bot.channels.telegram import channel_of
from bot.conversation.replies import Button, Reply, Turn
from bot.conversation.safety import Level
from bot.logs import cap_library_loggers
from bot.privacy import dialogue as flows
from bot.proposals import service as svc
from tests.e2e.conftest import ScriptedCore, running_bot
from tests.e2e.emulator import BotApiEmulator

CHAT = 7318249561
NAME = "Rosalba"
EMAIL = "rosalba.jacaranda@example.org"
PROBLEM = "En la calle Jacarandas de la colonia Xinantécatl no hay alumbrado desde marzo"
CAUSES = "El municipio no repara las luminarias fundidas de la Jacarandas"
AFFECTED = "Unas 80 familias de la privada Tulipanes"
SOLUTION = "Cambiar las luminarias de la Jacarandas por lámparas LED"
LOCATION = (19.287613, -99.653281)
DRAFT = svc.Draft(theme="seguridad", municipality_code="15106", municipality="Toluca", problem=PROBLEM,
                  causes=CAUSES, effects=None, affected=AFFECTED, solution=SOLUTION)


class IntakeCore(ScriptedCore):
    """The real core (safety net, privacy, offline replies) with Rasa's intake played by a script.

    Each step's reply echoes what the person typed, as Rasa's summary does, so replies carry
    personal data through the channel; confirming saves through the real proposals service.
    """

    def __init__(self, engine: Engine, sender: str) -> None:
        steps = [("quiero proponer algo", "¿De qué tema es tu propuesta?"),
                 ("Seguridad", "¿En qué municipio?"), ("Toluca", "¿Cuál es el problema central?"),
                 (PROBLEM, "¿Por qué crees que pasa?"),
                 (CAUSES, "¿Qué consecuencias tiene?"), ("no sé", "¿A quiénes afecta?"),
                 (AFFECTED, "¿Qué propones?"), (SOLUTION, "Aviso de privacidad… ¿Aceptas?"),
                 ("Sí, acepto", "Déjanos un correo o un teléfono."),
                 (EMAIL, f"Revisa tu propuesta: {PROBLEM} / {SOLUTION} / contacto {EMAIL}")]
        script = {typed: [Reply(f"Anotado: «{typed}». {ask}")] for typed, ask in steps}
        script[EMAIL] = [Reply(steps[-1][1], buttons=[Button("Enviar propuesta", "/confirmar_propuesta")])]
        super().__init__(script)
        self.engine = engine
        self.sender = sender
        self.folio = ""

    async def handle(self, sender: str, text: str | None, channel: str = "terminal",
                     level: Level | None = None) -> Turn:
        if text == "/confirmar_propuesta":
            saved = await asyncio.to_thread(
                svc.submit, DRAFT, intake_key=uuid.uuid4().hex, sender=sender, channel=channel,
                consent=True, contact_info=EMAIL, engine=self.engine)
            self.folio = saved.folio or ""
            return Turn(text, "confirmar_propuesta", 1.0, False,
                        [Reply(f"¡Listo! Tu propuesta quedó registrada con el folio {self.folio}.")])
        return await super().handle(sender, text, channel, level=level)


def texts(emulator: BotApiEmulator) -> str:
    return "\n".join(sent.text for sent in emulator.sent_to(CHAT))


async def say(emulator: BotApiEmulator, text: str) -> str:
    before = len(emulator.sent_to(CHAT))
    emulator.message(CHAT, text)
    await emulator.wait_for(CHAT, before + 1)
    await emulator.settle()
    return "\n".join(s.text for s in emulator.sent_to(CHAT)[before:])


async def press(emulator: BotApiEmulator, title: str) -> str:
    before = len(emulator.sent_to(CHAT))
    emulator.press(CHAT, title)
    await emulator.wait_for(CHAT, before + 1)
    await emulator.settle()
    return "\n".join(s.text for s in emulator.sent_to(CHAT)[before:])


async def test_privacy_commands_through_telegram(emulator: BotApiEmulator, sqlite_engine: Engine) -> None:
    emulator.add_chat(CHAT, first_name=NAME)
    core = IntakeCore(sqlite_engine, f"tg-{CHAT}")
    async with running_bot(core, emulator, engine=sqlite_engine):
        assert "Aviso de privacidad simplificado" in await say(emulator, "/privacidad")
        assert "No guardo ningún dato tuyo" in await say(emulator, "/mis_datos")
        await say(emulator, EMAIL)
        assert "folio P-" in await press(emulator, "Enviar propuesta")

        summary = await say(emulator, "/mis_datos@Participa_bot")
        assert core.folio in summary and EMAIL in summary
        [document] = emulator.calls_to("sendDocument", CHAT)
        upload = document.params["document"]
        assert upload["upload"] == "mis_datos_participa.json"
        exported = json.loads(upload["data"])
        assert exported["datos"]["propuestas"][0]["problema"] == PROBLEM

        question = await say(emulator, "/borrar")
        assert "registro público" in question
        done = await press(emulator, "Sí, bórralo")
        assert "borré tus datos" in done
        assert svc.mine(f"tg-{CHAT}", engine=sqlite_engine) == []
        kept = svc.get(core.folio, engine=sqlite_engine)
        assert kept is not None and kept.problem == PROBLEM and kept.contact is None

        stale = flows.confirm_payload(f"tg-{CHAT}", now=time.time() - 3600)
        before = len(emulator.sent_to(CHAT))
        emulator.callback(CHAT, stale)
        [reply] = (await emulator.wait_for(CHAT, before + 1))[before:]
        assert "Ese botón ya venció" in reply.text


def personal_data_in(record: logging.LogRecord, secrets: list[str]) -> list[str]:
    """Which of ``secrets`` appear anywhere in a log record (message, arguments, extras, traceback)."""
    parts = [record.getMessage(), str(record.args or ""), record.exc_text or ""]
    if record.exc_info and record.exc_info[0] is not None:
        parts.append(logging.Formatter().formatException(record.exc_info))
    standard = set(vars(logging.makeLogRecord({})))
    parts += [f"{key}={value}" for key, value in vars(record).items() if key not in standard]
    blob = "\n".join(parts).lower()
    return [s for s in secrets if s.lower() in blob]


async def test_a_whole_intake_leaves_no_personal_data_in_the_logs(
    emulator: BotApiEmulator, sqlite_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root: every logger of ours at DEBUG
    for name in ("bot", "actions", "tests"):
        caplog.set_level(logging.DEBUG, logger=name)
    cap_library_loggers()  # as `participa serve` and the CLI do
    emulator.add_chat(CHAT, first_name=NAME)
    core = IntakeCore(sqlite_engine, f"tg-{CHAT}")
    typed = ["quiero proponer algo", "Seguridad", "Toluca", PROBLEM, CAUSES, "no sé", AFFECTED,
             SOLUTION, "Sí, acepto", EMAIL]
    async with running_bot(core, emulator, engine=sqlite_engine) as app:
        await say(emulator, "/start feria_toluca")
        for text in typed:
            await say(emulator, text)
        assert "folio P-" in await press(emulator, "Enviar propuesta")
        svc.set_status(core.folio, "turnada", "STL", note="Pasa a la mesa de seguridad", engine=sqlite_engine)
        assert await channel_of(app).deliver_notifications(app.bot) == 1
        await emulator.wait_for(CHAT, len(emulator.sent_to(CHAT)))
        before = len(emulator.sent_to(CHAT))
        emulator.location(CHAT, *LOCATION)
        await emulator.wait_for(CHAT, before + 2)
        await say(emulator, "me quiere matar mi pareja, estoy en la calle Jacarandas")
        await say(emulator, "/mis_datos")
        await say(emulator, "quiero borrar mis datos")
        assert "borré tus datos" in await press(emulator, "Sí, bórralo")
        emulator.block(CHAT)
        await emulator.settle(0.5)

    records = caplog.records
    assert any(r.getMessage() == "telegram.turn" for r in records), "the logs were captured"
    assert any(r.getMessage() == "privacy.erased" for r in records)
    secrets = [str(CHAT), NAME, EMAIL, "rosalba", "Jacarandas", "Xinantécatl", "Tulipanes", "lámparas LED",
               "alumbrado desde marzo", "proponer algo", "matar", f"{LOCATION[0]}", f"{LOCATION[1]}",
               "19.2876", "99.6532"]
    leaks = {f"{r.name}:{r.levelname}:{r.getMessage()[:80]}": found
             for r in records if (found := personal_data_in(r, secrets))}
    assert not leaks, leaks
