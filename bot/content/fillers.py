"""The filler words people put around what they ask (``content/fillers.yml``): one list for the
four readers that skip them, each word with the readers that do (:data:`READERS`).

The plain words of subscriptions (``bot/campaigns/subscriptions.py``), a question asked in the
middle of the proposal interview (``bot/questions.py``) and the question left after a figure of
speech (the safety net's ``without_figures``) each read their own selection, in the file's order.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, field_validator

from bot.content.files import content_dir, load_model

Reader = Literal["unsubscribe", "subscribe", "question", "figure"]
READERS: tuple[Reader, ...] = ("unsubscribe", "subscribe", "question", "figure")
_WORDS_RE = re.compile(r"[a-z]+( [a-z]+)*")


class Fillers(BaseModel):
    fillers: dict[str, list[Reader]]

    @field_validator("fillers")
    @classmethod
    def _plain(cls, value: dict[str, list[Reader]]) -> dict[str, list[Reader]]:
        for word, readers in value.items():
            if not _WORDS_RE.fullmatch(word):
                raise ValueError(f"«{word}»: en minúsculas, sin acentos ni signos, un espacio entre palabras")
            if not readers:
                raise ValueError(f"«{word}»: ningún lector la salta")
        return value


@lru_cache(maxsize=8)
def load_fillers(directory: Path | None = None) -> Fillers:
    model = load_model((directory or content_dir()) / "fillers.yml", Fillers)
    assert isinstance(model, Fillers)
    return model


def fillers(reader: Reader, directory: Path | None = None) -> tuple[str, ...]:
    """The words ``reader`` skips, in the file's order."""
    return tuple(word for word, readers in load_fillers(directory).fillers.items() if reader in readers)
