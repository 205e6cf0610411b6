"""Cells safe to open in a spreadsheet: no text that Excel or LibreOffice would run as a formula.

Citizens write proposal texts and publishers write contract titles and supplier names, so a
cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would run as a
formula ("CSV injection"). Such a cell gets a leading apostrophe. Shared by every CSV and XLSX
export (bot/web/exports.py, bot/procurement/service.py).
"""

from __future__ import annotations

from typing import Any

from bot.textclean import clean

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A cell that cannot run as a formula nor carry a character the file format refuses."""
    value = clean(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
