"""Where plainly told messages land, through the core, the real Rasa and the action server.

Each message is ours (never the fresh evaluation's). Whether the model understands it or the
unsure path (actions/unsure.py) hands it over, the turn must reach the right behaviour.
"""

from __future__ import annotations

import uuid

import pytest

from bot.content.faq import faq_catalog
from bot.conversation.core import ConversationCore
from bot.proposals.service import proposal_content
from bot.violence.directory import directory
from tests.integration.conversation import say, texts

pytestmark = pytest.mark.integration


def sender(kind: str) -> str:
    return f"it-{kind}-{uuid.uuid4().hex[:6]}"


@pytest.mark.parametrize(
    "message",
    [
        "en la cancha de mi colonia se junta el agua cada que llueve y ya nadie la puede usar",
        "los microbuseros de la ruta 5 van a toda velocidad con la gente colgando",
        "el poste de la esquina no prende y ya asaltaron a dos señoras ahi",
    ],
)
async def test_a_problem_told_plainly_starts_the_proposal_interview(
    core: ConversationCore, message: str
) -> None:
    turn = await core.handle(sender("problem"), message)
    assert turn.intent == "proponer", texts(turn)
    assert " ".join(proposal_content().message("start").split()) in " ".join(texts(turn).split())


async def test_dark_streets_and_robberies_are_guessed_as_seguridad(core: ConversationCore) -> None:
    turn = await core.handle(
        sender("theme"), "quiero proponer algo: la calle de mi casa no tiene luz y roban a cada rato"
    )
    assert turn.intent == "proponer"
    assert "«Seguridad»" in texts(turn)


@pytest.mark.parametrize(
    "message", ["contratos de paracaidas", "busca los contratos de la empresa que vende arneses"]
)
async def test_a_contract_search_in_unseen_words(core: ConversationCore, message: str) -> None:
    turn = await core.handle(sender("contracts"), message)
    assert turn.intent == "buscar_contratos", texts(turn)


VIOLENCE_ANSWERS = {e.id for e in faq_catalog().entries if e.topic == "violencia"}


@pytest.mark.parametrize(
    "message",
    [
        "mi hija de 15 tiene un novio que le revisa el celular y no la deja ver a sus amigas, que hago",
        "soy hombre y me doy cuenta de que le grito y la humillo a mi esposa, quiero cambiar",
        "a donde puedo ir en chimalhuacan para que me orienten, mi pareja me maltrata",
    ],
)
async def test_violence_help_seeking_never_gets_an_unrelated_answer(
    core: ConversationCore, message: str
) -> None:
    turn = await core.handle(sender("violence"), message)
    shown = texts(turn)
    violence_answer = any(
        e.answer.strip()[:60] in shown for e in faq_catalog().entries if e.id in VIOLENCE_ANSWERS
    )
    assert turn.emergency or violence_answer or (turn.intent or "").startswith("buscar_centro"), shown


async def test_gibberish_at_the_municipality_step_asks_again(core: ConversationCore) -> None:
    who = sender("centre")
    asked = await say(core, who, "/buscar_centro")
    assert " ".join(directory().content.messages.ask.split()) in texts(asked)
    again = await say(core, who, "jsjsjs kdkdkd xkqz")
    assert texts(again) == " ".join(directory().content.messages.not_found.split())


async def test_a_story_of_violence_the_model_takes_for_a_proposal_never_starts_the_interview(
    core: ConversationCore,
) -> None:
    """Issue 14: the model is sure this proposes something («proponer»); before, the interview
    started and kept her story as the proposal's problem. Now: what to do when living violence."""
    who = sender("story")
    turn = await core.handle(
        who, "hace unos años un primo se aprovechó de mí en una fiesta familiar, ahora quiero hacer "
             "algo para que no le pase a nadie más")
    shown = texts(turn)
    assert not turn.emergency
    assert " ".join(proposal_content().message("start").split()) not in " ".join(shown.split())
    help_first = faq_catalog().by_id()["que_hacer_violencia"].answer.strip()[:60]
    assert help_first in shown, shown
    # Nothing was left asking for a proposal's theme: an ordinary question gets its answer.
    after = await core.handle(who, "¿qué es la violencia digital?")
    assert faq_catalog().by_id()["violencia_digital"].answer.strip()[:60] in texts(after)


@pytest.mark.parametrize(
    "message",
    ["contratos del imss", "qué contratos tiene el issste", "cuánto le pagaron a grupo siayec"],
)
async def test_a_buyer_or_supplier_named_reaches_the_contract_search(
    core: ConversationCore, message: str
) -> None:
    """Not an FAQ answer about contracts, not the menu, not «no tengo ese dato»: the search."""
    turn = await core.handle(sender("contracts"), message)
    assert turn.intent == "buscar_contratos", texts(turn)
    assert "contrato" in texts(turn)


async def test_a_centre_asked_for_in_a_municipality_lists_the_centres(core: ConversationCore) -> None:
    turn = await core.handle(sender("centre"), "centro pa mujeres en toluca")
    assert (turn.intent or "").startswith("buscar_centro"), texts(turn)
    assert "lugares de atención más cercanos a la cabecera municipal de Toluca" in " ".join(
        texts(turn).split())


async def test_a_proposal_folio_asks_how_the_proposal_goes(core: ConversationCore) -> None:
    """«Lo que mandé del bache, folio 2931» is a proposal: its status, not a request filing."""
    turn = await core.handle(sender("folio"), "oye y que paso con lo que mande del bache? folio 2931")
    assert turn.intent == "mis_propuestas", texts(turn)
    assert " ".join(proposal_content().message("mine_none").split()) in " ".join(texts(turn).split())
