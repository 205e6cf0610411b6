"""Numbers and dates from the address bar: only what the site's own pages produce is accepted."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.exceptions import HTTPException

from bot.web import params


@pytest.mark.parametrize("raw", ["²", "١٢", "-3", "+3", " 3", "3.0", "9" * 10, ""])
def test_only_ascii_digits_are_numbers(raw: str) -> None:
    assert params.whole_number(raw) is None


def test_numbers_and_their_limits() -> None:
    assert params.whole_number("000123") == 123
    assert params.whole_number("1000", max_digits=3) is None
    assert params.optional_number({"pagina": " "}, "pagina") is None
    assert params.optional_number({"pagina": "4"}, "pagina") == 4
    with pytest.raises(HTTPException) as raised:
        params.optional_number({"grupo": "²"}, "grupo")
    assert raised.value.status_code == 400


def test_days_beyond_the_calendar_the_filters_use_are_refused() -> None:
    assert params.check_day(dt.date(2026, 12, 6)) == dt.date(2026, 12, 6)
    with pytest.raises(HTTPException):
        params.check_day(dt.date(9999, 12, 31))


def test_odd_ids_in_the_path_are_not_found_not_a_crash(admin) -> None:  # type: ignore[no-untyped-def]
    for path in ("/stl/compromisos/%C2%B2", "/stl/campanas/%C2%B2", "/stl/compromisos/" + "9" * 30):
        page = admin.get(path)
        assert page.status_code == 404 and "No encontramos esta página" in page.text, path
