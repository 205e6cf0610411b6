"""How an FAQ entry reads on a phone: a short first message, then details and sources on demand.

The first message is the answer, the warning (⚠️) and one short source line, with the buttons
«Más detalles» (when the entry has details) and «Fuentes». The buttons carry the entry's id in
their payload, so they work in Telegram, in the terminal and after a restart; the conversation
core answers them (:mod:`bot.conversation.faq_followup`) without asking Rasa.
"""

from __future__ import annotations

import json
import re

from bot.content.chat import chat_content
from bot.content.faq import FaqCatalog, FaqEntry
from bot.content.files import format_date

DETAILS_PAYLOAD = "/faq_detalles"
SOURCES_PAYLOAD = "/faq_fuentes"
FOLLOWUP_RE = re.compile(r'^(/faq_detalles|/faq_fuentes)\{"tema":"([^"]*)"\}$')


def followup_payload(kind: str, faq_id: str) -> str:
    """``kind`` is DETAILS_PAYLOAD or SOURCES_PAYLOAD."""
    return kind + json.dumps({"tema": faq_id}, separators=(",", ":"))


def parse_followup(payload: str) -> tuple[str, str] | None:
    """(kind, faq id) of a «Más detalles» / «Fuentes» payload, or None for anything else."""
    match = FOLLOWUP_RE.match(payload.strip())
    return (match.group(1), match.group(2)) if match else None


def catalog_payloads(catalog: FaqCatalog) -> list[str]:
    """Every follow-up payload the catalog can produce (Telegram registers the long ones)."""
    payloads = []
    for entry in catalog.entries:
        if entry.details:
            payloads.append(followup_payload(DETAILS_PAYLOAD, entry.id))
        payloads.append(followup_payload(SOURCES_PAYLOAD, entry.id))
    return payloads


def render_answer(entry: FaqEntry) -> str:
    """The first message: the answer, any warning, and the main source in one short line."""
    parts = [entry.answer.strip()]
    if entry.may_change:
        parts.append(f"⚠️ {entry.may_change.strip()}")
    parts.append(chat_content().core_text("faq_source_line", title=entry.sources[0].title))
    return "\n\n".join(parts)


def answer_buttons(entry: FaqEntry, with_details: bool = True) -> list[dict[str, str]]:
    """«Más detalles» (if the entry has details) and «Fuentes», as Rasa buttons."""
    core = chat_content()
    buttons = []
    if entry.details and with_details:
        buttons.append({"title": core.core_text("faq_details_button"),
                        "payload": followup_payload(DETAILS_PAYLOAD, entry.id)})
    buttons.append({"title": core.core_text("faq_sources_button"),
                    "payload": followup_payload(SOURCES_PAYLOAD, entry.id)})
    return buttons


def render_details(entry: FaqEntry) -> str | None:
    """What sits behind «Más detalles» (None when the entry has none)."""
    return entry.details.strip() if entry.details else None


def render_sources(entry: FaqEntry) -> str:
    """Every source, one a line with its full reference (URL or seed file), and the review date."""
    core = chat_content()
    lines = [core.core_text("faq_sources_title", title=entry.title)]
    lines += [f"• {s.title}: {s.ref}" for s in entry.sources]
    lines.append("")
    lines.append(core.core_text("faq_reviewed", date=format_date(entry.reviewed)))
    return "\n".join(lines)
