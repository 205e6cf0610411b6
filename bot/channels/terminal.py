"""Terminal channel: ``participa chat`` and ``participa ask``.

Buttons are shown numbered; typing the number presses the button, as a tap
would in Telegram. A place is shown as "📍 lat, lon", and typing
"/ubicacion 19.29 -99.65" shares a location, as Telegram's 📎 › Ubicación would.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import uuid
from collections.abc import Iterable
from typing import TextIO

from bot.conversation.core import ConversationCore
from bot.conversation.replies import Button, Reply, Turn
from bot.i18n import _

_LOCATION_RE = re.compile(r"^/ubicaci[oó]n\s+(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)\s*$", re.I)
# Decimal commas, as many people in Mexico write them: "/ubicacion 19,29 -99,65".
_LOCATION_COMMA_RE = re.compile(r"^/ubicaci[oó]n\s+(-?\d+(?:,\d+)?)\s*[; ]\s*(-?\d+(?:,\d+)?)\s*$", re.I)
_LOCATION_COMMAND_RE = re.compile(r"^/ubicaci[oó]n(\s|$)", re.I)


def render(turn: Turn) -> tuple[str, list[Button]]:
    """Plain text for a terminal, and the buttons in the order they are numbered."""
    lines: list[str] = []
    buttons: list[Button] = []
    for reply in turn.replies:
        if reply.text:
            lines.append(reply.text)
        location = (reply.custom or {}).get("location")
        if isinstance(location, dict):
            lines.append(f"📍 {location.get('lat')}, {location.get('lon')}")
        if (reply.custom or {}).get("request_location"):
            # Telegram shows a one-tap button here; the terminal has a command instead.
            lines.append(_("En esta terminal, comparte tu ubicación con /ubicacion y dos números, la "
                           "latitud y la longitud. Por ejemplo: /ubicacion 19.29 -99.65"))
        document = (reply.custom or {}).get("document")
        if isinstance(document, dict) and document.get("path"):
            lines.append(f"📎 {document.get('filename', _('archivo'))}: {document['path']}")
        elif isinstance(document, dict) and isinstance(document.get("content"), str):
            size = len(document["content"].encode())
            lines.append(f"📎 {document.get('filename', _('archivo'))} ({size:,} bytes)")
        for button in reply.buttons:
            buttons.append(button)
            lines.append(f"  [{len(buttons)}] {button.title}")
    return "\n".join(lines), buttons


def shared_location(text: str) -> tuple[float, float] | None:
    """``/ubicacion LAT LON`` typed in the terminal, as a shared location."""
    match = _LOCATION_RE.match(text.strip()) or _LOCATION_COMMA_RE.match(text.strip())
    if not match:
        return None
    return float(match.group(1).replace(",", ".")), float(match.group(2).replace(",", "."))


def location_usage() -> Turn:
    """``/ubicacion`` without two numbers: how to write it (it is a command of this channel)."""
    text = _("Para compartir una ubicación escribe /ubicacion y dos números, la latitud y la "
             "longitud. Por ejemplo: /ubicacion 19.29 -99.65")
    return Turn("", "ubicacion_ayuda", None, False, [Reply(text)])


async def respond(core: ConversationCore, sender: str, text: str) -> Turn:
    location = shared_location(text)
    if location is not None:
        return await core.handle_location(sender, *location, channel="terminal")
    if _LOCATION_COMMAND_RE.match(text.strip()):
        return location_usage()
    return await core.handle(sender, text, channel="terminal")


def resolve_input(text: str, buttons: list[Button]) -> str:
    """A bare number picks the matching button of the last answer."""
    stripped = text.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(buttons):
        return buttons[int(stripped) - 1].payload
    return text


async def ask(
    core: ConversationCore,
    texts: Iterable[str],
    sender: str | None,
    as_json: bool,
    out: TextIO = sys.stdout,
) -> int:
    """Send each text; a new conversation per text unless ``sender`` is given."""
    count = 0
    buttons: list[Button] = []
    for text in texts:
        conversation = sender or f"ask-{uuid.uuid4().hex[:12]}"
        message = resolve_input(text, buttons) if sender else text
        turn = await respond(core, conversation, message)
        count += 1
        if as_json:
            out.write(json.dumps(turn.to_json(), ensure_ascii=False) + "\n")
        else:
            rendered, buttons = render(turn)
            out.write(f"> {text}\n{rendered}\n\n")
        if sender:
            _, buttons = render(turn)
        out.flush()
    return count


async def chat(core: ConversationCore, sender: str | None = None) -> None:
    """Interactive conversation in the terminal until EOF, "salir" or Ctrl-C."""
    sender = sender or f"terminal-{uuid.uuid4().hex[:12]}"
    print(_("Participa — escribe tu pregunta (o «salir» para terminar).") + "\n")
    turn = await core.handle(sender, "/start")
    rendered, buttons = render(turn)
    print(f"🤖 {rendered}\n")
    while True:
        try:
            text = await asyncio.to_thread(input, _("tú> "))
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if text.strip().lower() in {"salir", "exit", "quit"}:
            print(_("¡Hasta pronto!"))
            return
        turn = await respond(core, sender, resolve_input(text, buttons))
        rendered, buttons = render(turn)
        print(f"🤖 {rendered}\n")
