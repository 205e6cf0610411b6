"""Buttons that open one FAQ entry, shared by the replies that point to answers."""

from __future__ import annotations

import json

from bot.content.faq import faq_catalog
from bot.i18n import _


def faq_button(faq_id: str) -> dict[str, str] | None:
    """A button that answers ``faq_id`` (its title, the elegir_tema payload); None if unknown."""
    entry = faq_catalog().by_id().get(faq_id)
    if entry is None:
        return None
    payload = "/elegir_tema" + json.dumps({"tema": faq_id}, separators=(",", ":"))
    return {"title": entry.title, "payload": payload}


def menu_button() -> dict[str, str]:
    return {"title": _("Ver el menú"), "payload": "/help"}
