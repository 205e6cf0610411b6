"""The buttons last offered survive a restart (a new process reads them from the database)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import update
from sqlalchemy.engine import Engine

from bot.conversation.choices import CONFIRM_PROPOSAL
from bot.conversation.core import ConversationCore
from bot.conversation.offered import Offers, collect, erase
from bot.conversation.replies import Button, Reply
from bot.identity import person_key
from bot.privacy.purge import purge
from bot.privacy.registry import Person
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import OfferedChoice
from bot.storage.models.base import utcnow

SUMMARY = Reply("Revisa tu propuesta antes de enviarla:\n• Problema: baches en mi calle", [
    Button("Enviar propuesta", CONFIRM_PROPOSAL), Button("Cancelar", "/cancelar")])
PRIVACY = [Button("Sí, bórralo", "/borrar_si"), Button("No, consérvalos", "/no_borrar")]


def someone() -> str:
    return f"tg-{uuid.uuid4().int % 10**9}"


async def test_a_new_process_knows_the_offer_but_not_the_answers(db_engine: Engine) -> None:
    me = someone()
    await Offers(db_engine).remember(me, [SUMMARY])
    offer = await Offers(db_engine).get(me)  # another process, or another replica
    assert offer is not None and offer.buttons == SUMMARY.buttons and offer.at_summary
    assert offer.summary is None, "the summary holds the person's answers: memory only"
    with session_scope(db_engine) as session:
        row = session.get(OfferedChoice, person_key(me))
        assert row is not None and "baches" not in str(row.buttons)
        assert session.get(OfferedChoice, me) is None, "keyed by the person key, not the chat"


async def test_a_turn_without_buttons_forgets_and_old_offers_expire(db_engine: Engine) -> None:
    me, other = someone(), someone()
    offers = Offers(db_engine)
    await offers.remember(me, [Reply("¿Borro?", PRIVACY)])
    await offers.remember(me, [Reply("¡Listo!")])
    assert await Offers(db_engine).get(me) is None
    await offers.remember(other, [Reply("¿Borro?", PRIVACY)])
    with session_scope(db_engine) as session:
        session.execute(update(OfferedChoice).values(expires_at=utcnow() - dt.timedelta(minutes=1)))
    assert await Offers(db_engine).get(other) is None, "a day later a «sí» answers nothing"
    report = purge(engine=db_engine)
    assert report.offered_choices == 1
    assert any("Botones ofrecidos ya caducados" in line for line in report.lines())


async def test_my_data_shows_the_offer_and_erase_removes_it(db_engine: Engine) -> None:
    me = someone()
    await Offers(db_engine).remember(me, [Reply("¿Borro?", PRIVACY)])
    person = Person.of(me)
    assert collect(person, db_engine)["botones"] == ["Sí, bórralo", "No, consérvalos"]
    assert sum(erase(person, db_engine).values()) == 1
    assert collect(person, db_engine) == {}


async def test_a_typed_yes_after_a_restart_presses_the_button(db_engine: Engine) -> None:
    """/borrar asked by one core; "sale" typed to a new core (a restart) still erases."""
    me = someone()
    draft = svc.Draft(theme="movilidad", municipality_code="15106", municipality="Toluca",
                      problem="Los camiones no pasan por la colonia después de las nueve",
                      causes=None, effects=None, affected=None, solution="Más corridas de noche")
    svc.submit(draft, intake_key=uuid.uuid4().hex, sender=me, channel="telegram", consent=False,
               contact_info=None, engine=db_engine)
    before = ConversationCore(None, record_usage=False, engine=db_engine)
    asked = await before.handle(me, "/borrar", channel="telegram")
    assert any(b.title.startswith("Sí") for r in asked.replies for b in r.buttons)
    after = ConversationCore(None, record_usage=False, engine=db_engine)
    done = await after.handle(me, "sale", channel="telegram")
    assert "borré tus datos" in "\n".join(r.text for r in done.replies)
    assert svc.mine(me, engine=db_engine) == []
