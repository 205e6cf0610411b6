"""WCAG AA contrast of the colours people read (4.5:1) and of chart marks (3:1), from the real CSS."""

from __future__ import annotations

import re

import pytest

from bot.web import charts
from bot.web.templating import STATIC_DIR

CSS = (STATIC_DIR / "participa.css").read_text("utf-8")
VARS = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("text,background", [
    ("ink", "paper"), ("ink", "soft"), ("muted", "paper"), ("muted", "soft"), ("brand", "paper"),
    ("brand", "soft"), ("paper", "brand"), ("ok", "ok-bg"), ("err", "err-bg"), ("focus", "paper"),
    ("warn", "warn-bg"),
])
def test_text_colours_reach_aa(text: str, background: str) -> None:
    assert contrast(VARS[text], VARS[background]) >= 4.5


def test_status_badges_reach_aa() -> None:
    colours = re.findall(r"\.status-\w+ \{ color: (#[0-9a-fA-F]{6}); \}", CSS)
    assert len(colours) == 6, "one colour per status"
    for colour in colours:
        assert contrast(colour, "#ffffff") >= 4.5, colour


def test_chart_marks_stand_out_from_the_background() -> None:
    for colour in (charts.BAR, charts.GRID, *charts.SERIES):
        assert contrast(colour, "#ffffff") >= 3, colour
    assert contrast(charts.TEXT, "#ffffff") >= 4.5
