"""Drop characters that no spreadsheet or XML file can hold.

One C0 control character (other than tab, newline, carriage return), an unpaired surrogate
or U+FFFE/U+FFFF in a stored text made the XLSX export fail for everyone (openpyxl refuses
them). Text is cleaned where it enters (web forms, proposals from any channel, imports) and
again at export, so older rows cannot break a file either. Standard library only.
"""

from __future__ import annotations

import re
from typing import Any

ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def strip_control(text: str) -> str:
    """``text`` without the characters XML 1.0 (and so XLSX) cannot carry."""
    return ILLEGAL_RE.sub("", text)


def clean(value: Any) -> Any:
    """:func:`strip_control` for strings; any other value as it is."""
    return strip_control(value) if isinstance(value, str) else value
