"""Load and validate the editable content in ``content/``.

Content is data edited by people (the STL, the programme's staff): every answer
the bot gives lives there with its sources and review date. This module is the
only reader, so the bot, the actions and ``participa nlu build`` agree.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.i18n import current_locale, format_day
from bot.i18n_content import localize
from bot.textnorm import normalize_words

ID_RE = re.compile(r"^[a-z][a-z0-9_]{2,39}$")
MAX_ANSWER_CHARS = 900
MIN_QUESTIONS = 8
SEED_RE = re.compile(r"^seed \d{3}_[0-9a-f]{16}\.txt")


class ContentError(Exception):
    """Raised when a content file is missing or does not follow its schema."""


class Source(BaseModel):
    """Where a fact comes from: a seed document or a public URL."""

    title: str = Field(min_length=3)
    ref: str = Field(min_length=3, description="seed file name or public URL")

    @field_validator("ref")
    @classmethod
    def _ref_is_seed_or_url(cls, value: str) -> str:
        if not (value.startswith(("http://", "https://")) or SEED_RE.match(value)):
            raise ValueError("ref debe ser una URL pública o 'seed NNN_<hash>.txt'")
        return value


class FaqEntry(BaseModel):
    """One question the bot answers, with the ways citizens ask it."""

    id: str
    topic: str
    title: str = Field(min_length=3, max_length=40)
    questions: list[str] = Field(min_length=MIN_QUESTIONS)
    answer: str = Field(min_length=40, max_length=MAX_ANSWER_CHARS)
    sources: list[Source] = Field(min_length=1)
    reviewed: dt.date
    may_change: str | None = Field(
        default=None, description="plain note when the fact changed or may change"
    )

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError("id: minúsculas, dígitos y _ (3 a 40 caracteres)")
        return value

    @field_validator("questions")
    @classmethod
    def _questions_distinct(cls, value: list[str]) -> list[str]:
        normalised = [normalize_words(q) for q in value]
        if len(set(normalised)) != len(normalised):
            raise ValueError("hay preguntas repetidas (tras normalizar)")
        return value


class Topic(BaseModel):
    """A group of FAQ entries shown together in the menu."""

    id: str
    title: str = Field(min_length=3, max_length=40)


class FaqCatalog(BaseModel):
    topics: list[Topic]
    entries: list[FaqEntry]

    def by_id(self) -> dict[str, FaqEntry]:
        return {e.id: e for e in self.entries}


def content_dir() -> Path:
    from bot.config import get_settings

    return get_settings().content_dir


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: YAML inválido: {exc}") from exc


def load_faq(directory: Path | None = None) -> FaqCatalog:
    """Read ``faq/topics.yml`` and every other ``faq/*.yml``; raise ContentError on any problem."""
    base = (directory or content_dir()) / "faq"
    topics_path = base / "topics.yml"
    if not topics_path.exists():
        raise ContentError(f"falta {topics_path}")
    errors: list[str] = []
    try:
        raw_topics = _read_yaml(topics_path)
        if not isinstance(raw_topics, list):
            raise ContentError(f"{topics_path}: se esperaba una lista de temas")
        topics = [Topic.model_validate(t) for t in raw_topics]
    except ValidationError as exc:
        raise ContentError(f"{topics_path}: {exc}") from exc
    entries: list[FaqEntry] = []
    for path in sorted(base.glob("*.yml")):
        if path.name == "topics.yml":
            continue
        data = _read_yaml(path)
        if not isinstance(data, list):
            errors.append(f"{path.name}: se esperaba una lista de entradas")
            continue
        for i, raw in enumerate(data):
            try:
                entries.append(FaqEntry.model_validate(raw))
            except ValidationError as exc:
                ident = raw.get("id", f"#{i}") if isinstance(raw, dict) else f"#{i}"
                errors.append(f"{path.name}: {ident}: {exc}")
    topic_ids = {t.id for t in topics}
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.topic not in topic_ids:
            errors.append(f"{entry.id}: tema desconocido {entry.topic!r}")
        if entry.id in seen:
            errors.append(f"{entry.id}: id repetido")
        seen[entry.id] = entry.id
    owners: dict[str, str] = {}
    for entry in entries:
        for q in entry.questions:
            key = normalize_words(q)
            if key in owners and owners[key] != entry.id:
                errors.append(f"pregunta {q!r} está en {owners[key]} y en {entry.id}")
            owners[key] = entry.id
    if errors:
        raise ContentError("\n".join(errors))
    return FaqCatalog(topics=topics, entries=entries)


@lru_cache(maxsize=1)
def faq_catalog() -> FaqCatalog:
    """The catalog from the configured content directory, read once per process."""
    return load_faq()


def render_source_line(entry: FaqEntry) -> str:
    refs = "; ".join(f"{s.title} ({s.ref})" for s in entry.sources)
    return f"Fuente: {refs}. Revisado el {format_date(entry.reviewed)}."


def format_date(value: dt.date) -> str:
    """A review date inside Spanish content (FAQ sources): always es_MX, like the answer itself."""
    return format_day(value, locale="es_MX")


def render_answer(entry: FaqEntry) -> str:
    """What a citizen reads: the answer, any change note, then its sources and review date."""
    parts = [entry.answer.strip()]
    if entry.may_change:
        parts.append(f"⚠️ {entry.may_change.strip()}")
    parts.append(render_source_line(entry))
    return "\n\n".join(parts)


class Button(BaseModel):
    title: str = Field(min_length=1, max_length=40)
    payload: str = Field(min_length=2, max_length=200)

    @field_validator("payload")
    @classmethod
    def _payload_is_intent(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("payload debe empezar con / (intención de Rasa)")
        return value


class Menu(BaseModel):
    text: str
    buttons: list[Button] = Field(min_length=1, max_length=8)


class ResponseVariant(BaseModel):
    text: str = Field(min_length=1, max_length=1200)
    menu: bool = False
    custom: dict[str, object] | None = Field(
        default=None, description="channel instructions sent with the text, e.g. quick_exit"
    )


class ChatContent(BaseModel):
    """``chat.yml``: greetings, menu and the core's own messages."""

    menu: Menu
    responses: dict[str, list[ResponseVariant]]
    core: dict[str, str]

    def core_text(self, key: str, **values: object) -> str:
        return self.core[key].format(**values).strip()


class Hotline(BaseModel):
    id: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{1,39}$")
    name: str
    number: str = Field(pattern=r"^[0-9 ,a-zA-Zóé]+$")
    description: str
    source: str
    reviewed: dt.date


class Hotlines(BaseModel):
    lines: list[Hotline] = Field(min_length=1)

    def by_id(self) -> dict[str, Hotline]:
        return {h.id: h for h in self.lines if h.id}

    def render(self, ids: list[str] | None = None) -> str:
        """All lines, or only those named by ``ids`` (in that order)."""
        chosen = self.lines if ids is None else [self.by_id()[i] for i in ids if i in self.by_id()]
        return "\n".join(f"📞 {h.name}: {h.number}. {h.description}" for h in chosen)


def _load_model(path: Path, model: type[BaseModel], locale: str | None = None) -> BaseModel:
    """Read and validate one file; with ``locale``, its interface strings come translated."""
    if not path.exists():
        raise ContentError(f"falta {path}")
    data = _read_yaml(path)
    if locale is not None:
        data = localize(data, path.name, locale)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(f"{path.name}: {exc}") from exc


def load_chat(directory: Path | None = None, locale: str | None = None) -> ChatContent:
    """``chat.yml`` as written (Spanish, what Rasa is built from), or for ``locale``."""
    path = (directory or content_dir()) / "chat.yml"
    return _load_model(path, ChatContent, locale)  # type: ignore[return-value]


def load_hotlines(directory: Path | None = None) -> Hotlines:
    return _load_model((directory or content_dir()) / "hotlines.yml", Hotlines)  # type: ignore[return-value]


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
    return _load_model(path, TelegramCommands, locale)  # type: ignore[return-value]


@lru_cache(maxsize=4)
def _telegram_commands(locale: str) -> TelegramCommands:
    return load_telegram_commands(locale=locale)


def telegram_commands() -> TelegramCommands:
    """The command menu in the current locale (descriptions translated)."""
    return _telegram_commands(current_locale())


@lru_cache(maxsize=4)
def _chat_content(locale: str) -> ChatContent:
    return load_chat(locale=locale)


def chat_content() -> ChatContent:
    """``chat.yml`` in the current locale: menu titles and core texts translated, read once each."""
    return _chat_content(current_locale())


@lru_cache(maxsize=1)
def hotlines() -> Hotlines:
    return load_hotlines()


def check_all(directory: Path | None = None) -> list[str]:
    """Validate every content file; return the problems found (empty when all is well)."""
    problems: list[str] = []
    catalog: FaqCatalog | None = None
    try:
        catalog = load_faq(directory)
    except ContentError as exc:
        problems.append(str(exc))
    try:
        chat = load_chat(directory)
    except ContentError as exc:
        problems.append(str(exc))
        chat = None
    try:
        load_hotlines(directory)
    except ContentError as exc:
        problems.append(str(exc))
    try:
        load_telegram_commands(directory)
    except ContentError as exc:
        problems.append(str(exc))
    from bot.conversation.safety import check_emergency, load_safety_net
    from bot.violence.directory import check_directory

    problems += check_emergency(directory)
    problems += check_directory(directory)
    from bot.privacy.notice import check_privacy

    problems += check_privacy(directory)
    # --- procurement (content/procurement/search.yml) ---
    from bot.procurement.content import load_procurement_content

    try:
        load_procurement_content(directory)
    except ContentError as exc:
        problems.append(str(exc))
    # --- subscriptions (content/subscriptions.yml) ---
    from bot.campaigns.subscriptions import load_subscription_content

    try:
        load_subscription_content(directory)
    except ContentError as exc:
        problems.append(str(exc))
    if catalog and chat:
        ids = catalog.by_id()
        payloads = [("chat.yml: el menú", b.payload) for b in chat.menu.buttons]
        try:
            net = load_safety_net(directory)
            payloads += [("emergency.yml: un botón", b.payload) for b in net.buttons]
        except (ContentError, OSError, yaml.YAMLError):
            pass
        for where, payload in payloads:
            match = re.search(r'"tema"\s*:\s*"([a-z0-9_]+)"', payload)
            if match and match.group(1) not in ids:
                problems.append(f"{where} apunta a una pregunta que no existe: {match.group(1)}")
    return problems
