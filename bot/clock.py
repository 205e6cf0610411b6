"""Today where the people are (``PARTICIPA_TIMEZONE``), never the server's own day.

Servers run on UTC: from 18:00 in Mexico City ``date.today()`` is already tomorrow, so «hoy» and
«ayer», request deadlines and the day of a reminder were a day off every evening.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.config import get_settings


def utc_now() -> dt.datetime:
    """The current moment (aware, UTC); one place for tests to set the clock."""
    return dt.datetime.now(dt.UTC)


def local_today() -> dt.date:
    """Today's date in ``PARTICIPA_TIMEZONE``."""
    return utc_now().astimezone(ZoneInfo(get_settings().participa_timezone)).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The day of a moment in ``PARTICIPA_TIMEZONE``; a naive moment is UTC, as stored."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(get_settings().participa_timezone)).date()
