"""Merge and split suggested groups from the dashboard: forms, notices, errors, audit, roles."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.accounts import audit
from bot.proposals import suggestions
from tests.proposals.test_regrouping import LIGHTS, POLICE, _suggest, _view


def test_merge_then_split_through_the_forms(engine: Engine, reviewer: TestClient) -> None:
    lights, police = _suggest(engine)
    token = reviewer.csrf  # type: ignore[attr-defined]
    light, cops = _view(engine, lights[0]), _view(engine, police[0])
    page = reviewer.get("/stl/grupos/sugeridos").text
    assert f'action="/stl/grupos/sugeridos/{light.id}/unir"' in page
    assert f'value="{police[0]}"' in page and POLICE[0] in page  # a checkbox per proposal, with its text
    merged = reviewer.post(f"/stl/grupos/sugeridos/{light.id}/unir",
                           data={"otro": str(cops.id), "tema": "seguridad", "csrf_token": token})
    assert merged.status_code == 200 and "quedaron unidos en uno" in merged.text
    assert merged.url.params["tema"] == "seguridad"
    assert "5 propuestas" in merged.text and merged.text.count('class="card suggestion"') == 1
    split = reviewer.post(f"/stl/grupos/sugeridos/{light.id}/separar",
                          data={"folio": police, "csrf_token": token})
    assert split.status_code == 200 and "quedaron en un grupo sugerido nuevo" in split.text
    assert "3 propuestas" in split.text and "2 propuestas" in split.text
    assert {frozenset(v.folios) for v in suggestions.pending_views(engine=engine)} == {
        frozenset(lights), frozenset(police)}
    actions = [e.action for e in audit.events(engine=engine)]
    assert "merge_suggestions" in actions and "split_suggestion" in actions


def test_bad_merge_and_split_requests_get_a_clear_message_and_change_nothing(
        engine: Engine, reviewer: TestClient) -> None:
    lights, police = _suggest(engine)
    token = reviewer.csrf  # type: ignore[attr-defined]
    light = _view(engine, lights[0])
    for data, message in [({"otro": ""}, "Elige con qué grupo sugerido"),
                          ({"otro": "'; DROP TABLE proposals; --"}, "Elige con qué grupo sugerido"),
                          ({"otro": "999999"}, "No existe ese grupo sugerido.")]:
        response = reviewer.post(f"/stl/grupos/sugeridos/{light.id}/unir", data={**data, "csrf_token": token})
        assert response.status_code == 400 and message in response.text
    nothing = reviewer.post(f"/stl/grupos/sugeridos/{light.id}/separar", data={"csrf_token": token})
    assert nothing.status_code == 400 and "Marca las propuestas que quieres separar" in nothing.text
    everything = reviewer.post(f"/stl/grupos/sugeridos/{light.id}/separar",
                               data={"folio": lights, "csrf_token": token})
    assert everything.status_code == 400 and "Deja al menos una propuesta" in everything.text
    assert {frozenset(v.folios) for v in suggestions.pending_views(engine=engine)} == {
        frozenset(lights), frozenset(police)}
    assert LIGHTS[0] in everything.text


def test_without_csrf_or_the_review_role_nothing_moves(engine: Engine, reviewer: TestClient,
                                                       anonymous: TestClient) -> None:
    lights, police = _suggest(engine)
    light, cops = _view(engine, lights[0]), _view(engine, police[0])
    assert reviewer.post(f"/stl/grupos/sugeridos/{light.id}/unir",
                         data={"otro": str(cops.id)}).status_code == 403
    assert anonymous.post(f"/stl/grupos/sugeridos/{light.id}/unir",
                          data={"otro": str(cops.id)}).status_code == 401
    assert len(suggestions.pending_views(engine=engine)) == 2
