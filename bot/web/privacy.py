"""The public ``/privacidad`` page: the simplified privacy notice the bot shows, for the web.

The text is the bot's own (``bot.privacy.notice``), so the page and the chat can
never disagree. It is written for a chat (blank-line paragraphs, «•» bullets), so it is cut
into paragraphs and lists here; every «(dato por confirmar: …)» is kept as written and marked,
so nobody reads an unverified fact as settled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from bot.privacy.notice import notice_text, privacy_content
from bot.web.security import public
from bot.web.templating import render

PENDING_RE = re.compile(r"(\(?dato por confirmar[^)]*\)?)", re.IGNORECASE)
BULLET = "•"


@dataclass
class Block:
    """A paragraph (one item) or a list (several), each item as (text, is_pending) pieces."""

    kind: str  # "p" or "ul"
    items: list[list[tuple[str, bool]]] = field(default_factory=list)


def pieces(text: str) -> list[tuple[str, bool]]:
    """Text cut so that every «dato por confirmar» part can be marked."""
    return [(part, bool(PENDING_RE.fullmatch(part))) for part in PENDING_RE.split(text) if part]


def notice_blocks(text: str) -> tuple[str, list[Block]]:
    """The title line and the body as paragraphs and bullet lists."""
    lines = text.strip().splitlines()
    title = lines[0].lstrip("🔒 ").strip() if lines else ""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", "\n".join(lines[1:])):
        rows = [row.strip() for row in chunk.splitlines() if row.strip()]
        if not rows:
            continue
        bullets = [row for row in rows if row.startswith(BULLET)]
        lead = [row for row in rows if not row.startswith(BULLET)]
        if lead:
            blocks.append(Block("p", [pieces(" ".join(lead))]))
        if bullets:
            blocks.append(Block("ul", [pieces(row.lstrip(BULLET).strip()) for row in bullets]))
    return title, blocks


@public
def notice(request: Request) -> Response:
    title, blocks = notice_blocks(notice_text(channel="web"))
    return render(request, "public/privacy.html", {
        "title": title, "blocks": blocks, "version": privacy_content().version,
        "pending": any(p for block in blocks for item in block.items for _text, p in item),
    })
