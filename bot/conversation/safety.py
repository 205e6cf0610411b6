"""Safety net: spot a message from someone in danger before any NLU runs.

It is plain pattern matching over normalised text, so it works when Rasa is
down, slow or unsure. Patterns live in ``content/emergency.yml`` where people
can edit them; ``benchmarks/emergency_recall.py`` measures them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.conversation.replies import Button, Reply
from bot.services.content import content_dir, hotlines
from bot.textnorm import normalize_words

# Messages are scanned in full (Telegram caps them at 4,096 characters; the terminal does not).
_SCAN_LIMIT = 200_000
EMERGENCY_PAYLOAD = "/ayuda_urgente"


@dataclass(frozen=True)
class SafetyNet:
    patterns: tuple[re.Pattern[str], ...]
    reply_text: str
    button: Button

    def is_emergency(self, text: str) -> bool:
        if text.strip() == EMERGENCY_PAYLOAD:
            return True
        normalised = normalize_words(text[:_SCAN_LIMIT])
        return any(p.search(normalised) for p in self.patterns)

    def reply(self) -> Reply:
        return Reply(
            text=f"{self.reply_text.strip()}\n{hotlines().render()}", buttons=[self.button]
        )


def load_safety_net(directory: Path | None = None) -> SafetyNet:
    data = yaml.safe_load(((directory or content_dir()) / "emergency.yml").read_text("utf-8"))
    return SafetyNet(
        patterns=tuple(re.compile(p) for p in data["patterns"]),
        reply_text=data["reply"],
        button=Button(**data["button"]),
    )


@lru_cache(maxsize=1)
def safety_net() -> SafetyNet:
    return load_safety_net()
