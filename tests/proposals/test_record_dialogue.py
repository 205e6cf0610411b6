"""The public-record question after sending, answered through the core: typed «sí» works."""

from __future__ import annotations

import uuid

from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.conversation.replies import Button, Reply
from bot.proposals import public_record
from bot.proposals import service as svc
from bot.proposals.record_dialogue import question_buttons


def _sent(engine: Engine, author: str) -> str:
    draft = svc.Draft(theme="movilidad", municipality_code="15106", municipality="Toluca",
                      problem="Baches en Paseo Tollocan", causes=None, effects=None, affected=None,
                      solution="Bachear")
    proposal = svc.submit(draft, intake_key=uuid.uuid4().hex, sender=author, channel="telegram",
                          consent=False, engine=engine)
    assert proposal.folio
    return proposal.folio


async def _asked(core: ConversationCore, sender: str, folio: str) -> None:
    """What the saving action sends, remembered as any offered buttons."""
    buttons = [Button(b["title"], b["payload"]) for b in question_buttons(folio)]
    await core.offers.remember(sender, [Reply("¿Ficha pública?", buttons)])


async def test_a_typed_si_publishes_and_a_no_does_not(db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    yes, no = _sent(db_engine, "tg-901"), _sent(db_engine, "tg-902")
    await _asked(core, "tg-901", yes)
    turn = await core.handle("tg-901", "si", "telegram")
    assert f"/propuestas/{yes}" in turn.replies[0].text
    await _asked(core, "tg-902", no)
    turn = await core.handle("tg-902", "no gracias", "telegram")
    assert "no tendrá ficha pública" in turn.replies[0].text
    assert public_record.record(yes, db_engine) is not None
    assert public_record.record(no, db_engine) is None


async def test_someone_else_cannot_publish_and_a_bad_payload_is_answered(db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    folio = _sent(db_engine, "tg-903")
    turn = await core.handle("tg-904", f"/ficha_publica_si {folio}", "telegram")
    assert turn.replies[0].text == f"Solo quien envió la propuesta {folio} puede publicar su ficha."
    turn = await core.handle("tg-904", "/ficha_publica_si 😀<b>", "telegram")
    assert "No encontré el folio" in turn.replies[0].text
    assert public_record.record(folio, db_engine) is None


async def test_si_publicala_typed_after_another_question_still_publishes(db_engine: Engine) -> None:
    """walk8: with a question asked in between, the buttons were gone and «sí, publicarla» went
    to the model, which answered an FAQ about roadmaps."""
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    folio = _sent(db_engine, "tg-905")
    await core.offers.remember("tg-905", [Reply("Otra respuesta", [Button("Fuentes", "/faq_fuentes")])])
    turn = await core.handle("tg-905", "Sí, publícala", "telegram")
    assert f"/propuestas/{folio}" in turn.replies[0].text
    assert public_record.record(folio, db_engine) is not None
    nobody = await core.handle("tg-906", "sí, publicarla", "telegram")  # no proposal of hers
    assert "/propuestas/" not in " ".join(r.text for r in nobody.replies)
