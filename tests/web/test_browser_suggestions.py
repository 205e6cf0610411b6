"""A reviewer imports proposals from a paper session, gets suggested groups and adjusts them in Chromium."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.accounts import service as accounts
from bot.proposals import importing, review, suggestions
from tests.web.conftest import PASSWORD
from tests.web.test_browser import browser, log_in, page, site  # noqa: F401  (fixtures)

ROWS = [
    ["seguridad", "Toluca", "Las calles de la colonia están oscuras porque las luminarias no sirven",
     "Reparar las luminarias de la colonia"],
    ["seguridad", "Metepec", "No hay alumbrado público en la avenida, las luminarias están fundidas",
     "Cambiar las luminarias por LED"],
    ["seguridad", "Toluca", "Faltan luminarias y alumbrado en el parque, de noche no se ve nada",
     "Instalar alumbrado en el parque"],
    ["seguridad", "neza", "La patrulla de policía nunca pasa por la colonia",
     "Más rondines de patrullas de policía"],
    ["seguridad", "Ecatepec",
     "No hay vigilancia policial, las patrullas no llegan cuando llamas a la policía",
     "Más patrullas y policías de proximidad"],
]


def test_import_cluster_then_rename_and_accept_in_the_browser(engine: Engine, site: str, page,  # noqa: F811
                                                               tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mesa-presencial.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tema", "municipio", "problema", "solucion"])
        writer.writerows(ROWS)
    report = importing.import_file(path, engine=engine, today=dt.date(2026, 12, 6))
    assert not report.problems and len(report.folios) == 5
    suggestions.run(engine=engine)
    lights = report.folios[:3]
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    log_in(page, site, "revisora")
    page.goto(site + "/stl/grupos")
    page.get_by_role("link", name="Ver los grupos sugeridos de propuestas parecidas").click()
    assert page.get_by_role("heading", name="Grupos sugeridos", level=1).is_visible()
    card = page.locator("section.suggestion", has=page.locator(f'a[href="/stl/propuestas/{lights[0]}"]'))
    assert "3 propuestas" in card.inner_text()
    card.get_by_label("Nombre del grupo").fill("Alumbrado en colonias y parques")
    card.get_by_role("button", name="Aceptar como grupo").click()
    assert page.get_by_role("status").inner_text() == "El grupo sugerido quedó como grupo del STL."
    assert page.locator("section.suggestion").count() == 1  # the police group is still to decide
    [group] = review.groups(engine)
    assert group.name == "Alumbrado en colonias y parques"
    assert {p.folio for p in review.group_members(group.id, engine)} == set(lights)
    page.goto(site + "/stl/grupos")
    page.get_by_role("link", name="Alumbrado en colonias y parques", exact=True).click()
    assert all(page.locator(f'a[href="/stl/propuestas/{f}"]').count() == 1 for f in lights)
    page.locator(f'a[href="/stl/propuestas/{lights[0]}"]').first.click()
    assert "Importada: recogida fuera del chat" in page.locator("dl.facts").first.inner_text()
