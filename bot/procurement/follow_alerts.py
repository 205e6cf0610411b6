"""The message a follower gets after a load: the new contracts of what they follow, once.

:func:`send_due` claims each follow's pending alerts before sending (see
:mod:`bot.procurement.follows`), so two senders never both deliver them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy import Engine

from bot.conversation.replies import Button, Reply
from bot.i18n import _, ngettext
from bot.procurement import follows
from bot.procurement.content import procurement_content
from bot.procurement.follow_dialogue import LIST
from bot.procurement.replies import hit_text
from bot.procurement.service import ContractHit


def alert_reply(label: str, hits: list[ContractHit], total: int) -> Reply:
    """«Contratos nuevos de …»: the largest few, each with its red flags and source."""
    content = procurement_content()
    shown = hits[: follows.MAX_PER_MESSAGE]
    header = ngettext("Hay {n} contrato nuevo de {name} en los datos que cargamos:",
                      "Hay {n} contratos nuevos de {name} en los datos que cargamos:",
                      total).format(n=total, name=label)
    body = "\n\n".join(hit_text(i + 1, h, content) for i, h in enumerate(shown))
    parts = [header, body]
    if total > len(shown):
        parts.append(_("Y {n} más: búscalos escribiendo «contratos de {name}».").format(
            n=total - len(shown), name=label))
    parts.append(_("Las señales son para revisar, no son acusaciones. Fuente: la liga de cada "
                   "contrato. Lo que sigues: /mis_seguimientos; para dejarlo: /baja."))
    return Reply("\n\n".join(parts), [Button(_("Mis seguimientos"), LIST)])


Send = Callable[[int, Reply], Awaitable[bool]]


async def send_due(send: Send, engine: Engine | None = None) -> int:
    """Send every follow's new contracts that this sender claims; how many messages went out."""
    sent = 0
    for item in await asyncio.to_thread(follows.due, engine):
        claimed = await asyncio.to_thread(follows.claim, item.follow_id, engine)
        if not claimed:
            continue  # another sender has them
        hits = await asyncio.to_thread(follows.contracts, claimed, engine)
        ok = bool(hits) and await send(item.chat_id, alert_reply(item.label, hits, len(hits)))
        await asyncio.to_thread(follows.mark, item.follow_id, claimed, ok, engine)
        sent += int(ok)
    return sent
