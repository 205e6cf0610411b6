"""``hotlines.yml``: the help lines the bot gives (emergencies first), each with its source."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from bot.content.files import content_dir, load_model


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


def load_hotlines(directory: Path | None = None) -> Hotlines:
    return load_model((directory or content_dir()) / "hotlines.yml", Hotlines)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def hotlines() -> Hotlines:
    return load_hotlines()
