"""Reading ``content/``: where it is, YAML with clear errors, schemas, sources and review dates.

Content is data edited by people (the STL, the programme's staff): every answer the bot gives
lives there with its sources and review date. The bot, the actions and ``participa nlu build``
read it through ``bot.content`` (this module and its neighbours), so they agree; each domain
loads its own files with these helpers and registers their check (:mod:`bot.content.checks`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.config import get_settings
from bot.i18n import format_day
from bot.i18n_content import localize

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


def content_dir() -> Path:
    return get_settings().content_dir


def read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: YAML inválido: {exc}") from exc


def load_model(path: Path, model: type[BaseModel], locale: str | None = None) -> BaseModel:
    """Read and validate one file; with ``locale``, its interface strings come translated."""
    if not path.exists():
        raise ContentError(f"falta {path}")
    data = read_yaml(path)
    if locale is not None:
        data = localize(data, path.name, locale)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(f"{path.name}: {exc}") from exc


def format_date(value: dt.date) -> str:
    """A review date inside Spanish content (FAQ sources): always es_MX, like the answer itself."""
    return format_day(value, locale="es_MX")
