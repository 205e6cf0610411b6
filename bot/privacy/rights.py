"""A person's data across every domain: ``collect`` for ``/mis_datos``, ``erase`` for ``/borrar``.

What each domain holds comes from its provider (:mod:`bot.privacy.registry`): proposals
(authorship, contacts, adhesions, notifications: :mod:`bot.proposals.personal_data`), Telegram
chat records and news subscriptions (:mod:`bot.campaigns.personal_data`), Rasa's conversation
events (:mod:`bot.rasa.personal_data`), and consents (:mod:`bot.privacy.consent`), which always
run last because other tables point at consents. Each provider erases in its own transaction,
so one failing (say Rasa's database is down) neither blocks nor undoes the others; erasing
twice is harmless, so the person can simply try again.

Usage counts (``usage_daily``) are not a provider: they are per day, intent and channel,
with nothing that points at a person.

Rasa's conversation id stays ``tg-<chat id>`` (not a hash): the action server takes a
consenting author's notification address from it, so hashing it would need the raw chat id
passed alongside (and stored by Rasa anyway). Instead the conversation is deleted by
``/borrar`` and by the retention purge (``TRACKER_RETENTION_DAYS`` after its last message).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from bot.privacy.notice import notice_version
from bot.privacy.registry import Person, providers

log = logging.getLogger(__name__)

@dataclass
class ErasureReport:
    """What ``erase`` removed, by Spanish label, and which domains (their titles) could not be."""

    counts: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    domains: set[str] = field(default_factory=set)  # provider names that removed something

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def complete(self) -> bool:
        return not self.failed


def collect(sender: str, engine: Engine | None = None) -> dict[str, Any]:
    """Everything stored about ``sender``, by section (sections with nothing are left out).

    A provider that fails raises: the person must not be told "this is all" when it is not.
    """
    person = Person.of(sender)
    data: dict[str, Any] = {}
    for provider in providers():
        section = provider.collect(person, engine)
        if section:
            data[provider.name] = section
    return data


def export(sender: str, engine: Engine | None = None) -> dict[str, Any]:
    """``collect`` with when it was made and the notice in force: the ``/mis_datos`` file."""
    return {
        "generado": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "aviso_de_privacidad_version": notice_version(),
        "datos": collect(sender, engine),
    }


def describe(data: dict[str, Any]) -> list[str]:
    """Spanish summary lines for what ``collect`` returned, in provider order."""
    lines: list[str] = []
    for provider in providers():
        if provider.name in data:
            lines += provider.describe(data[provider.name])
    return lines


def erase(sender: str, engine: Engine | None = None) -> ErasureReport:
    """Delete (or anonymise, for the public record) everything about ``sender``."""
    person = Person.of(sender)
    report = ErasureReport()
    for provider in providers():
        try:
            counts = provider.erase(person, engine)
        except Exception as exc:  # one domain down must not stop the others
            log.error("privacy.erase_failed", extra={"domain": provider.name,
                                                      "error": type(exc).__name__})
            report.failed.append(provider.label)
            continue
        for label, count in counts.items():
            if count:
                report.counts[label] = report.counts.get(label, 0) + count
                report.domains.add(provider.name)
    log.info("privacy.erased", extra={"items": report.total, "failed": len(report.failed)})
    return report
