"""Subscriptions on SQLite and PostgreSQL: consent first, deletion on /baja, audiences, plain words."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.campaigns import subscriptions as subs
from bot.campaigns import telegram_chats
from bot.identity import chat_hash, person_key, telegram_chat_id
from bot.privacy.notice import notice_version
from bot.storage.db import session_scope
from bot.storage.models import Consent, Subscriber, SubscriptionTopic

TOLUCA, NEZA = "15106", "15058"


def stored_chat_ids(engine: Engine) -> list[int]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Subscriber.chat_id)))


def test_subscribing_records_consent_with_the_notice_version(db_engine: Engine) -> None:
    assert subs.needs_consent(501, db_engine)
    assert subs.subscribe(501, "convocatorias", db_engine) == "subscribed"
    with session_scope(db_engine) as session:
        subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == 501))
        assert subscriber is not None
        consent = session.get(Consent, subscriber.consent_id)
        assert consent is not None and consent.purpose == "suscripcion"
        assert consent.person_key == person_key("tg-501")
        assert consent.notice_version == notice_version()
        assert subscriber.chat_hash == chat_hash(501)
    assert not subs.needs_consent(501, db_engine)
    current = subs.get(501, db_engine)
    assert current and current.topics == ["convocatorias"]
    assert current.pending_step == subs.PENDING_MUNICIPALITY, "the bot asks for the municipality next"


def test_more_topics_and_repeats(db_engine: Engine) -> None:
    subs.subscribe(502, "convocatorias", db_engine)
    assert subs.subscribe(502, "contrataciones", db_engine) == "added"
    assert subs.subscribe(502, "contrataciones", db_engine) == "already"
    current = subs.get(502, db_engine)
    assert current and sorted(current.topics) == ["contrataciones", "convocatorias"]
    with session_scope(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(Consent)) == 1, "one consent"
    with pytest.raises(ValueError):
        subs.subscribe(502, "futbol", db_engine)


def test_unsubscribing_from_everything_deletes_the_chat_id(db_engine: Engine) -> None:
    subs.subscribe(503, "convocatorias", db_engine)
    subs.subscribe(503, "gobierno_abierto", db_engine)
    subs.subscribe(504, "convocatorias", db_engine)
    assert sorted(subs.unsubscribe_all(503, db_engine)) == ["convocatorias", "gobierno_abierto"]
    assert stored_chat_ids(db_engine) == [504]
    assert subs.get(503, db_engine) is None
    with session_scope(db_engine) as session:
        revoked = session.scalar(select(Consent).where(Consent.person_key == person_key("tg-503")))
        assert revoked is not None and revoked.revoked_at is not None
        assert session.scalar(select(func.count()).select_from(SubscriptionTopic)) == 1
    assert subs.unsubscribe_all(503, db_engine) == [], "again: nothing to do"


def test_leaving_topics_one_by_one(db_engine: Engine) -> None:
    subs.subscribe(505, "convocatorias", db_engine)
    subs.subscribe(505, "contrataciones", db_engine)
    assert subs.unsubscribe_topic(505, "violencia_mujeres", db_engine) is None
    assert subs.unsubscribe_topic(505, "convocatorias", db_engine) == ["contrataciones"]
    assert stored_chat_ids(db_engine) == [505]
    assert subs.unsubscribe_topic(505, "contrataciones", db_engine) == []
    assert stored_chat_ids(db_engine) == [], "the last topic takes the chat id with it"


def test_municipality_and_pending_question(db_engine: Engine) -> None:
    assert not subs.set_municipality(506, TOLUCA, "Toluca", db_engine), "not subscribed"
    subs.subscribe(506, "convocatorias", db_engine)
    assert subs.pending_step(506, db_engine) == subs.PENDING_MUNICIPALITY
    assert subs.set_municipality(506, TOLUCA, "Toluca", db_engine)
    assert subs.pending_step(506, db_engine) is None
    current = subs.get(506, db_engine)
    assert current and (current.municipality_code, current.municipality) == (TOLUCA, "Toluca")
    assert subs.ask_municipality(506, db_engine)
    assert subs.pending_step(506, db_engine) == subs.PENDING_MUNICIPALITY
    subs.clear_pending(506, db_engine)
    assert subs.pending_step(506, db_engine) is None


def test_audience_by_topic_municipality_and_blocks(db_engine: Engine) -> None:
    for chat, topic, code in [(601, "convocatorias", TOLUCA), (602, "convocatorias", NEZA),
                              (603, "convocatorias", None), (604, "contrataciones", TOLUCA),
                              (605, "convocatorias", TOLUCA)]:
        subs.subscribe(chat, topic, db_engine)
        subs.set_municipality(chat, code, None, db_engine)
    telegram_chats.mark_blocked(605, db_engine)

    def chats(topic: str, municipalities: list[str]) -> list[int]:
        with session_scope(db_engine) as session:
            ids = subs.audience_query(topic, municipalities).subquery()
            return sorted(session.scalars(select(Subscriber.chat_id).where(Subscriber.id.in_(
                select(ids.c.id)))))

    assert chats("convocatorias", []) == [601, 602, 603], "the whole state; not who blocked us"
    assert chats("convocatorias", [TOLUCA]) == [601]
    assert chats("convocatorias", [TOLUCA, NEZA]) == [601, 602]
    assert chats("violencia_mujeres", []) == []
    assert subs.audience_size("convocatorias", [], db_engine) == 3
    assert subs.counts_by_topic(db_engine) == {"convocatorias": 4, "contrataciones": 1}
    assert subs.blocked_subscribers(db_engine) == 1
    telegram_chats.mark_unblocked(605, db_engine)
    assert subs.audience_size("convocatorias", [TOLUCA], db_engine) == 2, "back once unblocked"


@pytest.mark.parametrize(
    "text",
    ["ya no me manden nada", "Ya no me manden nada!!", "No quiero más mensajes", "darme de baja",
     "quiero darme de baja", "Hola, ya no me manden nada, gracias", "no me envíen más noticias",
     "cancelar mi suscripción", "baja", "STOP", "ya no quiero recibir noticias", "dejar de recibir avisos",
     "porfa ya no me manden nada", "quiero cancelar mi suscripción a las noticias",
     "sáquenme de su lista", "bájame de la lista de noticias, gracias",
     # beh10: kinds that reached Rasa's guess (how-to, «no me interesan», unsubscribe in English)
     "cómo le hago para que ya no me lleguen los avisos", "ya no me interesa recibir noticias",
     "unsubscribe", "desactiven mis notificaciones", "ya no quiero estar suscrita",
     "dejen de mandarme noticias", "¿cómo dejo de recibir avisos?", "ya no me avisen de nada",
     "quiero salirme de la lista", "kiero darme de baja plis"],
)
def test_plain_words_that_mean_unsubscribe(text: str) -> None:
    assert subs.is_unsubscribe_request(text)


@pytest.mark.parametrize(
    "text",
    ["no me mandan respuesta de mi solicitud", "quiero darme de baja del padrón de proveedores",
     "¿cómo doy de baja una placa?", "no quiero que me manden al ministerio público", "baja california",
     "ya no quiero vivir con miedo", "la baja de mi negocio", "no me manden a otra oficina", "gracias",
     "sácame de la lista de espera del hospital",
     "hola", "nada", "",
     "mi ex no deja de mandarme mensajes", "no me interesa la política", "cancela mi propuesta",
     "ya no quiero estar en la lista de espera", "no me avisaron nada"],
)
def test_other_messages_do_not_unsubscribe(text: str) -> None:
    assert not subs.is_unsubscribe_request(text)


@pytest.mark.parametrize(("sender", "chat"), [("tg-42", 42), ("tg--100123", -100123), ("terminal", None),
                                              ("tg-abc", None), ("tg-", None)])
def test_the_chat_behind_a_sender(sender: str, chat: int | None) -> None:
    assert telegram_chat_id(sender) == chat


def test_my_data_shows_the_subscription_and_erase_deletes_it(db_engine: Engine) -> None:
    from bot.privacy import rights as privacy

    subs.subscribe(1201, "convocatorias", db_engine)
    subs.set_municipality(1201, TOLUCA, "Toluca", db_engine)
    subs.subscribe(1202, "convocatorias", db_engine)
    data = privacy.collect("tg-1201", db_engine)
    assert data["suscripciones"] == {"chat": 1201, "temas": ["convocatorias"], "municipio": "Toluca",
                                     "desde": data["suscripciones"]["desde"]}
    assert [c["finalidad"] for c in data["consentimientos"]] == ["suscripcion"]
    lines = privacy.describe(data)
    assert any("Noticias: este chat, para mandarte «Convocatorias y eventos» (zona: Toluca)" in line
               for line in lines)
    assert any("noticias del programa en este chat" in line for line in lines)
    report = privacy.erase("tg-1201", db_engine)
    assert report.complete and report.counts.get("suscripciones") == 1
    assert stored_chat_ids(db_engine) == [1202], "the neighbour stays"
    with session_scope(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(Consent)
                              .where(Consent.person_key == person_key("tg-1201"))) == 0
    assert "suscripciones" not in privacy.collect("tg-1201", db_engine)
