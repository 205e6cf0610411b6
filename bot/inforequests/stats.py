"""Counts of the requests followed through the bot, per body and outcome: nothing about a person.

The outcome is what the person answered to the reminder (``reminders.OUTCOMES``); a request
without an answer is "en plazo" until its due date passes, then "sin dato".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from bot.inforequests.store import body_name
from bot.storage.db import session_scope
from bot.storage.models import InfoRequest


@dataclass
class BodyCounts:
    body: str
    total: int = 0
    complete: int = 0  # answered, complete
    incomplete: int = 0  # answered, incomplete
    unanswered: int = 0  # not answered by the due date
    in_term: int = 0  # due date still ahead
    unknown: int = 0  # due date passed, no answer from the person yet

    @property
    def answered(self) -> int:
        return self.complete + self.incomplete


def by_body(today: dt.date, engine: Engine | None = None) -> list[BodyCounts]:
    """One row per body, most requests first (then by name)."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(InfoRequest.body_key, InfoRequest.outcome, InfoRequest.due_on, func.count())
            .group_by(InfoRequest.body_key, InfoRequest.outcome, InfoRequest.due_on)).all()
    counts: dict[str | None, BodyCounts] = {}
    for key, outcome, due_on, number in rows:
        ahead = due_on >= today
        item = counts.setdefault(key, BodyCounts(body_name(key)))
        item.total += number
        if outcome == "respondida_completa":
            item.complete += number
        elif outcome == "respondida_incompleta":
            item.incomplete += number
        elif outcome == "sin_respuesta":
            item.unanswered += number
        elif ahead:
            item.in_term += number
        else:
            item.unknown += number
    return sorted(counts.values(), key=lambda c: (-c.total, c.body))
