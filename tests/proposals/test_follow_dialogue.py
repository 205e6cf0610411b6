"""«Avísame cómo va» through the conversation core: notice first, a typed «sí» or «no» answers."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.conversation.replies import Button, Reply
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import Consent, ProposalFollower


def _supported(engine: Engine, supporter: str) -> str:
    draft = svc.Draft(theme="movilidad", municipality_code="15058", municipality="Nezahualcóyotl",
                      problem="El puente peatonal de avenida Chimalhuacán está roto", causes=None,
                      effects=None, affected=None, solution="Repararlo")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender="tg-500", channel="telegram",
                          consent=False, engine=engine)
    assert proposal.folio and svc.adhere(proposal.folio, supporter, engine) == "adhered"
    return proposal.folio


def _followers(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(ProposalFollower)) or 0)


async def test_typed_words_ask_and_a_typed_si_consents(db_engine: Engine) -> None:
    folio = _supported(db_engine, "tg-501")
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    turn = await core.handle("tg-501", f"Avísame cómo va la {folio.lower()}", "telegram")
    [notice] = turn.replies
    assert "Aviso de privacidad simplificado" in notice.text and folio in notice.text
    assert [b.title for b in notice.buttons] == ["Sí, acepto", "No, gracias"]
    assert _followers(db_engine) == 0, "nothing stored before consent"
    turn = await core.handle("tg-501", "si", "telegram")
    assert turn.replies[0].text == f"¡Listo! Te avisaré aquí cuando la propuesta {folio} cambie de estado."
    assert _followers(db_engine) == 1
    turn = await core.handle("tg-501", f"/avisame_si {folio}", "telegram")  # a stale button
    assert "no hace falta pedirlo otra vez" in turn.replies[0].text
    assert _followers(db_engine) == 1


async def test_the_button_title_typed_and_a_no_store_nothing(db_engine: Engine) -> None:
    folio = _supported(db_engine, "tg-502")
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    # What the adhesion action offers, remembered by the core as any offered button.
    offered = Reply("¡Gracias!", [Button("Avísame cómo va", f"/avisame {folio}")])
    await core.offers.remember("tg-502", [offered])
    turn = await core.handle("tg-502", "avisame como va", "telegram")
    assert "Aviso de privacidad simplificado" in turn.replies[0].text
    turn = await core.handle("tg-502", "no", "telegram")
    assert "no guardé nada" in turn.replies[0].text
    assert _followers(db_engine) == 0
    with session_scope(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(Consent)) == 0


async def test_clear_answers_without_a_folio_or_without_support(db_engine: Engine) -> None:
    folio = _supported(db_engine, "tg-503")
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    turn = await core.handle("tg-504", "avísame cómo va", "telegram")
    assert "Escribe «avísame cómo va» y su folio" in turn.replies[0].text
    turn = await core.handle("tg-504", f"/avisame_si {folio}", "telegram")
    assert turn.replies[0].text == ("Solo puedo avisarte de propuestas que apoyas. "
                                    f"Primero apoya la propuesta {folio}.")
    turn = await core.handle("tg-504", "/avisame_si P-2026-<b>1</b>'; DROP TABLE proposals;--", "telegram")
    assert "Escribe «avísame cómo va» y su folio" in turn.replies[0].text
    assert _followers(db_engine) == 0


async def test_asking_to_be_told_of_events_is_no_follow(db_engine: Engine) -> None:
    """«Avísenme cuando haya talleres» asks for the news: it was answered «¿De qué propuesta
    quieres avisos?»."""
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    turn = await core.handle("tg-507", "avísenme cuando haya talleres de transparencia 🙏", "telegram")
    assert turn.intent != "seguir_apoyo"
    assert all("su folio" not in r.text for r in turn.replies)


async def test_no_notice_for_a_folio_that_does_not_exist_or_is_not_supported(db_engine: Engine) -> None:
    """Found trying it as a citizen: the notice came first, then «No encontré la propuesta»."""
    folio = _supported(db_engine, "tg-505")
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    turn = await core.handle("tg-506", "avísame cómo va P-2026-999999", "telegram")
    assert turn.replies[0].text == "No encontré la propuesta P-2026-999999."
    assert turn.replies[0].buttons == []
    turn = await core.handle("tg-506", f"avísame cómo va {folio}", "telegram")
    assert turn.replies[0].text == ("Solo puedo avisarte de propuestas que apoyas. "
                                    f"Primero apoya la propuesta {folio}.")
    turn = await core.handle("tg-505", f"/avisame {folio}", "telegram")
    assert "Aviso de privacidad simplificado" in turn.replies[0].text  # a supporter still gets it
    assert _followers(db_engine) == 0


async def test_in_the_terminal_no_notice_is_offered_since_none_can_arrive(db_engine: Engine) -> None:
    """Leftover of round 5: the terminal showed the privacy notice and stored a follower that no
    notice could ever reach (they go to Telegram only). It says so, and stores nothing."""
    folio = _supported(db_engine, "terminal-503")
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    for typed in (f"avísame cómo va {folio}", f"/avisame {folio}", f"/avisame_si {folio}"):
        turn = await core.handle("terminal-503", typed, "terminal")
        [reply] = turn.replies
        assert reply.text.startswith("Los avisos de cómo va una propuesta llegan solo por Telegram")
        assert "Aviso de privacidad" not in reply.text
    assert _followers(db_engine) == 0
