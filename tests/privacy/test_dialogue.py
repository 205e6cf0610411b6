"""/privacidad, /mis_datos and /borrar through the conversation core, with Rasa down.

Rasa is really down here (a closed port): had a privacy request gone to Rasa, the reply
would be the outage notice. So these replies prove the core answers them itself.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import Engine

from bot.conversation import usage
from bot.conversation.core import ConversationCore
from bot.conversation.rasa_client import RasaClient
from bot.conversation.replies import Turn
from bot.privacy import dialogue as flows
from bot.proposals import service as svc
from bot.rasa.servers import free_port
from bot.storage.db import make_engine
from tests.storage.rasa_events import add_conversation, tracker_db

PROBLEM = "El parque de la colonia no tiene alumbrado y de noche da miedo pasar"


@pytest.fixture
async def core(db_engine: Engine) -> AsyncIterator[ConversationCore]:
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2.0)
    yield ConversationCore(client, engine=db_engine)
    await client.aclose()


def someone() -> str:
    return f"tg-{uuid.uuid4().int % 10**10}"


def with_proposal(engine: Engine, sender: str) -> str:
    draft = svc.Draft(theme="seguridad", municipality_code="15106", municipality="Toluca",
                      problem=PROBLEM, causes=None, effects=None, affected=None,
                      solution="Poner luminarias en el parque")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender=sender, channel="telegram",
                          consent=True, contact_info="7221234567", engine=engine)
    assert proposal.folio
    return proposal.folio


def text(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)


async def test_the_notice_shows_with_rasa_down(core: ConversationCore) -> None:
    for message in ("/privacidad", "aviso de privacidad", "¿Qué hacen con mis datos?"):
        turn = await core.handle(someone(), message)
        assert turn.intent == "privacidad"
        assert "Aviso de privacidad simplificado" in text(turn) and "problema técnico" not in text(turn)


async def test_a_proposal_answer_that_mentions_privacy_is_not_taken_as_a_request(
    core: ConversationCore,
) -> None:
    turn = await core.handle(someone(), "No hay privacidad en los baños públicos del mercado")
    assert turn.intent is None and "problema técnico" in text(turn), "it went on to Rasa"


async def test_my_data_when_nothing_is_stored(core: ConversationCore) -> None:
    turn = await core.handle(someone(), "/mis_datos")
    assert turn.intent == "mis_datos"
    assert "No guardo ningún dato tuyo" in text(turn)
    assert all(not r.custom for r in turn.replies), "no empty file"


async def test_my_data_summarises_and_attaches_everything(core: ConversationCore, db_engine: Engine) -> None:
    me = someone()
    folio = with_proposal(db_engine, me)
    add_conversation(tracker_db(db_engine), me, ["quiero proponer algo", PROBLEM])
    turn = await core.handle(me, "qué datos tienen de mí")
    [reply] = turn.replies
    assert "Esto es lo que guardo sobre ti" in reply.text
    assert folio in reply.text and "7221234567" in reply.text and "2 mensajes tuyos" in reply.text
    document = (reply.custom or {})["document"]
    assert document["filename"] == "mis_datos_participa.json"
    exported = json.loads(document["content"])
    assert exported["datos"]["propuestas"][0]["problema"] == PROBLEM
    assert exported["datos"]["conversacion"]["mensajes"][1]["texto"] == PROBLEM


async def test_my_data_says_which_messages_kept_no_text(core: ConversationCore, db_engine: Engine) -> None:
    me = someone()
    # What Rasa's scrubbing store keeps of a sensitive conversation: the message, without its text.
    add_conversation(tracker_db(db_engine), me, ["hola", "", ""])
    turn = await core.handle(me, "/mis_datos")
    [reply] = turn.replies
    assert "3 mensajes tuyos" in reply.text
    assert "De 2 de ellos guardo solo la fecha, no el texto." in reply.text
    exported = json.loads((reply.custom or {})["document"]["content"])
    assert [m["texto"] for m in exported["datos"]["conversacion"]["mensajes"]] == ["hola", None, None]


async def test_erase_explains_asks_and_then_deletes(core: ConversationCore, db_engine: Engine) -> None:
    me = someone()
    folio = with_proposal(db_engine, me)
    tracker = tracker_db(db_engine)
    add_conversation(tracker, me, ["hola"])
    asked = await core.handle(me, "/borrar")
    [question] = asked.replies
    assert "registro público" in question.text and "sin nada" in question.text
    assert folio in question.text and "¿Borro tus datos?" in question.text
    yes, no = question.buttons
    assert (yes.title, no.title) == ("Sí, bórralo", "No, consérvalos")
    assert len(yes.payload.encode()) <= 64, "fits Telegram's button data: survives a restart"
    assert svc.mine(me, engine=db_engine), "nothing deleted before confirming"

    done = await core.handle(me, yes.payload)
    assert done.intent == "borrar_confirmado"
    assert "borré tus datos" in text(done) and "contactos: 1" in text(done)
    assert "Tus propuestas siguen en el registro público" in text(done)
    assert svc.mine(me, engine=db_engine) == []
    kept = svc.get(folio, engine=db_engine)
    assert kept is not None and kept.problem == PROBLEM and kept.contact is None
    again = await core.handle(me, "/mis_datos")
    assert "No guardo ningún dato tuyo" in text(again)
    twice = await core.handle(me, yes.payload)
    assert "no hay nada que borrar" in text(twice)


async def test_erasing_without_proposals_speaks_of_none(core: ConversationCore, db_engine: Engine) -> None:
    me = someone()
    add_conversation(tracker_db(db_engine), me, ["hola", "qué es el gobierno abierto"])
    asked = await core.handle(me, "/borrar")
    assert "registro público" not in text(asked)
    done = await core.handle(me, asked.replies[0].buttons[0].payload)
    assert "borré tus datos" in text(done)
    assert "propuestas" not in text(done), "no proposals were ever made: none 'stay public'"


async def test_saying_no_deletes_nothing(core: ConversationCore, db_engine: Engine) -> None:
    me = someone()
    with_proposal(db_engine, me)
    asked = await core.handle(me, "quiero borrar mis datos")
    no = asked.replies[0].buttons[1]
    turn = await core.handle(me, no.payload)
    assert "no borré nada" in text(turn)
    assert svc.mine(me, engine=db_engine)


@pytest.mark.parametrize("case", ["stale", "other_chat", "typed", "tampered"])
async def test_a_confirm_button_that_is_not_current_deletes_nothing(
    core: ConversationCore, db_engine: Engine, case: str
) -> None:
    me = someone()
    with_proposal(db_engine, me)
    payload = {
        "stale": flows.confirm_payload(me, now=time.time() - flows.CONFIRM_SECONDS - 60),
        "other_chat": flows.confirm_payload(someone()),
        "typed": "/borrar_si",
        "tampered": flows.confirm_payload(me)[:-4] + 'ff"}',
    }[case]
    turn = await core.handle(me, payload)
    assert "Ese botón ya venció" in text(turn) and "no borré nada" in text(turn)
    assert turn.replies[0].buttons, "with the menu"
    assert svc.mine(me, engine=db_engine), "nothing was deleted"


async def test_erase_with_nothing_stored_asks_nothing(core: ConversationCore) -> None:
    turn = await core.handle(someone(), "/borrar")
    assert "no hay nada que borrar" in text(turn)
    assert not any(b.payload.startswith("/borrar_si") for r in turn.replies for b in r.buttons)


async def test_danger_comes_first_even_in_a_privacy_request(core: ConversationCore) -> None:
    turn = await core.handle(someone(), "borrar mis datos, me quiere matar")
    assert turn.emergency and "911" in text(turn)


async def test_storage_down_gets_a_clear_reply_and_changes_nothing() -> None:
    broken = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nada")
    core = ConversationCore(None, engine=broken, record_usage=False)
    for message in ("/mis_datos", "/borrar", flows.confirm_payload("tg-1")):
        turn = await core.handle("tg-1", message)
        assert "no puedo consultar tus datos por un problema técnico" in text(turn)
        assert "no se borró ni se cambió nada" in text(turn)


async def test_privacy_requests_are_counted_without_who_asked(
    core: ConversationCore, db_engine: Engine
) -> None:
    await core.handle(someone(), "/privacidad")
    await core.handle(someone(), "/borrar")
    core.usage.flush()  # counts are buffered in memory for a few seconds
    counts = usage.counts(engine=db_engine)
    assert counts.get("privacidad") == 1 and counts.get("borrar") == 1


async def test_a_part_that_could_not_be_erased_is_named_and_can_be_retried(
    core: ConversationCore, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.privacy import registry as privacy_providers

    def rasa_db_down(person: privacy_providers.Person, engine: Engine | None) -> dict[str, int]:
        raise ConnectionError("tracker database unreachable")

    me = someone()
    with_proposal(db_engine, me)
    original = list(privacy_providers.PROVIDERS)
    patched = [privacy_providers.Provider(p.name, p.collect, p.describe, rasa_db_down, p.title)
               if p.name == "conversacion" else p for p in original]
    monkeypatch.setattr(privacy_providers, "PROVIDERS", patched)
    payload = flows.confirm_payload(me)
    partly = await core.handle(me, payload)
    assert "no pude borrar: los mensajes de esta conversación" in text(partly)
    assert "contactos: 1" in text(partly) and "Escribe /borrar" in text(partly)
    monkeypatch.setattr(privacy_providers, "PROVIDERS", original)
    retried = await core.handle(me, payload)
    assert "no hay nada que borrar" in text(retried) or "borré tus datos" in text(retried)
