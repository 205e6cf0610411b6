"""The proposal intake through real Rasa and the action server, asserting the stored rows."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.conversation.replies import Turn
from bot.identity import person_key
from bot.proposals import public_record
from bot.proposals import service as svc
from bot.rasa.servers import RunningServers
from bot.storage.db import session_scope
from bot.storage.models import Notification, Proposal, ProposalContact, ProposalFollower
from tests.integration.conversation import say, texts

pytestmark = pytest.mark.integration

ANSWERS = [
    "Movilidad",
    "toluka",  # each test that saves uses its own municipality (see answers()) so others' are not "similar"
    "Hay baches enormes en la avenida principal de mi colonia",
    "Falta de mantenimiento",
    "no sé",
    "Unas 200 familias",
    "Que reparen los baches y den mantenimiento cada año",
    "No, gracias",
]


def answers(municipality: str) -> list[str]:
    return [ANSWERS[0], municipality, *ANSWERS[2:]]



def stored(engine: Engine, sender: str) -> list[Proposal]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Proposal).where(
            Proposal.author_key == person_key(sender))).all())


def folio_in(turn: Turn) -> str:
    import re

    match = re.search(r"P-\d{4}-\d{6}", texts(turn))
    assert match, texts(turn)
    return match.group(0)


async def test_complete_intake_stores_the_problem_tree(core: ConversationCore, pg_engine: Engine) -> None:
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    first = await say(core, sender, "quiero proponer algo")
    assert "Paso 1 de 8" in texts(first)
    summary = await say(core, sender, *ANSWERS)
    assert "Revisa tu propuesta" in texts(summary)
    assert "Toluca" in texts(summary)
    saved = await say(core, sender, "/confirmar_propuesta")
    folio = folio_in(saved)
    [proposal] = stored(pg_engine, sender)
    assert proposal.folio == folio
    assert (proposal.theme, proposal.municipality, proposal.municipality_code) == (
        "movilidad", "Toluca", "15106")
    assert proposal.problem == ANSWERS[2] and proposal.causes == ANSWERS[3]
    assert proposal.effects is None, "«no sé» on an optional step stores nothing"
    assert proposal.solution == ANSWERS[6]
    again = await say(core, sender, "/confirmar_propuesta")
    assert folio not in texts(again) or len(stored(pg_engine, sender)) == 1
    assert len(stored(pg_engine, sender)) == 1, "confirming twice stores one proposal"
    mine = await say(core, sender, "como va mi propuesta")
    assert folio in texts(mine) and "Recibida" in texts(mine)
    other = await say(core, f"it-other-{uuid.uuid4().hex[:6]}", "/mis_propuestas")
    assert folio not in texts(other)


async def test_problem_told_first_is_kept_and_theme_suggested(core: ConversationCore) -> None:
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    turn = await say(core, sender, "hay mucha basura en mi colonia y el camion no pasa desde hace semanas")
    assert "Medio ambiente" in texts(turn)
    assert turn.replies[-1].buttons[0].title == "Medio ambiente", "the suggestion comes first"
    after_municipality = await say(core, sender, "Medio ambiente", "neza")
    assert "causas" in texts(after_municipality).lower(), "the problem step was already answered"


async def test_cancel_stores_nothing(core: ConversationCore, pg_engine: Engine) -> None:
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    turn = await say(core, sender, "/propuesta", "Seguridad", "ecatepec", "cancelar")
    assert "¿Quieres cancelar tu propuesta?" in texts(turn), "two answers given: asked first"
    turn = await say(core, sender, "sí")
    assert "cancelé" in texts(turn)
    assert stored(pg_engine, sender) == []
    assert "No hay nada en curso que cancelar" in texts(await say(core, sender, "cancelar"))


async def test_back_steps_and_retries(core: ConversationCore) -> None:
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, sender, "/propuesta", "Movilidad")
    back = await say(core, sender, "atrás")
    assert "Paso 1 de 8" in texts(back)
    municipality = await say(core, sender, "Movilidad", "atizapan")
    assert "¿Cuál de estos municipios es?" in texts(municipality)
    offered = {b.title for r in municipality.replies for b in r.buttons}
    assert offered >= {"Atizapán de Zaragoza", "Atizapán"}
    short = await say(core, sender, "Atizapán de Zaragoza", "feo")
    assert "muy corta" in texts(short) and "Ejemplo" in texts(short)
    long = await say(core, sender, "x" * 1500)
    assert "muy larga" in texts(long)


async def test_a_question_in_the_middle_is_answered_and_the_intake_resumes(core: ConversationCore) -> None:
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, sender, "/propuesta", "Movilidad", "Metepec")
    digression = await say(core, sender, "que es una mesa de cocreacion?")
    body = texts(digression)
    assert "Fuente:" in body and "Sigamos con tu propuesta" in body
    assert "Paso 3 de 8" in body


async def test_a_supporter_asks_to_be_told_and_a_status_change_is_queued_for_them(
    core: ConversationCore, pg_engine: Engine
) -> None:
    author = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, author, "/propuesta", *answers("Tultitlán"))
    folio = folio_in(await say(core, author, "/confirmar_propuesta"))
    supporter = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, supporter, "/propuesta", *answers("Tultitlán"))
    offer = await say(core, supporter, "/confirmar_propuesta")
    support = next(b for b in offer.replies[-1].buttons if folio in b.title)
    done = await say(core, supporter, support.payload, channel="telegram")
    assert "Registré tu apoyo" in texts(done)
    assert [b.title for r in done.replies for b in r.buttons] == ["Avísame cómo va"]
    notice = await say(core, supporter, "avisame como va", channel="telegram")  # the button's title, typed
    assert "Aviso de privacidad simplificado" in texts(notice) and folio in texts(notice)
    with session_scope(pg_engine) as session:
        assert session.scalar(select(ProposalFollower.id)) is None, "nothing before consent"
    yes = await say(core, supporter, "sí", channel="telegram")
    assert f"Te avisaré aquí cuando la propuesta {folio} cambie de estado" in texts(yes)
    svc.set_status(folio, "en_revision", actor="stl", engine=pg_engine)
    with session_scope(pg_engine) as session:
        [queued] = session.scalars(select(Notification).where(Notification.address == supporter)).all()
        assert queued.text.startswith(f"La propuesta {folio} que apoyas cambió de estado")


async def test_the_author_answers_the_public_record_question_with_a_typed_si(
    core: ConversationCore, pg_engine: Engine
) -> None:
    author = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, author, "/propuesta", *answers("Ixtapaluca"))
    sent = await say(core, author, "/confirmar_propuesta")
    folio = folio_in(sent)
    assert "ficha pública" in texts(sent)
    assert [b.title for b in sent.replies[-1].buttons] == ["Sí, publicarla", "No, gracias"]
    assert public_record.record(folio, pg_engine) is None, "nothing public before the answer"
    yes = await say(core, author, "sí")
    assert f"/propuestas/{folio}" in texts(yes)
    assert public_record.record(folio, pg_engine) is not None


async def test_the_centre_button_in_the_middle_finds_a_centre_not_a_theme(
    core: ConversationCore, pg_engine: Engine
) -> None:
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, sender, "/propuesta")
    turn = await say(core, sender, "/buscar_centro")
    assert "¿En qué municipio estás?" in texts(turn)
    answer = await say(core, sender, "Toluca")
    assert "Toluca" in texts(answer)
    assert stored(pg_engine, sender) == []


async def test_supporting_a_similar_proposal_instead(core: ConversationCore, pg_engine: Engine) -> None:
    author = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, author, "/propuesta", *answers("Lerma"))
    first_folio = folio_in(await say(core, author, "/confirmar_propuesta"))
    assert len(stored(pg_engine, author)) == 1
    neighbour = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, neighbour, "/propuesta", *answers("Lerma"))
    offer = await say(core, neighbour, "/confirmar_propuesta")
    assert "parecidas" in texts(offer) and first_folio in texts(offer)
    support = next(b for b in offer.replies[-1].buttons if first_folio in b.title)
    done = await say(core, neighbour, support.payload)
    assert "Registré tu apoyo" in texts(done)
    assert stored(pg_engine, neighbour) == []
    twice = await say(core, neighbour, support.payload)
    assert "solo cuenta una vez" in texts(twice)
    own = await say(core, author, support.payload)
    assert "es tuya" in texts(own)


async def test_consent_then_contact_is_stored(core: ConversationCore, pg_engine: Engine) -> None:
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    consent_step = await say(core, sender, "/propuesta", *answers("Zinacantepec")[:-1])
    assert "Aviso de privacidad" in texts(consent_step)
    await say(core, sender, "Sí, acepto", "ana.lopez@example.org", "/confirmar_propuesta")
    [proposal] = stored(pg_engine, sender)
    with session_scope(pg_engine) as session:
        contact = session.scalar(select(ProposalContact).where(ProposalContact.proposal_id == proposal.id))
    assert contact is not None and contact.contact_info == "ana.lopez@example.org"


async def test_half_filled_intake_survives_a_rasa_restart(
    core: ConversationCore, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, sender, "/propuesta", "Movilidad", "Toluca")
    rasa_stack.restart_rasa()
    resumed = await say(core, sender, "Hay baches enormes en la avenida principal de mi colonia")
    assert "Paso 4 de 8" in texts(resumed)


async def test_a_conversation_erased_in_the_database_is_not_resumed_from_memory(
    core: ConversationCore, pg_engine: Engine
) -> None:
    """Rasa's tracker store remembers recent conversations; it must notice rows deleted under it
    (an erasure, or another replica), not answer from its memory."""
    from sqlalchemy import text

    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    step = await say(core, sender, "/propuesta", "Movilidad")
    assert "Paso 2 de 8" in texts(step)
    with pg_engine.begin() as conn:
        conn.execute(text("delete from events where sender_id = :s"), {"s": sender})
    after = await say(core, sender, "Metepec")
    assert "Paso 3 de 8" not in texts(after)


async def test_emoji_only_in_the_interview_keeps_her_in_it(core: ConversationCore) -> None:
    """Found on the citizen walk: «😡😡😡» at a step got the main menu and «escribe tu pregunta»."""
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, sender, "/propuesta", "Movilidad", "Metepec")
    turn = await say(core, sender, "😡😡😡")
    assert "tu propuesta sigue donde íbamos" in texts(turn)
    assert not any(r.buttons for r in turn.replies), "no menu to lead her away"
    step = await say(core, sender, "No hay banquetas en la calle Hidalgo y la gente camina en el arroyo")
    assert "Paso 4 de 8" in texts(step)


async def test_leaving_the_interview_in_plain_words_asks_to_cancel_with_the_crisis_line_above(
    core: ConversationCore, pg_engine: Engine
) -> None:
    """The lead's citizen walk (round 10): «ya no quiero seguir» at the causes step got the whole
    suicide-crisis reply and nothing about her proposal. Now: whether to cancel it, with the
    Línea de la Vida in one line above, in case she meant more than the interview."""
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, sender, "/propuesta", "Seguridad", "ecatepec")
    turn = await say(core, sender, "ya no quiero seguir")
    assert turn.replies[0].text.startswith("Si con «ya no quiero seguir» me dices")
    assert "800 911 2000" in turn.replies[0].text
    assert "¿Quieres cancelar tu propuesta?" in turn.replies[-1].text
    assert "cancelé" in texts(await say(core, sender, "sí"))
    assert stored(pg_engine, sender) == []
    # Outside the interview the same words keep the whole crisis reply.
    alone = await say(core, f"it-prop-{uuid.uuid4().hex[:6]}", "ya no quiero seguir")
    assert "Línea de la Vida" in texts(alone) and "cancelar tu propuesta" not in texts(alone)


async def test_a_goodbye_and_a_question_after_a_filler_mid_interview(core: ConversationCore) -> None:
    """The lead's citizen walk: «oye y q es el stl» and «gracias bye» at the municipality step
    got «No encontré el municipio …»."""
    sender = f"it-prop-{uuid.uuid4().hex[:6]}"
    await say(core, sender, "/propuesta", "Seguridad")
    question = texts(await say(core, sender, "oye y q es el stl"))
    assert "No encontré el municipio" not in question and "Sigamos con tu propuesta" in question
    bye = texts(await say(core, sender, "gracias bye"))
    assert "No encontré el municipio" not in bye and "queda a medias" in bye
    assert "Paso 3 de 8" in texts(await say(core, sender, "Metepec"))
