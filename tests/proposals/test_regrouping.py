"""A reviewer merges two suggested groups or splits one: members move, descriptions follow."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.proposals import regrouping, suggestions
from bot.proposals import service as svc
from tests.web.conftest import add_proposal

LIGHTS = ["Las calles de mi colonia están oscuras porque las luminarias no sirven",
          "No hay alumbrado público en la avenida, las luminarias están fundidas",
          "Faltan luminarias y alumbrado en el parque, de noche no se ve nada"]
POLICE = ["La patrulla de policía nunca pasa por la colonia",
          "No hay vigilancia policial, las patrullas no llegan cuando llamas a la policía"]


@pytest.fixture
def engine(db_engine: Engine) -> Engine:
    return db_engine


def _suggest(engine: Engine) -> tuple[list[str], list[str]]:
    lights = [add_proposal(engine, theme="seguridad", problem=p, causes="Sin mantenimiento del alumbrado",
                           effects="Asaltos", solution="Reparar las luminarias",
                           municipality=("15058", "Nezahualcóyotl") if i == 2 else ("15106", "Toluca")
                           ).folio or "" for i, p in enumerate(LIGHTS)]
    police = [add_proposal(engine, theme="seguridad", problem=p, causes="Pocas patrullas",
                           effects="Robos", solution="Más patrullas y policías").folio or "" for p in POLICE]
    suggestions.run(engine=engine)
    return lights, police


def _view(engine: Engine, folio: str) -> suggestions.SuggestionView:
    return next(v for v in suggestions.pending_views(engine=engine) if folio in v.folios)


def test_merge_moves_every_proposal_and_keeps_the_targets_label(engine: Engine) -> None:
    lights, police = _suggest(engine)
    light, cops = _view(engine, lights[0]), _view(engine, police[0])
    suggestions.rename(light.id, "Seguridad en la calle", engine=engine)
    merged = regrouping.merge(light.id, cops.id, "revisora", engine=engine)
    assert merged.size == 5
    [view] = suggestions.pending_views(engine=engine)
    assert view.id == light.id and view.label == "Seguridad en la calle"
    assert set(view.folios) == set(lights + police)
    assert set(view.municipalities) == {"Toluca", "Nezahualcóyotl"} and view.municipalities[0] == "Toluca"
    assert len(view.quotes) == 3 and all(q in LIGHTS + POLICE for q in view.quotes)
    [closed] = suggestions.suggestions(regrouping.MERGED, engine=engine)
    assert closed.id == cops.id and closed.decided_by == "revisora" and closed.members == []


def test_split_takes_the_ticked_proposals_into_a_new_suggestion(engine: Engine) -> None:
    lights, police = _suggest(engine)
    light, cops = _view(engine, lights[0]), _view(engine, police[0])
    regrouping.merge(light.id, cops.id, "revisora", engine=engine)
    part = regrouping.split(light.id, [police[0], police[1].lower()], "revisora", engine=engine)
    views = {v.id: v for v in suggestions.pending_views(engine=engine)}
    assert set(views) == {light.id, part.id}
    assert set(views[light.id].folios) == set(lights) and set(views[part.id].folios) == set(police)
    assert all(q in POLICE for q in views[part.id].quotes)
    assert "patrull" in views[part.id].label.lower() or "polic" in views[part.id].label.lower()
    assert views[light.id].label == light.label


@pytest.mark.parametrize(("folios", "message"), [
    ([], "Marca las propuestas"),
    (["P-2026-999999"], "ya no está en este grupo"),
    (None, "Deja al menos una propuesta"),
])
def test_a_split_that_makes_no_sense_is_refused_and_changes_nothing(
        engine: Engine, folios: list[str] | None, message: str) -> None:
    lights, _ = _suggest(engine)
    light = _view(engine, lights[0])
    with pytest.raises(svc.ProposalError, match=message):
        regrouping.split(light.id, lights if folios is None else folios, "revisora", engine=engine)
    assert set(_view(engine, lights[0]).folios) == set(lights)
    assert len(suggestions.pending_views(engine=engine)) == 2


def test_merging_with_itself_another_theme_or_a_decided_group_is_refused(engine: Engine) -> None:
    lights, police = _suggest(engine)
    light, cops = _view(engine, lights[0]), _view(engine, police[0])
    with pytest.raises(svc.ProposalError, match="Elige otro grupo"):
        regrouping.merge(light.id, light.id, "revisora", engine=engine)
    potholes = [add_proposal(engine, theme="movilidad", problem=p, solution="Tapar los baches").folio
                for p in ["Muchos baches en la avenida principal", "La calle está llena de baches"]]
    suggestions.run(theme="movilidad", engine=engine)
    roads = _view(engine, potholes[0] or "")
    with pytest.raises(svc.ProposalError, match="mismo tema"):
        regrouping.merge(light.id, roads.id, "revisora", engine=engine)
    suggestions.discard(cops.id, "revisora", engine=engine)
    with pytest.raises(svc.ProposalError, match="ya se había decidido"):
        regrouping.merge(light.id, cops.id, "revisora", engine=engine)
    assert set(_view(engine, lights[0]).folios) == set(lights)
