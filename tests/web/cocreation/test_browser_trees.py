"""In Chromium a reviewer opens a group's merged tree and prints the trees: one group per sheet."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine

from bot.accounts import service as accounts
from bot.proposals import review
from tests.web.conftest import PASSWORD, add_proposal
from tests.web.test_browser import browser, log_in, page, site  # noqa: F401  (fixtures)


def test_open_a_tree_and_print_all_trees_one_per_page(engine: Engine, site: str, page) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    for causes in ["Falta de alumbrado", "No hay alumbrado público", "Poco alumbrado en la calle"]:
        folio = add_proposal(engine, theme="seguridad", problem="Calles oscuras", causes=causes).folio or ""
        review.group(folio, "Alumbrado", "revisora", engine)
    folio = add_proposal(engine, theme="movilidad", problem="Baches en la avenida").folio or ""
    review.group(folio, "Baches", "revisora", engine)
    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    log_in(page, site, "revisora")
    page.goto(site + "/stl/grupos")
    page.get_by_role("link", name="Ver el árbol Alumbrado").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Árbol de problemas: Alumbrado"
    causes = page.locator(".tree-causes li").first.inner_text()
    assert causes.startswith("3 personas lo mencionan:") and "alumbrado" in causes.lower()

    page.goto(site + "/stl/grupos")
    page.get_by_role("link", name="Imprimir los árboles de problemas de todos los grupos (uno por hoja)"
                     ).click()
    sheets = page.locator("article.tree-page")
    assert sheets.count() == 2
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.get_by_role("link", name="Volver a los grupos").is_visible()
    breaks = sheets.evaluate_all("els => els.map(e => getComputedStyle(e).breakAfter)")
    assert breaks == ["page", "auto"]
    pdf = page.pdf(format="Letter")  # Chromium lays it out: one sheet per tree
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 2
