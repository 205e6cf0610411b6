"""Words as good as buttons: the buttons last offered to each person, and what a typed word presses.

Every flow offers buttons (the proposal summary, the privacy and subscription questions, the
centre finder, "ver más"). People often type instead: the button's title ("corregir municipio"),
a yes or a no ("si, enviala", "nel"), or a correction in words ("cambia el municipio a …").
The core remembers the last buttons it sent to each person (in memory, a bounded number of
people) and turns such a text into the button's payload before anything else reads it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from bot.conversation.replies import Button, Reply
from bot.conversation.yesno import Answer, yes_no
from bot.textnorm import normalize_words

CONFIRM_PROPOSAL = "/confirmar_propuesta"
EDIT_PROPOSAL = "/editar_propuesta"
CANCEL_PROPOSAL = "/cancelar"
KEEP_PROPOSAL = "/seguir_propuesta"  # answered by the core: shows the kept summary again
YES_PAYLOADS = frozenset({CONFIRM_PROPOSAL})
EDIT_VERBS = ("corregir", "corrige", "corrijo", "cambiar", "cambia", "cambiale", "cambio", "editar",
              "edita", "modificar", "modifica", "arreglar", "arregla", "esta mal", "no es", "poner",
              "pon", "ponle", "quiero cambiar")
VALUE_RE = r"\s+(?:a|por|es|sea|que sea|ahora es|ahora)\s+(?P<value>.+)$"


@dataclass
class Offer:
    """What a person was last offered: its buttons, and the proposal summary if it was one."""

    buttons: list[Button]
    summary: Reply | None = None
    reminded: bool = field(default=False)

    @property
    def at_summary(self) -> bool:
        return self.summary is not None


@dataclass
class Pressed:
    """A typed text read as a button: the payload, and a value to send right after it."""

    payload: str
    then: str | None = None


def meaning(button: Button) -> Answer | None:
    """Whether a button stands for "yes" ("Sí, acepto", "Enviar propuesta") or "no"."""
    if button.payload in YES_PAYLOADS:
        return "yes"
    head = normalize_words(button.title).split()[:1]
    if head == ["si"]:
        return "yes"
    if head == ["no"]:
        return "no"
    return None


def _edit(buttons: list[Button], text: str) -> Pressed | None:
    """"corregir municipio", "cambia el municipio a …" → that field's «Corregir …» button."""
    words = normalize_words(text)
    if not any(words.startswith(v) or f" {v} " in f" {words} " for v in EDIT_VERBS):
        return None
    for button in buttons:
        if not button.payload.startswith(EDIT_PROPOSAL):
            continue
        label = button.title.split(" ", 1)[-1]
        if normalize_words(label) and f" {normalize_words(label)} " in f" {words} ":
            match = re.search(re.escape(label) + VALUE_RE, text, re.IGNORECASE)
            if match is None:
                match = re.search(re.escape(normalize_words(label)) + VALUE_RE, text, re.IGNORECASE)
            value = match.group("value").strip(" .,!¡") if match else None
            return Pressed(button.payload, value or None)
    return None


def press(offer: Offer, text: str) -> Pressed | None:
    """The button a typed text stands for, or None (then the text goes on as it is)."""
    words = normalize_words(text)
    if not words:
        return None
    for button in offer.buttons:
        if normalize_words(button.title) == words:
            return Pressed(button.payload)
    answer = yes_no(text)
    if answer is not None:
        for button in offer.buttons:
            if meaning(button) == answer:
                return Pressed(button.payload)
    if offer.at_summary:
        return _edit(offer.buttons, text)
    return None


class Offers:
    """The last buttons offered to each person, newest kept when there are too many people."""

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self._offers: OrderedDict[str, Offer] = OrderedDict()

    def get(self, sender: str) -> Offer | None:
        return self._offers.get(sender)

    def forget(self, sender: str) -> None:
        self._offers.pop(sender, None)

    def keep(self, sender: str, offer: Offer) -> None:
        self._offers[sender] = offer
        self._offers.move_to_end(sender)
        while len(self._offers) > self.limit:
            self._offers.popitem(last=False)

    def remember(self, sender: str, replies: list[Reply]) -> None:
        """The buttons of this turn's replies replace the earlier ones (none: forget them)."""
        buttons = [b for r in replies for b in r.buttons]
        if not buttons:
            self.forget(sender)
            return
        summary = next((r for r in replies if any(b.payload == CONFIRM_PROPOSAL for b in r.buttons)),
                       None)
        self.keep(sender, Offer(buttons, summary))
