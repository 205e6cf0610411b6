"""Internal notes and groups of proposals."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bot.proposals import review
from bot.proposals import service as svc
from tests.web.conftest import add_proposal


def test_notes_are_kept_in_order_with_their_author(db_engine: Engine) -> None:
    p = add_proposal(db_engine)
    review.add_note(p.folio or "", "ana", "  Primera nota  ", db_engine)
    review.add_note(p.folio or "", "beto", "Segunda", db_engine)
    assert [(n.author, n.text) for n in review.notes(p.id, db_engine)] == [("ana", "Primera nota"),
                                                                           ("beto", "Segunda")]


@pytest.mark.parametrize("text,message", [("   ", "vacía"), ("x" * 4001, "muy larga")])
def test_empty_or_huge_notes_are_refused(db_engine: Engine, text: str, message: str) -> None:
    p = add_proposal(db_engine)
    with pytest.raises(svc.ProposalError, match=message):
        review.add_note(p.folio or "", "ana", text, db_engine)
    assert review.notes(p.id, db_engine) == []


def test_a_proposal_is_in_one_group_at_a_time_and_groups_match_by_name(db_engine: Engine) -> None:
    a, b = add_proposal(db_engine), add_proposal(db_engine)
    review.group(a.folio or "", "Alumbrado  en Toluca", "ana", db_engine)
    same = review.group(b.folio or "", "alumbrado en toluca", "beto", db_engine)
    assert same.name == "Alumbrado en Toluca" and same.size == 2
    review.group(b.folio or "", "Basura", "beto", db_engine)
    assert {(g.name, g.size) for g in review.groups(db_engine)} == {("Alumbrado en Toluca", 1), ("Basura", 1)}
    found = svc.search(svc.Filters(group_id=same.id), db_engine)
    assert [p.folio for p in found] == [a.folio]
    review.ungroup(a.folio or "", db_engine)
    assert review.group_of(a.id, db_engine) is None


def test_unknown_folios_are_reported(db_engine: Engine) -> None:
    with pytest.raises(svc.ProposalError, match="No existe"):
        review.add_note("P-2026-999999", "ana", "hola", db_engine)
    with pytest.raises(svc.ProposalError, match="No existe"):
        review.group("P-2026-999999", "Grupo", "ana", db_engine)


def test_two_reviewers_creating_the_same_group_at_once_share_it(db_engine: Engine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    folios = [add_proposal(db_engine).folio or "" for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda f: review.group(f, "Mismo grupo", "stl", db_engine), folios))
    assert [(g.name, g.size) for g in review.groups(db_engine)] == [("Mismo grupo", 6)]
