"""Campaigns on SQLite and PostgreSQL: validation, schedule, a start that happens once, cancel, report."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from bot.campaigns import service as svc
from bot.campaigns import subscriptions as subs
from bot.config import get_settings
from bot.storage.db import session_scope
from bot.storage.models import Campaign, Delivery

TOLUCA = "15106"


def draft(**changes: object) -> svc.CampaignDraft:
    values: dict[str, object] = {
        "title": "Semana de Gobierno Abierto", "topic": "convocatorias", "created_by": "stl",
        "text": "*Semana de Gobierno Abierto*: del 1 al 5 de diciembre. [Programa](https://example.org/p)",
    }
    values.update(changes)
    return svc.CampaignDraft(**values)  # type: ignore[arg-type]


def subscribe(engine: Engine, chats: range, topic: str = "convocatorias", code: str | None = None) -> None:
    for chat in chats:
        subs.subscribe(chat, topic, engine)
        if code:
            subs.set_municipality(chat, code, None, engine)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"topic": "futbol"}, "No existe el tema «futbol»"),
        ({"title": "  "}, "Falta el título"),
        ({"text": "   "}, "está vacío"),
        ({"text": "a" * 4097}, "4,097 caracteres"),
        ({"text": "a" * 1025, "image": "https://example.org/cartel.jpg"}, "1,024"),
        ({"image": "cartel.jpg"}, "La imagen debe ser"),
        ({"image": "http://example.org/cartel.jpg"}, "La imagen debe ser"),
        ({"button_text": "Inscríbete"}, "El botón necesita su texto y su enlace"),
        ({"button_text": "Ir", "button_url": "javascript:alert(1)"}, "debe empezar con https://"),
        ({"municipalities": ["Gotham"]}, "No reconozco el municipio «Gotham»"),
        ({"at": "mañana temprano"}, "No entiendo la fecha"),
        ({"at": "2001-01-01T10:00"}, "ya pasó"),
    ],
)
def test_what_an_editor_gets_wrong_is_explained(
    db_engine: Engine, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(svc.CampaignError, match=message):
        svc.create(draft(**changes), db_engine)
    with session_scope(db_engine) as session:
        assert session.scalar(select(Campaign.id)) is None, "nothing stored"


def test_campaign_times_follow_participa_timezone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another state, another zone: PARTICIPA_TIMEZONE decides, not a constant in the code."""
    monkeypatch.setenv("PARTICIPA_TIMEZONE", "America/Tijuana")
    get_settings.cache_clear()
    try:
        moment = svc.parse_local_time("2099-12-01T10:00")
        shown = svc.local_time(dt.datetime(2099, 12, 1, 16, 0))
    finally:
        get_settings.cache_clear()
    assert moment == dt.datetime(2099, 12, 1, 18, 0), "UTC-8 in December"
    assert shown == "2099-12-01 08:00 (hora del centro de México)", "the name comes from place.yml"


def test_a_scheduled_campaign_keeps_mexico_city_time_in_utc(db_engine: Engine) -> None:
    campaign = svc.create(draft(at="2099-12-01T10:00", municipalities=["toluca", "Neza", TOLUCA]), db_engine)
    assert campaign.status == "scheduled"
    assert campaign.scheduled_at == dt.datetime(2099, 12, 1, 16, 0), "UTC-6, no daylight saving"
    assert campaign.municipalities == [TOLUCA, "15058"]
    assert svc.local_time(campaign.scheduled_at) == "2099-12-01 10:00 (hora del centro de México)"
    with pytest.raises(svc.CampaignError, match="programada para 2099-12-01 10:00"):
        svc.start(campaign.id, db_engine)
    assert svc.due(db_engine) == []
    assert svc.due(db_engine, now=dt.datetime(2099, 12, 1, 16, 0)) == [campaign.id]


def test_starting_creates_one_delivery_per_subscriber_once(db_engine: Engine) -> None:
    subscribe(db_engine, range(700, 710))
    subscribe(db_engine, range(710, 713), topic="contrataciones")
    campaign = svc.create(draft(), db_engine)
    assert campaign.status == "draft" and svc.audience(campaign, db_engine) == 10
    assert svc.start(campaign.id, db_engine) == 10
    assert svc.start(campaign.id, db_engine) == 0, "a second start adds nothing"
    assert svc.get(campaign.id, db_engine).status == "sending"
    assert svc.progress(campaign.id, db_engine)["pending"] == 10
    assert svc.due(db_engine) == [campaign.id], "a sending campaign with pending rows is due"
    subscribe(db_engine, range(720, 722))
    assert svc.start(campaign.id, db_engine) == 0, "who subscribes later waits for the next one"


def test_municipal_campaigns_reach_only_that_municipality(db_engine: Engine) -> None:
    subscribe(db_engine, range(800, 803), code=TOLUCA)
    subscribe(db_engine, range(803, 806))
    campaign = svc.create(draft(municipalities=["Toluca"]), db_engine)
    assert svc.start(campaign.id, db_engine) == 3


def test_cancel_stops_what_is_pending_and_reports(db_engine: Engine) -> None:
    subscribe(db_engine, range(900, 904))
    campaign = svc.create(draft(), db_engine)
    svc.start(campaign.id, db_engine)
    with session_scope(db_engine) as session:
        first = session.scalar(select(Delivery.id).where(Delivery.campaign_id == campaign.id).limit(1))
        session.execute(update(Delivery).where(Delivery.id == first).values(
            state="sent", finished_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
    assert svc.cancel(campaign.id, db_engine) == 3
    cancelled = svc.get(campaign.id, db_engine)
    assert cancelled.status == "cancelled"
    assert (cancelled.sent, cancelled.skipped, cancelled.total) == (1, 3, 4)
    with pytest.raises(svc.CampaignError, match="ya está «cancelada»"):
        svc.cancel(campaign.id, db_engine)
    with pytest.raises(svc.CampaignError, match="ya está «cancelada»"):
        svc.start(campaign.id, db_engine)


def test_the_report_counts_every_state(db_engine: Engine) -> None:
    subscribe(db_engine, range(1000, 1005))
    campaign = svc.create(draft(), db_engine)
    svc.start(campaign.id, db_engine)
    assert not svc.finish_if_complete(campaign.id, db_engine)
    with session_scope(db_engine) as session:
        ids = list(session.scalars(select(Delivery.id).where(Delivery.campaign_id == campaign.id)
                                   .order_by(Delivery.id)))
        started = session.get(Campaign, campaign.id).started_at  # type: ignore[union-attr]
        assert started is not None
        for delivery_id, state in zip(ids, ["sent", "sent", "blocked", "failed", "unknown"], strict=True):
            session.execute(update(Delivery).where(Delivery.id == delivery_id).values(
                state=state, finished_at=started + dt.timedelta(seconds=4)))
    assert svc.finish_if_complete(campaign.id, db_engine)
    done = svc.get(campaign.id, db_engine)
    assert done.status == "done"
    assert done.report() == {"total": 5, "sent": 2, "blocked": 1, "failed": 1, "unknown": 1,
                             "skipped": 0, "duration_seconds": 4.0, "rate": 0.5}
    assert not svc.finish_if_complete(campaign.id, db_engine), "once"


def test_an_empty_audience_finishes_at_once(db_engine: Engine) -> None:
    campaign = svc.create(draft(topic="violencia_mujeres"), db_engine)
    assert svc.start(campaign.id, db_engine) == 0
    assert svc.due(db_engine) == []
    assert svc.get(campaign.id, db_engine).status == "done"
