"""Privacy with the real Rasa and action servers (PostgreSQL, Rasa's SQL tracker store).

- /mis_datos finds what Rasa stored of the conversation; /borrar deletes it and ends the
  conversation (a half-filled intake does not continue).
- A whole intake, with consent and contact, then /mis_datos and /borrar: no log record of
  this process (every logger of ours at DEBUG) and nothing the Rasa and action servers wrote
  to their logs meanwhile holds the chat id, typed text or contact data.
"""

from __future__ import annotations

import logging
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.conversation.replies import Turn
from bot.logs import cap_library_loggers
from bot.privacy import rights as privacy
from bot.proposals import service as svc
from bot.rasa.servers import RunningServers
from bot.storage import rasa_tracker
from bot.storage.db import session_scope
from bot.storage.models import ProposalContact

pytestmark = pytest.mark.integration

PROBLEM = "La barranca junto a la secundaria Jacarandas se llena de cascajo cada semana"
CAUSES = "Camiones de Tulipanes tiran escombro de noche"
SOLUTION = "Vigilar la barranca y multar a quien tire cascajo"
EMAIL = "vecina.xinantecatl@example.org"


def someone() -> tuple[str, int]:
    chat = 7_000_000_000 + uuid.uuid4().int % 999_999_999
    return f"tg-{chat}", chat


async def say(core: ConversationCore, sender: str, *messages: str) -> Turn:
    turn = None
    for message in messages:
        turn = await core.handle(sender, message, channel="telegram")
    assert turn is not None
    return turn


def texts(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)


async def erase(core: ConversationCore, sender: str) -> Turn:
    asked = await say(core, sender, "/borrar")
    confirm = next(b for r in asked.replies for b in r.buttons if b.payload.startswith("/borrar_si"))
    return await say(core, sender, confirm.payload)


async def test_erasure_deletes_what_rasa_stored_and_ends_the_conversation(
    core: ConversationCore, pg_engine: Engine
) -> None:
    sender, _ = someone()
    await say(core, sender, "/propuesta", "Movilidad", "Metepec")
    stored = privacy.collect(sender, pg_engine)["conversacion"]
    assert [m["texto"] for m in stored["mensajes"]][-2:] == ["Movilidad", "Metepec"]
    done = await erase(core, sender)
    assert "borré tus datos" in texts(done) and "registros de la conversación" in texts(done)
    assert rasa_tracker.summary(pg_engine, sender).events == 0
    after = await say(core, sender, "Hay baches enormes en la avenida principal de mi colonia")
    assert "Paso 4 de 8" not in texts(after), "the half-filled intake did not continue"


def new_log_text(paths: dict[Path, int]) -> str:
    out = []
    for path, start in paths.items():
        with path.open("rb") as handle:
            handle.seek(start)
            out.append(handle.read().decode("utf-8", errors="replace"))
    return "\n".join(out)


async def test_a_whole_intake_with_rasa_leaves_no_personal_data_in_any_log(
    core: ConversationCore, rasa_stack: RunningServers, pg_engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("bot", "actions", "tests"):
        caplog.set_level(logging.DEBUG, logger=name)
    cap_library_loggers()
    files = [rasa_stack.rasa_log_path, *(Path(handle.name) for handle in rasa_stack.logs)]
    offsets = {path: path.stat().st_size for path in files if path is not None and path.exists()}
    sender, chat = someone()

    await say(core, sender, "quiero proponer algo", "Medio ambiente", "Ocuilan", PROBLEM, CAUSES,
              "no sé", "Unas 40 familias", SOLUTION)
    consent = await say(core, sender, "Sí, acepto", EMAIL)
    assert "Revisa tu propuesta" in texts(consent)
    saved = await say(core, sender, "/confirmar_propuesta")
    folio = re.search(r"P-\d{4}-\d{6}", texts(saved))
    assert folio, texts(saved)
    mine = svc.mine(sender, engine=pg_engine)
    assert mine
    with session_scope(pg_engine) as session:
        contact = session.scalar(select(ProposalContact).where(ProposalContact.proposal_id == mine[0].id))
        assert contact is not None and contact.contact_info == EMAIL
    assert folio.group(0) in texts(await say(core, sender, "/mis_datos"))
    assert "borré tus datos" in texts(await erase(core, sender))

    secrets = [str(chat), EMAIL, "Jacarandas", "Tulipanes", "cascajo", "proponer algo", "40 familias"]
    leaks = [f"{r.name}: {r.getMessage()[:100]}" for r in caplog.records
             if any(s.lower() in (r.getMessage() + str(r.__dict__)).lower() for s in secrets)]
    assert not leaks, leaks
    assert any(r.getMessage() == "privacy.erased" for r in caplog.records), "the logs were captured"
    servers = new_log_text(offsets).lower()
    assert not [s for s in secrets if s.lower() in servers], "Rasa's or the action server's log"
