"""In Chromium: from the public board to a proposal's public record, with the STL's note and date."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.accounts import service as accounts
from bot.proposals import public_record
from tests.web.conftest import PASSWORD, add_proposal
from tests.web.test_browser import browser, log_in, page, site  # noqa: F401  (fixtures)


def test_a_reviewer_writes_a_public_note_and_anyone_reads_it(engine: Engine, site: str, page) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    folio = add_proposal(engine, problem="Calle oscura; escríbanme a ana@example.org",
                         sender="tg-7101").folio or ""
    public_record.opt_in(folio, "tg-7101", engine)
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    log_in(page, site, "revisora")
    page.goto(f"{site}/stl/propuestas/{folio}")
    page.get_by_label("Nota pública (la ve cualquier persona)").fill("Se revisa en la mesa de enero")
    page.get_by_label("Fecha esperada").fill("2027-01-20")
    page.get_by_role("button", name="Guardar nota pública").click()
    assert "quedaron guardadas" in page.get_by_role("status").first.inner_text()
    page.get_by_role("button", name="Cerrar sesión").click()

    page.goto(site + "/")
    page.get_by_role("link", name=folio).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Propuesta {folio}"
    assert page.locator("#nota-publica").inner_text() == "Se revisa en la mesa de enero"
    assert "2027" in page.locator("#fecha-esperada").inner_text()
    assert "ana@example.org" not in page.content()
