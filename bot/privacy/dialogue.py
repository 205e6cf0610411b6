"""``/privacidad``, ``/mis_datos`` and ``/borrar`` (and the same in plain words), answered by the core.

They never go to Rasa: the notice must show even with Rasa down, and a request about one's
data must not add more of it to Rasa's store. Erasing asks first: the reply explains what
goes and what stays public, and the "Sí, bórralo" button carries a token signed with the
deployment's key, bound to this conversation and valid for a few minutes. A stale button,
one forwarded from another chat or a typed ``/borrar_si`` deletes nothing; it says so.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.config import secret_key
from bot.content.chat import chat_content
from bot.conversation.replies import Button, Reply
from bot.i18n import _
from bot.privacy import rights as privacy
from bot.privacy.notice import notice_text, privacy_content

log = logging.getLogger(__name__)

COMMANDS = {"/privacidad": "notice", "/mis_datos": "my_data", "/borrar": "erase"}
CONFIRM = "/borrar_si"
CANCEL = "/borrar_no"
CONFIRM_SECONDS = 15 * 60
EXPORT_FILENAME = "mis_datos_participa.json"
INTENTS = {"notice": "privacidad", "my_data": "mis_datos", "erase": "borrar",
           "erase_confirm": "borrar_confirmado", "erase_cancel": "borrar_cancelado"}
PUBLIC_DOMAINS = frozenset({"propuestas", "apoyos"})  # what stays, anonymised, in the record
_CONFIRM_RE = re.compile(r'^/borrar_si\{"t":"(\d{1,12})\.([0-9a-f]{16})"\}$')


def requested(stripped: str) -> str | None:
    """Which privacy request a message is ("notice", "my_data", "erase", "erase_confirm",
    "erase_cancel"), or None when it is something else."""
    command = stripped.split(" ", 1)[0].lower()
    if command in COMMANDS:
        return COMMANDS[command]
    if command == CANCEL:
        return "erase_cancel"
    if command == CONFIRM or command.startswith(CONFIRM + "{"):
        return "erase_confirm"
    if stripped.startswith("/"):
        return None
    return privacy_content().intent_of(stripped)


def _signature(sender: str, issued: int) -> str:
    message = f"borrar:{sender}:{issued}".encode()
    return hmac.new(secret_key(), message, hashlib.sha256).hexdigest()[:16]


def confirm_payload(sender: str, now: float | None = None) -> str:
    """The "Sí, bórralo" payload: fits Telegram's 64-byte button data, so it survives restarts."""
    issued = int(now if now is not None else time.time())
    return CONFIRM + json.dumps({"t": f"{issued}.{_signature(sender, issued)}"}, separators=(",", ":"))


def confirmation_valid(sender: str, payload: str, now: float | None = None) -> bool:
    match = _CONFIRM_RE.match(payload.strip())
    if not match:
        return False
    issued, signature = int(match.group(1)), match.group(2)
    age = (now if now is not None else time.time()) - issued
    return 0 <= age <= CONFIRM_SECONDS and hmac.compare_digest(signature, _signature(sender, issued))


def _menu() -> list[Button]:
    return [Button(b.title, b.payload) for b in chat_content().menu.buttons]


def _details(counts: dict[str, int]) -> str:
    return ", ".join(f"{label}: {count:,}" for label, count in counts.items())


def notice_reply(channel: str = "telegram") -> list[Reply]:
    return [Reply(notice_text(channel=channel))]


def my_data_replies(sender: str, engine: Engine | None) -> list[Reply]:
    texts = privacy_content()
    exported = privacy.export(sender, engine)
    if not exported["datos"]:
        return [Reply(texts.message("my_data_none"), buttons=_menu())]
    lines = [texts.message("my_data_header"), *privacy.describe(exported["datos"]), "",
             texts.message("my_data_footer", filename=EXPORT_FILENAME)]
    document = {"filename": EXPORT_FILENAME,
                "content": json.dumps(exported, ensure_ascii=False, indent=2)}
    return [Reply("\n".join(lines), custom={"document": document})]


def erase_question(sender: str, engine: Engine | None) -> list[Reply]:
    texts = privacy_content()
    data = privacy.collect(sender, engine)
    if not data:
        return [Reply(texts.message("erase_none"), buttons=_menu())]
    parts = [texts.message("erase_explain"), "\n".join(privacy.describe(data))]
    if PUBLIC_DOMAINS & data.keys():
        parts.append(texts.message("erase_public"))
    parts.append(texts.message("erase_question"))
    buttons = [Button(_("Sí, bórralo"), confirm_payload(sender)), Button(_("No, consérvalos"), CANCEL)]
    return [Reply("\n\n".join(parts), buttons=buttons)]


def erase_confirmed(sender: str, payload: str, engine: Engine | None) -> list[Reply]:
    texts = privacy_content()
    if not confirmation_valid(sender, payload):
        log.info("privacy.erase_stale_button")
        return [Reply(texts.message("erase_expired", minutes=CONFIRM_SECONDS // 60), buttons=_menu())]
    report = privacy.erase(sender, engine)
    if not report.complete and not report.total:
        return [Reply(texts.message("unavailable"), buttons=_menu())]
    if not report.complete:
        failed = ", ".join(report.failed)
        return [Reply(texts.message("erased_partly", details=_details(report.counts), failed=failed))]
    if not report.total:
        return [Reply(texts.message("erase_none"), buttons=_menu())]
    text = texts.message("erased", details=_details(report.counts))
    if report.domains & PUBLIC_DOMAINS:  # only then: someone without proposals has none to keep
        text += " " + texts.message("erased_public")
    return [Reply(text, buttons=_menu())]


async def answer(kind: str, sender: str, stripped: str, engine: Engine | None,
                 channel: str = "telegram") -> list[Reply]:
    """The replies for a privacy request; storage trouble gets a clear reply, never a crash."""
    try:
        if kind == "notice":
            return notice_reply(channel)
        if kind == "erase_cancel":
            return [Reply(privacy_content().message("erase_kept"), buttons=_menu())]
        if kind == "my_data":
            return await asyncio.to_thread(my_data_replies, sender, engine)
        if kind == "erase":
            return await asyncio.to_thread(erase_question, sender, engine)
        if kind == "erase_confirm":
            return await asyncio.to_thread(erase_confirmed, sender, stripped, engine)
    except (SQLAlchemyError, OSError) as exc:
        log.error("privacy.storage_failed", extra={"request": kind, "error": type(exc).__name__})
        return [Reply(privacy_content().message("unavailable"), buttons=_menu())]
    raise ValueError(f"unknown privacy request {kind!r}")
