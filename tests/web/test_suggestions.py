"""Suggested groups in the dashboard: reviewers see them and accept, rename or discard them."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.accounts import audit
from bot.proposals import review, suggestions
from tests.web.conftest import add_proposal

LIGHTS = ["Las calles de mi colonia están oscuras porque las luminarias no sirven",
          "No hay alumbrado público en la avenida, las luminarias están fundidas",
          "Faltan luminarias y alumbrado en el parque, de noche no se ve nada"]
POLICE = ["La patrulla de policía nunca pasa por la colonia",
          "No hay vigilancia policial, las patrullas no llegan cuando llamas a la policía"]


def _suggest(engine: Engine) -> tuple[list[str], list[str]]:
    lights = [add_proposal(engine, theme="seguridad", problem=p, causes="Sin mantenimiento del alumbrado",
                           effects="Asaltos", solution="Reparar las luminarias").folio or "" for p in LIGHTS]
    police = [add_proposal(engine, theme="seguridad", problem=p, causes="Pocas patrullas",
                           effects="Robos", solution="Más patrullas y policías").folio or "" for p in POLICE]
    suggestions.run(engine=engine)
    return lights, police


def _id_of(engine: Engine, folio: str) -> int:
    return next(v.id for v in suggestions.pending_views(engine=engine) if folio in v.folios)


def test_reviewer_sees_suggestions_with_size_towns_quotes_and_folios(engine: Engine,
                                                                      reviewer: TestClient) -> None:
    lights, police = _suggest(engine)
    page = reviewer.get("/stl/grupos/sugeridos")
    assert page.status_code == 200
    html = page.text
    assert "3 propuestas" in html and "2 propuestas" in html and "Toluca" in html
    assert all(f'href="/stl/propuestas/{f}"' in html for f in lights + police)
    assert LIGHTS[0] in html
    assert "Seguridad" in reviewer.get("/stl/grupos/sugeridos?tema=seguridad").text
    assert "No hay grupos sugeridos pendientes" in reviewer.get("/stl/grupos/sugeridos?tema=movilidad").text
    assert 'href="/stl/grupos/sugeridos"' in reviewer.get("/stl/grupos").text


def test_accept_with_a_new_name_rename_and_discard(engine: Engine, reviewer: TestClient) -> None:
    lights, police = _suggest(engine)
    token = reviewer.csrf  # type: ignore[attr-defined]
    light_id, police_id = _id_of(engine, lights[0]), _id_of(engine, police[0])
    renamed = reviewer.post(f"/stl/grupos/sugeridos/{police_id}",
                            data={"accion": "renombrar", "nombre": "Patrullaje", "csrf_token": token})
    assert renamed.status_code == 200 and "cambió de nombre" in renamed.text and "Patrullaje" in renamed.text
    accepted = reviewer.post(f"/stl/grupos/sugeridos/{light_id}",
                             data={"accion": "aceptar", "nombre": "Alumbrado público", "csrf_token": token})
    assert accepted.status_code == 200 and "quedó como grupo del STL" in accepted.text
    [group] = review.groups(engine)
    assert group.name == "Alumbrado público" and group.size == 3
    assert {p.folio for p in review.group_members(group.id, engine)} == set(lights)
    again = reviewer.post(f"/stl/grupos/sugeridos/{light_id}",
                          data={"accion": "aceptar", "nombre": "Otro", "csrf_token": token})
    assert again.status_code == 400 and "ya se había decidido" in again.text
    discarded = reviewer.post(f"/stl/grupos/sugeridos/{police_id}",
                              data={"accion": "descartar", "nombre": "x", "csrf_token": token})
    assert "se descartó" in discarded.text and "No hay grupos sugeridos pendientes" in discarded.text
    actions = {e.action for e in audit.events(engine=engine)}
    assert {"accept_suggestion", "rename_suggestion", "discard_suggestion"} <= actions


def test_bad_requests_are_explained_and_anonymous_people_are_sent_to_log_in(
    engine: Engine, reviewer: TestClient, anonymous: TestClient
) -> None:
    lights, _ = _suggest(engine)
    token = reviewer.csrf  # type: ignore[attr-defined]
    light_id = _id_of(engine, lights[0])
    empty = reviewer.post(f"/stl/grupos/sugeridos/{light_id}",
                          data={"accion": "aceptar", "nombre": "  ", "csrf_token": token})
    assert empty.status_code == 400 and "Escribe el nombre del grupo." in empty.text
    unknown = reviewer.post("/stl/grupos/sugeridos/999999",
                            data={"accion": "aceptar", "nombre": "X", "csrf_token": token})
    assert unknown.status_code == 400 and "No existe ese grupo sugerido." in unknown.text
    odd = reviewer.post(f"/stl/grupos/sugeridos/{light_id}",
                        data={"accion": "borrar-todo", "nombre": "X", "csrf_token": token})
    assert odd.status_code == 400
    no_token = reviewer.post(f"/stl/grupos/sugeridos/{light_id}", data={"accion": "descartar"})
    assert no_token.status_code == 403
    page = anonymous.get("/stl/grupos/sugeridos", follow_redirects=False)
    assert page.status_code in (302, 303) and "/login" in page.headers["location"]
    assert review.groups(engine) == [] and len(suggestions.pending_views(engine=engine)) == 2
