"""``participa content check``: every file of ``content/`` against its schema.

The centre checks its own files (``faq/``, ``chat.yml``, ``hotlines.yml``,
``telegram_commands.yml``). A domain that owns a content file registers its check with
:func:`register` when it is imported, as datasette's plugins register their hooks, so this
module never imports the domains; ``bot.domains`` imports them all and then calls :func:`ready`.
Until then :func:`check_all` refuses to run: a check that silently skipped a domain's files
would call broken content fine.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel

from bot.content.chat import load_chat, load_telegram_commands
from bot.content.faq import FaqCatalog, due_for_review, load_faq, over_limits
from bot.content.files import ContentError, format_date
from bot.content.hotlines import load_hotlines
from bot.content.place import load_place

Check = Callable[[Path | None], list[str]]

_CHECKS: dict[str, Check] = {}
_ready = False


def register(name: str) -> Callable[[Check], Check]:
    """Decorator: ``check(directory)`` returns the problems of the domain's content (or [])."""

    def add(check: Check) -> Check:
        _CHECKS[name] = check
        return check

    return add


def ready() -> None:
    """Every domain has registered its checks (called once by ``bot.domains``)."""
    global _ready
    _ready = True


def registered() -> list[str]:
    return list(_CHECKS)


def problems_loading(load: Callable[[Path | None], BaseModel | object],
                     directory: Path | None) -> list[str]:
    """The problem of loading one file with ``load`` (empty when it loads)."""
    try:
        load(directory)
    except ContentError as exc:
        return [str(exc)]
    return []


def faq_references(where: str, payloads: Iterable[str], directory: Path | None) -> list[str]:
    """Buttons whose payload names a FAQ entry (``"tema": "<id>"``) that does not exist."""
    try:
        ids = load_faq(directory).by_id()
    except ContentError:
        return []  # the FAQ's own check reports it
    problems = []
    for payload in payloads:
        match = re.search(r'"tema"\s*:\s*"([a-z0-9_]+)"', payload)
        if match and match.group(1) not in ids:
            problems.append(f"{where} apunta a una pregunta que no existe: {match.group(1)}")
    return problems


def check_all(directory: Path | None = None) -> list[str]:
    """Validate every content file; return the problems found (empty when all is well)."""
    if not _ready:
        raise RuntimeError("content checks not registered yet: import bot.domains first")
    problems: list[str] = []
    catalog: FaqCatalog | None = None
    try:
        catalog = load_faq(directory)
    except ContentError as exc:
        problems.append(str(exc))
    try:
        chat = load_chat(directory)
    except ContentError as exc:
        problems.append(str(exc))
        chat = None
    if catalog:
        for entry in catalog.entries:
            problems += over_limits(entry)
    problems += problems_loading(load_hotlines, directory)
    problems += problems_loading(load_telegram_commands, directory)
    problems += problems_loading(load_place, directory)
    if catalog and chat:
        problems += faq_references("chat.yml: el menú", (b.payload for b in chat.menu.buttons),
                                   directory)
    for check in _CHECKS.values():
        problems += check(directory)
    return problems


def warnings_all(directory: Path | None = None, today: dt.date | None = None) -> list[str]:
    """What is not wrong yet but needs a person: FAQ entries not reviewed for six months."""
    try:
        catalog = load_faq(directory)
    except ContentError:
        return []  # check_all reports it
    return [
        f"{e.id}: revisada por última vez el {format_date(e.reviewed)}; toca revisarla"
        for e in due_for_review(catalog, today or dt.date.today())
    ]
