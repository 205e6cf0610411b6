"""Business days and the date an information request must be answered.

A business day is a weekday that is neither one of Mexico's official rest days (the ``holidays``
package's Mexico calendar, which follows the Ley Federal del Trabajo) nor a non-working day the
body published (``content/dias_inhabiles.yml``, each period with its source). The term starts the
business day after the request is received; a request filed on a non-working day counts as
received on the next business day. The term and its extension (the state's law: 15 and 7 business
days) are in the same content file, with their source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import holidays
from pydantic import BaseModel, Field, model_validator

from bot.content.files import Source, content_dir, load_model

FILE = "dias_inhabiles.yml"
ALL_BODIES = "todas"


class Period(BaseModel):
    start: dt.date
    end: dt.date
    bodies: list[str] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    reviewed: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("end antes de start")
        return self

    def covers(self, day: dt.date, body_key: str | None) -> bool:
        applies = ALL_BODIES in self.bodies or (body_key is not None and body_key in self.bodies)
        return applies and self.start <= day <= self.end


class NonWorkingDays(BaseModel):
    answer_days: int = Field(default=15, ge=1, le=60)
    extension_days: int = Field(default=7, ge=0, le=60)
    sources: list[Source] = Field(default_factory=list)
    reviewed: dt.date | None = None
    periods: list[Period] = Field(default_factory=list)


def load_non_working(directory: Path | None = None) -> NonWorkingDays:
    return load_model((directory or content_dir()) / FILE, NonWorkingDays)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def non_working_days() -> NonWorkingDays:
    return load_non_working()


@dataclass(frozen=True)
class Calendar:
    """Which days count for one body."""

    body_key: str | None
    published: NonWorkingDays

    def is_business_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5 or day in _mexico_holidays(day.year):
            return False
        return not any(p.covers(day, self.body_key) for p in self.published.periods)

    def next_business_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_business_days(self, received: dt.date, days: int) -> dt.date:
        """The ``days``-th business day after ``received`` (itself moved to a business day)."""
        day = received if self.is_business_day(received) else self.next_business_day(received)
        for _ in range(days):
            day = self.next_business_day(day)
        return day


@lru_cache(maxsize=16)
def _mexico_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("MX", years=year)


def calendar_for(body_key: str | None, published: NonWorkingDays | None = None) -> Calendar:
    return Calendar(body_key, published if published is not None else non_working_days())


@dataclass(frozen=True)
class Deadline:
    due: dt.date  # the last day to answer
    extended: dt.date  # the last day if the body takes its extension
    has_published_days: bool  # whether a published calendar of the body was used


def deadline(filed: dt.date, body_key: str | None, published: NonWorkingDays | None = None) -> Deadline:
    cal = calendar_for(body_key, published)
    due = cal.add_business_days(filed, cal.published.answer_days)
    extended = cal.add_business_days(due, cal.published.extension_days)
    has_days = any(ALL_BODIES in p.bodies or body_key in p.bodies for p in cal.published.periods)
    return Deadline(due, extended, has_days)
