"""Channel-neutral replies: each channel (Telegram, terminal) renders these."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    custom: dict[str, Any] | None = None

    @classmethod
    def from_rasa(cls, message: dict[str, Any]) -> Reply:
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in message.get("buttons") or []
            if b.get("payload")
        ]
        return cls(
            text=str(message.get("text") or ""), buttons=buttons, custom=message.get("custom")
        )


@dataclass
class Turn:
    """One user message and what the bot answered, with what it understood."""

    text: str
    intent: str | None
    confidence: float | None
    emergency: bool
    replies: list[Reply]
    # Telegram's «Compartir mi ubicación» key was showing when this turn began (as stored, so a
    # restarted bot still takes it away once the question is answered).
    location_keyboard_shown: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": self.confidence,
            "emergency": self.emergency,
            "replies": [
                {"text": r.text, "buttons": [asdict(b) for b in r.buttons]}
                | ({"custom": r.custom} if r.custom else {})
                for r in self.replies
            ],
        }
