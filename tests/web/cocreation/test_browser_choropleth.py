"""In Chromium the map works from the keyboard: a municipality is a named stop that leads somewhere."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.accounts import service as accounts
from tests.web.conftest import PASSWORD, add_proposal
from tests.web.test_browser import browser, log_in, page, site  # noqa: F401  (fixtures)


def test_keyboard_reaches_a_municipality_on_the_board_and_the_dashboard(  # type: ignore[no-untyped-def]
        engine: Engine, site: str, page) -> None:  # noqa: F811
    add_proposal(engine, municipality=("15058", "Nezahualcóyotl"))
    add_proposal(engine, municipality=("15058", "Nezahualcóyotl"), problem="Fugas de agua en la calle")
    add_proposal(engine, municipality=("15106", "Toluca"))
    page.goto(site + "/")
    area = page.get_by_role("link", name="Nezahualcóyotl: 2 propuestas")
    assert area.is_visible()
    area.focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#mapa-15058")
    assert page.locator("#mapa-15058").inner_text().split() == ["Nezahualcóyotl", "2"]

    accounts.create_account("revisora", PASSWORD, "reviewer", engine)
    log_in(page, site, "revisora")
    page.goto(site + "/stl")
    page.get_by_role("link", name="Toluca: 1 propuesta").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/stl/propuestas?municipio=Toluca")
    assert page.locator("table tbody tr").count() == 1
