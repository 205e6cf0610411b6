"""A person's data across every domain: ``collect`` for ``/mis_datos``, ``erase`` for ``/borrar``.

Each domain that stores something about a person contributes a :class:`Provider`: a section
name (in Spanish: the person reads the JSON), ``collect`` (what it holds, JSON-ready, empty
when nothing), ``describe`` (Spanish summary lines of what ``collect`` returned) and ``erase``
(delete or anonymise it, return counts by Spanish label). The built-in providers are in
:mod:`bot.proposals.personal_data`: proposals (authorship, contacts, adhesions,
notifications), Telegram chat records, Rasa's conversation events, news subscriptions
(:mod:`bot.campaigns.subscriptions`), and consents, which always runs last because other tables
point at consents.

Adding a domain: add its ``Provider`` to ``PROVIDERS`` in :mod:`bot.proposals.personal_data`,
before consents (as subscriptions are). A provider's functions take ``(person, engine)``; the
engine is the application's (None: the configured default). Each provider erases in its own
transaction, so one failing (say Rasa's database is down) neither blocks nor undoes the
others; erasing twice is harmless, so the person can simply try again.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from bot.privacy.consent import person_key
from bot.privacy.notice import notice_version

log = logging.getLogger(__name__)

TELEGRAM_PREFIX = "tg-"


@dataclass(frozen=True)
class Person:
    """Everyone a person is in storage: their conversation id, key, and Telegram chat if any."""

    sender: str
    key: str
    chat_id: int | None

    @classmethod
    def of(cls, sender: str) -> Person:
        chat_id = None
        if sender.startswith(TELEGRAM_PREFIX) and sender[len(TELEGRAM_PREFIX):].lstrip("-").isdigit():
            chat_id = int(sender[len(TELEGRAM_PREFIX):])
        return cls(sender=sender, key=person_key(sender), chat_id=chat_id)


Collect = Callable[[Person, Engine | None], Any]
Describe = Callable[[Any], list[str]]
Erase = Callable[[Person, Engine | None], dict[str, int]]


@dataclass(frozen=True)
class Provider:
    name: str  # section key of the /mis_datos file
    collect: Collect
    describe: Describe
    erase: Erase
    title: str = ""  # how the person reads it when it could not be erased ("tu conversación")

    @property
    def label(self) -> str:
        return self.title or self.name


@dataclass
class ErasureReport:
    """What ``erase`` removed, by Spanish label, and which domains (their titles) could not be."""

    counts: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def complete(self) -> bool:
        return not self.failed


def providers() -> list[Provider]:
    from bot.proposals.personal_data import PROVIDERS

    return list(PROVIDERS)


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
    log.info("privacy.erased", extra={"items": report.total, "failed": len(report.failed)})
    return report
