"""Commitments: road-map validation, publishing, linking proposals (which notifies consenting authors)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.proposals import commitments
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import Notification
from tests.web.conftest import add_proposal


def data(**changes: object) -> commitments.CommitmentData:
    values: dict[str, object] = {
        "title": "Compromiso de prueba", "theme": "movilidad", "responsible": "Persona responsable",
        "co_responsible": "Organización de prueba", "activities": "- Primera\n• Segunda\n\n",
        "start_date": dt.date(2026, 1, 1), "end_date": dt.date(2026, 6, 30), "progress": 10,
    }
    values.update(changes)
    return commitments.CommitmentData(**values)  # type: ignore[arg-type]


def test_a_commitment_keeps_its_road_map_with_one_item_per_line(db_engine: Engine) -> None:
    saved = commitments.save(data(), engine=db_engine)
    view = commitments.get(saved.id, published_only=False, engine=db_engine)
    assert view is not None and view.items("activities") == ["Primera", "Segunda"]
    assert commitments.get(saved.id, engine=db_engine) is None, "a draft is not public"


@pytest.mark.parametrize("changes,message", [
    ({"title": "  "}, "título"),
    ({"theme": "otra-cosa"}, "tema"),
    ({"progress": 120}, "0 a 100"),
    ({"end_date": dt.date(2025, 1, 1)}, "anterior"),
    ({"published": True, "responsible": ""}, "publicarlo"),
    ({"responsible": "x" * 201}, "muy largo"),
])
def test_an_incomplete_commitment_is_refused_with_a_reason(db_engine: Engine, changes: dict[str, object],
                                                           message: str) -> None:
    with pytest.raises(commitments.CommitmentError, match=message):
        commitments.save(data(**changes), engine=db_engine)


def test_only_published_commitments_are_listed_for_the_public(db_engine: Engine) -> None:
    commitments.save(data(title="Borrador"), engine=db_engine)
    commitments.save(data(title="Publicado", published=True), engine=db_engine)
    assert [v.commitment.title for v in commitments.listing(engine=db_engine)] == ["Publicado"]
    assert len(commitments.listing(published_only=False, engine=db_engine)) == 2


def test_linking_integrates_the_proposal_and_tells_only_a_consenting_author(db_engine: Engine) -> None:
    commitment = commitments.save(data(), engine=db_engine)
    told = add_proposal(db_engine, consent=True)
    silent = add_proposal(db_engine, consent=False)
    for p in (told, silent):
        commitments.link(commitment.id, p.folio or "", "editora", db_engine)
        commitments.link(commitment.id, p.folio or "", "editora", db_engine)  # twice: still one link
        assert svc.get(p.folio or "", db_engine).status == "integrada"  # type: ignore[union-attr]
    view = commitments.get(commitment.id, published_only=False, engine=db_engine)
    assert view is not None and view.folios == [told.folio, silent.folio]
    with session_scope(db_engine) as s:
        notes = s.scalars(select(Notification)).all()
        assert len(notes) == 1 and told.folio in notes[0].text and "Compromiso de prueba" in notes[0].text


def test_a_rejected_proposal_cannot_be_linked(db_engine: Engine) -> None:
    commitment = commitments.save(data(), engine=db_engine)
    p = add_proposal(db_engine)
    svc.set_status(p.folio or "", "no_procede", "stl", note="Fuera de competencia", engine=db_engine)
    with pytest.raises(svc.ProposalError, match="no_procede"):
        commitments.link(commitment.id, p.folio or "", "editora", db_engine)
    with session_scope(db_engine) as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 0


def test_unlinking_removes_only_that_link(db_engine: Engine) -> None:
    commitment = commitments.save(data(), engine=db_engine)
    a, b = add_proposal(db_engine), add_proposal(db_engine)
    for p in (a, b):
        commitments.link(commitment.id, p.folio or "", "editora", db_engine)
    commitments.unlink(commitment.id, a.folio or "", db_engine)
    view = commitments.get(commitment.id, published_only=False, engine=db_engine)
    assert view is not None and view.folios == [b.folio]
