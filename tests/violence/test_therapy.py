"""Psychological support asked for is told apart from psychological violence named."""

from __future__ import annotations

import pytest

from bot.violence.therapy import asks_for_therapy


@pytest.mark.parametrize(
    "message",
    ["donde me dan terapia gratis por lo que vivi con mi ex",
     "hay apoyo psicologico sin costo para mujeres que ya salieron de la violencia?",
     "necesito una psicologa que no cobre, ya me separe de el"],
)
def test_support_asked_for(message: str) -> None:
    assert asks_for_therapy(message)


@pytest.mark.parametrize(
    "message",
    ["que es la violencia psicologica",
     "hay terapia para hombres que quieren dejar de ser violentos",
     "mi terapeuta me dijo que eso era violencia"],
)
def test_no_support_asked_for(message: str) -> None:
    assert not asks_for_therapy(message)
