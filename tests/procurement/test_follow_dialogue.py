"""Asking to follow in plain words or commands: consent first, clear Spanish for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.procurement import follows
from bot.procurement import service as svc
from bot.procurement.follow_dialogue import is_follow_request
from bot.procurement.replies import answer_text

CHAT = 8_200_001
SENDER = f"tg-{CHAT}"


@pytest.mark.parametrize("text", [
    "avísame de los contratos nuevos de la Secretaría de Salud",
    "Sígueme los contratos de Diconsa",
    "quiero seguir los contratos de la CFE",
    "notifícame cuando haya contratos nuevos de la Secretaría de Marina",
    "mándame los contratos nuevos de Diconsa",
])
def test_follow_requests_are_recognised(text: str) -> None:
    assert is_follow_request(text)


@pytest.mark.parametrize("text", [
    "contratos de la Secretaría de Salud", "ya no me manden nada", "avísame", "¿qué es un contrato?",
    "quiero las noticias de contrataciones", "x" * 400, "mándame los contratos de Diconsa",
    "quiero seguir buscando contratos de salud",
])
def test_other_messages_are_not_follow_requests(text: str) -> None:
    assert not is_follow_request(text)


SAMPLE = (Path(__file__).resolve().parents[2] / "content" / "procurement" / "compranet"
          / "compranet_contratos_2017_muestra1pct.raw.csv")
CFE = "Comisión Federal de Electricidad"


@pytest.fixture
def core(db_engine: Engine, tmp_path: Path) -> ConversationCore:
    part = tmp_path / "parte.csv"
    part.write_text("".join(SAMPLE.read_text("utf-8").splitlines(keepends=True)[:300]), "utf-8")
    svc.load_source(str(part), engine=db_engine)
    return ConversationCore(None, record_usage=False, engine=db_engine)


async def test_follow_in_words_asks_consent_then_stores(core: ConversationCore, db_engine: Engine) -> None:
    buyer = CFE
    turn = await core.handle(SENDER, f"avísame de los contratos nuevos de {buyer}", "telegram")
    assert "Aviso de privacidad simplificado" in turn.replies[0].text
    assert follows.following(CHAT, db_engine) == []
    accept = turn.replies[0].buttons[0]
    assert accept.title == "Sí, acepto"
    done = await core.handle(SENDER, accept.payload, "telegram")
    assert buyer in done.replies[0].text and "Listo" in done.replies[0].text
    again = await core.handle(SENDER, accept.payload, "telegram")  # a stale button: harmless
    assert "Ya sigues" in again.replies[0].text
    listing = await core.handle(SENDER, "/mis_seguimientos", "telegram")
    assert buyer in listing.replies[0].text
    stop = listing.replies[0].buttons[0]
    left = await core.handle(SENDER, stop.payload, "telegram")
    assert "ya no te aviso" in left.replies[0].text
    stale = await core.handle(SENDER, stop.payload, "telegram")
    assert "ya no está" in stale.replies[0].text


async def test_the_search_offers_to_follow_its_one_buyer(core: ConversationCore, db_engine: Engine) -> None:
    buyer = CFE
    answer = answer_text(f"contratos de {buyer}", db_engine)
    [button] = [b for b in answer.buttons if b["title"] == "Seguir a esta institución"]
    turn = await core.handle(SENDER, button["payload"], "telegram")
    assert "Aviso de privacidad simplificado" in turn.replies[0].text and buyer in turn.replies[0].text


@pytest.mark.parametrize("text", [
    "/seguir", "/seguir 🙂🙂🙂", "/seguir '; DROP TABLE procurement_follows; --", "/seguir <b>x</b>",
    "/seguir_acepto nohay", "/dejar_de_seguir 999999999999999999", "/dejar_de_seguir abc",
])
async def test_bad_input_gets_a_clear_answer_and_stores_nothing(
    core: ConversationCore, db_engine: Engine, text: str
) -> None:
    turn = await core.handle(SENDER, text, "telegram")
    assert turn.replies and turn.replies[0].text
    assert "/seguir" in turn.replies[0].text or "/mis_seguimientos" in turn.replies[0].text
    assert follows.following(CHAT, db_engine) == []


async def test_outside_telegram_it_says_where_it_works(core: ConversationCore) -> None:
    turn = await core.handle("terminal", "sígueme los contratos de Diconsa", "terminal")
    assert "Telegram" in turn.replies[0].text


async def test_a_name_not_found_offers_names_that_look_alike(
    core: ConversationCore, db_engine: Engine
) -> None:
    turn = await core.handle(SENDER, "sígueme los contratos de la comision federal electrica",
                             "telegram")
    reply = turn.replies[0]
    assert "No encontré" in reply.text
    [button] = [b for b in reply.buttons if b.title == f"Seguir: {CFE}"]
    follow = await core.handle(SENDER, button.payload, "telegram")
    assert "Aviso de privacidad simplificado" in follow.replies[0].text
    assert follows.following(CHAT, db_engine) == []


async def test_a_short_name_follows_the_buyer_of_the_loaded_data(
    core: ConversationCore, db_engine: Engine
) -> None:
    turn = await core.handle(SENDER, "quiero seguir los contratos del IMSS", "telegram")
    assert "Aviso de privacidad simplificado" in turn.replies[0].text
    assert "Instituto Mexicano del Seguro Social" in turn.replies[0].text
    done = await core.handle(SENDER, turn.replies[0].buttons[0].payload, "telegram")
    assert "Listo" in done.replies[0].text
    assert [f.label for f in follows.following(CHAT, db_engine)] == ["Instituto Mexicano del Seguro Social"]
    missing = await core.handle(SENDER, "/seguir Pemex", "telegram")  # not in the loaded data
    assert "No encontré" in missing.replies[0].text


async def test_stopping_a_follow_in_words(core: ConversationCore, db_engine: Engine) -> None:
    """Found trying it as a citizen: «deja de seguir a la CFE» went to Rasa, and a bare
    «/dejar_de_seguir» said «Ese seguimiento ya no está» though nothing was named."""
    for text in ("/seguir CFE", "/seguir IMSS"):
        turn = await core.handle(SENDER, text, "telegram")
        await core.handle(SENDER, turn.replies[0].buttons[0].payload, "telegram")
    assert len(follows.following(CHAT, db_engine)) == 2
    bare = await core.handle(SENDER, "/dejar_de_seguir", "telegram")
    assert bare.replies[0].text.startswith("Te aviso de los contratos nuevos de:")
    assert len(bare.replies[0].buttons) == 2
    left = await core.handle(SENDER, "deja de seguir a la cfe", "telegram")
    assert left.replies[0].text == f"Listo: ya no te aviso de los contratos de {CFE} y lo borré."
    assert [f.label for f in follows.following(CHAT, db_engine)] == ["Instituto Mexicano del Seguro Social"]
    left = await core.handle(SENDER, "ya no me avises de los contratos del IMSS", "telegram")
    assert "ya no te aviso de los contratos de Instituto Mexicano del Seguro Social" in left.replies[0].text
    assert follows.following(CHAT, db_engine) == []
    none_left = await core.handle(SENDER, "deja de seguir a la cfe", "telegram")
    assert "No sigues a ninguna institución" in none_left.replies[0].text


async def test_ya_no_quiero_seguir_a_la_cfe_stops_the_follow(core: ConversationCore,
                                                            db_engine: Engine) -> None:
    """Found on the citizen walk: it went to Rasa and was read as cancelling a proposal."""
    turn = await core.handle(SENDER, "/seguir CFE", "telegram")
    await core.handle(SENDER, turn.replies[0].buttons[0].payload, "telegram")
    left = await core.handle(SENDER, "ya no quiero seguir a la CFE", "telegram")
    assert left.replies[0].text == f"Listo: ya no te aviso de los contratos de {CFE} y lo borré."
    assert follows.following(CHAT, db_engine) == []


@pytest.mark.parametrize("text", ["ya no quiero seguir a la CFE", "deja de seguir al IMSS",
                                  "no quiero seguir los contratos de Diconsa", "/mis_seguimientos",
                                  "/dejar_de_seguir 3"])
async def test_in_the_terminal_stopping_a_follow_says_follows_live_in_telegram(
        core: ConversationCore, text: str) -> None:
    """Found on the citizen walk: in the terminal «ya no quiero seguir a la CFE» got «No tienes
    ninguna propuesta en curso»; follows exist only in Telegram, and the answer says so."""
    turn = await core.handle("terminal-walk", text, "terminal")
    reply = turn.replies[0].text
    assert turn.intent == "dejar_de_seguir_fuera_de_telegram"
    assert "aquí no sigues a ninguna institución ni empresa" in reply
    assert "Telegram" in reply and "/mis_seguimientos" in reply and "propuesta" not in reply


@pytest.mark.parametrize("text", ["sígueme avisando de Diconsa", "avísame de diconsa porfa",
                                  "quiero seguir a Diconsa"])
async def test_a_known_name_alone_after_a_follow_verb_is_a_follow(
        core: ConversationCore, db_engine: Engine, text: str) -> None:
    """«Sígueme avisando de Diconsa» has no «contratos»: the name of a buyer or supplier of the
    loaded data says it; consent first, as always."""
    turn = await core.handle(SENDER, text, "telegram")
    assert "Aviso de privacidad simplificado" in turn.replies[0].text
    assert "Diconsa" in turn.replies[0].text or "DICONSA" in turn.replies[0].text
    assert follows.following(CHAT, db_engine) == []


@pytest.mark.parametrize("text", ["avísame de los talleres de gobierno abierto",
                                  "avísame de las mesas en Diconsa y de los talleres",
                                  "sígueme avisando de mi propuesta", "avísame"])
async def test_a_follow_verb_without_one_known_name_is_left_to_the_others(
        core: ConversationCore, text: str) -> None:
    """«Avísame de los talleres» is a subscription (the next handler), not a contract follow."""
    assert await core.contract_follows.handle(SENDER, text) is None


@pytest.mark.parametrize("text", ["mándame alertas cuando suban contratos nuevos",
                                  "avísenme cuando haya contratos nuevos por aquí",
                                  "avisame si sale algo nuevo de contratos"])
async def test_new_contracts_of_nobody_named_are_left_to_the_subscriptions(
        core: ConversationCore, text: str) -> None:
    """Naming no buyer or supplier, it is the news of the contracts topic, not a follow."""
    assert await core.contract_follows.handle(SENDER, text) is None
