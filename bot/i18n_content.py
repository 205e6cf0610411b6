"""Which strings of ``content/*.yml`` are interface strings, and their translation.

Most of ``content/`` is Spanish content (FAQ answers, hotlines, centres, procurement data) and
stays Spanish in every locale. A few files also hold the short texts of the interface: menu
titles, the core's own messages, command descriptions, the proposal intake's questions. Those
are listed here by path, extracted into the Babel catalogs by ``bot.i18n_extract`` and
translated by :func:`localize` when the content is read for the current locale. One list for
both, so what is extracted is exactly what is translated.

A path is dotted; ``*`` stands for every key of a mapping or every item of a list. Only string
values are interface strings (numbers and flags under a ``*`` are skipped).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from bot.i18n import gettext

INTERFACE_PATHS: dict[str, tuple[str, ...]] = {
    "chat.yml": ("menu.text", "menu.buttons.*.title", "core.*"),
    "telegram_commands.yml": ("commands.*.description",),
    "proposals.yml": ("messages.*", "steps.*.*", "statuses.*.label", "statuses.*.meaning"),
    "place.yml": ("site_subtitle", "site_footer", "time_zone_name"),
    "subscriptions.yml": ("privacy_notice.text", "topics.*.title", "topics.*.description",
                          "topics.*.warning", "messages.*", "buttons.*"),
    "attention.yml": ("privacy_notice.text", "messages.*", "buttons.*"),
    "solicitudes.yml": ("messages.*",),
}


def split(path: str) -> list[str]:
    return path.split(".")


def matches(data: Any, parts: list[str]) -> Iterator[tuple[Any, Any]]:
    """(container, key) pairs that ``parts`` selects in plain YAML data."""
    head, rest = parts[0], parts[1:]
    if isinstance(data, dict):
        keys: list[Any] = list(data) if head == "*" else [head] if head in data else []
    elif isinstance(data, list):
        keys = list(range(len(data))) if head == "*" else [int(head)] if head.isdigit() else []
    else:
        return
    for key in keys:
        if rest:
            yield from matches(data[key], rest)
        else:
            yield data, key


def localize(data: Any, filename: str, locale: str | None = None) -> Any:
    """``data`` (as loaded from ``content/<filename>``) with its interface strings translated.

    Works on a copy; content files without interface strings come back unchanged.
    """
    paths = INTERFACE_PATHS.get(filename)
    if not paths:
        return data
    result = copy.deepcopy(data)
    for path in paths:
        for container, key in matches(result, split(path)):
            value = container[key]
            if isinstance(value, str) and value.strip():
                container[key] = gettext(value, locale)
    return result
