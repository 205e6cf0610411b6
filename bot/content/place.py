"""``place.yml``: the state this deployment serves, so no state name lives in the code.

Deploying for another state changes this file and ``PARTICIPA_TIMEZONE``; tests/test_place_words.py
fails when a state's name comes back into ``bot/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from bot.content.files import content_dir, load_model
from bot.i18n import current_locale


class Place(BaseModel):
    state: str = Field(min_length=2, max_length=80)
    state_written_as: list[str] = Field(default_factory=list)
    site_subtitle: str = Field(min_length=2, max_length=80)
    site_footer: str = Field(min_length=10, max_length=400)
    municipality_examples: str = Field(min_length=2, max_length=120)
    time_zone_name: str = Field(min_length=2, max_length=60)
    request_platforms: list[str] = Field(default_factory=list)
    state_institutions: list[str] = Field(default_factory=list)


def load_place(directory: Path | None = None, locale: str | None = None) -> Place:
    return load_model((directory or content_dir()) / "place.yml", Place, locale)  # type: ignore[return-value]


@lru_cache(maxsize=4)
def _place(locale: str) -> Place:
    return load_place(locale=locale)


def place() -> Place:
    """``place.yml`` in the current locale (its interface strings translated), read once each."""
    return _place(current_locale())
