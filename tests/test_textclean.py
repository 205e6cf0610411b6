"""Characters a spreadsheet cannot hold are dropped; ordinary text, tabs and line breaks stay."""

from __future__ import annotations

import pytest

from bot.textclean import clean, strip_control


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\ufffe", "\uffff",
                                 "\ud800"])
def test_strips_what_xlsx_refuses(bad: str) -> None:
    assert strip_control(f"ba{bad}ches") == "baches"


def test_keeps_tabs_newlines_accents_and_emoji() -> None:
    text = "Año\tnuevo\r\nbaches en Nezahualcóyotl 🚧"
    assert strip_control(text) == text
    assert clean(5) == 5 and clean(None) is None
