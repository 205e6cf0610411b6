"""«/baja» names what keeps coming and offers to stop it; «ya no me manden nada» stops it all.

A supporter's proposal notices («avísame cómo va») and an information request's reminder are
other consents than the news: found on the citizen walk, they kept coming after «nada».
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.conversation.core import ConversationCore
from bot.identity import person_key
from bot.inforequests import store
from bot.inforequests.deadlines import deadline
from bot.proposals import followers
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import (
    Consent,
    InfoRequest,
    Notification,
    ProposalContact,
    ProposalFollower,
    Subscriber,
)
from tests.campaigns.test_dialogue import CHAT, SENDER, payload, say, subscribe

FOLIO_REQUEST = "00871/SAIMEX/IP/2026"


def _following_and_reminded(engine: Engine) -> str:
    """This chat supports and follows a proposal and waits for a request's reminder."""
    draft = svc.Draft(theme="seguridad", municipality_code="15106", municipality="Toluca",
                      problem="La calle Morelos no tiene luminarias", causes=None, effects=None,
                      affected=None, solution="Poner luminarias")
    folio = svc.submit(draft, intake_key=uuid.uuid4().hex, sender="tg-900", channel="telegram",
                       consent=False, engine=engine).folio
    assert svc.adhere(folio, SENDER, engine) == "adhered"
    assert followers.follow(folio, SENDER, "telegram", engine) == "following"
    filed = dt.date(2026, 12, 1)
    store.save(person_key(SENDER), "mun:15106", FOLIO_REQUEST, filed, deadline(filed, "mun:15106"),
               engine, chat_id=CHAT)
    return str(folio)


def _still(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        follows = session.scalar(select(func.count()).select_from(ProposalFollower)) or 0
        reminders = session.scalar(select(func.count()).select_from(InfoRequest).where(
            InfoRequest.chat_id.is_not(None))) or 0
    return int(follows), int(reminders)


async def test_baja_says_what_keeps_coming_and_one_button_stops_it(db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    folio = _following_and_reminded(db_engine)
    await subscribe(core)
    turn = await say(core, "/baja")
    text = turn.replies[-1].text
    assert "ya no te mandaré noticias" in text
    assert f"Te siguen llegando los avisos de cómo va la propuesta que apoyas ({folio})" in text
    assert f"el recordatorio de tu solicitud de información ({FOLIO_REQUEST})" in text
    assert _still(db_engine) == (1, 1), "only the news stop on /baja"
    stop = await say(core, payload(turn.replies[-1], "Sí, ya no me mandes nada"))
    assert "También dejé de mandarte" in stop.replies[-1].text
    assert _still(db_engine) == (0, 0)
    with session_scope(db_engine) as session:  # the request itself stays for its owner
        assert session.scalar(select(func.count()).select_from(InfoRequest)) == 1


async def test_ya_no_me_manden_nada_stops_everything_at_once(db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    folio = _following_and_reminded(db_engine)
    await subscribe(core)
    turn = await say(core, "ya no me manden nada")
    text = turn.replies[-1].text
    assert "ya no te mandaré noticias" in text
    assert f"También dejé de mandarte los avisos de cómo va la propuesta que apoyas ({folio})" in text
    assert FOLIO_REQUEST in text and "Te siguen llegando" not in text
    assert _still(db_engine) == (0, 0)
    with session_scope(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(Subscriber)) == 0


async def test_a_typed_si_after_baja_stops_the_rest_too(db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    _following_and_reminded(db_engine)
    await subscribe(core)
    await say(core, "/baja")
    stop = await say(core, "sí")
    assert "También dejé de mandarte" in stop.replies[-1].text
    assert _still(db_engine) == (0, 0)


def _own_proposal_with_notices(engine: Engine) -> str:
    """This chat sent a proposal and said yes to being told how it goes; a notice is queued."""
    draft = svc.Draft(theme="seguridad", municipality_code="15106", municipality="Toluca",
                      problem="La calle Hidalgo no tiene banquetas", causes=None, effects=None,
                      affected=None, solution="Construir banquetas")
    folio = str(svc.submit(draft, intake_key=uuid.uuid4().hex, sender=SENDER, channel="telegram",
                           consent=True, contact_info="55 1234 5678", engine=engine).folio)
    svc.set_status(folio, "en_revision", actor="ana", engine=engine)
    return folio


def _own_notices(engine: Engine) -> tuple[int, int, int]:
    """(contacts kept, notices waiting to go out, active contact consents) of this chat."""
    with session_scope(engine) as session:
        contacts = session.scalar(select(func.count()).select_from(ProposalContact)) or 0
        waiting = session.scalar(select(func.count()).select_from(Notification).where(
            Notification.address == SENDER, Notification.sent_at.is_(None))) or 0
        consents = session.scalar(select(func.count()).select_from(Consent).where(
            Consent.person_key == person_key(SENDER), Consent.purpose == svc.CONTACT_PURPOSE,
            Consent.revoked_at.is_(None))) or 0
    return int(contacts), int(waiting), int(consents)


async def test_ya_no_me_manden_nada_also_stops_the_notices_of_her_own_proposal(db_engine: Engine) -> None:
    """Found on the citizen walk: «nada» stopped the news and the follows, but the status
    notices of her own proposal kept coming."""
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    folio = _own_proposal_with_notices(db_engine)
    assert _own_notices(db_engine) == (1, 1, 1)
    await subscribe(core)
    turn = await say(core, "ya no me manden nada")
    text = turn.replies[-1].text
    assert f"los avisos de cómo va tu propuesta ({folio})" in text
    assert _own_notices(db_engine) == (0, 0, 0)
    svc.set_status(folio, "turnada", actor="ana", engine=db_engine)  # nothing new is queued
    assert _own_notices(db_engine) == (0, 0, 0)
    assert svc.get(folio, db_engine) is not None, "the proposal itself stays"


async def test_baja_names_the_notices_of_her_own_proposal_and_offers_to_stop_them(
        db_engine: Engine) -> None:
    core = ConversationCore(None, record_usage=False, engine=db_engine)
    folio = _own_proposal_with_notices(db_engine)
    await subscribe(core)
    turn = await say(core, "/baja")
    assert f"Te siguen llegando los avisos de cómo va tu propuesta ({folio})" in turn.replies[-1].text
    assert _own_notices(db_engine) == (1, 1, 1)
    stop = await say(core, payload(turn.replies[-1], "Sí, ya no me mandes nada"))
    assert "También dejé de mandarte los avisos de cómo va tu propuesta" in stop.replies[-1].text
    assert _own_notices(db_engine) == (0, 0, 0)
