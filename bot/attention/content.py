"""``content/attention.yml``: what the bot says when a person asks to talk to the STL's team."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from bot.content import checks
from bot.content.files import content_dir, load_model
from bot.i18n import current_locale
from bot.textnorm import normalize_words

MESSAGE_KEYS = ("ask_consent", "declined", "opened", "opened_outside", "emergency_note",
                "already_open", "received", "withheld", "command_while_open", "ended_by_person",
                "ended_by_staff", "staff_reply", "not_open", "telegram_only", "save_failed", "alert")
BUTTON_KEYS = ("ask", "accept", "decline", "end")


class Notice(BaseModel):
    text: str = Field(min_length=40)


class AttentionContent(BaseModel):
    privacy_notice: Notice
    messages: dict[str, str]
    buttons: dict[str, str]
    end_words: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> AttentionContent:
        missing = [k for k in MESSAGE_KEYS if k not in self.messages]
        missing += [f"buttons.{k}" for k in BUTTON_KEYS if not self.buttons.get(k)]
        if missing:
            raise ValueError(f"faltan: {', '.join(missing)}")
        long = [k for k, v in self.buttons.items() if len(v) > 40]
        if long:
            raise ValueError(f"botones de más de 40 caracteres: {', '.join(long)}")
        return self

    def message(self, key: str, **values: object) -> str:
        return " ".join(self.messages[key].split()).format(**values)

    def notice(self) -> str:
        return " ".join(self.privacy_notice.text.split())

    def is_end(self, text: str) -> bool:
        """«terminar», «ya terminé», «volver al bot»…: the person wants the bot back."""
        return normalize_words(text) in {normalize_words(w) for w in self.end_words}


def load_attention_content(directory: Path | None = None, locale: str | None = None) -> AttentionContent:
    """Read and validate ``attention.yml`` (the shared loader of content/files.py)."""
    model = load_model((directory or content_dir()) / "attention.yml", AttentionContent, locale)
    assert isinstance(model, AttentionContent)
    return model


@checks.register("attention.yml")
def check_attention_content(directory: Path | None = None) -> list[str]:
    return checks.problems_loading(load_attention_content, directory)


@lru_cache(maxsize=4)
def _attention_content(locale: str) -> AttentionContent:
    return load_attention_content(locale=locale)


def attention_content(locale: str | None = None) -> AttentionContent:
    """``attention.yml`` in ``locale`` or the current one."""
    return _attention_content(locale or current_locale())
