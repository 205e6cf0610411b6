"""In Chromium a reviewer merges two suggested groups, splits the wrong proposals out, then accepts."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.accounts import service as accounts
from bot.proposals import review, suggestions
from tests.web.conftest import PASSWORD, add_proposal
from tests.web.test_browser import browser, log_in, page, site  # noqa: F401  (fixtures)

STREET = ["Las calles de mi colonia están oscuras porque las luminarias no sirven",
          "No hay alumbrado público en la avenida, las luminarias están fundidas"]
PARK = ["Faltan lámparas en el parque, de noche no se ve nada y da miedo pasar",
        "El parque de la unidad está oscuro, no hay lámparas en los andadores"]
POLICE = ["La patrulla de policía nunca pasa por la colonia",
          "No hay vigilancia policial, las patrullas no llegan cuando llamas a la policía"]


def test_merge_two_suggestions_split_one_out_and_accept(engine: Engine, site: str, page) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    def add(texts: list[str], causes: str, solution: str) -> list[str]:
        return [add_proposal(engine, theme="seguridad", problem=t, causes=causes, effects="Asaltos",
                             solution=solution).folio or "" for t in texts]

    street = add(STREET, "Sin mantenimiento del alumbrado", "Reparar las luminarias")
    park = add(PARK, "Nadie cuida el parque", "Poner lámparas en el parque")
    police = add(POLICE, "Pocas patrullas", "Más patrullas y policías")
    stored = suggestions.run(engine=engine)
    assert {frozenset(g.folios) for g in stored} == {frozenset(street), frozenset(park), frozenset(police)}
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    log_in(page, site, "revisora")
    page.goto(site + "/stl/grupos/sugeridos")

    def card(folio: str):  # type: ignore[no-untyped-def]
        return page.locator("section.suggestion", has=page.locator(f'a[href="/stl/propuestas/{folio}"]'))

    # The park's lights and the street's lights are one table for the STL: merge them.
    park_label = card(park[0]).get_by_role("heading", level=2).inner_text()
    target = card(street[0])
    target.get_by_label("Unir con otro grupo sugerido del mismo tema").select_option(
        label=f"{park_label} (2 propuestas)")
    target.get_by_role("button", name="Unir", exact=True).click()
    assert page.get_by_role("status").inner_text() == "Los dos grupos sugeridos quedaron unidos en uno."
    assert page.locator("section.suggestion").count() == 2
    assert "4 propuestas" in card(street[0]).inner_text()
    assert card(park[0]).inner_text() == card(street[0]).inner_text()  # one card holds both

    # Wrong call: the park proposals go back to a group of their own (ticked with the keyboard).
    merged = card(street[0])
    merged.get_by_text("Propuestas del grupo").click()
    for folio in park:
        box = merged.get_by_role("checkbox", name=folio)
        box.focus()
        page.keyboard.press("Space")
        assert box.is_checked()
    merged.get_by_role("button", name="Separar las marcadas en un grupo nuevo").click()
    notice = "Las propuestas marcadas quedaron en un grupo sugerido nuevo."
    assert page.get_by_role("status").inner_text() == notice
    assert page.locator("section.suggestion").count() == 3
    assert "2 propuestas" in card(park[0]).inner_text() and PARK[0][:40] in card(park[0]).inner_text()

    card(park[0]).get_by_label("Nombre del grupo").fill("Alumbrado en parques")
    card(park[0]).get_by_role("button", name="Aceptar como grupo").click()
    assert page.get_by_role("status").inner_text() == "El grupo sugerido quedó como grupo del STL."
    [group] = review.groups(engine)
    assert group.name == "Alumbrado en parques"
    assert {p.folio for p in review.group_members(group.id, engine)} == set(park)
