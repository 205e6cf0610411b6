"""Safety net: spot a message from someone in danger before any NLU runs.

It is plain pattern matching over normalised text, so it works when Rasa is
down, slow or unsure. Patterns live in ``content/emergency.yml`` where people
can edit them; ``benchmarks/emergency_recall.py`` measures them against a
held-out set. The same file holds a broader violence lexicon: messages that
match it are marked sensitive so Rasa's tracker store keeps no text of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.content import checks
from bot.content.files import ContentError, content_dir
from bot.content.hotlines import hotlines, load_hotlines
from bot.conversation.replies import Button, Reply
from bot.textnorm import normalize_words, strip_accents

# Messages are scanned in full (Telegram caps them at 4,096 characters; the terminal does not).
_SCAN_LIMIT = 200_000
EMERGENCY_PAYLOAD = "/ayuda_urgente"
_DOUBLE_VOWEL_RE = re.compile(r"([aeiou])\1+")


@dataclass(frozen=True)
class Rule:
    """A danger pattern, optionally ignored when ``unless`` matches the same message (idioms)."""

    match: re.Pattern[str]
    unless: re.Pattern[str] | None = None
    raw: bool = False  # match the lower-cased, accent-free text before letters are folded

    def hits(self, normalised: str, raw: str) -> bool:
        text = raw if self.raw else normalised
        return bool(self.match.search(text)) and not (self.unless and self.unless.search(text))


@dataclass(frozen=True)
class SafetyNet:
    rules: tuple[Rule, ...]
    sensitive: tuple[re.Pattern[str], ...]
    aliases: dict[str, str]
    intro: str
    outro: str
    line_ids: tuple[str, ...]
    buttons: tuple[Button, ...]
    quick_exit: frozenset[str] = frozenset()

    def normalise(self, text: str) -> str:
        """normalize_words, doubled vowels folded ("ayudaa"), then chat aliases ("m" -> "me")."""
        words = _DOUBLE_VOWEL_RE.sub(r"\1", normalize_words(text[:_SCAN_LIMIT])).split()
        return " ".join(self.aliases.get(w, w) for w in words)

    def matching_rule(self, text: str) -> Rule | None:
        """The first rule that fires on ``text`` (for the benchmark's error report)."""
        normalised = self.normalise(text)
        raw = strip_accents(text[:_SCAN_LIMIT].lower())
        return next((r for r in self.rules if r.hits(normalised, raw)), None)

    def is_emergency(self, text: str) -> bool:
        if text.strip() == EMERGENCY_PAYLOAD:
            return True
        return self.matching_rule(text) is not None

    def is_quick_exit(self, text: str) -> bool:
        """The exact words the bot tells people to type to leave quickly ("salida rápida")."""
        return len(text) <= 60 and self.normalise(text) in self.quick_exit

    def is_sensitive(self, text: str) -> bool:
        """True when the message touches violence: Rasa then stores none of its text."""
        if self.is_emergency(text):
            return True
        normalised = self.normalise(text)
        return any(p.search(normalised) for p in self.sensitive)

    def reply(self) -> Reply:
        text = "\n".join(
            [self.intro.strip(), hotlines().render(list(self.line_ids)), "", self.outro.strip()]
        )
        return Reply(text=text, buttons=list(self.buttons))


def _rule(raw: Any) -> Rule:
    if isinstance(raw, str):
        return Rule(re.compile(raw))
    if isinstance(raw, dict) and "match" in raw:
        unless = raw.get("unless")
        return Rule(
            re.compile(raw["match"]), re.compile(unless) if unless else None, bool(raw.get("raw"))
        )
    raise ContentError(f"emergency.yml: patrón inválido: {raw!r}")


def load_safety_net(directory: Path | None = None) -> SafetyNet:
    path = (directory or content_dir()) / "emergency.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    try:
        return SafetyNet(
            rules=tuple(_rule(p) for p in data["patterns"]),
            sensitive=tuple(re.compile(p) for p in data.get("sensitive") or []),
            aliases={str(k): str(v) for k, v in (data.get("aliases") or {}).items()},
            intro=data["intro"],
            outro=data.get("outro") or "",
            line_ids=tuple(data.get("lines") or []),
            buttons=tuple(Button(**b) for b in data["buttons"]),
            quick_exit=frozenset(normalize_words(p) for p in data.get("quick_exit") or []),
        )
    except re.error as exc:
        raise ContentError(f"emergency.yml: expresión regular inválida: {exc}") from exc
    except (KeyError, TypeError) as exc:
        raise ContentError(f"emergency.yml: falta o sobra un campo: {exc}") from exc


@checks.register("emergency.yml")
def check_emergency(directory: Path | None = None) -> list[str]:
    """Problems in ``emergency.yml`` (for ``participa content check``)."""
    try:
        net = load_safety_net(directory)
    except (ContentError, OSError, yaml.YAMLError) as exc:
        return [str(exc)]
    problems: list[str] = []
    try:
        known = load_hotlines(directory).by_id()
    except ContentError:
        known = {}
    for line_id in net.line_ids:
        if line_id not in known:
            problems.append(f"emergency.yml: la línea {line_id!r} no está en hotlines.yml")
    if not net.buttons or net.buttons[0].payload != "/buscar_centro":
        problems.append("emergency.yml: el primer botón debe ser /buscar_centro")
    for button in net.buttons:
        if len(button.title) > 40:
            problems.append(f"emergency.yml: botón de más de 40 caracteres: {button.title}")
    problems += checks.faq_references("emergency.yml: un botón", (b.payload for b in net.buttons),
                                      directory)
    return problems


@lru_cache(maxsize=1)
def safety_net() -> SafetyNet:
    return load_safety_net()
