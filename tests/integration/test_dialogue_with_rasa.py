"""Whole conversations typed in words, through the core, real Rasa and the action server.

Each test is a citizen who types instead of pressing buttons: "sí" to a suggested theme,
"si, enviala" at the summary, "no, gracias" when she is not sure, corrections in words. The
assertions are what she reads (one question per turn, nothing lost) and the rows stored.
"""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.conversation.replies import Turn
from bot.identity import person_key
from bot.procurement import service as procurement
from bot.rasa.servers import RunningServers
from bot.storage.db import session_scope
from bot.storage.models import Proposal
from tests.integration.conversation import say, texts

pytestmark = pytest.mark.integration

PROBLEM = "Hay baches enormes en la avenida principal de mi colonia y nadie los repara"



def titles(turn: Turn) -> list[str]:
    return [b.title for r in turn.replies for b in r.buttons]


def stored(engine: Engine, sender: str) -> list[Proposal]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Proposal).where(
            Proposal.author_key == person_key(sender))).all())


def new_sender() -> str:
    return f"it-dlg-{uuid.uuid4().hex[:6]}"


async def to_summary(core: ConversationCore, sender: str, municipality: str) -> Turn:
    """A words-only interview: the problem told first, "sí" to the theme, "no gracias" to contact."""
    first = await say(core, sender, PROBLEM)
    assert "¿Es correcto?" in texts(first), texts(first)
    theme = await say(core, sender, "si, confirmo")
    assert "Paso 2 de 8" in texts(theme), "«sí» accepts the suggested theme"
    summary = await say(core, sender, municipality, "Falta de mantenimiento", "no sé",
                        "Unas 200 familias", "Que reparen los baches cada año", "no gracias")
    assert "Revisa tu propuesta" in texts(summary), texts(summary)
    return summary


async def test_yes_in_words_accepts_the_suggested_theme_and_no_asks_again_once(
    core: ConversationCore,
) -> None:
    sender = new_sender()
    await say(core, sender, PROBLEM)
    no = await say(core, sender, "no")
    assert "Paso 1 de 8" in texts(no) and "parece de" not in texts(no)
    assert len(titles(no)) == len(set(titles(no))) == 6, "the six themes, once"
    corrected = await say(core, sender, "no, es de seguridad")
    assert "Paso 2 de 8" in texts(corrected), "a correction in words picks that theme"


async def test_an_unknown_theme_gets_one_hint_and_the_question_once(core: ConversationCore) -> None:
    sender = new_sender()
    await say(core, sender, "/propuesta")
    again = await say(core, sender, "qwerty")
    body = texts(again)
    assert body.count("¿De qué tema es tu propuesta?") == 1, body
    assert len(titles(again)) == 6, titles(again)


async def test_a_municipality_with_several_matches_is_asked_once_with_its_choices(
    core: ConversationCore,
) -> None:
    sender = new_sender()
    turn = await say(core, sender, "/propuesta", "Movilidad", "atizapan")
    assert "¿Cuál de estos municipios es?" in texts(turn)
    assert "¿En qué municipio" not in texts(turn), "one question per turn"


async def test_yes_in_words_at_the_summary_sends_the_proposal(
    core: ConversationCore, pg_engine: Engine
) -> None:
    sender = new_sender()
    await to_summary(core, sender, "Tenancingo")
    sent = await say(core, sender, "si, enviala")
    assert re.search(r"P-\d{4}-\d{6}", texts(sent)), texts(sent)
    [proposal] = stored(pg_engine, sender)
    assert proposal.municipality == "Tenancingo" and proposal.theme == "movilidad"


async def test_a_question_at_the_summary_is_answered_and_the_proposal_kept(
    core: ConversationCore, pg_engine: Engine
) -> None:
    sender = new_sender()
    await to_summary(core, sender, "Tonatico")
    question = await say(core, sender, "que es una mesa de cocreacion?")
    assert "Tu propuesta sigue aquí" in texts(question)
    sent = await say(core, sender, "sí")
    assert "folio" in texts(sent)
    assert len(stored(pg_engine, sender)) == 1


async def test_no_at_the_summary_asks_before_dropping_anything(
    core: ConversationCore, pg_engine: Engine
) -> None:
    sender = new_sender()
    summary = await to_summary(core, sender, "Malinalco")
    leave = await say(core, sender, "no, gracias")
    assert "¿Quieres cancelar tu propuesta?" in texts(leave)
    kept = await say(core, sender, "no")
    assert texts(kept) == texts(summary), "«no» keeps it: the same summary again"
    leave = await say(core, sender, "nel")
    cancelled = await say(core, sender, "sí")
    assert "cancelé" in texts(cancelled)
    assert stored(pg_engine, sender) == []


async def test_a_correction_in_words_at_the_summary(core: ConversationCore, pg_engine: Engine) -> None:
    sender = new_sender()
    await to_summary(core, sender, "Ocuilan")
    corrected = await say(core, sender, "cambia el municipio a Zumpango")
    assert "Revisa tu propuesta" in texts(corrected) and "Zumpango" in texts(corrected)
    await say(core, sender, "ok")
    [proposal] = stored(pg_engine, sender)
    assert proposal.municipality == "Zumpango"


async def test_contact_consent_in_words(core: ConversationCore) -> None:
    sender = new_sender()
    consent = await say(core, sender, "/propuesta", "Movilidad", "Metepec", PROBLEM,
                        "Falta de mantenimiento", "no sé", "Unas 200 familias",
                        "Que reparen los baches cada año", channel="telegram")
    assert "Aviso de privacidad" in texts(consent)
    unclear = await say(core, sender, "mmm", channel="telegram")
    assert "Responde «sí» o «no»" in texts(unclear)
    assert texts(unclear).count("¿Quieres que te avisemos") == 1
    contact = await say(core, sender, "sale", channel="telegram")
    assert "correo o un teléfono" in texts(contact)


@pytest.fixture
def contracts(pg_engine: Engine) -> Engine:
    for path in procurement.bundled_files():
        procurement.load_source(str(path), engine=pg_engine)  # quick when already loaded
    return pg_engine


async def test_more_contracts_typed_instead_of_tapped(core: ConversationCore, contracts: Engine) -> None:
    sender = new_sender()
    first = await say(core, sender, "contratos de la secretaria de finanzas")
    assert "Ver más resultados" in titles(first)
    more = await say(core, sender, "ver más resultados")
    assert more.intent == "ver_mas_contratos"
    assert "Te muestro del 6 al 8" in texts(more)


async def test_status_of_my_proposal_after_sending_it_in_words(
    core: ConversationCore, pg_engine: Engine
) -> None:
    sender = new_sender()
    await to_summary(core, sender, "Texcaltitlán")
    sent = await say(core, sender, "sale")
    folio = re.search(r"P-\d{4}-\d{6}", texts(sent))
    assert folio, texts(sent)
    status = await say(core, sender, "como va mi propuesta")
    assert folio.group(0) in texts(status) and "Recibida" in texts(status)


async def test_coming_back_mid_interview_offers_it_back(core: ConversationCore) -> None:
    sender = new_sender()
    await say(core, sender, "/propuesta", "Movilidad", "Metepec")
    back = await say(core, sender, "/start")
    assert "Tienes una propuesta a medias sobre «Movilidad»" in texts(back)
    assert "Paso 3 de 8" in texts(back), "the same step again, nothing stored from /start"
    again = await say(core, sender, PROBLEM, "/propuesta")
    assert "propuesta a medias sobre «Hay baches enormes" in texts(again)
    assert "Paso 4 de 8" in texts(again)


async def test_cancel_in_the_middle_asks_and_a_no_keeps_every_answer(
    core: ConversationCore, pg_engine: Engine
) -> None:
    sender = new_sender()
    await say(core, sender, "/propuesta", "Movilidad", "Metepec")
    asked = await say(core, sender, "cancelar")
    assert texts(asked) == "¿Quieres cancelar tu propuesta? Se borrarán las respuestas que me diste."
    assert titles(asked) == ["Sí, cancelarla", "No, seguir con ella"], "one question, its buttons"
    kept = await say(core, sender, "mejor no")
    assert "Sigamos con tu propuesta" in texts(kept) and "Paso 3 de 8" in texts(kept)
    assert texts(kept).count("Paso") == 1
    summary = await say(core, sender, PROBLEM, "Falta de mantenimiento", "no sé", "Unas 200 familias",
                        "Que reparen los baches cada año", "no gracias")
    assert "Metepec" in texts(summary) and "Movilidad" in texts(summary), "nothing was lost"
    await say(core, sender, "/cancel")
    done = await say(core, sender, "ándale")
    assert "cancelé" in texts(done)
    assert stored(pg_engine, sender) == []


async def test_cancel_before_any_answer_needs_no_question(core: ConversationCore) -> None:
    sender = new_sender()
    turn = await say(core, sender, "/propuesta", "cancelar")
    assert "cancelé" in texts(turn) and "¿Quieres cancelar" not in texts(turn)


async def test_the_cancel_question_survives_a_restart_of_everything(
    core: ConversationCore, rasa_stack: RunningServers, pg_engine: Engine
) -> None:
    """Asked by one core; Rasa restarted; "sí" typed to a new core still presses «Sí, cancelarla»."""
    sender = new_sender()
    await to_summary(core, sender, "Ixtapan de la Sal")
    asked = await say(core, sender, "cancelar")
    assert "¿Quieres cancelar tu propuesta?" in texts(asked)
    rasa_stack.restart_rasa()
    fresh = ConversationCore(core.rasa, engine=pg_engine)
    done = await say(fresh, sender, "sí")
    assert "cancelé" in texts(done)
    assert stored(pg_engine, sender) == []


async def test_typed_answers_to_the_similar_proposals(core: ConversationCore, pg_engine: Engine) -> None:
    author = new_sender()
    await to_summary(core, author, "Temascalapa")
    first = re.search(r"P-\d{4}-\d{6}", texts(await say(core, author, "sí")))
    assert first, "the first one is saved"
    neighbour = new_sender()
    await to_summary(core, neighbour, "Temascalapa")
    offer = await say(core, neighbour, "si, enviala")
    assert "parecidas" in texts(offer) and first.group(0) in texts(offer)
    mine = await say(core, neighbour, "no, la mía es otra")
    assert "folio" in texts(mine), texts(mine)
    assert len(stored(pg_engine, neighbour)) == 1
    third = new_sender()
    await to_summary(core, third, "Temascalapa")
    await say(core, third, "sale")
    which = await say(core, third, "sí")
    assert "¿Cuál quieres apoyar?" in texts(which), "two similar ones: which?"
    assert len([t for t in titles(which) if t.startswith("Apoyar")]) == 2
    support = await say(core, third, "apoyo la 1")
    assert "Registré tu apoyo" in texts(support), texts(support)
    assert stored(pg_engine, third) == []


async def test_changing_her_mind_halfway_in_words(core: ConversationCore, pg_engine: Engine) -> None:
    """At a later step, "no, es de seguridad" and "cambia el municipio a Toluca" change those
    answers, say so, and ask the same step again; nothing else is touched."""
    sender = new_sender()
    await say(core, sender, "/propuesta", "Movilidad", "Metepec", PROBLEM)
    theme = await say(core, sender, "no, es de seguridad")
    assert "cambié el tema a «Seguridad»" in texts(theme)
    assert "Paso 4 de 8" in texts(theme) and texts(theme).count("Paso") == 1
    place = await say(core, sender, "cambia el municipio a toluca")
    assert "cambié el municipio a «Toluca»" in texts(place) and "Paso 4 de 8" in texts(place)
    summary = await say(core, sender, "Falta de mantenimiento", "no sé", "Unas 200 familias",
                        "Que reparen los baches cada año", "no gracias")
    body = texts(summary)
    assert "Tema: Seguridad" in body and "Municipio: Toluca" in body and "Causas: Falta de" in body
    await say(core, sender, "sí")
    [proposal] = stored(pg_engine, sender)
    assert (proposal.theme, proposal.municipality) == ("seguridad", "Toluca")


async def test_a_bare_no_is_not_taken_as_the_problem(core: ConversationCore) -> None:
    sender = new_sender()
    step = await say(core, sender, "/propuesta", "Movilidad", "Metepec", "no gracias")
    assert "muy corta" in texts(step) and "Paso 3 de 8" in texts(step)
    assert texts(step).count("Paso") == 1


@pytest.mark.parametrize("bare", ["sí", "va", "ok", "después", "no", "atrás"])
async def test_a_bare_yes_or_no_with_nothing_asked_gets_the_menu_not_topics(
    core: ConversationCore, bare: str
) -> None:
    turn = await say(core, new_sender(), bare)
    assert turn.intent == "nada_pendiente"
    assert texts(turn).startswith("¿En qué te ayudo?"), texts(turn)
    assert "violencia" not in texts(turn).lower()
    assert "¿Qué es el gobierno abierto?" in titles(turn)  # the menu


async def test_a_bare_yes_after_the_menu_asks_what_she_needs(core: ConversationCore) -> None:
    """The menu asks nothing a «sí» could answer (found trying it: «terminar», then «si»)."""
    sender = new_sender()
    menu = await say(core, sender, "hola")
    assert "¿Qué es el gobierno abierto?" in titles(menu)
    turn = await say(core, sender, "si")
    assert turn.intent == "nada_pendiente", texts(turn)
    assert texts(turn).startswith("¿En qué te ayudo?")


async def test_a_bare_no_inside_the_interview_still_answers_the_form(core: ConversationCore) -> None:
    sender = new_sender()
    causes = await say(core, sender, "/propuesta", "Movilidad", "Metepec", PROBLEM)
    assert "Paso 4 de 8" in texts(causes), texts(causes)
    answered = await say(core, sender, "no")
    assert "¿En qué te ayudo?" not in texts(answered)
    assert "Paso" in texts(answered), texts(answered)
