"""The team's hours: inside or outside, and when the next reply can be expected."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.attention.hours import attention_hours, parse_days, parse_hours
from bot.config import Settings
from bot.i18n import use_locale

# Central Mexico is UTC-6 all year: 15:00 UTC is 9:00 there.
MONDAY_NOON_UTC = dt.datetime(2026, 12, 7, 18, 0)   # Monday 12:00
FRIDAY_NIGHT_UTC = dt.datetime(2026, 12, 12, 2, 0)  # Friday 20:00
MONDAY_EARLY_UTC = dt.datetime(2026, 12, 7, 13, 0)  # Monday 7:00
TUESDAY_NIGHT_UTC = dt.datetime(2026, 12, 9, 1, 0)  # Tuesday 19:00


def hours(days: str = "1-5", span: str = "09:00-18:00"):  # type: ignore[no-untyped-def]
    return attention_hours(Settings(attention_days=days, attention_hours=span))


def test_default_hours_read_as_people_say_them() -> None:
    with use_locale("es_MX"):
        assert hours().describe() == "de lunes a viernes de 9:00 a 18:00 h"
        assert hours("1,3,5").describe() == "los lunes, miércoles, viernes de 9:00 a 18:00 h"


@pytest.mark.parametrize(("moment", "inside", "next_text"), [
    (MONDAY_NOON_UTC, True, None),
    (FRIDAY_NIGHT_UTC, False, "el lunes a partir de las 9:00 h"),
    (MONDAY_EARLY_UTC, False, "hoy a partir de las 9:00 h"),
    (TUESDAY_NIGHT_UTC, False, "mañana a partir de las 9:00 h"),
])
def test_inside_or_outside_and_the_next_opening(moment: dt.datetime, inside: bool,
                                                next_text: str | None) -> None:
    with use_locale("es_MX"):
        assert hours().is_open(moment) is inside
        if next_text:
            assert hours().describe_next(moment) == next_text


@pytest.mark.parametrize("bad", ["", "8", "0-5", "5-1", "lunes"])
def test_bad_days_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="ATTENTION_DAYS"):
        parse_days(bad)


@pytest.mark.parametrize("bad", ["9-18", "18:00-09:00", "nueve"])
def test_bad_hours_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="ATTENTION_HOURS"):
        parse_hours(bad)
