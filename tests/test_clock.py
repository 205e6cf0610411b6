"""Today is the people's day (PARTICIPA_TIMEZONE), not the UTC server's."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import clock


@pytest.mark.parametrize(("utc", "day"), [
    (dt.datetime(2026, 12, 7, 2, 25, tzinfo=dt.UTC), dt.date(2026, 12, 6)),  # 20:25 the day before
    (dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC), dt.date(2026, 12, 7)),  # midnight in the state
    (dt.datetime(2026, 12, 7, 17, 59, tzinfo=dt.UTC), dt.date(2026, 12, 7)),
])
def test_local_today_is_the_day_in_the_state(monkeypatch: pytest.MonkeyPatch, utc: dt.datetime,
                                             day: dt.date) -> None:
    monkeypatch.setattr(clock, "utc_now", lambda: utc)
    assert clock.local_today() == day
