"""Reviewers' proposal pages: filters, the problem tree, review actions, exports and their audit trail."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.accounts import audit
from bot.proposals import service as svc
from bot.storage.db import session_scope
from bot.storage.models import Notification, Proposal
from tests.web.conftest import add_proposal


def _folios(html: str, candidates: list[str]) -> list[str]:
    return [f for f in candidates if f'href="/stl/propuestas/{f}"' in html]


def test_filters_by_theme_municipality_status_text_and_date(engine: Engine, reviewer: TestClient) -> None:
    a = add_proposal(engine, theme="movilidad", problem="Baches enormes en la avenida")
    b = add_proposal(engine, theme="seguridad", problem="Calles sin luz",
                     municipality=("15033", "Ecatepec de Morelos"))
    c = add_proposal(engine, theme="movilidad", problem="La combi no respeta horarios")
    svc.set_status(c.folio or "", "en_revision", "stl", engine=engine)
    every = [a.folio or "", b.folio or "", c.folio or ""]
    cases = {
        "": every,
        "tema=movilidad": [a.folio, c.folio],
        "municipio=ecatepec": [b.folio],
        "estado=en_revision": [c.folio],
        "q=BACHES": [a.folio],
        "tema=movilidad&estado=recibida": [a.folio],
        "desde=2000-01-01&hasta=2999-01-01": every,
        "hasta=2000-01-01": [],
    }
    for query, expected in cases.items():
        page = reviewer.get(f"/stl/propuestas?{query}")
        assert page.status_code == 200
        assert _folios(page.text, every) == expected, query


def test_unknown_status_or_theme_is_ignored_not_fatal(reviewer: TestClient) -> None:
    page = reviewer.get("/stl/propuestas?estado=inventado&tema=%27%3B%20DROP%20TABLE")
    assert page.status_code == 200


def test_the_detail_draws_the_problem_tree(engine: Engine, reviewer: TestClient) -> None:
    p = add_proposal(engine, problem="No pasa el camión de la basura",
                     causes="Faltan camiones; no hay horario",
                     effects="Malos olores. Fauna nociva")
    page = reviewer.get(f"/stl/propuestas/{p.folio}")
    assert page.status_code == 200
    html = page.text
    effects, problem, causes = (html.index(f"tree-{part}") for part in ("effects", "problem", "causes"))
    assert effects < problem < causes, "effects (branches) above the problem (trunk) above the causes (roots)"
    for item in ("<li>Faltan camiones</li>", "<li>no hay horario</li>", "<li>Malos olores</li>",
                 "<li>Fauna nociva</li>"):
        assert item in html


def test_a_status_change_notifies_a_consenting_author_only(engine: Engine, reviewer: TestClient) -> None:
    told = add_proposal(engine, consent=True, sender="tg-autora")
    silent = add_proposal(engine, consent=False, sender="tg-sin-aviso")
    for p in (told, silent):
        done = reviewer.post(f"/stl/propuestas/{p.folio}/estado",
                             data={"estado": "turnada", "nota": "Pasa a la mesa de movilidad",
                                   "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
        assert done.status_code == 200 and "El estado cambió" in done.text
        assert "Turnada a mesa de cocreación" in done.text
    with session_scope(engine) as s:
        sent = s.scalars(select(Notification)).all()
    assert [(n.address, n.channel) for n in sent] == [("tg-autora", "telegram")]
    assert told.folio in sent[0].text and "Pasa a la mesa de movilidad" in sent[0].text
    history = svc.get(told.folio or "", engine).history  # type: ignore[union-attr]
    assert (history[-1].actor, history[-1].to_status) == (reviewer.username, "turnada")  # type: ignore[attr-defined]
    assert [e.action for e in audit.events(target=told.folio, engine=engine)] == ["status"]


def test_no_procede_needs_a_reason_and_loses_nothing(engine: Engine, reviewer: TestClient) -> None:
    p = add_proposal(engine, consent=True)
    page = reviewer.post(f"/stl/propuestas/{p.folio}/estado",
                         data={"estado": "no_procede", "nota": "  ", "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    assert page.status_code == 400 and "necesita una nota" in page.text
    assert svc.get(p.folio or "", engine).status == "recibida"  # type: ignore[union-attr]
    unknown = reviewer.post(f"/stl/propuestas/{p.folio}/estado",
                            data={"estado": "archivada", "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    assert unknown.status_code == 400 and "Estado desconocido" in unknown.text


def test_mark_duplicate_group_and_note(engine: Engine, reviewer: TestClient) -> None:
    original, copy = add_proposal(engine), add_proposal(engine)
    token = reviewer.csrf  # type: ignore[attr-defined]
    dup = reviewer.post(f"/stl/propuestas/{copy.folio}/duplicada", data={"original": original.folio.lower(),  # type: ignore[union-attr]
                                                                        "csrf_token": token})
    assert dup.status_code == 200 and f'href="/stl/propuestas/{original.folio}"' in dup.text
    self_dup = reviewer.post(f"/stl/propuestas/{original.folio}/duplicada",
                             data={"original": original.folio, "csrf_token": token})
    assert self_dup.status_code == 400 and "sí misma" in self_dup.text
    grouped = reviewer.post(f"/stl/propuestas/{original.folio}/grupo",
                            data={"grupo": "Basura en Toluca", "accion": "agrupar", "csrf_token": token})
    assert "Basura en Toluca" in grouped.text
    noted = reviewer.post(f"/stl/propuestas/{original.folio}/nota",
                          data={"nota": "Llamar al ayuntamiento", "csrf_token": token})
    assert "Llamar al ayuntamiento" in noted.text
    assert reviewer.get("/stl/grupos").text.count("Basura en Toluca") == 1
    actions = [e.action for e in audit.events(target=original.folio, engine=engine)]
    assert actions == ["note", "group"]
    ungrouped = reviewer.post(f"/stl/propuestas/{original.folio}/grupo",
                              data={"accion": "quitar", "csrf_token": token})
    assert "La propuesta salió de su grupo." in ungrouped.text


def test_export_is_anonymised_and_follows_the_filters(engine: Engine, reviewer: TestClient) -> None:
    add_proposal(engine, consent=True, theme="movilidad", problem="=HYPERLINK(\"http://x\",\"clic\") baches")
    add_proposal(engine, theme="seguridad")
    response = reviewer.get("/stl/propuestas/exportar?formato=csv&tema=movilidad")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 and list(rows[0]) == list(svc.EXPORT_FIELDS)
    assert rows[0]["problema"].startswith("'=HYPERLINK"), "a formula in citizen text stays inert"
    assert "persona@example.org" not in response.text and "tg-" not in response.text
    as_json = reviewer.get("/stl/propuestas/exportar?formato=json").json()
    assert len(as_json) == 2 and all("contacto" not in row for row in as_json)
    assert as_json[-1]["problema"].startswith("=HYPERLINK"), "JSON keeps the text as written"
    book = load_workbook(io.BytesIO(reviewer.get("/stl/propuestas/exportar?formato=xlsx").content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == list(svc.EXPORT_FIELDS) and sheet.max_row == 3
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    events = audit.events(actor=reviewer.username, engine=engine)  # type: ignore[attr-defined]
    assert [e.action for e in events] == ["export", "export", "export", "login"]
    assert events[2].detail.startswith("1 propuestas, csv")  # type: ignore[union-attr]


def test_an_admin_can_export_contacts_and_it_is_audited(engine: Engine, admin: TestClient) -> None:
    add_proposal(engine, consent=True)
    add_proposal(engine, consent=False)
    response = admin.get("/stl/propuestas/exportar?formato=json&contacto=1")
    rows = response.json()
    assert sorted(r["contacto"] for r in rows) == ["", "persona@example.org"]
    assert [e.action for e in audit.events(actor=admin.username, engine=engine)][0] == "export_contact"  # type: ignore[attr-defined]
    consenting = svc.search(svc.Filters(), engine)[-1].folio
    assert "persona@example.org" in admin.get(f"/stl/propuestas/{consenting}").text


def test_a_reviewer_does_not_see_contact_data_on_the_detail(engine: Engine, reviewer: TestClient) -> None:
    p = add_proposal(engine, consent=True)
    page = reviewer.get(f"/stl/propuestas/{p.folio}")
    assert "Sí: se le avisará" in page.text and "persona@example.org" not in page.text


def test_the_list_is_paged(engine: Engine, reviewer: TestClient) -> None:
    for i in range(55):
        add_proposal(engine, problem=f"Problema número {i:02d} de la colonia")
    first = reviewer.get("/stl/propuestas")
    assert "55 propuestas con estos filtros." in first.text and "Página 1 de 2" in first.text
    second = reviewer.get("/stl/propuestas?pagina=2")
    assert second.text.count('href="/stl/propuestas/P-') == 5
    assert "Problema número 00" in second.text


def test_a_control_character_cannot_break_the_xlsx_export(engine: Engine, reviewer: TestClient) -> None:
    typed = add_proposal(engine, problem="Baches\x01 en la calle\x0b principal")
    older = add_proposal(engine, problem="Sin luz")
    with session_scope(engine) as session:  # a row stored before text was cleaned at the door
        session.execute(update(Proposal).where(Proposal.id == older.id)
                        .values(problem="Sin\x1b luz\uffff", solution="Postes\x1f nuevos"))
    noted = reviewer.post(f"/stl/propuestas/{typed.folio}/estado", data={
        "estado": "en_revision", "nota": "Revisado\x02 por la mesa\x0c", "csrf_token": reviewer.csrf})  # type: ignore[attr-defined]
    assert noted.status_code == 200
    response = reviewer.get("/stl/propuestas/exportar?formato=xlsx")
    assert response.status_code == 200
    rows = {r[0]: r for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)}
    fields = list(svc.EXPORT_FIELDS)
    assert rows[typed.folio][fields.index("problema")] == "Baches en la calle principal"
    assert rows[typed.folio][fields.index("razon_estado")] == "Revisado por la mesa"
    assert rows[older.folio][fields.index("problema")] == "Sin luz"
    assert rows[older.folio][fields.index("solucion")] == "Postes nuevos"
    assert reviewer.get("/stl/propuestas/exportar?formato=csv").status_code == 200


PERSONAL = ("Me asaltaron frente a Calle Morelos 123. Llámame al 55 1234 5678 o escribe a "
            "ana.perez@gmail.com; mi CURP es GODE561231HDFRRN09 y mi RFC GODE561231GR8")
LEAKS = ("Morelos 123", "1234 5678", "ana.perez@gmail.com", "GODE561231")


def test_anonymised_exports_mask_personal_data_typed_in_the_text(engine: Engine, reviewer: TestClient,
                                                                 admin: TestClient) -> None:
    p = add_proposal(engine, problem=PERSONAL, solution="Patrullas; mi tel. 722-123-4567", consent=True)
    for fmt in ("csv", "json", "xlsx"):
        body = reviewer.get(f"/stl/propuestas/exportar?formato={fmt}").content
        text = body.decode("utf-8-sig") if fmt != "xlsx" else "\n".join(
            str(v) for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True) for v in row)
        assert not [leak for leak in (*LEAKS, "722-123-4567") if leak in text], fmt
        assert "[teléfono]" in text and "[correo]" in text and "[CURP]" in text and "[RFC]" in text, fmt
        assert "[domicilio]" in text and "Me asaltaron frente a" in text, fmt
    contact = admin.get("/stl/propuestas/exportar?formato=json&contacto=1").json()
    mine = next(row for row in contact if row["folio"] == p.folio)
    assert mine["problema"] == PERSONAL, "only the admin's contact export shows what was typed"


ODD = ["pagina=%C2%B2", "grupo=%C2%B2", "grupo=" + "9" * 30, "hasta=9999-12-31", "desde=0001-01-01",
       "pagina=-3", "pagina=" + "1" * 12, "desde=2026-13-45", "hasta=2026-02-30", "desde=ayer"]


def test_odd_query_parameters_get_the_spanish_400_page(reviewer: TestClient) -> None:
    for path in ("/stl/propuestas", "/stl/propuestas/exportar"):
        for query in ODD:
            page = reviewer.get(f"{path}?{query}")
            assert page.status_code == 400, (path, query)
            assert "No entendimos un dato de la dirección" in page.text, (path, query)
    assert reviewer.get("/stl/propuestas?pagina=2&grupo=7&hasta=2999-12-31").status_code == 200
