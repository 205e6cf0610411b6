"""The simplified privacy notice (``content/privacy.yml``) and the words people use for it.

One source for the notice's text and version: ``/privacidad`` shows it, the consent step of a
proposal points to it, and every consent records its version (:mod:`bot.privacy.consent`).
Facts that could not be verified (who is responsible, where to exercise ARCO rights) are shown
as "dato por confirmar" until an operator fills them in, never guessed.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from bot.config import Settings, get_settings, privacy_notice_url
from bot.content import checks
from bot.content.files import ContentError, content_dir, load_model
from bot.textnorm import normalize_words

NOTICE_FIELDS = ("version", "responsible", "rights_contact", "full_notice", "tracker_days",
                 "contact_months", "attention_days", "this_chat", "contact_chat", "here")
CHAT_WORDS = ("this_chat", "contact_chat", "here")
INTENTS = ("notice", "my_data", "erase")


class PendingFact(BaseModel):
    """A fact for the notice: shown as written once verified, else its ``pending`` wording."""

    verified: bool = False
    text: str = ""
    pending: str = Field(min_length=10)

    @model_validator(mode="before")
    @classmethod
    def _name_is_text(cls, data: object) -> object:
        if isinstance(data, dict) and "name" in data and "text" not in data:
            data = {**data, "text": data["name"]}
        return data

    @model_validator(mode="after")
    def _verified_needs_text(self) -> PendingFact:
        if self.verified and not self.text.strip():
            raise ValueError("verified: true necesita el dato (name/text)")
        return self

    def render(self) -> str:
        return " ".join((self.text if self.verified else self.pending).split())


class FullNotice(BaseModel):
    with_url: str
    without_url: str


class PrivacyContent(BaseModel):
    version: str = Field(min_length=4, max_length=20)
    responsible: PendingFact
    rights_contact: PendingFact
    full_notice: FullNotice
    notice: str = Field(min_length=100, max_length=3000)
    phrases: dict[str, list[str]]
    polite: list[str] = Field(default_factory=list)
    messages: dict[str, str]
    # How the notice names the stored chat: "telegram" (this chat) and "other" (terminal, web).
    chat_words: dict[str, dict[str, str]]

    @model_validator(mode="after")
    def _placeholders_and_phrases(self) -> PrivacyContent:
        try:
            self.notice.format(**{name: "x" for name in NOTICE_FIELDS})
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"notice: marcador desconocido {exc}") from exc
        missing = set(INTENTS) - set(self.phrases)
        if missing:
            raise ValueError(f"phrases: faltan {sorted(missing)}")
        for channel in ("telegram", "other"):
            lacking = set(CHAT_WORDS) - set(self.chat_words.get(channel, {}))
            if lacking:
                raise ValueError(f"chat_words.{channel}: faltan {sorted(lacking)}")
        return self

    def message(self, key: str, **values: object) -> str:
        return " ".join(self.messages[key].split()).format(**values)

    def render_notice(self, settings: Settings | None = None, channel: str = "telegram") -> str:
        """The notice as shown on ``channel``: only Telegram's says «este chat»; the terminal
        (``participa chat``) and the web page name the Telegram chat instead."""
        settings = settings or get_settings()
        words = self.chat_words["telegram" if channel == "telegram" else "other"]
        url = privacy_notice_url(settings)
        full = self.full_notice.with_url.format(url=url) if url else self.full_notice.without_url
        return self.notice.format(
            version=self.version,
            responsible=self.responsible.render(),
            rights_contact=self.rights_contact.render(),
            full_notice=full.strip(),
            tracker_days=settings.tracker_retention_days,
            contact_months=settings.contact_retention_months,
            attention_days=settings.attention_retention_days,
            **{name: words[name] for name in CHAT_WORDS},
        ).strip()

    @cached_property
    def _matching(self) -> tuple[tuple[str, ...], dict[str, frozenset[str]]]:
        """The polite words (longest first) and each request's phrases, normalised once: every
        message is checked against them, so normalising them per message cost more than the
        rest of the core."""
        polite = tuple(normalize_words(p) for p in sorted(self.polite, key=len, reverse=True))
        phrases = {intent: frozenset(normalize_words(p) for p in self.phrases.get(intent, []))
                   for intent in INTENTS}
        return polite, phrases

    def intent_of(self, text: str) -> str | None:
        """"notice", "my_data" or "erase" when the whole message asks for it in plain words."""
        if text.lstrip().startswith("/"):
            return None  # commands and button payloads are not plain words
        polite_words, phrases = self._matching
        words = normalize_words(text)
        changed = True
        while changed and words:
            changed = False
            for polite in polite_words:
                if words.startswith(polite + " "):
                    words, changed = words[len(polite) + 1:], True
                if words.endswith(" " + polite):
                    words, changed = words[: -len(polite) - 1], True
        for intent in ("erase", "my_data", "notice"):
            if words in phrases[intent]:
                return intent
        return None

def load_privacy(directory: Path | None = None) -> PrivacyContent:
    return load_model((directory or content_dir()) / "privacy.yml", PrivacyContent)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def privacy_content() -> PrivacyContent:
    return load_privacy()


def notice_version() -> str:
    """The version every new consent records."""
    return privacy_content().version


def notice_text(settings: Settings | None = None, channel: str = "telegram") -> str:
    """What ``/privacidad`` shows on ``channel``."""
    return privacy_content().render_notice(settings, channel)


@checks.register("privacy.yml")
def check_privacy(directory: Path | None = None) -> list[str]:
    """Problems in ``content/privacy.yml`` (for ``participa content check``)."""
    try:
        content = load_privacy(directory)
    except ContentError as exc:
        return [str(exc)]
    problems = []
    if len(content.render_notice()) > 4096:
        problems.append("privacy.yml: el aviso no cabe en un mensaje de Telegram (4,096)")
    return problems
