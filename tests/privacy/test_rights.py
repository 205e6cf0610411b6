"""``collect`` and ``erase`` across every domain, on SQLite and PostgreSQL.

One person ("tg-<id>") with everything the bot can store: a proposal with consented
contact and a status notification, a second proposal without contact, an adhesion, a
campaign deep link, a blocked-chat mark and a Rasa conversation. A neighbour has data too,
which must come out of both untouched.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.campaigns import telegram_chats
from bot.identity import person_key
from bot.privacy import registry as privacy_providers
from bot.privacy import rights as privacy
from bot.proposals import service as svc
from bot.rasa import personal_data as rasa_personal_data
from bot.storage.db import session_scope
from bot.storage.models import (
    Adhesion,
    Consent,
    Notification,
    Proposal,
    ProposalContact,
    TelegramBlockedChat,
    TelegramDeepLink,
)
from tests.storage.rasa_events import add_conversation, tracker_db

PROBLEM = "La luminaria de la calle Jacarandas lleva meses apagada"


def draft(problem: str = PROBLEM) -> svc.Draft:
    return svc.Draft(theme="seguridad", municipality_code="15106", municipality="Toluca",
                     problem=problem, causes=None, effects=None, affected=None,
                     solution="Cambiar la luminaria y revisar las demás")


@dataclass
class World:
    me: str
    chat_id: int
    neighbour: str
    neighbour_chat: int
    own_folio: str
    quiet_folio: str
    neighbour_folio: str
    tracker: Engine


@pytest.fixture
def world(db_engine: Engine) -> World:
    chat_id, neighbour_chat = uuid.uuid4().int % 10**10, uuid.uuid4().int % 10**10
    me, neighbour = f"tg-{chat_id}", f"tg-{neighbour_chat}"

    def submit(sender: str, consent: bool, contact: str | None = None, problem: str = PROBLEM) -> str:
        proposal = svc.submit(draft(problem), intake_key=uuid.uuid4().hex, sender=sender,
                              channel="telegram", consent=consent, contact_info=contact, engine=db_engine)
        assert proposal.folio
        return proposal.folio

    own = submit(me, True, "ana.lopez@example.org")
    svc.set_status(own, "en_revision", "STL", note="La revisamos", engine=db_engine)
    quiet = submit(me, False, problem="Faltan topes frente a la primaria de la colonia")
    theirs = submit(neighbour, True, "vecina@example.org", problem="Hay robos frecuentes en el parque")
    svc.set_status(theirs, "en_revision", "STL", engine=db_engine)
    assert svc.adhere(theirs, me, engine=db_engine) == "adhered"
    assert svc.adhere(own, neighbour, engine=db_engine) == "adhered"
    telegram_chats.record_deep_link(chat_id, "feria_toluca", db_engine)
    telegram_chats.record_deep_link(neighbour_chat, "feria_toluca", db_engine)
    telegram_chats.mark_blocked(chat_id, db_engine)
    tracker = tracker_db(db_engine)
    add_conversation(tracker, me, ["quiero proponer algo", PROBLEM])
    add_conversation(tracker, neighbour, ["hola"])
    return World(me, chat_id, neighbour, neighbour_chat, own, quiet, theirs, tracker)


def test_collect_returns_everything_about_the_person_and_nothing_else(
    world: World, db_engine: Engine
) -> None:
    data = privacy.collect(world.me, db_engine)
    assert set(data) == {"propuestas", "apoyos", "avisos", "telegram", "conversacion",
                         "consentimientos"}
    own, quiet = data["propuestas"]
    assert own["folio"] == world.own_folio and own["problema"] == PROBLEM
    assert own["contacto"] == {"canal": "telegram", "chat": world.me,
                               "correo_o_telefono": "ana.lopez@example.org"}
    assert [h["estado"] for h in own["historial"]] == ["recibida", "en_revision"]
    assert quiet["contacto"] is None
    assert [a["folio"] for a in data["apoyos"]] == [world.neighbour_folio]
    [notice] = data["avisos"]
    assert world.own_folio in notice["texto"] and notice["enviado"] is None
    assert data["telegram"]["enlaces_de_campana"][0]["codigo"] == "feria_toluca"
    assert data["telegram"]["bloqueo_registrado"] is True
    assert [m["texto"] for m in data["conversacion"]["mensajes"]] == ["quiero proponer algo", PROBLEM]
    [given] = data["consentimientos"]
    assert given["finalidad"] == "contacto_propuesta" and given["retirado"] is None
    everything = json.dumps(privacy.export(world.me, db_engine), ensure_ascii=False)
    assert "vecina@example.org" not in everything and "robos frecuentes" not in everything


def test_the_summary_names_each_kind_of_data_in_spanish(world: World, db_engine: Engine) -> None:
    lines = "\n".join(privacy.describe(privacy.collect(world.me, db_engine)))
    assert f"Propuestas que enviaste: 2 ({world.own_folio}, {world.quiet_folio})" in lines
    assert "ana.lopez@example.org" in lines
    assert f"Apoyos a propuestas de otras personas: 1 ({world.neighbour_folio})" in lines
    assert "«feria_toluca»" in lines
    assert "2 mensajes tuyos" in lines
    assert "avisos y contacto sobre tu propuesta" in lines


def test_someone_the_bot_never_saw_has_no_data(db_engine: Engine) -> None:
    assert privacy.collect("tg-999999999999", db_engine) == {}
    assert privacy.erase("tg-999999999999", db_engine).total == 0


def count(engine: Engine, model: type, *where: object) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_erase_removes_the_person_and_keeps_the_public_record(world: World, db_engine: Engine) -> None:
    report = privacy.erase(world.me, db_engine)
    assert report.complete
    assert report.counts == {"avisos": 1, "contactos": 1, "propuestas anonimizadas": 2,
                             "apoyos anonimizados": 1, "registros de Telegram": 2,
                             "registros de la conversación": 5, "consentimientos": 1}
    assert privacy.collect(world.me, db_engine) == {}
    assert svc.mine(world.me, engine=db_engine) == [], "nothing links the proposals to them"
    own = svc.get(world.own_folio, engine=db_engine)
    assert own is not None and own.problem == PROBLEM and own.contact is None, "the text stays public"
    assert own.author_key != person_key(world.me)
    quiet = svc.get(world.quiet_folio, engine=db_engine)
    assert quiet is not None and quiet.author_key != own.author_key, "erased rows cannot be grouped"
    assert count(db_engine, Adhesion, Adhesion.proposal_id == own.id) == 1, "others' support stays"
    theirs = svc.get(world.neighbour_folio, engine=db_engine)
    assert theirs is not None
    assert count(db_engine, Adhesion, Adhesion.proposal_id == theirs.id) == 1, "their support still counts"
    assert svc.adhere(world.neighbour_folio, world.me, engine=db_engine) == "adhered", (
        "the anonymised support no longer recognises them")


def test_erase_leaves_the_neighbour_untouched(world: World, db_engine: Engine) -> None:
    before = privacy.collect(world.neighbour, db_engine)
    privacy.erase(world.me, db_engine)
    after = privacy.collect(world.neighbour, db_engine)
    assert after == before
    assert telegram_chats.deep_link_counts(db_engine) == {"feria_toluca": 1}
    assert count(db_engine, TelegramBlockedChat) == 0


def test_erasing_twice_is_harmless(world: World, db_engine: Engine) -> None:
    privacy.erase(world.me, db_engine)
    again = privacy.erase(world.me, db_engine)
    assert again.complete and again.total == 0


def test_a_domain_that_fails_is_reported_and_the_others_still_go(
    world: World, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(person: privacy_providers.Person, engine: Engine | None) -> dict[str, int]:
        raise ConnectionError("Rasa's database is down")

    failing = privacy_providers.Provider("conversacion", rasa_personal_data.collect_conversation,
                               rasa_personal_data.describe_conversation, broken,
                               "los mensajes de esta conversación")
    patched = [failing if p.name == "conversacion" else p for p in privacy_providers.PROVIDERS]
    monkeypatch.setattr(privacy_providers, "PROVIDERS", patched)
    report = privacy.erase(world.me, db_engine)
    assert report.failed == ["los mensajes de esta conversación"] and not report.complete
    assert report.counts["contactos"] == 1
    assert count(db_engine, ProposalContact, ProposalContact.address == world.me) == 0
    assert count(db_engine, Consent, Consent.person_key == person_key(world.me)) == 0


def test_consents_go_last_and_only_once_nothing_points_at_them(world: World, db_engine: Engine) -> None:
    names = [p.name for p in privacy.providers()]
    assert names[-1] == "consentimientos"
    privacy.erase(world.me, db_engine)
    assert count(db_engine, Consent, Consent.person_key == person_key(world.neighbour)) == 1
    assert count(db_engine, Notification, Notification.address == world.neighbour) == 1
    assert count(db_engine, Proposal) == 3 and count(db_engine, TelegramDeepLink) == 1


def test_people_are_read_from_their_conversation_id() -> None:
    person = privacy_providers.Person.of("tg-123456")
    assert person.chat_id == 123456 and person.key == person_key("tg-123456")
    assert privacy_providers.Person.of("tg--100200").chat_id == -100200
    assert privacy_providers.Person.of("terminal-abc").chat_id is None
    assert privacy_providers.Person.of("tg-abc").chat_id is None


def test_one_message_is_singular() -> None:
    """walk8: «/borrar» showed «1 mensajes tuyos, guardados»."""
    from bot.rasa.personal_data import describe_conversation

    [line] = describe_conversation({"mensajes": [{"texto": "hola"}]})
    assert "1 mensaje tuyo, guardado para seguir el hilo (se borra" in line
