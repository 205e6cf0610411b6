"""Counts for the charts and the public board, from real rows and their history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.engine import Engine

from bot.proposals import service as svc
from bot.proposals import stats as proposal_stats
from bot.storage.db import session_scope
from bot.storage.models import Adhesion, Proposal, StatusChange
from tests.web.conftest import add_proposal


def _backdate(engine: Engine, proposal: Proposal, when: dt.datetime) -> None:
    with session_scope(engine) as s:
        s.execute(update(Proposal).where(Proposal.id == proposal.id).values(created_at=when))
        s.execute(update(StatusChange).where(StatusChange.proposal_id == proposal.id).values(created_at=when))


def test_every_theme_is_counted_even_with_no_proposals(db_engine: Engine) -> None:
    add_proposal(db_engine, theme="movilidad")
    add_proposal(db_engine, theme="movilidad")
    counts = {c.key: c.value for c in proposal_stats.by_theme(db_engine)}
    assert counts["movilidad"] == 2 and counts["seguridad"] == 0 and len(counts) == 6


def test_municipalities_come_most_first_and_the_limit_holds(db_engine: Engine) -> None:
    places = (("15106", "Toluca", 1), ("15033", "Ecatepec de Morelos", 3), ("15058", "Nezahualcóyotl", 2))
    for code, name, n in places:
        for _ in range(n):
            add_proposal(db_engine, municipality=(code, name))
    top = proposal_stats.by_municipality(limit=2, engine=db_engine)
    assert [(c.key, c.value) for c in top] == [("15033", 3), ("15058", 2)]


def test_status_over_time_follows_each_proposals_history(db_engine: Engine) -> None:
    start = dt.datetime(2026, 1, 5, 10)
    p = add_proposal(db_engine)
    _backdate(db_engine, p, start)
    svc.set_status(p.folio or "", "en_revision", "stl", engine=db_engine)
    with session_scope(db_engine) as s:
        s.execute(update(StatusChange).where(StatusChange.to_status == "en_revision")
                  .values(created_at=start + dt.timedelta(days=8)))
    series = proposal_stats.status_over_time(db_engine, today=dt.date(2026, 1, 25))
    assert series.granularity == "week" and series.ends[0] == dt.date(2026, 1, 11)
    assert series.values["recibida"] == [1, 0, 0]
    assert series.values["en_revision"] == [0, 1, 1]


def test_long_spans_are_counted_by_month(db_engine: Engine) -> None:
    p = add_proposal(db_engine)
    _backdate(db_engine, p, dt.datetime(2025, 11, 20))
    series = proposal_stats.status_over_time(db_engine, today=dt.date(2026, 6, 1))
    assert series.granularity == "month"
    assert series.ends[0] == dt.date(2025, 11, 30) and series.ends[-1] == dt.date(2026, 6, 30)
    assert all(v == 1 for v in series.values["recibida"])


def test_adhesions_over_time_and_most_supported(db_engine: Engine) -> None:
    a, b = add_proposal(db_engine), add_proposal(db_engine)
    for who in ("s1", "s2"):
        svc.adhere(a.folio or "", who, db_engine)
    svc.adhere(b.folio or "", "s3", db_engine)
    with session_scope(db_engine) as s:
        s.execute(update(Adhesion).values(created_at=dt.datetime(2026, 3, 2)))
    series = proposal_stats.adhesions_over_time(db_engine, today=dt.date(2026, 3, 10))
    assert sum(series.values["adhesions"]) == 3
    assert [(x.folio, x.adhesions) for x in proposal_stats.most_supported(engine=db_engine)] == [
        (a.folio, 2), (b.folio, 1)]


def test_open_data_rows_are_counts_without_text_or_people(db_engine: Engine) -> None:
    add_proposal(db_engine, problem="Texto que no debe salir en datos abiertos", consent=True)
    rows = proposal_stats.open_data_rows(db_engine)
    assert rows == [{"tema": "medio_ambiente", "tema_nombre": "Medio ambiente", "clave_municipio": "15106",
                     "municipio": "Toluca", "estado": "recibida", "estado_nombre": "Recibida",
                     "propuestas": 1}]


def test_empty_database_gives_empty_series(db_engine: Engine) -> None:
    assert proposal_stats.status_over_time(db_engine).ends == []
    assert proposal_stats.adhesions_over_time(db_engine).ends == []
    assert proposal_stats.totals(db_engine) == {"proposals": 0, "adhesions": 0}
