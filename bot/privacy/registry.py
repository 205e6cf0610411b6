"""The privacy providers: each domain that stores something about a person registers one here.

A :class:`Provider` is a section name (in Spanish: the person reads the JSON), ``collect`` (what
it holds, JSON-ready, empty when nothing), ``describe`` (Spanish summary lines of what
``collect`` returned) and ``erase`` (delete or anonymise it, return counts by Spanish label).
Its functions take ``(person, engine)``; the engine is the application's (None: the default).

Domains register at import, as datasette's plugins register their hooks, so privacy never
imports the domains: ``bot.domains`` imports every one of them once (the CLI, ``serve`` and the
tests import it) and then calls :func:`ready`. Until then :func:`providers` refuses to answer:
a ``/borrar`` that silently skipped a domain would tell the person a lie.

``order`` places a provider: the built-in ones use 10 (proposals), 20 (adhesions),
30 (notifications), 40 (Telegram bookkeeping), 50 (Rasa's conversation), 60 (subscriptions)
and 1000 (consents, last: other tables point at consents).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from bot.identity import person_key, telegram_chat_id


@dataclass(frozen=True)
class Person:
    """Everyone a person is in storage: their conversation id, key, and Telegram chat if any."""

    sender: str
    key: str
    chat_id: int | None

    @classmethod
    def of(cls, sender: str) -> Person:
        return cls(sender=sender, key=person_key(sender), chat_id=telegram_chat_id(sender))


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
    order: int = 500

    @property
    def label(self) -> str:
        return self.title or self.name


PROVIDERS: list[Provider] = []  # kept in ``order``
_ready = False


def register(provider: Provider) -> Provider:
    """Add (or replace, by name) a domain's provider."""
    PROVIDERS[:] = sorted([*(p for p in PROVIDERS if p.name != provider.name), provider],
                          key=lambda p: p.order)
    return provider


def ready() -> None:
    """Every domain has registered (called once by ``bot.domains``)."""
    global _ready
    _ready = True


def providers() -> list[Provider]:
    """The registered providers, in ``order``."""
    if not _ready:
        raise RuntimeError("privacy providers not registered yet: import bot.domains first")
    return list(PROVIDERS)
