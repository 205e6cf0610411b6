"""``chat.yml`` (greetings, menu, the core's own messages) and ``telegram_commands.yml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from bot.content.files import content_dir, load_model
from bot.conversation.replies import Button
from bot.i18n import current_locale


class Menu(BaseModel):
    text: str
    buttons: list[Button] = Field(min_length=1, max_length=8)

    @field_validator("buttons")
    @classmethod
    def _buttons_send_intents(cls, value: list[Button]) -> list[Button]:
        for button in value:
            if not 1 <= len(button.title) <= 40:
                raise ValueError(f"{button.title!r}: el título lleva de 1 a 40 caracteres")
            if not 2 <= len(button.payload) <= 200 or not button.payload.startswith("/"):
                raise ValueError("payload debe empezar con / (intención de Rasa)")
        return value


class ResponseVariant(BaseModel):
    text: str = Field(min_length=1, max_length=1200)
    menu: bool = False
    custom: dict[str, object] | None = Field(
        default=None, description="channel instructions sent with the text, e.g. quick_exit"
    )


class FaqFollowupWords(BaseModel):
    """Typed words that press an FAQ answer's «Más detalles» or «Fuentes» button."""

    details: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    details_after_answer: list[str] = Field(
        default_factory=list, description="only right after an FAQ answer (they mean more elsewhere)"
    )


class ChatContent(BaseModel):
    """``chat.yml``: greetings, menu and the core's own messages."""

    menu: Menu
    responses: dict[str, list[ResponseVariant]]
    core: dict[str, str]
    faq_followup: FaqFollowupWords

    def core_text(self, key: str, **values: object) -> str:
        return self.core[key].format(**values).strip()


def load_chat(directory: Path | None = None, locale: str | None = None) -> ChatContent:
    """``chat.yml`` as written (Spanish, what Rasa is built from), or for ``locale``."""
    path = (directory or content_dir()) / "chat.yml"
    return load_model(path, ChatContent, locale)  # type: ignore[return-value]


class TelegramCommand(BaseModel):
    command: str = Field(pattern=r"^[a-z0-9_]{1,32}$")
    description: str = Field(min_length=3, max_length=256)


class TelegramCommands(BaseModel):
    """``telegram_commands.yml``: the bot's command menu (setMyCommands and BotFather)."""

    commands: list[TelegramCommand] = Field(min_length=1, max_length=100)

    def names(self) -> list[str]:
        return [f"/{c.command}" for c in self.commands]

    def botfather(self) -> str:
        """The text BotFather's /setcommands expects: one ``command - description`` a line."""
        return "".join(f"{c.command} - {c.description}\n" for c in self.commands)


def load_telegram_commands(
    directory: Path | None = None, locale: str | None = None
) -> TelegramCommands:
    path = (directory or content_dir()) / "telegram_commands.yml"
    return load_model(path, TelegramCommands, locale)  # type: ignore[return-value]


@lru_cache(maxsize=4)
def _telegram_commands(locale: str) -> TelegramCommands:
    return load_telegram_commands(locale=locale)


def telegram_commands() -> TelegramCommands:
    """The command menu in the current locale (descriptions translated)."""
    return _telegram_commands(current_locale())


def telegram_commands_in(locale: str) -> TelegramCommands:
    """The command menu in one given locale ("es_MX", "en"), for a per-language menu."""
    return _telegram_commands(locale)


@lru_cache(maxsize=4)
def _chat_content(locale: str) -> ChatContent:
    return load_chat(locale=locale)


def chat_content() -> ChatContent:
    """``chat.yml`` in the current locale: menu titles and core texts translated, read once each."""
    return _chat_content(current_locale())
