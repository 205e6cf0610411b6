"""Numbers and dates from the address bar, read strictly.

``str.isdigit`` is true for "²" and for 30-digit strings, and ``int`` then fails or the
database overflows: both gave a 500 page. A value no page of the site can produce (a page or
group number that is not 1–9 ASCII digits, a date outside 1900–2999) answers 400 with the
Spanish error page instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from starlette.exceptions import HTTPException

_NUMBER_RE = re.compile(r"[0-9]{1,9}")
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


def whole_number(raw: str, max_digits: int = 9) -> int | None:
    """``raw`` as an int if it is 1..``max_digits`` ASCII digits, else None."""
    return int(raw) if _NUMBER_RE.fullmatch(raw) and len(raw) <= max_digits else None


def optional_number(params: Any, key: str) -> int | None:
    """The query parameter ``key`` as an int; absent or empty is None, anything odd is a 400."""
    raw = str(params.get(key, "")).strip()
    if not raw:
        return None
    number = whole_number(raw)
    if number is None:
        raise HTTPException(400)
    return number


def optional_day(params: Any, key: str) -> dt.date | None:
    """The query parameter ``key`` as a date; absent or empty is None, anything else a 400.

    The filter form's date fields only send AAAA-MM-DD, so "2026-13-45" or "ayer" was typed into
    the address bar: ignoring it would show a list that looks filtered and is not.
    """
    raw = str(params.get(key, "")).strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise HTTPException(400) from None
    return check_day(day)


def check_day(day: dt.date) -> dt.date:
    """A date the filters can compute with (a day after 9999-12-31 does not exist)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise HTTPException(400)
    return day
