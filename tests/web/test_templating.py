"""Dates on the pages are in the deployment's time zone, though stored in UTC."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config import Settings
from bot.web import templating


def test_stored_utc_moments_show_in_mexico_city_time_by_default() -> None:
    assert "8:00" in templating.templates().env.filters["moment"](dt.datetime(2026, 11, 21, 14, 0))
    # 03:00 UTC on the 21st is still the 20th in Estado de México.
    assert templating.templates().env.filters["day"](dt.datetime(2026, 11, 21, 3, 0)) == "20 nov 2026"


def test_another_state_sets_its_own_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.web.templating.get_settings",
                        lambda: Settings(participa_timezone="America/Cancun"))
    assert "9:00" in templating.templates().env.filters["moment"](dt.datetime(2026, 11, 21, 14, 0))
