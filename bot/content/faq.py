"""The FAQ (``content/faq/``): topics, entries with the ways people ask, and the answer as read."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.content.files import ContentError, Source, content_dir, read_yaml
from bot.textnorm import normalize_words

ID_RE = re.compile(r"^[a-z][a-z0-9_]{2,39}$")
MAX_ANSWER_CHARS = 900
MIN_QUESTIONS = 8
# Word limits for a phone (issue 16): the first message, what sits behind «Más detalles», and
# the warning. ``participa content check`` fails on an entry over them (bot.content.checks).
MAX_ANSWER_WORDS = 80
MAX_DETAILS_WORDS = 150
MAX_WARNING_WORDS = 30
# An entry a person has not reviewed for this long is listed as due for review.
REVIEW_EVERY_DAYS = 183


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
    details: str | None = Field(
        default=None, description="the rest of the answer, behind the «Más detalles» button"
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


def load_faq(directory: Path | None = None) -> FaqCatalog:
    """Read ``faq/topics.yml`` and every other ``faq/*.yml``; raise ContentError on any problem."""
    base = (directory or content_dir()) / "faq"
    topics_path = base / "topics.yml"
    if not topics_path.exists():
        raise ContentError(f"falta {topics_path}")
    errors: list[str] = []
    try:
        raw_topics = read_yaml(topics_path)
        if not isinstance(raw_topics, list):
            raise ContentError(f"{topics_path}: se esperaba una lista de temas")
        topics = [Topic.model_validate(t) for t in raw_topics]
    except ValidationError as exc:
        raise ContentError(f"{topics_path}: {exc}") from exc
    entries: list[FaqEntry] = []
    for path in sorted(base.glob("*.yml")):
        if path.name == "topics.yml":
            continue
        data = read_yaml(path)
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


def word_count(text: str | None) -> int:
    return len((text or "").split())


def over_limits(entry: FaqEntry) -> list[str]:
    """The word limits ``entry`` breaks, in Spanish for the person editing it (empty when none)."""
    problems = []
    for field, text, limit in (
        ("answer", entry.answer, MAX_ANSWER_WORDS),
        ("details", entry.details, MAX_DETAILS_WORDS),
        ("may_change", entry.may_change, MAX_WARNING_WORDS),
    ):
        words = word_count(text)
        if words > limit:
            hint = "; pasa el resto a details" if field == "answer" else ""
            problems.append(f"{entry.id}: {field} tiene {words} palabras (máximo {limit}){hint}")
    return problems


def due_for_review(catalog: FaqCatalog, today: dt.date) -> list[FaqEntry]:
    """Entries whose last review is older than six months, the oldest first."""
    limit = today - dt.timedelta(days=REVIEW_EVERY_DAYS)
    return sorted((e for e in catalog.entries if e.reviewed < limit), key=lambda e: e.reviewed)


def entry_files(directory: Path | None = None) -> dict[str, str]:
    """Which ``faq/*.yml`` holds each entry id: where a reviewer goes to edit it."""
    found: dict[str, str] = {}
    for path in sorted(((directory or content_dir()) / "faq").glob("*.yml")):
        data = read_yaml(path) if path.name != "topics.yml" else None
        for raw in data if isinstance(data, list) else []:
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                found[raw["id"]] = f"faq/{path.name}"
    return found
