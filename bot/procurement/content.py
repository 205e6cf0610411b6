"""``content/procurement/search.yml``: what the bot says about contracts and how it reads a search.

Kept in content/ so the programme's staff can reword replies, add synonyms or
declare an emergency period without touching code.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.content import checks
from bot.content.files import ContentError, Source, content_dir, read_yaml
from bot.textnorm import normalize_words

METHODS = ("open", "selective", "limited", "direct", "unknown")
FLAGS = ("short_tender", "single_bid", "signed_early", "above_median")


class EmergencyPeriod(BaseModel):
    name: str = Field(min_length=3)
    start: dt.date
    end: dt.date
    source: str = Field(min_length=3)


class LegalBasisRule(BaseModel):
    """A legal basis that allows a direct award because of an emergency (matched on plain text)."""

    name: str = Field(min_length=3)
    pattern: str = Field(min_length=3)
    source: str = Field(min_length=3)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"expresión regular inválida: {exc}") from exc
        return value


class EmergencyRules(BaseModel):
    keywords: list[str] = Field(min_length=1)
    glosses: dict[str, str] = Field(default_factory=dict)
    legal_bases: list[LegalBasisRule] = Field(default_factory=list)
    reason_legal_basis: str
    reason_title: str
    reason_keyword: str
    reason_period: str
    periods: list[EmergencyPeriod] = Field(default_factory=list)


class FlagRule(BaseModel):
    """A flag as a citizen reads it: its OCP code (empty when OCP has none), name, cut-off."""

    code: str = ""
    name: str = Field(min_length=3)
    threshold: str = Field(min_length=3)
    needs: str = Field(min_length=3)
    days: int | None = Field(default=None, gt=0)


class MedianRule(BaseModel):
    factor: float = Field(gt=1)
    min_group: int = Field(ge=2)


class Lexicon(BaseModel):
    largest: list[str]
    recent: list[str]
    method_phrases: dict[str, list[str]]
    emergency_phrases: list[str]
    # Display name -> ways of writing it; searched as one phrase (see search.yml).
    place_phrases: dict[str, list[str]] = Field(default_factory=dict)
    # A buyer's full name as the data writes it -> its short names ("imss"); see search.yml.
    short_names: dict[str, list[str]] = Field(default_factory=dict)
    synonyms: dict[str, list[str]]
    stopwords: list[str]
    generic_name_words: list[str]

    @field_validator("method_phrases")
    @classmethod
    def _known_methods(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - set(METHODS)
        if unknown:
            raise ValueError(f"métodos desconocidos: {sorted(unknown)}")
        return value

    def normalised(self, words: list[str]) -> list[str]:
        return [normalize_words(w) for w in words]


class ProcurementContent(BaseModel):
    reviewed: dt.date
    sources: list[Source] = Field(min_length=1)
    messages: dict[str, str]
    buttons: dict[str, str]
    methods: dict[str, str]
    flags: dict[str, str]
    emergency: EmergencyRules
    median: MedianRule
    flag_rules: dict[str, FlagRule]
    lexicon: Lexicon

    @field_validator("flag_rules")
    @classmethod
    def _all_flags(cls, value: dict[str, FlagRule]) -> dict[str, FlagRule]:
        missing = set(FLAGS) - set(value)
        if missing:
            raise ValueError(f"faltan señales: {sorted(missing)}")
        if not value["short_tender"].days:
            raise ValueError("short_tender necesita «days» (el umbral en días)")
        return value

    @field_validator("buttons")
    @classmethod
    def _short_titles(cls, value: dict[str, str]) -> dict[str, str]:
        long = [k for k, v in value.items() if len(v) > 40]
        if long:
            raise ValueError(f"títulos de botón de más de 40 caracteres: {long}")
        return value

    @field_validator("methods")
    @classmethod
    def _all_methods(cls, value: dict[str, str]) -> dict[str, str]:
        missing = set(METHODS) - set(value)
        if missing:
            raise ValueError(f"faltan nombres de método: {sorted(missing)}")
        return value

    def text(self, key: str, **values: object) -> str:
        return self.messages[key].format(**values).strip()

    def method_label(self, method: str) -> str:
        return self.methods.get(method or "unknown", self.methods["unknown"])


REQUIRED_MESSAGES = (
    "results_header", "results_total", "results_other_currency", "results_no_amount",
    "results_page", "result_item", "result_flags", "flags_summary", "flags_intro", "flag_line",
    "flag_line_unknown", "flag_line_absent", "flag_known_here", "flag_none_note", "flag_code", "flag_own",
    "no_supplier", "no_amount",
    "no_date", "no_url", "no_results", "no_data", "page_gone", "no_more", "csv_ready",
    "csv_no_search", "emergency_none", "emergency_some", "emergency_reason", "menu", "about_words",
    "about_supplier", "about_buyer", "about_years", "about_method", "about_emergency",
    "contract_one", "contract_many", "more_no_search", "results_capped", "results_capped_largest",
    "results_capped_newest", "results_capped_flags", "search_timeout", "capped_example_year",
    "capped_example_buyer",
)
REQUIRED_BUTTONS = (
    "more", "csv", "largest", "direct", "emergency", "what_is", "signals", "how_to_check", "menu",
)


def load_procurement_content(directory: Path | None = None) -> ProcurementContent:
    path = (directory or content_dir()) / "procurement" / "search.yml"
    if not path.exists():
        raise ContentError(f"falta {path}")
    try:
        content = ProcurementContent.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise ContentError(f"procurement/search.yml: {exc}") from exc
    missing = [k for k in REQUIRED_MESSAGES if k not in content.messages]
    missing += [f"buttons.{k}" for k in REQUIRED_BUTTONS if k not in content.buttons]
    if missing:
        raise ContentError(f"procurement/search.yml: faltan {', '.join(missing)}")
    return content


@lru_cache(maxsize=1)
def procurement_content() -> ProcurementContent:
    return load_procurement_content()


@checks.register("procurement/search.yml")
def check_procurement_content(directory: Path | None = None) -> list[str]:
    return checks.problems_loading(load_procurement_content, directory)
