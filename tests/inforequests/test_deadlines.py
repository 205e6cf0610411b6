"""Due dates of information requests on the calendar cases that matter (counted by hand)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.content.files import Source
from bot.inforequests.deadlines import (
    NonWorkingDays,
    Period,
    calendar_for,
    deadline,
    load_non_working,
)

D = dt.date
NONE = NonWorkingDays()
SOURCE = Source(title="Acuerdo de días inhábiles (caso de prueba)", ref="https://example.org/acuerdo")
WINTER = NonWorkingDays(periods=[Period(start=D(2026, 12, 21), end=D(2027, 1, 1), bodies=["mun:15033"],
                                        sources=[SOURCE], reviewed=D(2026, 12, 6))])


@pytest.mark.parametrize(
    ("filed", "due", "why"),
    [
        (D(2026, 6, 3), D(2026, 6, 24), "three plain weeks: weekends do not count"),
        (D(2026, 6, 6), D(2026, 6, 29), "filed on a Saturday: received on Monday"),
        (D(2026, 11, 9), D(2026, 12, 1), "Revolution Day (third Monday of November) does not count"),
        (D(2026, 12, 18), D(2027, 1, 12), "year end: 25 December and 1 January do not count"),
        (D(2026, 12, 25), D(2027, 1, 19), "filed on Christmas: received on Monday the 28th"),
    ],
)
def test_fifteen_business_days(filed: dt.date, due: dt.date, why: str) -> None:
    assert deadline(filed, "mun:15104", NONE).due == due, why


def test_the_extension_adds_seven_business_days() -> None:
    result = deadline(D(2026, 6, 3), None, NONE)
    assert (result.due, result.extended) == (D(2026, 6, 24), D(2026, 7, 3))


def test_a_published_non_working_period_of_the_body_moves_the_date() -> None:
    ecatepec = deadline(D(2026, 12, 18), "mun:15033", WINTER)
    assert ecatepec.due == D(2027, 1, 22)
    assert ecatepec.has_published_days
    other = deadline(D(2026, 12, 18), "edo:fiscalia", WINTER)
    assert other.due == D(2027, 1, 12)
    assert not other.has_published_days


def test_a_period_for_every_body() -> None:
    everyone = NonWorkingDays(periods=[Period(start=D(2026, 6, 8), end=D(2026, 6, 12), bodies=["todas"],
                                              sources=[SOURCE], reviewed=D(2026, 12, 6))])
    assert deadline(D(2026, 6, 3), "edo:ieem", everyone).due == D(2026, 7, 1)


def test_business_days_of_the_calendar() -> None:
    cal = calendar_for(None, NONE)
    assert not cal.is_business_day(D(2027, 2, 1))  # Constitution Day, first Monday of February
    assert not cal.is_business_day(D(2026, 12, 26))  # Saturday
    assert cal.is_business_day(D(2026, 12, 24))


def test_the_shipped_calendar_loads_and_marks_no_period_unsourced() -> None:
    shipped = load_non_working()
    assert all(p.sources for p in shipped.periods)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        Period(start=D(2027, 1, 2), end=D(2027, 1, 1), bodies=["todas"], sources=[SOURCE],
               reviewed=D(2026, 12, 6))
