"""The team's attention hours (settings ``ATTENTION_DAYS`` and ``ATTENTION_HOURS``).

The STL's real hours are not confirmed, so they are settings, not content: the defaults
(Monday to Friday, 9:00 to 18:00, central Mexico time) are a placeholder an operator changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from bot.config import Settings, get_settings
from bot.i18n import _, current_locale

_HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Hours:
    days: frozenset[int]  # ISO weekdays: 1 = Monday … 7 = Sunday
    start: dt.time
    end: dt.time
    zone: ZoneInfo

    def is_open(self, moment: dt.datetime) -> bool:
        """``moment`` is UTC (naive or aware)."""
        local = _local(moment, self.zone)
        return local.isoweekday() in self.days and self.start <= local.time() < self.end

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """The next time the team starts its day after ``moment`` (local time, aware)."""
        local = _local(moment, self.zone)
        for ahead in range(0, 8):
            day = local.date() + dt.timedelta(days=ahead)
            opening = dt.datetime.combine(day, self.start, tzinfo=self.zone)
            if day.isoweekday() in self.days and opening > local:
                return opening
        raise ValueError("no attention day configured")

    def describe(self, locale: str | None = None) -> str:
        """«de lunes a viernes de 9:00 a 18:00 h»."""
        names = _day_names(locale)
        days = sorted(self.days)
        if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
            when = _("de {first} a {last}").format(first=names[days[0]], last=names[days[-1]])
        else:
            when = _("los {days}").format(days=", ".join(names[d] for d in days))
        return _("{days} de {start} a {end} h").format(days=when, start=_clock(self.start),
                                                      end=_clock(self.end))

    def describe_next(self, moment: dt.datetime, locale: str | None = None) -> str:
        """«mañana a las 9:00 h», «el lunes a las 9:00 h»."""
        opening = self.next_opening(moment)
        today = _local(moment, self.zone).date()
        time = _clock(self.start)
        if opening.date() == today:
            return _("hoy a partir de las {time} h").format(time=time)
        if opening.date() == today + dt.timedelta(days=1):
            return _("mañana a partir de las {time} h").format(time=time)
        return _("el {day} a partir de las {time} h").format(
            day=_day_names(locale)[opening.isoweekday()], time=time)


def _local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(zone)


def _clock(value: dt.time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _day_names(locale: str | None) -> dict[int, str]:
    names = get_day_names("wide", locale=locale or current_locale())  # 0 = Monday
    return {number + 1: str(name) for number, name in names.items()}


def parse_days(text: str) -> frozenset[int]:
    """``"1-5"``, ``"1-5,6"`` or ``"1,3,5"`` (1 = Monday … 7 = Sunday)."""
    days: set[int] = set()
    for part in text.replace(" ", "").split(","):
        first, _sep, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"ATTENTION_DAYS: {text!r} no es una lista de días 1-7")
        low, high = int(first), int(last or first)
        if not 1 <= low <= high <= 7:
            raise ValueError(f"ATTENTION_DAYS: {text!r} no es una lista de días 1-7")
        days.update(range(low, high + 1))
    return frozenset(days)


def parse_hours(text: str) -> tuple[dt.time, dt.time]:
    """``"09:00-18:00"``: opening and closing time (closing after opening)."""
    match = _HOURS_RE.match(text)
    if not match:
        raise ValueError(f"ATTENTION_HOURS: {text!r} no tiene la forma 09:00-18:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = dt.time(h1, m1), dt.time(min(h2, 23), m2 if h2 < 24 else 59)
    if end <= start:
        raise ValueError(f"ATTENTION_HOURS: {text!r} cierra antes de abrir")
    return start, end


def start_of_today(now: dt.datetime | None = None, settings: Settings | None = None) -> dt.datetime:
    """Midnight of today in ``PARTICIPA_TIMEZONE``, as naive UTC (how moments are stored)."""
    zone = ZoneInfo((settings or get_settings()).participa_timezone)
    local = (now or dt.datetime.now(dt.UTC)).astimezone(zone)
    midnight = dt.datetime.combine(local.date(), dt.time(), tzinfo=zone)
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)


def attention_hours(settings: Settings | None = None) -> Hours:
    settings = settings or get_settings()
    start, end = parse_hours(settings.attention_hours)
    return Hours(parse_days(settings.attention_days), start, end,
                 ZoneInfo(settings.participa_timezone))
